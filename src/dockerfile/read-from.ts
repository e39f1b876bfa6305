import type { From } from "dockerfile-ast";
import type { GlobalScope } from "./arg-scope.js";
import { expandWord } from "./expand-word.js";
import type { ReferenceSite, ScanWarning } from "./reference-site.js";
import type { Stage, StageBase } from "./types.js";

/** What reading a FROM line needs: the stages above it, the global ARGs, and where to report. */
export interface FromContext {
  /** Named stages defined above this FROM, by lower-cased name. */
  earlier: ReadonlyMap<string, number>;
  global: GlobalScope;
  escape: string;
  location: Stage["location"];
  warnings: ScanWarning[];
  sites: ReferenceSite[];
}

/**
 * A stage from its FROM line: the name (lower-cased, as BuildKit keeps it), the platform and the base, with
 * global ARGs expanded. An ARG with no value leaves the base unresolved and adds a warning naming it.
 */
export function readFrom(from: From, index: number, context: FromContext): Stage {
  const { earlier, global, escape, location, warnings, sites } = context;
  const asName = from.getBuildStage();
  const rawFrom = from.getImage() ?? "";
  const expansion = expandWord(rawFrom, global.values, escape, global.budget);
  let base: StageBase;
  if (expansion.missing.length > 0) {
    base = { kind: "unresolved", raw: rawFrom, missing: expansion.missing };
    for (const variable of expansion.missing) {
      warnings.push({ message: missingArgMessage(variable, rawFrom, global), location, variable });
    }
  } else if (expansion.value === "") {
    base = { kind: "unresolved", raw: rawFrom, missing: [] };
    warnings.push({ message: `FROM has no image: "${rawFrom}" expands to nothing`, location });
  } else {
    base = resolveFromBase(expansion.value, earlier);
    if (base.kind === "image" && earlier.has(expansion.value.toLowerCase())) {
      warnings.push({
        message: `FROM ${expansion.value} names stage "${expansion.value.toLowerCase()}" in another case; BuildKit matches FROM against stage names exactly and reads this as an image`,
        location,
      });
    }
  }
  sites.push({
    via: "FROM",
    written: rawFrom,
    expansion,
    from: base,
    range: from.getImageRange(),
    stageIndex: index,
  });

  const stage: Stage = {
    name: asName ? asName.toLowerCase() : String(index),
    index,
    named: !!asName,
    base,
    rawFrom,
    sources: [],
    cacheMounts: [],
    steps: 0,
    location,
  };
  const platformFlag = from.getPlatformFlag();
  if (platformFlag) {
    const written = platformFlag.getValue() ?? "";
    const platform = expandWord(written, global.values, escape, global.budget);
    stage.platform = platform.value;
    for (const variable of platform.missing) {
      warnings.push({
        message: missingArgMessage(variable, `--platform=${written}`, global),
        location,
        variable,
      });
    }
  }
  return stage;
}

/** BuildKit's FROM: an earlier stage by exact (already lower-cased) name, then `scratch`, else an image. */
function resolveFromBase(name: string, earlier: ReadonlyMap<string, number>): StageBase {
  if (earlier.has(name)) return { kind: "stage", stage: name };
  if (name === "scratch") return { kind: "scratch" };
  return { kind: "image", ref: name };
}

function missingArgMessage(variable: string, written: string, global: GlobalScope): string {
  if (global.unsetBuildArgs.has(variable) && variable in global.resolved) {
    return `ARG ${variable} has no value in "FROM ${written}": the compose file passes ${variable} from the environment (args: [${variable}]), and the environment does not set it; set ${variable} in the environment or in .env`;
  }
  if (variable in global.resolved) {
    return `ARG ${variable} has no value in "FROM ${written}": give it a default (ARG ${variable}=…) or pass it as a build arg`;
  }
  return `"FROM ${written}" uses ${variable}, which is not declared before the first FROM: add "ARG ${variable}" there (a build arg only reaches a declared ARG)`;
}
