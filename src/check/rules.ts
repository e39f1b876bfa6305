import { copyAllUnignored } from "./rules/copy-all-unignored.js";
import { installWithoutCacheMount } from "./rules/cache-mounts.js";
import { deprecatedFlags } from "./rules/deprecated-flags.js";
import { sharedLockedCacheMount } from "./rules/shared-locked-cache.js";
import { sourcesBeforeInstall } from "./rules/sources-before-install.js";
import { stageByIndex } from "./rules/stage-by-index.js";
import { testsInProduction } from "./rules/tests-in-production.js";
import { toolchainShips } from "./rules/toolchain-ships.js";
import { unpinnedImage } from "./rules/unpinned-image.js";
import type { ServiceView } from "./service-view.js";
import type { RuleFinding, RuleId, RuleInfo } from "./types.js";

/** Every rule: id, name, default severity and one line of what it finds (docs/check.md has the rest). */
export const RULES: readonly RuleInfo[] = [
  {
    id: "DB001",
    name: "sources-before-install",
    severity: "error",
    summary: "A dependency install comes after a copy of the sources, so every source change re-runs it.",
  },
  {
    id: "DB002",
    name: "install-without-cache-mount",
    severity: "warning",
    summary: "A package install has no cache mount on its package manager's cache folder.",
  },
  {
    id: "DB003",
    name: "toolchain-ships",
    severity: "error",
    summary:
      "The final image carries the build toolchain (compiler image, or built FROM the compiling stage).",
  },
  {
    id: "DB004",
    name: "tests-in-production",
    severity: "warning",
    summary: "The production target's stages run tests or linters, so every production build runs them.",
  },
  {
    id: "DB005",
    name: "stage-by-index",
    severity: "warning",
    summary: "COPY --from names a stage by its position instead of its name.",
  },
  {
    id: "DB006",
    name: "copy-all-unignored",
    severity: "error",
    summary: "COPY . . while .git, node_modules, .venv or __pycache__ are not excluded by a .dockerignore.",
  },
  {
    id: "DB007",
    name: "deprecated-flag",
    severity: "warning",
    summary: "A package-manager flag that is deprecated or removed (npm ci --only=production…).",
  },
  {
    id: "DB008",
    name: "unpinned-base-image",
    severity: "warning",
    summary: "An external image with no tag or with latest, and no digest.",
  },
  {
    id: "DB009",
    name: "final-image-size",
    severity: "error",
    summary: "check --sizes: a final image above half its builder stage, or above the size the config sets.",
  },
  {
    id: "DB010",
    name: "shared-locked-cache",
    severity: "warning",
    summary: "A cache mount on a folder its package manager locks (apt, apk…) without sharing=locked.",
  },
];

/** The rules that read only the Dockerfiles and contexts (DB009 needs the engine: see image-size.ts). */
export const STATIC_RULES: readonly ((view: ServiceView) => RuleFinding[])[] = [
  sourcesBeforeInstall,
  installWithoutCacheMount,
  toolchainShips,
  testsInProduction,
  stageByIndex,
  copyAllUnignored,
  deprecatedFlags,
  unpinnedImage,
  sharedLockedCacheMount,
];

/** A rule by its id or name, in any case; undefined when there is no such rule. */
export function findRule(idOrName: string): RuleInfo | undefined {
  const wanted = idOrName.toLowerCase();
  return RULES.find((r) => r.id.toLowerCase() === wanted || r.name === wanted);
}

/** The rule table entry for an id. */
export function ruleInfo(id: RuleId): RuleInfo {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}
