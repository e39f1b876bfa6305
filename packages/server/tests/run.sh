#!/bin/sh
# Tests for the api and worker artifacts: tests/run.sh OUT_DIR
set -eu
out=$1
failures=0
check() {
  name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
version_is() { [ "$("$1" --version)" = "$2 $APP_VERSION" ]; }
health_ok() { "$out/api" health | grep -q '"status":"ok"'; }
worker_uppercases() {
  tmp=$(mktemp -d)
  mkdir -p "$tmp/in" "$tmp/out"
  echo "hello jobs" > "$tmp/in/a.job"
  "$out/worker" once "$tmp/in" "$tmp/out" 2>/dev/null
  [ "$(cat "$tmp/out/a.done")" = "HELLO JOBS" ] && [ ! -e "$tmp/in/a.job" ]
}
bad_usage_fails() { ! "$out/api" nonsense 2>/dev/null; }
APP_VERSION=$(sed -n "s/^APP_VERSION='\(.*\)'$/\1/p" "$out/api")
check "api --version" version_is "$out/api" api
check "worker --version" version_is "$out/worker" worker
check "api health" health_ok
check "worker processes jobs" worker_uppercases
check "api rejects bad usage" bad_usage_fails
[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all server tests passed"
