import { addComposeServices, type InitService } from "./compose-services.js";
import { goDockerfile } from "./dockerfile-go.js";
import { nodeDockerfile } from "./dockerfile-node.js";
import { pythonDockerfile } from "./dockerfile-python.js";
import type { DetectedPackage, RepoSnapshot, SkippedPackage } from "./types.js";

/** What `init` does to one file. */
export type FileAction =
  /** writes a file that does not exist */
  | "create"
  /** replaces an existing file (only with `--force`) */
  | "overwrite"
  /** adds services to an existing compose file, keeping the rest of it */
  | "update";

export interface PlannedFile {
  /** Relative to the repository's root. */
  path: string;
  action: FileAction;
  content: string;
  /** What it is for, in a few words. */
  note: string;
}

export interface InitPlan {
  files: PlannedFile[];
  skipped: SkippedPackage[];
  /** Services in the compose file that were already there and left alone. */
  keptServices: string[];
}

/** The compose file `init` writes to: the one given or found, with its text when it exists. */
export interface ExistingCompose {
  /** Relative to the root. */
  path: string;
  /** Undefined when the file does not exist yet (a `-f` name that is still free). */
  text?: string;
}

/** What goes into `.dockerignore`: what no build needs and what changes without changing the image. */
export const DOCKERIGNORE = `# Written by \`dockbuild init\`: files no image build needs. Everything else is sent to the engine.
.git
node_modules
**/node_modules
.venv
**/.venv
**/__pycache__
**/*.pyc
**/.env
**/.DS_Store
compose*.yaml
compose*.yml
docker-compose*.yaml
docker-compose*.yml
`;

const join = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

/**
 * Decide every file `init` writes: a Dockerfile per package without one (all of them with `force`), a
 * `.dockerignore` per build context that has none, and the compose file with a service per Dockerfile written.
 * Pure: existing files are known from the snapshot, and none is overwritten without `force`.
 */
export function planInit(
  snapshot: RepoSnapshot,
  detected: { packages: DetectedPackage[]; skipped: SkippedPackage[] },
  compose: ExistingCompose | undefined,
  options: { force: boolean; /** Where the repository is, for the paths in error messages. */ root?: string },
): InitPlan {
  const files: PlannedFile[] = [];
  const skipped = [...detected.skipped];
  const services: InitService[] = [];
  const contexts = new Set<string>();
  const names = new Set<string>();
  for (const pkg of detected.packages) {
    if (pkg.hasDockerfile && !options.force) {
      skipped.push({ dir: pkg.dir || ".", reason: "has a Dockerfile (--force replaces it)" });
      continue;
    }
    const dockerfile = join(pkg.dir, "Dockerfile");
    const context = pkg.kind === "node" ? pkg.workspaceRoot : pkg.dir;
    files.push({
      path: dockerfile,
      action: pkg.hasDockerfile ? "overwrite" : "create",
      content:
        pkg.kind === "node"
          ? nodeDockerfile(pkg)
          : pkg.kind === "go"
            ? goDockerfile(pkg)
            : pythonDockerfile(pkg),
      note: describe(pkg),
    });
    contexts.add(context);
    let name = pkg.name;
    for (let i = 2; names.has(name); i++) name = `${pkg.name}-${i}`;
    names.add(name);
    const inContext = context === "" ? dockerfile : dockerfile.slice(context.length + 1);
    services.push({
      name,
      context: context || ".",
      ...(inContext === "Dockerfile" ? {} : { dockerfile: inContext }),
    });
  }
  for (const context of [...contexts].sort()) {
    const file = join(context, ".dockerignore");
    const exists = snapshot.files.has(file);
    if (exists && !options.force) continue;
    files.push({
      path: file,
      action: exists ? "overwrite" : "create",
      content: DOCKERIGNORE,
      note: "keeps .git and dependency folders out of the build",
    });
  }
  let keptServices: string[] = [];
  if (services.length > 0) {
    const file =
      options.root === undefined || compose === undefined ? compose?.path : `${options.root}/${compose.path}`;
    const existing =
      compose?.text === undefined || file === undefined ? undefined : { file, text: compose.text };
    const { text, added, kept } = addComposeServices(existing, services, options.force);
    keptServices = kept;
    if (added.length > 0) {
      files.push({
        path: compose?.path ?? "compose.yaml",
        action: compose?.text !== undefined ? "update" : "create",
        content: text,
        note: `services ${added.join(", ")} (build.target: production)`,
      });
    }
  }
  return { files, skipped, keptServices };
}

function describe(pkg: DetectedPackage): string {
  if (pkg.kind === "node") {
    const where = pkg.members.length > 0 ? `, workspace at ${pkg.workspaceRoot || "."}` : "";
    return `Node (${pkg.manager.replace("-berry", " 2+")}${where}), service ${pkg.name}`;
  }
  if (pkg.kind === "go") return `Go module, main package ${pkg.mainPackage}, service ${pkg.name}`;
  return `Python (${pkg.requirements ?? "pyproject.toml"}), service ${pkg.name}`;
}
