import type { Instruction } from "dockerfile-ast";

/** A range in a Dockerfile as dockerfile-ast reports it: 0-based lines, UTF-16 characters. */
export type TextRange = ReturnType<Instruction["getRange"]>;

/** Where each line starts, split the way dockerfile-ast splits (`\r\n`, `\n` or `\r`), so ranges map to offsets. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\r" && text[i + 1] === "\n") i++;
    if (ch === "\r" || ch === "\n") starts.push(i + 1);
  }
  return starts;
}

/** The offset in the text of a 0-based line and character. */
export function offsetAt(starts: readonly number[], position: TextRange["start"]): number {
  return (starts[position.line] ?? 0) + position.character;
}
