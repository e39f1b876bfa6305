# web: serves /srv/www on $PORT.
log() {
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $APP_NAME $1 $2" >&2
}
case ${1:-serve} in
  --version) echo "$APP_NAME $APP_VERSION" ;;
  serve)
    log info "serving ${WWW_ROOT:-/srv/www} on :${PORT:-8080}"
    exec httpd -f -p "${PORT:-8080}" -h "${WWW_ROOT:-/srv/www}"
    ;;
  *)
    echo "usage: web [serve|--version]" >&2
    exit 64
    ;;
esac
