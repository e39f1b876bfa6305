# log LEVEL MESSAGE... — one line on stderr, the same format in every service.
log() {
  level=$1
  shift
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $APP_NAME $level $*" >&2
}
