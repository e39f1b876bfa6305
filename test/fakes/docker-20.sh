#!/bin/sh
# A fake Docker 20.10 client (no buildx plugin), for what the real engine cannot stage on demand.
# `docker version` answers as the real client does (test/fixtures/engine/); `image inspect` finds no image;
# `build` acts on the image name after `-t`: one containing "hang" never ends (nor does the step it waits
# for), one containing "fail" fails like BuildKit after a moment, one containing "dies" fails as a client does
# whose engine was killed (`unexpected EOF`), and the engine stays gone for every later call; any other succeeds.
# FAKE_DOCKER_STATE (a folder): every call's argv is appended to calls; a hanging build appends its own pid
# and its step's pid to hanging. FAKE_DOCKER_IGNORE_TERM=1: a hanging build ignores SIGTERM and SIGINT.
# FAKE_DOCKER_VERSION_SLEEP=N: `docker version` first sleeps N seconds (an engine slow to answer).
# FAKE_DOCKER_FAIL_SLEEP=N: a failing build takes N seconds (default 0.5).
engine="$(cd "$(dirname "$0")/../fixtures/engine" && pwd)"
state="${FAKE_DOCKER_STATE:-}"
[ -n "$state" ] && printf '%s\n' "$*" >> "$state/calls"

if [ -n "$state" ] && [ -e "$state/engine-gone" ]; then
  echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
  exit 1
fi

case "$1" in
  version)
    if [ -n "${FAKE_DOCKER_VERSION_SLEEP:-}" ]; then
      sleep "$FAKE_DOCKER_VERSION_SLEEP" &
      [ -n "$state" ] && echo "$$ $!" >> "$state/version-waiting"
      wait
    fi
    cat "$engine/version-client20-engine20.json"
    exit 0 ;;
  buildx)
    cat "$engine/buildx-missing-client20.stderr.txt" >&2
    exit 1 ;;
  image)
    [ "$2" = inspect ] || { echo "fake docker: unexpected command: $*" >&2; exit 64; }
    shift 2
    echo "[]"
    for ref in "$@"; do echo "Error: No such image: $ref" >&2; done
    exit 1 ;;
  build) ;;
  *)
    echo "fake docker: unexpected command: $*" >&2
    exit 64 ;;
esac

tag=""
prev=""
for arg in "$@"; do
  [ "$prev" = "-t" ] && tag="$arg"
  prev="$arg"
done

case "$tag" in
  *hang*)
    [ "${FAKE_DOCKER_IGNORE_TERM:-}" = 1 ] && trap '' TERM INT
    printf '#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n\n#4 [2/2] RUN sleep forever\n' >&2
    sleep 3600 &
    [ -n "$state" ] && echo "$$ $!" >> "$state/hanging"
    wait
    exit 1 ;;
  *dies*)
    printf '#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n' >&2
    [ -n "$state" ] && touch "$state/engine-gone"
    echo "unexpected EOF" >&2
    exit 1 ;;
  *fail*)
    sleep "${FAKE_DOCKER_FAIL_SLEEP:-0.5}"
    cat "$engine/build-failing.txt" >&2
    exit 1 ;;
  *)
    cat "$engine/build-cold.txt" >&2
    exit 0 ;;
esac
