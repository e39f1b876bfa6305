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
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
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
