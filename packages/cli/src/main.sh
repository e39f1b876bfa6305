# acme COMMAND [ARGS...]
command=${1:-help}
[ $# -gt 0 ] && shift
case $command in
  version | greet | slug | help) "cmd_$command" "$@" ;;
  *)
    cmd_help >&2
    exit 64
    ;;
esac
