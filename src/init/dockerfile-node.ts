import type { DetectedPackage, NodeManager } from "./types.js";

type NodePackage = Extract<DetectedPackage, { kind: "node" }>;

/** How each manager installs, runs a workspace script, and drops dev dependencies; and where its cache is. */
const MANAGERS: Record<
  NodeManager,
  {
    setup: string[];
    cache: string;
    install: string;
    run: (dir: string, script: string) => string;
    prune: string;
  }
> = {
  npm: {
    setup: [],
    cache: "/root/.npm",
    install: "npm ci",
    run: (dir, script) => `npm run ${script} --if-present${dir ? ` --workspace=${dir}` : ""}`,
    prune: "npm prune --omit=dev",
  },
  pnpm: {
    setup: ["ENV PNPM_HOME=/pnpm", "ENV PATH=/pnpm:$PATH", "RUN corepack enable"],
    cache: "/pnpm/store",
    install: "pnpm install --frozen-lockfile",
    run: (dir, script) => `pnpm${dir ? ` --filter ./${dir}` : ""} run --if-present ${script}`,
    prune: "pnpm prune --prod",
  },
  yarn: {
    setup: [],
    cache: "/usr/local/share/.cache/yarn",
    install: "yarn install --frozen-lockfile",
    run: (dir, script) => `yarn --cwd ${dir || "."} run ${script}`,
    prune: "yarn install --production --frozen-lockfile --offline",
  },
  "yarn-berry": {
    setup: ["RUN corepack enable"],
    cache: "/root/.yarn/berry/cache",
    install: "yarn install --immutable",
    run: (dir, script) => `yarn --cwd ${dir || "."} run ${script}`,
    prune: "yarn workspaces focus --all --production",
  },
};

/**
 * A multi-stage Dockerfile for a Node package, built from its workspace root: deps (the manifests only, the
 * manager's cache in a cache mount), builder, test (on request), a pruned copy, and a slim non-root production
 * stage. Base images are build args, so that they can be pinned or replaced without editing the file.
 */
export function nodeDockerfile(pkg: NodePackage): string {
  const m = MANAGERS[pkg.manager];
  const dir = pkg.workspaceRoot === "" ? pkg.dir : pkg.dir.slice(pkg.workspaceRoot.length + 1);
  const mount = `--mount=type=cache,target=${m.cache}`;
  const manifests = pkg.rootFiles.filter((f) => !f.endsWith("/"));
  const folders = pkg.rootFiles.filter((f) => f.endsWith("/"));
  const lines = [
    `# ${pkg.name}: written by \`dockbuild init\`. Build context: the ${pkg.members.length > 0 ? "workspace root" : "package folder"}.`,
    "#   deps        the dependency files only, installed with the package cache in a cache mount",
    "#   builder     the sources, built",
    `#   test        the tests; built only on request (dockbuild ${pkg.name} --stage test)`,
    "#   production  a slim image with the built package and its production dependencies, as a non-root user",
    "ARG NODE_IMAGE=node:22-bookworm",
    "ARG NODE_RUNTIME_IMAGE=node:22-bookworm-slim",
    "",
    "FROM ${NODE_IMAGE} AS deps",
    ...m.setup,
    "WORKDIR /app",
    `COPY ${manifests.join(" ")} ./`,
    ...folders.map((f) => `COPY ${f} ${f}`),
    ...pkg.members.map((member) => `COPY ${member}/package.json ${member}/`),
    `RUN ${mount} ${m.install}`,
    "",
    "FROM deps AS builder",
    "COPY . .",
    ...(pkg.hasBuild ? [`RUN ${m.run(dir, "build")}`] : []),
    "",
    "FROM builder AS test",
    ...(pkg.hasTest || pkg.manager === "npm" || pkg.manager === "pnpm"
      ? [`RUN ${m.run(dir, "test")}`]
      : ["# no test script yet: add one to package.json and run it here", `# RUN ${m.run(dir, "test")}`]),
    "",
    "FROM builder AS pruned",
    // only Yarn's production install reads the cache; npm and pnpm prune what is there
    `RUN ${pkg.manager.startsWith("yarn") ? `${mount} ` : ""}${m.prune}`,
    "",
    "FROM ${NODE_RUNTIME_IMAGE} AS production",
    "ENV NODE_ENV=production",
    "COPY --from=pruned /app /app",
    `WORKDIR ${join("/app", dir)}`,
    "USER 1000:1000",
    `CMD ${JSON.stringify(pkg.command)}`,
    "",
  ];
  return lines.join("\n");
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}
