#!/bin/sh
# Tests for the acme tool: tests/run.sh PATH_TO_ACME
set -eu
acme=$1
failures=0
expect() {
  want=$1
  shift
  got=$(sh "$acme" "$@" 2>&1) || true
  if [ "$got" = "$want" ]; then echo "ok   acme $*"; else echo "FAIL acme $*: got '$got', want '$want'"; failures=$((failures + 1)); fi
}
version=$(sed -n "s/^APP_VERSION='\(.*\)'$/\1/p" "$acme")
expect "acme $version" version
expect "Hello, Ada Lovelace!" greet Ada Lovelace
expect "hello-big-world-2" slug "  Hello, BIG world #2 "
if sh "$acme" nonsense 2>/dev/null; then echo "FAIL unknown command accepted"; failures=$((failures + 1)); fi
[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all cli tests passed"
