// Compose's variable syntax: https://github.com/compose-spec/compose-spec/blob/v2.6.0/12-interpolation.md
// (compose-go template/template.go). Defaults are expanded only when used.

/** Looks a variable up; undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export interface Substitution {
  value: string;
  /** Variables referenced with no default that were not set (Compose warns and uses ""). */
  unset: string[];
  /** Set when the template is invalid or a `:?`/`?` variable is missing. */
  error?: string;
  /** The `:?`/`?` variable that was missing, when that is the error. */
  missing?: string;
}

class TemplateError extends Error {
  constructor(
    message: string,
    readonly missing?: string,
  ) {
    super(message);
  }
}

const NAME = /[_a-z][_a-z0-9]*/iy;
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;

/** `${VAR:-default}` with nested defaults is the contract users write their compose files against. */
export function substitute(template: string, lookup: Lookup): Substitution {
  if (!template.includes("$")) return { value: template, unset: [] };
  const unset: string[] = [];
  try {
    return { value: expand(template, template, lookup, unset), unset };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { value: "", unset, error: error.message, missing: error.missing };
  }
}

function expand(text: string, whole: string, lookup: Lookup, unset: string[]): string {
  let out = "";
  let i = 0;
  for (;;) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const close = closingBrace(text, dollar);
      if (close < 0) throw invalid(whole);
      out += expandBraced(text.slice(dollar + 2, close), whole, lookup, unset);
      i = close + 1;
    } else {
      NAME.lastIndex = dollar + 1;
      const name = NAME.exec(text)?.[0];
      if (name === undefined) throw invalid(whole);
      out += lookupOrWarn(name, lookup, unset);
      i = dollar + 1 + name.length;
    }
  }
}

function expandBraced(body: string, whole: string, lookup: Lookup, unset: string[]): string {
  NAME.lastIndex = 0;
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw invalid(whole);
  const rest = body.slice(name.length);
  if (rest === "") return lookupOrWarn(name, lookup, unset);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) throw invalid(whole);
  const argument = rest.slice(operator.length);
  const value = lookup(name);
  const arg = (): string => expand(argument, whole, lookup, unset);
  switch (operator) {
    case ":-":
      return value === undefined || value === "" ? arg() : value;
    case "-":
      return value === undefined ? arg() : value;
    case ":+":
      return value === undefined || value === "" ? "" : arg();
    case "+":
      return value === undefined ? "" : arg();
    case ":?":
    case "?":
      if (value === undefined || (operator === ":?" && value === "")) {
        const reason = arg();
        const message = `required variable ${name} is missing a value${reason === "" ? "" : `: ${reason}`}`;
        throw new TemplateError(message, name);
      }
      return value;
  }
}

/** Index of the `}` closing the `${` at `start`, counting nested `${…}`; -1 when unclosed. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "}") {
      depth--;
      if (depth === 0) return i;
    } else if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    }
  }
  return -1;
}

function lookupOrWarn(name: string, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  if (value !== undefined) return value;
  unset.push(name);
  return "";
}

function invalid(template: string): TemplateError {
  return new TemplateError(`invalid interpolation format ${JSON.stringify(template)}`);
}
