#!/bin/sh
# Tests for the built assets: tests/run.sh ASSETS_DIR
set -eu
dir=$1
cd "$dir"
for f in app.css app.js VERSION MANIFEST; do
  [ -s "$f" ] || { echo "FAIL $f is missing or empty"; exit 1; }
done
md5sum -c MANIFEST
if grep -q '/\*' app.css; then echo "FAIL comments left in app.css"; exit 1; fi
if grep -q '^ *//' app.js; then echo "FAIL comments left in app.js"; exit 1; fi
grep -q 'showHealth' app.js || { echo "FAIL app.js lacks showHealth"; exit 1; }
echo "all assets tests passed"
