import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

/** A JSON syntax error where an editor can jump to it. */
export interface JsonSyntaxError {
  /** What is wrong, in words (`comma expected`), with the line and column. */
  detail: string;
  /** 1-based. */
  line: number;
  column: number;
}

/**
 * Locate the first syntax error of a JSON text that JSON.parse refused. V8's own message gives no position
 * for an unexpected token, so jsonc-parser (strict: no comments, no trailing commas) finds it.
 */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    // jsonc-parser descends recursively: a text nested thousands of levels deep overflows the stack
    if (!(error instanceof RangeError)) throw error;
    return locateByPosition(text);
  }
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split("\n").length;
  const column = first.offset - before.lastIndexOf("\n");
  const words = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return { detail: `${words} at line ${line}, column ${column}`, line, column };
}

/** V8's words and position, for a text nested too deep for jsonc-parser (V8's own parser does not recurse). */
function locateByPosition(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const match = /^(.+?) in JSON at position (\d+)/.exec(error instanceof Error ? error.message : "");
    if (!match) return undefined;
    const [, words = "", position = "0"] = match;
    const before = text.slice(0, Number(position));
    const line = before.split("\n").length;
    const column = Number(position) - before.lastIndexOf("\n");
    const detail = `${words.charAt(0).toLowerCase()}${words.slice(1)} at line ${line}, column ${column}`;
    return { detail, line, column };
  }
}
