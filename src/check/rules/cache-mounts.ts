import path from "node:path";
import type { RunMount, Step } from "../dockerfile-model.js";
import type { WordSpan } from "../shell-commands.js";
import {
  afterKeyword,
  editedLines,
  inCode,
  lineOfOffset,
  removeWord,
  touchedLines,
  type TextEdit,
} from "../source-edits.js";
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
        const disabled = noCache !== undefined && install.argv.includes(noCache);
        if (missing.length === 0 && !disabled) continue;
        const folders = missing.map((m) => m.path).join(" and ");
        const message = disabled
          ? `${inCode(install.display)} turns its cache off (${noCache}): every build downloads every package again`
          : `${inCode(install.display)} has no cache mount on ${folders}: every build starts from an empty cache and fetches (or compiles) everything again`;
        findings.push(
          findingAt(view, step.line, "DB002", message, fixFor(view, step, install, scope, before)),
        );
        break;
      }
    }
  }
  return findings;
}

/**
 * The RUN instruction as it should read for this install, every line as written: the cache mounts it lacks put
 * after the keyword, its no-cache flag dropped.
 */
export function runWithCaches(
  view: ServiceView,
  run: RunStep,
  install: InstallCommand,
  more: readonly TextEdit[] = [],
): string[] {
  const stage = view.stages.find((s) => stepsOf(view, s).includes(run));
  const scope = stage ? scopeAt(view, stage, run) : { env: {}, user: "root", home: "/root" };
  const before = stage ? stepsBefore(view, stage, run) : [];
  return editedLines(
    view.model,
    [...cacheEdits(view, run, install, missingCaches(install, run, scope, before)), ...more],
    run,
  );
}

/** The edits of a RUN that make its install use the cache: the mounts it lacks, its no-cache flag removed. */
function cacheEdits(
  view: ServiceView,
  run: RunStep,
  install: InstallCommand,
  missing: readonly { kind: CacheKind; path: string }[],
): TextEdit[] {
  const edits: TextEdit[] = [];
  if (missing.length > 0) edits.push(afterKeyword(view.model, run.line, missing.map(mountFlag)));
  const flag = noCacheSpan(install);
  if (flag) edits.push(removeWord(view.model, flag));
  return edits;
}

function noCacheSpan(install: InstallCommand): WordSpan | undefined {
  const noCache = NO_CACHE_FLAGS[install.manager];
  const at = noCache === undefined ? -1 : install.argv.indexOf(noCache);
  return at < 0 ? undefined : install.spans?.[at];
}

function fixFor(
  view: ServiceView,
  run: RunStep,
  install: InstallCommand,
  scope: StepScope,
  before: Step[],
): string {
  const missing = missingCaches(install, run, scope, before);
  const mounts = missing.map(mountFlag);
  const above: string[] = [];
  const why: string[] = [];
  if (mounts.length > 0 && install.manager === "apt" && !removesDockerClean(before)) {
    above.push("RUN rm -f /etc/apt/apt.conf.d/docker-clean");
    why.push("the line that keeps Debian's docker-clean hook from emptying the cache");
  }
  if (mounts.length > 0 && install.manager === "uv" && scope.env.UV_LINK_MODE === undefined) {
    above.push("ENV UV_LINK_MODE=copy");
    why.push("ENV UV_LINK_MODE=copy, as uv cannot hard-link from a cache mount");
  }
  const noCache = NO_CACHE_FLAGS[install.manager];
  const flag = noCacheSpan(install);
  const flagEdit = flag ? removeWord(view.model, flag) : undefined;
  const flagLine = flag ? lineOfOffset(view.model, flag.start) : undefined;
  // a flag alone on its line (between continuations) goes with its line
  const alone =
    flagEdit !== undefined &&
    flagLine !== run.line &&
    /^\s*\\?\s*$/.test(touchedLines(view.model, [flagEdit])[0] ?? "");
  const steps: string[] = [];
  if (mounts.length > 0) {
    const extra = why.length > 0 ? ` (and, above it, ${why.join("; ")})` : "";
    steps.push(`add \`${mounts.join(" ")}\` after RUN on line ${run.line}${extra}`);
  }
  if (alone) steps.push(`delete line ${flagLine}, which holds only ${noCache}`);
  else if (flag) steps.push(`remove ${noCache} from line ${flagLine}`);
  else if (install.argv.includes(noCache ?? "\0")) steps.push(`remove ${noCache} from the command`);
  const purpose =
    mounts.length > 0
      ? `so that ${install.manager}'s downloads are kept between builds and stay out of the image`
      : "so that the cache mount is used";
  const edits = [
    ...(mounts.length > 0 ? [afterKeyword(view.model, run.line, mounts)] : []),
    ...(flagEdit && !alone ? [flagEdit] : []),
  ];
  const lines = [...above, ...touchedLines(view.model, edits)];
  return [`${steps.join(", ")}, ${purpose}:`, ...lines].join("\n");
}

function removesDockerClean(before: readonly Step[]): boolean {
  return before.some(
    (s) => s.kind === "RUN" && s.commands.some((c) => c.argv.some((a) => a.includes("docker-clean"))),
  );
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
  if (install.manager === "go" && install.argv[1] !== "mod" && modulesInLayer(before)) {
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
