import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { detectNode } from "./detect-node.js";
import { dirsWith, join } from "./repo-files.js";
import { serviceName } from "./service-name.js";
import type { DetectedPackage, RepoSnapshot, SkippedPackage } from "./types.js";

/**
 * Find the packages of a repository: `package.json` (with npm, Yarn and pnpm workspaces), `go.mod`,
 * `pyproject.toml` / `requirements.txt`, one per folder. Libraries (no start script, no main package) are
 * skipped with the reason. Pure: reads only the snapshot.
 */
export function detectPackages(
  snapshot: RepoSnapshot,
  rootName: string,
): { packages: DetectedPackage[]; skipped: SkippedPackage[] } {
  const packages: DetectedPackage[] = [];
  const skipped: SkippedPackage[] = [];
  detectNode(snapshot, rootName, packages, skipped);
  detectGo(snapshot, rootName, packages, skipped);
  detectPython(snapshot, rootName, packages);
  packages.sort((a, b) => a.dir.localeCompare(b.dir) || a.kind.localeCompare(b.kind));
  return { packages, skipped };
}

function detectGo(
  snapshot: RepoSnapshot,
  rootName: string,
  out: DetectedPackage[],
  skipped: SkippedPackage[],
): void {
  for (const dir of dirsWith(snapshot, "go.mod")) {
    const isMain = (file: string) => /^package\s+main\b/m.test(snapshot.texts.get(file) ?? "");
    const prefix = join(dir, "cmd/");
    const commands = [...snapshot.texts.keys()]
      .filter((f) => f.startsWith(prefix) && /^[^/]+\/main\.go$/.test(f.slice(prefix.length)) && isMain(f))
      .sort();
    const mainPackage = isMain(join(dir, "main.go"))
      ? "."
      : commands[0] !== undefined
        ? `./${path.posix.dirname(commands[0].slice(dir === "" ? 0 : dir.length + 1))}`
        : undefined;
    if (mainPackage === undefined) {
      skipped.push({ dir: dir || ".", reason: "a Go library (no main package)" });
      continue;
    }
    const module = /^module\s+(\S+)/m.exec(snapshot.texts.get(join(dir, "go.mod")) ?? "")?.[1] ?? "";
    const base =
      mainPackage === "."
        ? path.posix.basename(module) || path.posix.basename(dir) || rootName
        : path.posix.basename(mainPackage);
    out.push({
      kind: "go",
      dir,
      name: serviceName(base),
      mainPackage,
      hasGoSum: snapshot.files.has(join(dir, "go.sum")),
      hasDockerfile: snapshot.files.has(join(dir, "Dockerfile")),
    });
  }
}

function detectPython(snapshot: RepoSnapshot, rootName: string, out: DetectedPackage[]): void {
  const dirs = [
    ...new Set([...dirsWith(snapshot, "pyproject.toml"), ...dirsWith(snapshot, "requirements.txt")]),
  ].sort();
  const taken: string[] = [];
  for (const dir of dirs) {
    if (taken.some((t) => t === "" || dir.startsWith(`${t}/`))) continue;
    taken.push(dir);
    const pyproject = readToml(snapshot.texts.get(join(dir, "pyproject.toml")));
    const project = (pyproject.project ?? {}) as { name?: unknown; scripts?: Record<string, unknown> };
    const name = typeof project.name === "string" ? project.name : path.posix.basename(dir) || rootName;
    const installable = "build-system" in pyproject;
    const script = installable ? Object.keys(project.scripts ?? {})[0] : undefined;
    const has = (f: string) => snapshot.files.has(join(dir, f));
    const module = name.replace(/-/g, "_");
    const command = script
      ? [script]
      : has("main.py")
        ? ["python", "main.py"]
        : has("app.py")
          ? ["python", "app.py"]
          : ["python", "-m", module];
    const inside = [...snapshot.files].filter((f) => dir === "" || f.startsWith(`${dir}/`));
    const hasTests = inside.some((f) =>
      /(^|\/)tests?\/|(^|\/)test_[^/]*\.py$/.test(dir === "" ? f : f.slice(dir.length + 1)),
    );
    const mentions = `${snapshot.texts.get(join(dir, "requirements.txt")) ?? ""}\n${snapshot.texts.get(join(dir, "pyproject.toml")) ?? ""}`;
    out.push({
      kind: "python",
      dir,
      name: serviceName(name),
      ...(has("requirements.txt") ? { requirements: "requirements.txt" } : {}),
      installable,
      command,
      ...(hasTests
        ? { tests: /\bpytest\b/.test(mentions) ? ("pytest" as const) : ("unittest" as const) }
        : {}),
      hasDockerfile: has("Dockerfile"),
    });
  }
}

function readToml(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
