import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** How a fake Docker client answers; each answer is what it prints and how it exits. */
export interface FakeDocker {
  /** `docker version --format '{{json .}}'` */
  version: { stdout: string; stderr?: string; exitCode?: number };
  /** `docker buildx version` and `docker buildx inspect`; absent: "buildx is not a docker command". */
  buildx?: { version: string; inspect: string };
  /** `docker build` / `docker buildx build`: output on stderr, as BuildKit prints it. */
  build?: { output: string; exitCode?: number; sleepSeconds?: number };
}

/**
 * Write an executable `docker` into `dir` that answers as told and records each call (argv in `calls`,
 * the Dockerfile read from stdin in `stdin`, the pid of a long step in `child.pid`).
 */
export function writeFakeDocker(dir: string, fake: FakeDocker): string {
  mkdirSync(dir, { recursive: true });
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    "#!/bin/sh",
    `printf '%s ' "$@" >> ${q(path.join(dir, "calls"))}; echo >> ${q(path.join(dir, "calls"))}`,
    // the flags that point the client at another engine come first
    'case "$1" in -H|--context) shift 2 ;; esac',
    'case "$1 $2" in',
    `  version*) /bin/cat ${q(file("version.out", fake.version.stdout))}; /bin/cat ${q(file("version.err", fake.version.stderr ?? ""))} >&2; exit ${fake.version.exitCode ?? 0} ;;`,
    fake.buildx
      ? `  "buildx version") /bin/cat ${q(file("buildx.out", fake.buildx.version))}; exit 0 ;;\n` +
        `  "buildx inspect") /bin/cat ${q(file("inspect.out", fake.buildx.inspect))}; exit 0 ;;`
      : `  buildx*) echo "docker: 'buildx' is not a docker command." >&2; exit 1 ;;`,
    "esac",
    `for a in "$@"; do [ "$a" = "-" ] && /bin/cat > ${q(path.join(dir, "stdin"))}; done`,
    `/bin/cat ${q(file("build.out", fake.build?.output ?? ""))} >&2`,
    fake.build?.sleepSeconds
      ? `/bin/sleep ${fake.build.sleepSeconds} & echo $! > ${q(path.join(dir, "child.pid"))}; wait`
      : "",
    `exit ${fake.build?.exitCode ?? 0}`,
    "",
  ].join("\n");
  const docker = path.join(dir, "docker");
  writeFileSync(docker, script);
  chmodSync(docker, 0o755);
  return docker;
}
