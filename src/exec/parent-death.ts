import { existsSync } from "node:fs";
import path from "node:path";

/**
 * How a child learns that dockbuild died. Children run in process groups of their own (so that stopping one
 * stops everything it started), which also keeps a terminal's signals and a SIGKILL of dockbuild's group away
 * from them: without this, a killed dockbuild leaves its Docker clients running and the engine finishes and
 * tags their images. util-linux's `setpriv --pdeathsig SIGTERM` asks the kernel to send the child SIGTERM the
 * moment its parent dies, however it died; a Docker client that gets it ends, its build session closes, and
 * BuildKit cancels the build.
 */
export interface ParentDeathWrapper {
  /** The program to run instead, and the arguments that come before the real command. */
  file: string;
  prefix: readonly string[];
}

const SETPRIV_ARGS = ["--pdeathsig", "SIGTERM", "--"] as const;

let found: Promise<ParentDeathWrapper | undefined> | undefined;

/** `setpriv` where it exists and knows `--pdeathsig` (util-linux 2.33 and newer, Linux only); asked once. */
export function parentDeathWrapper(): Promise<ParentDeathWrapper | undefined> {
  found ??= findSetpriv();
  return found;
}

async function findSetpriv(): Promise<ParentDeathWrapper | undefined> {
  if (process.platform !== "linux") return undefined;
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/bin"].filter(Boolean);
  const file = dirs.map((dir) => path.join(dir, "setpriv")).find((candidate) => existsSync(candidate));
  if (file === undefined) return undefined;
  // An older setpriv refuses the option: then children run without it rather than not at all.
  const { execa } = await import("execa");
  const probe = await execa(file, [...SETPRIV_ARGS, "true"], { reject: false, stdin: "ignore" });
  return probe.exitCode === 0 ? { file, prefix: SETPRIV_ARGS } : undefined;
}

/**
 * setpriv's own failure to start the command (exit 127 not found, 126 not executable, with its message on
 * stderr) as the error code a direct spawn would have given; undefined when the command itself ran.
 */
export function wrappedSpawnError(
  file: string,
  exitCode: number | undefined,
  stderr: string,
): string | undefined {
  if (exitCode !== 127 && exitCode !== 126) return undefined;
  if (!stderr.trimEnd().split("\n").at(-1)?.startsWith(`setpriv: failed to execute ${file}: `))
    return undefined;
  return exitCode === 127 ? "ENOENT" : "EACCES";
}
