import type { Copy, Env, Flag, Instruction, Run } from "dockerfile-ast";
import { parseDockerfileAst } from "../dockerfile/parse-ast.js";
import { mountOption, readRunMounts } from "../dockerfile/run-mounts.js";
import { lineStarts, offsetAt } from "../dockerfile/text-position.js";
import { runScript } from "./run-script.js";
import { execFormCommands, parseRunCommands, type ShellCommand } from "./shell-commands.js";

/** A `RUN --mount` as the rules need it (BuildKit's defaults applied: type bind, sharing shared). */
export interface RunMount {
  type: string;
  target: string;
  id?: string;
  sharing: string;
  /** `source=` of a bind mount, or undefined. */
  source?: string;
  /** `from=` of the mount, or undefined for the build context. */
  from?: string;
  /** Where the `--mount=…` flag is written (offsets into the Dockerfile). */
  written?: { start: number; end: number };
}

/** One instruction of a stage, in the shape the rules read; `line` is its first line, `endLine` its last. */
export type Step =
  | { kind: "RUN"; line: number; endLine: number; commands: ShellCommand[]; mounts: RunMount[] }
  | {
      kind: "COPY" | "ADD";
      line: number;
      endLine: number;
      /** Its flags as written (`--chown=node:node`). */
      flags: string[];
      sources: string[];
      dest: string;
      from?: string;
    }
  | { kind: "ENV"; line: number; values: Record<string, string> }
  | { kind: "USER"; line: number; user: string }
  | { kind: "WORKDIR"; line: number; dir: string };

/** One FROM and the instructions under it. */
export interface StageSteps {
  index: number;
  /** 1-based line of the FROM. */
  line: number;
  steps: Step[];
}

/** A Dockerfile as the rules read it: each stage's instructions, and the rules silenced on each line. */
export interface DockerfileModel {
  stages: StageSteps[];
  /** 1-based line → the rule ids or names its `# dockbuild-ignore` comments name (`*`: every rule). */
  ignored: Map<number, Set<string>>;
  /** The Dockerfile as written, and where each of its lines starts: fixes are built from it. */
  text: string;
  lineStarts: number[];
}

const IGNORE = /^dockbuild-ignore(?:\s+(.*))?$/;

/** Read a Dockerfile's instructions once for every rule; pure, never throws. */
export function parseDockerfileModel(text: string): DockerfileModel {
  const dockerfile = parseDockerfileAst(text);
  const source: Source = { text, starts: lineStarts(text), escape: dockerfile.getEscapeCharacter() };
  const stages: StageSteps[] = [];
  const instructionLines: number[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line + 1;
    instructionLines.push(line);
    if (instruction.getKeyword() === "FROM") {
      stages.push({ index: stages.length, line, steps: [] });
      continue;
    }
    const step = readStep(instruction, line, source);
    if (step) stages.at(-1)?.steps.push(step);
  }
  return {
    stages,
    ignored: readIgnores(dockerfile.getComments(), new Set(instructionLines)),
    text,
    lineStarts: source.starts,
  };
}

interface Source {
  text: string;
  starts: number[];
  escape: string;
}

function readStep(instruction: Instruction, line: number, source: Source): Step | undefined {
  const endLine = instruction.getRange().end.line + 1;
  switch (instruction.getKeyword()) {
    case "RUN": {
      const run = instruction as Run;
      const json = jsonWords(run, source);
      const args = run.getArgumentsRange();
      const commands =
        json.length > 0
          ? execFormCommands(json)
          : args
            ? parseRunCommands(
                runScript(
                  source.text,
                  offsetAt(source.starts, args.start),
                  offsetAt(source.starts, run.getRange().end),
                  source.escape,
                ),
                source.text,
              )
            : [];
      return { kind: "RUN", line, endLine, commands, mounts: readMounts(run, source) };
    }
    case "COPY":
    case "ADD": {
      const copy = instruction as Copy;
      if (copy.getHeredocs().length > 0) return undefined;
      const json = jsonWords(copy, source);
      const words = json.length > 0 ? json : copy.getArguments().map((a) => unquote(a.getValue()));
      const from =
        copy
          .getFlags()
          .find((f) => f.getName() === "from")
          ?.getValue() ?? undefined;
      const dest = words.at(-1) ?? "";
      const flags = copy.getFlags().map((f) => {
        const range = flagRange(f, source) ?? { start: 0, end: 0 };
        return source.text.slice(range.start, range.end);
      });
      return {
        kind: copy.getKeyword() as "COPY" | "ADD",
        line,
        endLine,
        flags,
        sources: words.slice(0, -1),
        dest,
        from,
      };
    }
    case "ENV": {
      const values: Record<string, string> = {};
      for (const p of (instruction as Env).getProperties()) values[p.getName()] = p.getValue() ?? "";
      return { kind: "ENV", line, values };
    }
    case "USER":
      return { kind: "USER", line, user: instruction.getArgumentsContent()?.trim() ?? "" };
    case "WORKDIR":
      return { kind: "WORKDIR", line, dir: unquote(instruction.getArgumentsContent()?.trim() ?? "") };
    default:
      return undefined;
  }
}

function readMounts(run: Run, source: Source): RunMount[] {
  const flags = run.getFlags().filter((flag) => flag.getName() === "mount");
  return readRunMounts(run).map((options, i) => ({
    type: (options.get("type")?.value ?? "bind").toLowerCase(),
    target: mountOption(options, "target", "dst", "destination")?.value ?? "",
    id: options.get("id")?.value,
    sharing: (options.get("sharing")?.value ?? "shared").toLowerCase(),
    source: mountOption(options, "source", "src")?.value,
    from: options.get("from")?.value,
    written: flagRange(flags[i], source),
  }));
}

function flagRange(flag: Flag | undefined, source: Source): { start: number; end: number } | undefined {
  if (!flag) return undefined;
  const range = flag.getRange();
  return { start: offsetAt(source.starts, range.start), end: offsetAt(source.starts, range.end) };
}

/**
 * `# dockbuild-ignore RULE…` silences those rules on the next instruction; a block of comments right above an
 * instruction counts as a whole, so an explanation may sit beside the directive.
 */
function readIgnores(
  comments: { getContent(): string; getRange(): { start: { line: number } } }[],
  instructionLines: ReadonlySet<number>,
): Map<number, Set<string>> {
  const ignored = new Map<number, Set<string>>();
  const commentLines = new Set(comments.map((c) => c.getRange().start.line + 1));
  for (const comment of comments) {
    const match = IGNORE.exec(comment.getContent().trim());
    if (!match) continue;
    let line = comment.getRange().start.line + 2;
    while (commentLines.has(line)) line++;
    if (!instructionLines.has(line)) continue;
    const rules = (match[1] ?? "").split(/[\s,]+/).filter((r) => r !== "");
    const set = ignored.get(line) ?? new Set<string>();
    for (const rule of rules.length > 0 ? rules : ["*"]) set.add(rule.toLowerCase());
    ignored.set(line, set);
  }
  return ignored;
}

/**
 * The strings of an exec-form instruction, read from the text: dockerfile-ast's values drop the blanks inside a
 * string (`"pip install x"` reads `pipinstallx`).
 */
function jsonWords(instruction: Run | Copy, source: Source): string[] {
  return instruction.getJSONStrings().map((s) => {
    const range = s.getRange();
    return jsonString(
      source.text.slice(offsetAt(source.starts, range.start), offsetAt(source.starts, range.end)),
    );
  });
}

function jsonString(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? value : raw;
  } catch {
    return raw;
  }
}

function unquote(word: string): string {
  return word.length >= 2 && /^(["']).*\1$/s.test(word) ? word.slice(1, -1) : word;
}
