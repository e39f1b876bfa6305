#!/bin/sh
# A fake Docker 28.2 client whose engine answers `docker version` with an error: the client's part of the JSON,
# `"Server":null`, the error on stderr and exit 1, as the real client prints it (test/fixtures/engine/).
# FAKE_DOCKER_ERROR: the error line (default: an API version mismatch). FAKE_DOCKER_VERSION=garbage: print
# no JSON at all, only the error, as a broken client would. FAKE_DOCKER_STATE: calls appended to calls.
engine="$(cd "$(dirname "$0")/../fixtures/engine" && pwd)"
[ -n "${FAKE_DOCKER_STATE:-}" ] && printf '%s\n' "$*" >> "$FAKE_DOCKER_STATE/calls"
error="${FAKE_DOCKER_ERROR:-Error response from daemon: client version 1.50 is too new. Maximum supported API version is 1.41}"

case "$1" in
  version)
    [ "${FAKE_DOCKER_VERSION:-}" = garbage ] || cat "$engine/version-no-daemon.json"
    echo "$error" >&2
    exit 1 ;;
  *)
    echo "$error" >&2
    exit 1 ;;
esac
