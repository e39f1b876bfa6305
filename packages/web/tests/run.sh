#!/bin/sh
# Tests for the rendered site: tests/run.sh OUT_DIR (the assets image's files are in OUT_DIR/www/assets).
set -eu
out=$1
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
version=$(sed -n "s/^APP_VERSION='\(.*\)'$/\1/p" "$out/web")
for page in "$out"/www/*.html; do
  if grep -q '{{' "$page"; then fail "$page has an unrendered placeholder"; fi
  grep -q "version $version\|Version $version" "$page" || fail "$page does not show version $version"
  # Every local link and asset a page names must exist.
  for ref in $(grep -o '\(href\|src\)="/[^"]*"' "$page" | sed 's/.*="\/\(.*\)"/\1/'); do
    [ -f "$out/www/$ref" ] || fail "$page links to missing /$ref"
  done
done
[ "$("$out/web" --version)" = "web $version" ] || fail "web --version"
[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all web tests passed"
