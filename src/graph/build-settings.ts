import type { BuildSpec } from "../compose/types.js";

/** The settings of a build besides its sources (context, Dockerfile, named contexts), with every arg resolved. */
export type BuildSettings = ReadonlySettings<
  Pick<
    BuildSpec,
    | "target"
    | "labels"
    | "platforms"
    | "secrets"
    | "ssh"
    | "network"
    | "extraHosts"
    | "shmSize"
    | "ulimits"
    | "privileged"
    | "entitlements"
    | "noCache"
    | "pull"
    | "cacheFrom"
    | "cacheTo"
  >
> & { args: Readonly<Record<string, string>> };

/** Settings as a planned job holds them: read, never written (its lists are readonly). */
type ReadonlySettings<T> = { readonly [K in keyof T]: T[K] extends (infer U)[] ? readonly U[] : T[K] };

/** How one setting takes part in deciding which builds are the same and when an image is out of date. */
export type SettingRole =
  /** what the image holds depends on it: in the identical-build key and in the input hash */
  | "content"
  /** how the build runs, not what it produces: in the identical-build key (merging would drop it), not in the hash */
  | "run";

/**
 * Every build setting and its role: the one list that both the identical-build key (graph) and the input hash
 * (inputs) read, so that a setting cannot count in one and be forgotten in the other. Typed against
 * `BuildSettings`, so a new setting cannot be left out.
 */
export const BUILD_SETTINGS: { readonly [K in keyof BuildSettings]-?: SettingRole } = {
  target: "content",
  args: "content",
  platforms: "content",
  labels: "content",
  secrets: "content",
  ssh: "content",
  network: "content",
  extraHosts: "content",
  shmSize: "content",
  ulimits: "content",
  privileged: "content",
  entitlements: "content",
  noCache: "run",
  pull: "run",
  cacheFrom: "run",
  cacheTo: "run",
};

/** What the settings are compared for: builds of one run on one machine, or an input hash shared between machines. */
export type SettingsUse = "identity" | "hash";

/**
 * The settings in one canonical form (arrays whose order does not matter sorted, records as sorted pairs).
 * For `hash`, only `content` settings, and a secret only by id: where its value comes from differs between
 * machines (a file path, a variable name) and its value never enters.
 */
export function canonicalSettings(settings: BuildSettings, use: SettingsUse): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, role] of Object.entries(BUILD_SETTINGS) as [keyof BuildSettings, SettingRole][]) {
    if (use === "hash" && role !== "content") continue;
    out[name] = canonical(name, settings, use);
  }
  return out;
}

function canonical(name: keyof BuildSettings, s: BuildSettings, use: SettingsUse): unknown {
  switch (name) {
    case "secrets":
      return s.secrets
        .map((x) => (use === "hash" ? x.id : `${x.id}=${x.file ?? ""}|${x.environment ?? ""}`))
        .sort();
    case "platforms":
    case "ssh":
    case "entitlements":
      return [...s[name]].sort();
    case "args":
    case "labels":
    case "ulimits":
      return sortedPairs(s[name]);
    default:
      return s[name] ?? null;
  }
}

function sortedPairs(record: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
