/** The files of a repository that `init` looks at, read once: every path, and the text of the manifests. */
export interface RepoSnapshot {
  /** Every file's path relative to the root, `/`-separated (folders that never hold a package are skipped). */
  files: Set<string>;
  /** The text of the files `init` reads (package.json, go.mod, pyproject.toml, main.go…), by path. */
  texts: Map<string, string>;
}

/** The Node package managers `init` writes Dockerfiles for. */
export type NodeManager =
  /** npm, with `package-lock.json` */
  | "npm"
  /** pnpm (`pnpm-lock.yaml` or `pnpm-workspace.yaml`), through corepack */
  | "pnpm"
  /** Yarn 1 (`yarn.lock`) */
  | "yarn"
  /** Yarn 2 or newer (`yarn.lock` and `.yarnrc.yml`), through corepack */
  | "yarn-berry";

/** A package `init` can write a Dockerfile for. */
export type DetectedPackage =
  | {
      kind: "node";
      /** Folder of the package, relative to the root (`""` for the root). */
      dir: string;
      name: string;
      manager: NodeManager;
      /** Folder of the workspace root (the build context), relative to the root. */
      workspaceRoot: string;
      /** Folders of every workspace package, relative to the workspace root (empty without workspaces). */
      members: string[];
      /** The workspace root's lock file and other files the install reads, relative to the workspace root. */
      rootFiles: string[];
      command: string[];
      hasBuild: boolean;
      hasTest: boolean;
      hasDockerfile: boolean;
    }
  | {
      kind: "go";
      dir: string;
      name: string;
      /** The main package to build, relative to the module (`.` or `./cmd/name`). */
      mainPackage: string;
      hasGoSum: boolean;
      hasDockerfile: boolean;
    }
  | {
      kind: "python";
      dir: string;
      name: string;
      /** `requirements.txt` when there is one; else dependencies are read from pyproject.toml. */
      requirements?: string;
      /** pyproject.toml has a `[build-system]`: the project itself is installed into the venv. */
      installable: boolean;
      command: string[];
      /** pytest or unittest, when the package has tests. */
      tests?: "pytest" | "unittest";
      hasDockerfile: boolean;
    };

/** A package `init` found but writes nothing for, and why. */
export interface SkippedPackage {
  dir: string;
  reason: string;
}
