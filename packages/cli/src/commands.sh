# acme's commands; each prints to stdout and returns non-zero on bad input.
cmd_version() {
  echo "acme $APP_VERSION"
}
cmd_greet() {
  [ $# -ge 1 ] || { echo "acme greet: a name is needed" >&2; return 64; }
  echo "Hello, $*!"
}
cmd_slug() {
  [ $# -ge 1 ] || { echo "acme slug: a title is needed" >&2; return 64; }
  echo "$*" | tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9][^a-z0-9]*/-/g' -e 's/^-//' -e 's/-$//'
}
cmd_help() {
  echo "usage: acme version | greet NAME | slug TITLE | help"
}
