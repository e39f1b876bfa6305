import path from "node:path";
import { parse as parseYaml } from "yaml";
import { serviceName } from "./service-name.js";
import { dirsWith, join, readJson } from "./repo-files.js";
import type { DetectedPackage, NodeManager, RepoSnapshot, SkippedPackage } from "./types.js";

/** npm's placeholder test script, which only fails. */
const NO_TEST = /no test specified/;

/**
 * Node packages: every package.json with a start script, in its npm/Yarn/pnpm workspace (the workspace root is
 * the build context), with the manager found from the lock files. Workspace roots and libraries are skipped.
 */
export function detectNode(
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
