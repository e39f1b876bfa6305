import type { Copy, Run } from "dockerfile-ast";
import type { GlobalScope } from "./arg-scope.js";
import { expandWord } from "./expand-word.js";
import type { ReferenceSite, ScanWarning } from "./reference-site.js";
import { mountOption, readRunMounts } from "./run-mounts.js";
import type { TextRange } from "./text-position.js";
import type { CacheMount, Stage, StageBase } from "./types.js";

const SHARING = new Set(["shared", "private", "locked"]);

/** What reading a stage's COPY and RUN lines needs: every stage, the variables in scope, where to report. */
export interface SourceContext {
  stages: Stage[];
  byName: ReadonlyMap<string, number>;
  stage: Stage;
  global: GlobalScope;
  scope: ReadonlyMap<string, string>;
  escape: string;
  warnings: ScanWarning[];
  sites: ReferenceSite[];
}

/** `COPY --from=X`, if the COPY has one. */
export function readCopyFrom(context: SourceContext, copy: Copy, location: Stage["location"]): void {
  // Not Copy.getFromFlag(): dockerfile-ast 0.7 returns it only when --from is the sole flag.
  const flag = copy.getFlags().find((f) => f.getName() === "from");
  if (flag) readSource(context, "COPY", flag.getValue() ?? "", flag.getValueRange(), location, true);
}

/**
 * A RUN's `--mount` flags: bind and cache mounts `from=` a stage or image are sources; cache mounts are
 * recorded with BuildKit's defaults (id: the target; sharing: shared).
 */
export function readMounts(context: SourceContext, run: Run, location: Stage["location"]): void {
  const mounts = readRunMounts(run);
  const expand = (text: string) =>
    expandWord(text, context.scope, context.escape, context.global.budget).value;
  for (const options of mounts) {
    const type = (options.get("type")?.value ?? "bind").toLowerCase();
    const from = options.get("from");
    if (from && from.value !== "" && (type === "bind" || type === "cache")) {
      readSource(context, "RUN", from.value, from.range, location, false);
    }
    if (type !== "cache") continue;
    const target = expand(mountOption(options, "target", "dst", "destination")?.value ?? "");
    if (target === "")
      context.warnings.push({ message: "cache mount has no target; BuildKit rejects it", location });
    const id = options.get("id");
    const sharing = (options.get("sharing")?.value ?? "shared").toLowerCase();
    if (!SHARING.has(sharing)) {
      context.warnings.push({
        message: `cache mount ${target}: sharing=${sharing} is not shared, private or locked; BuildKit rejects it`,
        location,
      });
    }
    const mount: CacheMount = {
      id: id && id.value !== "" ? expand(id.value) : target,
      target,
      sharing: SHARING.has(sharing) ? (sharing as CacheMount["sharing"]) : "shared",
      stage: context.stage.name,
      location,
    };
    context.stage.cacheMounts.push(mount);
  }
}

/**
 * Resolve `COPY --from=X` or `--mount=…,from=X`: a stage by name (any case), for COPY a stage index, then
 * `scratch`, else an image or named context. BuildKit refuses variables here; they are expanded anyway so the
 * graph sees what was meant, and a warning says BuildKit will not.
 */
function readSource(
  context: SourceContext,
  instruction: "COPY" | "RUN",
  written: string,
  range: TextRange | null,
  location: Stage["location"],
  allowIndex: boolean,
): void {
  const { stage, global, scope, escape, warnings } = context;
  const expansion = expandWord(written, new Map([...global.values, ...scope]), escape, global.budget);
  const flag = instruction === "COPY" ? "COPY --from" : "RUN --mount=…,from";
  if (expansion.used.length > 0) {
    warnings.push({
      message: `${flag}=${written}: BuildKit does not expand variables here and will fail; name the image in a stage ("FROM ${written} AS …") and use that stage`,
      location,
      variable: expansion.used[0],
    });
  }
  const from: StageBase =
    expansion.missing.length > 0
      ? { kind: "unresolved", raw: written, missing: expansion.missing }
      : resolveSourceName(context, expansion.value, allowIndex, `${flag}=${expansion.value}`, location);
  stage.sources.push({ from, raw: expansion.value, instruction, location });
  const quoted = written.length >= 2 && /^(["']).*\1$/s.test(written);
  context.sites.push({
    via: instruction,
    written,
    expansion,
    from,
    range: quoted && range ? shrinkRange(range) : range,
    stageIndex: stage.index,
  });
}

function resolveSourceName(
  context: SourceContext,
  name: string,
  allowIndex: boolean,
  what: string,
  location: Stage["location"],
): StageBase {
  const { stages, byName, warnings } = context;
  let index: number | undefined;
  if (allowIndex && /^\d+$/.test(name)) {
    index = Number(name);
    if (index >= stages.length) {
      warnings.push({ message: `${what}: there is no stage ${name} (stages are counted from 0)`, location });
      return { kind: "unresolved", raw: name, missing: [] };
    }
  } else index = byName.get(name.toLowerCase());
  if (index === undefined) return name === "scratch" ? { kind: "scratch" } : { kind: "image", ref: name };
  // A stage defined after this one is refused by stagesForTarget, for the targets that need this stage.
  const target = stages[index] as Stage;
  return { kind: "stage", stage: target.name };
}

function shrinkRange(range: TextRange): TextRange {
  return {
    start: { line: range.start.line, character: range.start.character + 1 },
    end: { line: range.end.line, character: range.end.character - 1 },
  };
}
