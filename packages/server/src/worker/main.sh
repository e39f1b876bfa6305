# worker: turns every IN/*.job file into OUT/*.done (its text upper-cased), once or forever.
process_once() {
  in=$1
  out=$2
  count=0
  for job in "$in"/*.job; do
    [ -f "$job" ] || continue
    base=$(basename "$job" .job)
    tr 'a-z' 'A-Z' < "$job" > "$out/$base.done"
    rm -f "$job"
    count=$((count + 1))
  done
  log info "processed $count job(s)"
}
case ${1:-run} in
  --version) echo "$APP_NAME $APP_VERSION" ;;
  once) process_once "${2:-/var/spool/jobs/in}" "${3:-/var/spool/jobs/out}" ;;
  run)
    while :; do
      process_once "${2:-/var/spool/jobs/in}" "${3:-/var/spool/jobs/out}"
      sleep "${POLL_SECONDS:-2}"
    done
    ;;
  *)
    echo "usage: worker [run|once [IN OUT]|--version]" >&2
    exit 64
    ;;
esac
