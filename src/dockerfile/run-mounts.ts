import type { Flag, Instruction } from "dockerfile-ast";
import type { TextRange } from "./text-position.js";

type FlagOption = ReturnType<Flag["getOptions"]>[number];

/** One option of a `--mount` flag, with where its value is in the text (quotes excluded). */
export interface MountOption {
  value: string;
  range: TextRange | null;
}

/** A `RUN --mount=…` flag, its options by lower-cased key (BuildKit's aliases not yet merged). */
export type MountOptions = Map<string, MountOption>;

/**
 * Read every `--mount` flag of a RUN. dockerfile-ast splits the options but keeps the quotes of a quoted flag
 * (`--mount="type=bind,from=x"`) on the first key and the last value; BuildKit drops them before its CSV parse.
 */
export function readRunMounts(run: Instruction & { getFlags(): Flag[] }): MountOptions[] {
  return run
    .getFlags()
    .filter((flag) => flag.getName() === "mount")
    .map((flag) => {
      const quote = quoteOf(flag.getValue());
      const options: MountOptions = new Map();
      for (const option of flag.getOptions()) {
        const key = stripQuote(option.getName(), quote, "start").toLowerCase();
        options.set(key, optionValue(option, quote));
      }
      return options;
    });
}

/** The first option present among BuildKit's aliases (`target`, `dst`, `destination`, say). */
export function mountOption(options: MountOptions, ...keys: string[]): MountOption | undefined {
  for (const key of keys) {
    const option = options.get(key);
    if (option) return option;
  }
  return undefined;
}

/** The value of an option, unquoted, with its range shrunk to match. */
function optionValue(option: FlagOption, quote: string): MountOption {
  const raw = option.getValue() ?? "";
  const range = option.getValueRange();
  const value = stripQuote(raw, quote, "end");
  if (!range || value.length === raw.length) return { value, range };
  return {
    value,
    range: { start: range.start, end: { line: range.end.line, character: range.end.character - 1 } },
  };
}

function quoteOf(value: string | null): string {
  const first = value?.[0];
  return first === '"' || first === "'" ? first : "";
}

function stripQuote(text: string, quote: string, side: "start" | "end"): string {
  if (!quote) return text;
  if (side === "start") return text.startsWith(quote) ? text.slice(1) : text;
  return text.endsWith(quote) ? text.slice(0, -1) : text;
}
