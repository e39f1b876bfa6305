// Compose's variable syntax, as compose-go's template package reads it (template/template.go, v2):
// only `$$`, `$NAME` and `${…}` are interpolation; any other `$` (`$(cmd)`, `$1`, `$@`, `$ `, a trailing
// `$`) is kept as written. Defaults are expanded only when used.

/** Looks a variable up; undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export interface Substitution {
  value: string;
  /** Variables referenced with no default that were not set (Compose warns and uses ""). */
  unset: string[];
  /** Set when the template is invalid, too deep or too long, or a `:?`/`?` variable is missing. */
  error?: string;
  /** The `:?`/`?` variable that was missing, when that is the error. */
  missing?: string;
}

/** Defaults nested deeper than this are refused instead of recursed into. */
export const MAX_NESTING = 100;
/** A value may not expand past this many characters (self-doubling `.env` chains). */
export const MAX_EXPANDED_LENGTH = 1024 * 1024;

class TemplateError extends Error {
  constructor(
    message: string,
    readonly missing?: string,
  ) {
    super(message);
  }
}

const NAME = /[_a-z][_a-z0-9]*/iy;
const OPERATOR = /:?[-+?]/y;

/** `${VAR:-default}` with nested defaults is the contract users write their compose files against. */
export function substitute(template: string, lookup: Lookup): Substitution {
  if (!template.includes("$")) return { value: template, unset: [] };
  const unset: string[] = [];
  try {
    if (nestingDepth(template) > MAX_NESTING) {
      throw new TemplateError(`interpolation nested more than ${MAX_NESTING} levels deep`);
    }
    const value = new Expander(template, lookup, unset).expand(0, template.length, 0);
    return { value, unset };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { value: "", unset, error: error.message, missing: error.missing };
  }
}

/** How deeply `${` nests in the text: an upper bound of the recursion an expansion needs, found in one pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = text.indexOf("$"); i >= 0 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x24 && text.charCodeAt(i + 1) === 0x7b) {
      depth++;
      i++;
      if (depth > max) max = depth;
    } else if (c === 0x7d && depth > 0) depth--;
  }
  return max;
}

/**
 * Expands ranges of one template. compose-go matches `${NAME<op>…}` up to the last `}` on the line, then
 * cuts it at the first balanced `}` and expands what follows as a template of its own; scanning on from
 * that `}` does the same in one pass.
 */
class Expander {
  private prevBrace: Int32Array | undefined;
  private nextNewline: Int32Array | undefined;

  constructor(
    private readonly text: string,
    private readonly lookup: Lookup,
    private readonly unset: string[],
  ) {}

  expand(start: number, end: number, depth: number): string {
    if (depth > MAX_NESTING)
      throw new TemplateError(`interpolation nested more than ${MAX_NESTING} levels deep`);
    const text = this.text;
    let out = "";
    let i = start;
    for (;;) {
      const dollar = text.indexOf("$", i);
      if (dollar < 0 || dollar >= end) return this.grow(out, text.slice(i, end));
      out = this.grow(out, text.slice(i, dollar));
      const next = dollar + 1 < end ? text[dollar + 1] : undefined;
      if (next === "$") {
        out = this.grow(out, "$");
        i = dollar + 2;
        continue;
      }
      if (next === "{") {
        const [value, close] = this.braced(dollar, end, depth);
        out = this.grow(out, value);
        i = close + 1;
        continue;
      }
      const name = this.nameAt(dollar + 1, end);
      if (name === undefined) {
        out = this.grow(out, "$");
        i = dollar + 1;
        continue;
      }
      out = this.grow(out, this.variable(name));
      i = dollar + 1 + name.length;
    }
  }

  /** `${…}` at `dollar`: its value and the index of the `}` that ends it. */
  private braced(dollar: number, end: number, depth: number): [string, number] {
    const text = this.text;
    const name = this.nameAt(dollar + 2, end);
    if (name === undefined) throw this.invalid();
    const afterName = dollar + 2 + name.length;
    if (afterName < end && text[afterName] === "}") return [this.variable(name), afterName];
    OPERATOR.lastIndex = afterName;
    const operator = afterName < end ? OPERATOR.exec(text)?.[0] : undefined;
    if (operator === undefined || afterName + operator.length > end) throw this.invalid();
    const argStart = afterName + operator.length;
    const last = this.lastBraceOnLine(argStart, end);
    if (last < 0) throw this.invalid();
    const first = firstClosingBrace(text, dollar, last);
    const close = first < 0 ? last : first;
    const argument = (): string => this.expand(argStart, close, depth + 1);
    return [this.apply(name, operator, argument), close];
  }

  private apply(name: string, operator: string, argument: () => string): string {
    const value = this.lookup(name);
    switch (operator) {
      case ":-":
        return value === undefined || value === "" ? argument() : value;
      case "-":
        return value === undefined ? argument() : value;
      case ":+":
        return value === undefined || value === "" ? "" : argument();
      case "+":
        return value === undefined ? "" : argument();
      default: {
        if (value !== undefined && (operator === "?" || value !== "")) return value;
        const reason = argument();
        const message = `required variable ${name} is missing a value${reason === "" ? "" : `: ${reason}`}`;
        throw new TemplateError(message, name);
      }
    }
  }

  private nameAt(index: number, end: number): string | undefined {
    NAME.lastIndex = index;
    const name = NAME.exec(this.text)?.[0];
    return name === undefined || index + name.length > end ? undefined : name;
  }

  private variable(name: string): string {
    const value = this.lookup(name);
    if (value !== undefined) return value;
    this.unset.push(name);
    return "";
  }

  /** The last `}` at or after `from`, before `end` and before the end of `from`'s line; -1 when none. */
  private lastBraceOnLine(from: number, end: number): number {
    if (!this.prevBrace || !this.nextNewline) [this.prevBrace, this.nextNewline] = braceTables(this.text);
    const stop = Math.min(end, this.nextNewline[from] ?? end);
    const brace = stop > 0 ? (this.prevBrace[stop - 1] ?? -1) : -1;
    return brace >= from ? brace : -1;
  }

  private grow(out: string, more: string): string {
    if (out.length + more.length > MAX_EXPANDED_LENGTH) {
      throw new TemplateError(`the value expands to more than ${MAX_EXPANDED_LENGTH / 1024 / 1024} MiB`);
    }
    return out + more;
  }

  private invalid(): TemplateError {
    return new TemplateError(`invalid interpolation format ${JSON.stringify(this.text)}`);
  }
}

/**
 * compose-go's `getFirstBraceClosingIndex`: counts every `{` (skipping the character after it) and `}`,
 * from `start` to `last`; the index where the count first returns to zero, or -1.
 */
function firstClosingBrace(text: string, start: number, last: number): number {
  let open = 0;
  for (let i = start; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7d) {
      open--;
      if (open === 0) return i;
    }
    if (c === 0x7b) {
      open++;
      i++;
    }
  }
  return -1;
}

/** For each index: the last `}` at or before it, and the first newline at or after it (or the length). */
function braceTables(text: string): [Int32Array, Int32Array] {
  const prev = new Int32Array(text.length);
  const next = new Int32Array(text.length);
  let brace = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x7d) brace = i;
    prev[i] = brace;
  }
  let newline = text.length;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text.charCodeAt(i) === 0x0a) newline = i;
    next[i] = newline;
  }
  return [prev, next];
}
