#!/bin/sh
# A fake Docker 28.2 client without the buildx plugin, against a 20.10 engine: it answers `docker version` and
# `docker buildx` as the real one does (test/fixtures/engine/) and refuses BuildKit builds.
# FAKE_DOCKER_STATE (a folder): every call's argv is appended to calls.
engine="$(cd "$(dirname "$0")/../fixtures/engine" && pwd)"
[ -n "${FAKE_DOCKER_STATE:-}" ] && printf '%s\n' "$*" >> "$FAKE_DOCKER_STATE/calls"

case "$1" in
  version)
    cat "$engine/version-client28-engine20.json"
    exit 0 ;;
  buildx)
    cat "$engine/buildx-missing-client28.stderr.txt" >&2
    exit 1 ;;
  build)
    cat "$engine/build-client28-no-buildx.txt" >&2
    exit 1 ;;
  *)
    echo "fake docker: unexpected command: $*" >&2
    exit 64 ;;
esac
