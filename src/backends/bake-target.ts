import type { BuildCommand } from "./command.js";

// A bake target as `docker buildx bake -f -` reads it in JSON (HCL's JSON syntax):
// https://github.com/docker/buildx/blob/v0.10.5/bake/bake.go (Target)

/** The fields of one bake target dockbuild writes; every one is what a `buildx build` flag says. */
export interface BakeTarget {
  context: string;
  dockerfile?: string;
  "dockerfile-inline"?: string;
  target?: string;
  args?: Record<string, string>;
  labels?: Record<string, string>;
  tags?: string[];
  platforms?: string[];
  contexts?: Record<string, string>;
  secret?: string[];
  ssh?: string[];
  "cache-from"?: string[];
  "cache-to"?: string[];
  output?: string[];
  "no-cache"?: boolean;
  pull?: boolean;
}

type ListField = "tags" | "platforms" | "secret" | "ssh" | "cache-from" | "cache-to";
type MapField = "args" | "labels" | "contexts";

/**
 * What each `buildx build` flag dockbuild writes becomes in a bake target. A flag missing here (`--network`,
 * `--add-host`, `--shm-size`, `--ulimit`, `--allow`: bake 0.10 has no field for them) keeps the build out of
 * a batch: it runs on its own, exactly as before.
 */
const FLAGS: Record<
  string,
  | { list: ListField }
  | { map: MapField }
  | { set: "target" | "dockerfile" }
  | { flag: "no-cache" | "pull" | "load" }
> = {
  "-f": { set: "dockerfile" },
  "--target": { set: "target" },
  "--build-arg": { map: "args" },
  "--label": { map: "labels" },
  "--build-context": { map: "contexts" },
  "-t": { list: "tags" },
  "--platform": { list: "platforms" },
  "--secret": { list: "secret" },
  "--ssh": { list: "ssh" },
  "--cache-from": { list: "cache-from" },
  "--cache-to": { list: "cache-to" },
  "--no-cache": { flag: "no-cache" },
  "--pull": { flag: "pull" },
  "--load": { flag: "load" },
};

/**
 * The bake target that builds exactly what `command` (from `buildCommand`, buildx backend) builds; `undefined`
 * when the command says something bake cannot. Read from the command itself, so the two never disagree.
 */
export function bakeTargetOf(command: Pick<BuildCommand, "args" | "stdin">): BakeTarget | undefined {
  const args = [...command.args];
  const start = args.indexOf("build");
  if (start < 0) return undefined;
  const flags = args.slice(start + 1, -1);
  const context = args.at(-1);
  if (context === undefined || context.startsWith("-")) return undefined;
  const target: BakeTarget = { context };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] as string;
    if (flag.startsWith("--progress=")) continue;
    // the builder is the bake's own, as is its invocation
    if (flag === "--builder") {
      i++;
      continue;
    }
    const rule = FLAGS[flag];
    if (rule === undefined) return undefined;
    if ("flag" in rule) {
      if (rule.flag === "load") target.output = ["type=docker"];
      else target[rule.flag] = true;
      continue;
    }
    const value = flags[++i];
    if (value === undefined) return undefined;
    if ("set" in rule) {
      if (rule.set === "dockerfile" && value === "-") {
        if (command.stdin === undefined) return undefined;
        target["dockerfile-inline"] = command.stdin;
      } else target[rule.set] = value;
    } else if ("list" in rule) {
      const values = rule.list === "platforms" ? value.split(",") : [value];
      target[rule.list] = [...(target[rule.list] ?? []), ...values];
    } else {
      const eq = value.indexOf("=");
      if (eq <= 0) return undefined;
      target[rule.map] = { ...target[rule.map], [value.slice(0, eq)]: value.slice(eq + 1) };
    }
  }
  return target;
}

/**
 * The definition `bake -f -` reads: the targets as JSON, every string escaped for HCL's templates (`${` and
 * `%{` would otherwise be interpolated by bake, which a build flag never is).
 */
export function bakeDefinition(targets: ReadonlyMap<string, BakeTarget>): string {
  return JSON.stringify({ target: escapeDeep(Object.fromEntries(targets)) });
}

/** Every string in a JSON value, keys included, escaped with `escapeTemplate`. */
function escapeDeep(value: unknown): unknown {
  if (typeof value === "string") return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), escapeDeep(v)]));
  return value;
}

/** `${` → `$${`, `%{` → `%%{`: HCL's escapes for a literal template sequence. */
export function escapeTemplate(text: string): string {
  // replacer functions: in a replacement string `$$` would mean a single `$`
  return text.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
}
