import type { Problem } from "../errors.js";
import { substitute, type Lookup } from "./template.js";

// Compose's dotenv dialect: compose-go dotenv/parser.go.

export interface EnvFile {
  values: Map<string, string>;
  problems: Problem[];
  /** Variables referenced in values that were not set. */
  unset: string[];
}

const KEY = /^[\p{L}\p{N}_.]+$/u;
const HINT =
  "write each line as KEY=value; see https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax";

/**
 * `.env` feeds `${VAR}`; Compose's dialect (`export`, quotes, escapes, `${…}` in values) must be read exactly.
 * `lookup` is consulted before the file's own earlier values, as Compose does (process env first).
 */
export function parseEnvFile(source: string, file: string, lookup: Lookup): EnvFile {
  const values = new Map<string, string>();
  const problems: Problem[] = [];
  const unset: string[] = [];
  const lines = lineStarts(source);
  const problem = (offset: number, message: string): void => {
    problems.push({ location: { file, line: lineOf(lines, offset) }, message, hint: HINT });
  };
  const resolve: Lookup = (name) => lookup(name) ?? values.get(name);
  const expand = (text: string, offset: number): string => {
    const result = substitute(text, resolve);
    unset.push(...result.unset);
    if (result.error !== undefined) problem(offset, result.error);
    return result.value;
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      i = endOfLine(source, i);
      continue;
    }
    const start = i;
    if (/^export[ \t]/.test(source.slice(i, i + 7))) i = skipSpaces(source, i + 6);
    let end = i;
    while (end < source.length && !"=:\n".includes(source[end] as string)) end++;
    const key = source.slice(i, end).replace(/\s+$/, "");
    const bad = key === "" ? undefined : [...key].find((ch) => !KEY.test(ch));
    if (key === "" || bad !== undefined) {
      problem(
        start,
        key === ""
          ? "missing variable name"
          : bad === " " || bad === "\t"
            ? `key cannot contain a space: ${JSON.stringify(key)}`
            : `unexpected character ${JSON.stringify(bad)} in variable name ${JSON.stringify(key)}`,
      );
      i = endOfLine(source, end);
      continue;
    }
    if (end >= source.length || source[end] === "\n") {
      // `KEY` alone: inherit it from the environment when set there.
      const inherited = lookup(key);
      if (inherited !== undefined) values.set(key, inherited);
      i = end;
      continue;
    }
    i = skipSpaces(source, end + 1);
    const quote = source[i];
    if (quote === '"' || quote === "'") {
      let close = i + 1;
      while (close < source.length && (source[close] !== quote || source[close - 1] === "\\")) close++;
      if (close >= source.length) {
        problem(i, `unterminated quoted value for ${key}`);
        i = endOfLine(source, i);
        continue;
      }
      const raw = source.slice(i + 1, close);
      values.set(key, quote === "'" ? raw : expand(unescape(raw), i));
      i = skipSpaces(source, close + 1);
      if (source[i] === "#") i = endOfLine(source, i);
      continue;
    }
    const eol = endOfLine(source, i);
    const raw = source.slice(i, eol);
    const comment = raw.search(/[ \t]#/);
    values.set(key, expand((comment < 0 ? raw : raw.slice(0, comment)).trimEnd(), i));
    i = eol;
  }
  return { values, problems, unset };
}

/** Double-quoted escapes; `\$` becomes `$$` so that interpolation leaves a literal `$`. */
function unescape(raw: string): string {
  return raw.replace(/\\(.)/gs, (match, ch: string) => {
    switch (ch) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "\\":
        return "\\";
      case '"':
        return '"';
      case "$":
        return "$$";
      default:
        return match;
    }
  });
}

function endOfLine(source: string, from: number): number {
  const eol = source.indexOf("\n", from);
  return eol < 0 ? source.length : eol;
}

function skipSpaces(source: string, from: number): number {
  let i = from;
  while (source[i] === " " || source[i] === "\t" || source[i] === "\r") i++;
  return i;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
