import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import type { DetectedPackage, NodeManager, RepoSnapshot, SkippedPackage } from "./types.js";

/** npm's placeholder test script, which only fails. */
const NO_TEST = /no test specified/;

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

function dirsWith(snapshot: RepoSnapshot, file: string): string[] {
  return [...snapshot.files]
    .filter((f) => path.posix.basename(f) === file)
    .map((f) => path.posix.dirname(f).replace(/^\.$/, ""))
    .sort();
}

const join = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

function readJson(snapshot: RepoSnapshot, file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(snapshot.texts.get(file) ?? "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function detectNode(
  snapshot: RepoSnapshot,
  rootName: string,
  out: DetectedPackage[],
  skipped: SkippedPackage[],
): void {
  const dirs = dirsWith(snapshot, "package.json");
  const workspaces = new Map<string, string[]>();
  for (const dir of dirs) {
    const globs = workspaceGlobs(snapshot, dir);
    if (globs.length === 0) continue;
    const patterns = globs.map(globToRegExp);
    const members = dirs
      .filter((d) => d !== dir && (dir === "" || d.startsWith(`${dir}/`)))
      .map((d) => (dir === "" ? d : d.slice(dir.length + 1)))
      .filter((d) => patterns.some((p) => p.test(d)));
    workspaces.set(dir, members);
  }
  for (const dir of dirs) {
    const json = readJson(snapshot, join(dir, "package.json"));
    const root = [...workspaces.keys()].find((r) => {
      const relative = r === "" ? dir : dir.startsWith(`${r}/`) ? dir.slice(r.length + 1) : undefined;
      return relative !== undefined && workspaces.get(r)?.includes(relative);
    });
    const workspaceRoot = workspaces.has(dir) ? dir : (root ?? dir);
    const scripts = (typeof json.scripts === "object" && json.scripts !== null ? json.scripts : {}) as Record<
      string,
      unknown
    >;
    const start = typeof scripts.start === "string" ? scripts.start : undefined;
    if (start === undefined) {
      skipped.push({
        dir: dir || ".",
        reason: workspaces.has(dir) ? "a workspace root" : "a library (no start script)",
      });
      continue;
    }
    const manager = nodeManager(snapshot, workspaceRoot, json);
    const nodeFile = /^node\s+([\w./-]+)$/.exec(start.trim())?.[1];
    const rawName =
      typeof json.name === "string"
        ? json.name.replace(/^@[^/]+\//, "")
        : path.posix.basename(dir) || rootName;
    out.push({
      kind: "node",
      dir,
      name: serviceName(rawName),
      manager,
      workspaceRoot,
      members: workspaces.get(workspaceRoot) ?? [],
      rootFiles: nodeRootFiles(snapshot, workspaceRoot, manager),
      command: nodeFile ? ["node", nodeFile] : ["npm", "start"],
      hasBuild: typeof scripts.build === "string",
      hasTest: typeof scripts.test === "string" && !NO_TEST.test(scripts.test),
      hasDockerfile: snapshot.files.has(join(dir, "Dockerfile")),
    });
  }
}

function workspaceGlobs(snapshot: RepoSnapshot, dir: string): string[] {
  const json = readJson(snapshot, join(dir, "package.json"));
  const field = json.workspaces;
  const fromJson = Array.isArray(field)
    ? field
    : typeof field === "object" && field !== null && Array.isArray((field as { packages?: unknown }).packages)
      ? (field as { packages: unknown[] }).packages
      : [];
  let fromPnpm: unknown[] = [];
  const pnpm = snapshot.texts.get(join(dir, "pnpm-workspace.yaml"));
  if (pnpm !== undefined) {
    try {
      const parsed: unknown = parseYaml(pnpm);
      const list = (parsed as { packages?: unknown } | null)?.packages;
      if (Array.isArray(list)) fromPnpm = list;
    } catch {
      // an unreadable pnpm-workspace.yaml declares no workspace
    }
  }
  return [...fromJson, ...fromPnpm].filter((g): g is string => typeof g === "string" && !g.startsWith("!"));
}

/** A workspace glob (`packages/*`, `apps/**`) as a regular expression over folder paths. */
function globToRegExp(glob: string): RegExp {
  const clean = glob.replace(/^\.\//, "").replace(/\/$/, "");
  const source = clean
    .split("/")
    .map((part) =>
      part === "**"
        ? ".*"
        : part
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*")
            .replace(/\?/g, "[^/]"),
    )
    .join("/");
  return new RegExp(`^${source.replace(/\/\.\*$/, "(/.*)?")}$`);
}

function nodeManager(snapshot: RepoSnapshot, root: string, json: Record<string, unknown>): NodeManager {
  const has = (f: string) => snapshot.files.has(join(root, f));
  const declared = typeof json.packageManager === "string" ? json.packageManager : "";
  if (has("pnpm-lock.yaml") || has("pnpm-workspace.yaml") || declared.startsWith("pnpm@")) return "pnpm";
  if (has("yarn.lock") || declared.startsWith("yarn@")) return has(".yarnrc.yml") ? "yarn-berry" : "yarn";
  return "npm";
}

function nodeRootFiles(snapshot: RepoSnapshot, root: string, manager: NodeManager): string[] {
  const candidates: Record<NodeManager, string[]> = {
    npm: ["package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"],
    pnpm: ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc"],
    yarn: ["package.json", "yarn.lock", ".npmrc", ".yarnrc"],
    "yarn-berry": ["package.json", "yarn.lock", ".yarnrc.yml", ".yarn/"],
  };
  return candidates[manager].filter((f) => snapshot.files.has(join(root, f)));
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

/** A Compose service name from a package name: lower case, letters, digits, `-` and `_`. */
export function serviceName(raw: string): string {
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z0-9]+|-+$/g, "");
  return clean === "" ? "app" : clean;
}
