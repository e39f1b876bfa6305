import path from "node:path";
import { cacheMountSafety } from "../../dockerfile/index.js";
import type { RunMount, Step } from "../dockerfile-model.js";
import { CACHES, type CacheKind } from "../cache-folders.js";
import { matchInstall, optionValue, type InstallCommand, type InstallContext } from "../package-managers.js";
import {
  findingAt,
  scopeAt,
  stepsBefore,
  stepsOf,
  type ServiceView,
  type StepScope,
} from "../service-view.js";
import type { RuleFinding } from "../types.js";

type RunStep = Extract<Step, { kind: "RUN" }>;

/** Flags with which a command names its cache folder itself. */
const CACHE_FLAGS: Partial<Record<CacheKind, [string, string]>> = {
  npm: ["--cache", "--cache"],
  pnpm: ["--store-dir", "--store-dir"],
  yarn: ["--cache-folder", "--cache-folder"],
  pip: ["--cache-dir", "--cache-dir"],
  uv: ["--cache-dir", "--cache-dir"],
};

/** Flags that make a manager ignore its cache, so that a cache mount cannot help. */
const NO_CACHE_FLAGS: Partial<Record<InstallCommand["manager"], string>> = {
  pip: "--no-cache-dir",
  apk: "--no-cache",
};

/** What the context says about the Node tooling (Yarn 2+ keeps its cache elsewhere). */
export function installContext(view: ServiceView): InstallContext {
  return { yarnBerry: view.context?.entries.has(".yarnrc.yml") === true };
}

/**
 * DB002: a command that downloads packages with no `RUN --mount=type=cache` on its manager's cache folder (or
 * with a flag that turns the cache off): every build downloads everything again, and without the mount the
 * downloads are left in the layer. The folder follows the variables (`PIP_CACHE_DIR`, `GOPATH`…) and the user.
 */
export function installWithoutCacheMount(view: ServiceView): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const context = installContext(view);
  for (const stage of view.stages) {
    for (const step of stepsOf(view, stage)) {
      if (step.kind !== "RUN") continue;
      const scope = scopeAt(view, stage, step);
      const before = stepsBefore(view, stage, step);
      for (const install of step.commands.flatMap((c) => matchInstall(c, context) ?? [])) {
        const missing = missingCaches(install, step, scope, before);
        const noCache = NO_CACHE_FLAGS[install.manager];
        const disabled = noCache !== undefined && install.display.split(" ").includes(noCache);
        if (missing.length === 0 && !disabled) continue;
        const folders = missing.map((m) => m.path).join(" and ");
        const message = disabled
          ? `\`${install.display}\` turns its cache off (${noCache}): every build downloads every package again`
          : `\`${install.display}\` has no cache mount on ${folders}: every build starts from an empty cache and fetches (or compiles) everything again`;
        findings.push(
          findingAt(view, step.line, "DB002", message, fixFor(view, step, install, scope, before)),
        );
        break;
      }
    }
  }
  return findings;
}

/** DB010: a cache mount on a folder its package manager locks, shared by every build at once (no `sharing=locked`). */
export function sharedLockedCacheMount(view: ServiceView): RuleFinding[] {
  return view.node.cacheMounts.flatMap((mount) => {
    const problem = cacheMountSafety(mount);
    if (!problem || mount.location.line === undefined) return [];
    const fix = `--mount=type=cache,target=${mount.target}${mount.id !== mount.target ? `,id=${mount.id}` : ""},sharing=locked`;
    return [findingAt(view, mount.location.line, "DB010", problem.split(". Hint:")[0] ?? problem, fix)];
  });
}

/** The RUN line as it should read for this install: the cache mounts it lacks added, its no-cache flag dropped. */
export function runLineWithCaches(view: ServiceView, run: RunStep, install: InstallCommand): string {
  const stage = view.stages.find((s) => stepsOf(view, s).includes(run));
  const scope = stage ? scopeAt(view, stage, run) : { env: {}, user: "root", home: "/root" };
  const before = stage ? stepsBefore(view, stage, run) : [];
  const mounts = missingCaches(install, run, scope, before).map(mountFlag);
  const noCache = NO_CACHE_FLAGS[install.manager];
  const command = install.display
    .split(" ")
    .filter((w) => w !== noCache)
    .join(" ");
  return ["RUN", ...mounts, command].join(" ");
}

function fixFor(
  view: ServiceView,
  run: RunStep,
  install: InstallCommand,
  scope: StepScope,
  before: Step[],
): string {
  const lines: string[] = [];
  if (install.manager === "apt") {
    lines.push(
      "RUN rm -f /etc/apt/apt.conf.d/docker-clean   # Debian images delete downloaded packages after each install",
    );
  }
  if (install.manager === "uv" && scope.env.UV_LINK_MODE === undefined) lines.push("ENV UV_LINK_MODE=copy");
  lines.push(runLineWithCaches(view, run, install));
  const missing = missingCaches(install, run, scope, before);
  const intro =
    missing.length > 0
      ? `mount ${install.manager}'s cache so that downloads are kept between builds and stay out of the image:`
      : "drop the flag, so that the cache mount is used:";
  return `${intro}\n${lines.join("\n")}`;
}

/** The caches a command downloads into that no cache mount of its RUN covers, with the folder each is in. */
function missingCaches(
  install: InstallCommand,
  run: RunStep,
  scope: StepScope,
  before: Step[],
): { kind: CacheKind; path: string; moved: boolean }[] {
  const env = { ...scope.env, ...install.env };
  let kinds = install.caches;
  // `go build` after a `go mod download` whose modules went into the layer finds them there.
  if (install.manager === "go" && install.display.startsWith("go mod") === false && modulesInLayer(before)) {
    kinds = kinds.filter((k) => k !== "go-mod");
  }
  return kinds
    .map((kind) => {
      const flag = CACHE_FLAGS[kind];
      const fromFlag = flag ? optionValue(install.argv, flag[0], flag[1]) : undefined;
      const folder = normalize(fromFlag ?? CACHES[kind].path(env, scope.home));
      // a folder moved by a flag or a variable is known exactly: only a mount there keeps it
      const moved = fromFlag !== undefined || folder !== normalize(CACHES[kind].path({}, scope.home));
      return { kind, path: folder, moved };
    })
    .filter(({ kind, path: folder, moved }) => !run.mounts.some((m) => covers(m, kind, folder, moved)));
}

function modulesInLayer(before: Step[]): boolean {
  return before.some(
    (s) =>
      s.kind === "RUN" &&
      s.commands.some((c) => c.argv[0] === "go" && c.argv[1] === "mod" && c.argv[2] === "download") &&
      !s.mounts.some((m) => m.type === "cache" && covers(m, "go-mod", "/go/pkg/mod", false)),
  );
}

/**
 * Whether a mount keeps this cache: its target is the folder, above it or inside it, or (for a cache in its
 * default place, where the image may have set a variable the Dockerfile does not show) names the cache.
 */
function covers(mount: RunMount, kind: CacheKind, folder: string, moved: boolean): boolean {
  if (mount.type !== "cache") return false;
  const target = normalize(mount.target);
  if (target === "/" || target === "") return false;
  if (target === folder || folder.startsWith(`${target}/`) || target.startsWith(`${folder}/`)) return true;
  return !moved && CACHES[kind].markers.some((marker) => `${target}/`.includes(`${marker}/`));
}

function mountFlag({ kind, path: folder }: { kind: CacheKind; path: string }): string {
  return `--mount=type=cache,target=${folder}${CACHES[kind].locked ? ",sharing=locked" : ""}`;
}

function normalize(folder: string): string {
  const clean = path.posix.normalize(folder);
  return clean.length > 1 ? clean.replace(/\/$/, "") : clean;
}
