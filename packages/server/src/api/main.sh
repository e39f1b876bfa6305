# api: answers GET /health.json over HTTP with busybox httpd.
health() {
  printf '{"service":%s,"version":%s,"status":"ok"}\n' "$(json_string "$APP_NAME")" "$(json_string "$APP_VERSION")"
}
serve() {
  root=${WWW_ROOT:-/tmp/www}
  mkdir -p "$root"
  health > "$root/health.json"
  log info "listening on :${PORT:-8080}"
  exec httpd -f -p "${PORT:-8080}" -h "$root"
}
case ${1:-serve} in
  --version) echo "$APP_NAME $APP_VERSION" ;;
  health) health ;;
  serve) serve ;;
  *)
    echo "usage: api [serve|health|--version]" >&2
    exit 64
    ;;
esac
