/** What expanding one word gave: the text, and the variables it needed but found unset. */
export interface Expansion {
  value: string;
  /** Variables used where a value is required (`$X`, `${X}`, `${X:?}`) that are unset, in order of use. */
  missing: string[];
  /** Every variable the word refers to, in order of use. */
  used: string[];
}

/** How deep `${X:-${Y:-…}}` may nest in one word; real Dockerfiles stay below three. */
export const MAX_EXPANSION_DEPTH = 64;

/** How many characters all the expansions of one Dockerfile may produce together (values that double add up fast). */
export const MAX_EXPANDED_CHARS = 4 * 1024 * 1024;

/** The characters a whole Dockerfile's expansions may still produce; shared by every word of one analysis. */
export interface ExpansionBudget {
  remaining: number;
}

/** An expansion went past MAX_EXPANSION_DEPTH or the budget; the analysis stops and reports it at `line`. */
export class ExpansionLimitError extends Error {
  /** The 1-based Dockerfile line, once known. */
  line?: number;
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ExpansionLimitError";
  }
}

/** A fresh budget for one Dockerfile. */
export function expansionBudget(): ExpansionBudget {
  return { remaining: MAX_EXPANDED_CHARS };
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expand one Dockerfile word the way BuildKit's shell lexer does (`$X`, `${X}`, `${X:-d}`, `${X-d}`,
 * `${X:+d}`, `${X+d}`, `${X:?e}`; quotes removed; the escape character escapes), so that image references
 * written with ARGs can be matched. Unset variables expand to nothing and are reported in `missing`.
 * Throws ExpansionLimitError past MAX_EXPANSION_DEPTH or when the result would overdraw `budget`.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/shell/lex.go
 */
export function expandWord(
  word: string,
  vars: ReadonlyMap<string, string>,
  escapeChar = "\\",
  budget: ExpansionBudget = expansionBudget(),
): Expansion {
  const lexer = new WordLexer(word, vars, escapeChar, budget);
  const value = lexer.word("");
  budget.remaining -= value.length;
  return { value, missing: unique(lexer.missing), used: unique(lexer.used) };
}

class WordLexer {
  private pos = 0;
  private depth = 0;
  readonly missing: string[] = [];
  readonly used: string[] = [];

  constructor(
    private readonly text: string,
    private readonly vars: ReadonlyMap<string, string>,
    private readonly escape: string,
    private readonly budget: ExpansionBudget,
  ) {}

  /** Read up to `stop` (unescaped, outside quotes) or the end. */
  word(stop: string): string {
    let out = "";
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (stop && ch === stop) return out;
      if (ch === this.escape) {
        this.pos++;
        if (this.pos < this.text.length) out += this.text[this.pos++];
      } else if (ch === "'") {
        out += this.singleQuoted();
      } else if (ch === '"') {
        out += this.doubleQuoted();
      } else if (ch === "$") {
        out += this.variable();
        this.checkLength(out);
      } else {
        out += ch;
        this.pos++;
      }
    }
    return out;
  }

  /** Stop before a value outgrows what is left of the budget (each `$` can add a whole earlier value). */
  private checkLength(out: string): void {
    if (out.length <= this.budget.remaining) return;
    throw new ExpansionLimitError(
      `expanding variables gives more than ${MAX_EXPANDED_CHARS.toLocaleString("en-US")} characters in this Dockerfile`,
      "values built from repeated copies of earlier ones (ARG B=${A}${A}) double each time; shorten them",
    );
  }

  private singleQuoted(): string {
    this.pos++;
    const end = this.text.indexOf("'", this.pos);
    const stopAt = end < 0 ? this.text.length : end;
    const out = this.text.slice(this.pos, stopAt);
    this.pos = stopAt + 1;
    return out;
  }

  private doubleQuoted(): string {
    this.pos++;
    let out = "";
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      const next = this.text[this.pos + 1];
      if (ch === this.escape && (next === '"' || next === "$" || next === this.escape)) {
        out += next;
        this.pos += 2;
      } else if (ch === "$") {
        out += this.variable();
        this.checkLength(out);
      } else {
        out += ch;
        this.pos++;
      }
    }
    return out;
  }

  private variable(): string {
    this.pos++; // the `$`
    const ch = this.text[this.pos];
    if (ch === "{") {
      this.pos++;
      return this.braced();
    }
    if (ch !== undefined && /[0-9]/.test(ch)) {
      // `$1`: BuildKit reads the digits as a (never set) name.
      const start = this.pos;
      while (/[0-9]/.test(this.text[this.pos] ?? "")) this.pos++;
      return this.lookup(this.text.slice(start, this.pos));
    }
    if (ch === undefined || !NAME_START.test(ch)) return "$";
    return this.lookup(this.name());
  }

  private braced(): string {
    if (++this.depth > MAX_EXPANSION_DEPTH) {
      throw new ExpansionLimitError(
        `variables are nested more than ${MAX_EXPANSION_DEPTH} deep (\${X:-\${Y:-…}})`,
        "nest defaults a few levels at most; set the value in an earlier ARG instead",
      );
    }
    try {
      return this.bracedBody();
    } finally {
      this.depth--;
    }
  }

  private bracedBody(): string {
    const name = this.name();
    if (name === "") {
      // `${}` or `${1}`: not a variable BuildKit knows; keep the text as written.
      const rest = this.word("}");
      this.pos++;
      return "${" + rest + "}";
    }
    if (this.text[this.pos] === "}") {
      this.pos++;
      return this.lookup(name);
    }
    const colon = this.text[this.pos] === ":";
    if (colon) this.pos++;
    const modifier = this.text[this.pos] ?? "";
    this.pos++;
    this.used.push(name);
    const value = this.vars.get(name);
    const isSet = colon ? value !== undefined && value !== "" : value !== undefined;
    // The word after the modifier is only expanded (and its variables only needed) when it is used.
    const start = this.pos;
    this.skipWord();
    switch (modifier) {
      case "-":
        return isSet ? (value as string) : this.reread(start);
      case "+":
        return isSet ? this.reread(start) : "";
      case "?":
        if (!isSet) this.missing.push(name);
        return value ?? "";
      default:
        // `${X#p}`, `${X%p}`, `${X/a/b}`: not needed for image references; the plain value is the best guess.
        if (value === undefined) this.missing.push(name);
        return value ?? "";
    }
  }

  /** Move past the rest of `${...}`, its closing brace included. */
  private skipWord(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === this.escape) this.pos += 2;
      else if (ch === "$" && this.text[this.pos + 1] === "{") {
        depth++;
        this.pos += 2;
      } else if (ch === "}") {
        this.pos++;
        if (depth === 0) return;
        depth--;
      } else this.pos++;
    }
  }

  /** Expand the word that starts at `start` and ends at the `}` already skipped past. */
  private reread(start: number): string {
    const end = this.pos;
    this.pos = start;
    const out = this.word("}");
    this.pos = end;
    return out;
  }

  private name(): string {
    const start = this.pos;
    if (!NAME_START.test(this.text[this.pos] ?? "")) return "";
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private lookup(name: string): string {
    this.used.push(name);
    const value = this.vars.get(name);
    if (value === undefined) this.missing.push(name);
    return value ?? "";
  }
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
