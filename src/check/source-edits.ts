import type { DockerfileModel } from "./dockerfile-model.js";
import { writtenText, type WordSpan } from "./shell-commands.js";

/** A change to the Dockerfile's text: `[start, end)` replaced by `text` (offsets into `model.text`). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** The 1-based lines `first` to `last` of the Dockerfile, as written. */
export function linesOf(model: DockerfileModel, first: number, last = first): string[] {
  const lines: string[] = [];
  for (let n = first; n <= last; n++) lines.push(lineText(model, n));
  return lines;
}

/** The 1-based line an offset is on. */
export function lineOfOffset(model: DockerfileModel, offset: number): number {
  let low = 0;
  let high = model.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((model.lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** An edit that puts flags right after the instruction keyword on a line (`RUN --mount=… rest`). */
export function afterKeyword(model: DockerfileModel, line: number, flags: string[]): TextEdit {
  const start = model.lineStarts[line - 1] ?? 0;
  const keyword = /^[ \t]*\S+/.exec(lineText(model, line))?.[0].length ?? 0;
  return { start: start + keyword, end: start + keyword, text: ` ${flags.join(" ")}` };
}

/** An edit that removes a word and the blank before it. */
export function removeWord(model: DockerfileModel, span: WordSpan): TextEdit {
  const blank = /[ \t]/.test(model.text[span.start - 1] ?? "") ? 1 : 0;
  return { start: span.start - blank, end: span.end, text: "" };
}

/**
 * The lines the edits touch (and the lines `within`, when given: a whole instruction), each as it reads with the
 * edits applied, in order.
 */
export function editedLines(
  model: DockerfileModel,
  edits: readonly TextEdit[],
  within?: { line: number; endLine: number },
): string[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const first = Math.min(within?.line ?? Infinity, ...sorted.map((e) => lineOfOffset(model, e.start)));
  const last = Math.max(within?.endLine ?? 0, ...sorted.map((e) => lineOfOffset(model, e.end)));
  const from = model.lineStarts[first - 1] ?? 0;
  const to = (model.lineStarts[last - 1] ?? 0) + lineText(model, last).length;
  let text = "";
  let at = from;
  for (const edit of sorted) {
    text += model.text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  text += model.text.slice(at, to);
  return text.split(/\r?\n|\r/);
}

/** Each line an edit touches, as it reads with its edits applied, in order (lines between are left out). */
export function touchedLines(model: DockerfileModel, edits: readonly TextEdit[]): string[] {
  const byLine = new Map<number, TextEdit[]>();
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const line = lineOfOffset(model, edit.start);
    byLine.set(line, [...(byLine.get(line) ?? []), edit]);
  }
  return [...byLine.values()].flatMap((group) => editedLines(model, group));
}

/** An instruction's text, its lines joined as BuildKit joins them, shortened with "…" when long. */
export function instructionText(model: DockerfileModel, line: number, endLine = line): string {
  const start = model.lineStarts[line - 1] ?? 0;
  const end = (model.lineStarts[endLine - 1] ?? 0) + lineText(model, endLine).length;
  return writtenText(model.text, start, end).trim();
}

function lineText(model: DockerfileModel, line: number): string {
  const start = model.lineStarts[line - 1] ?? model.text.length;
  const next = model.lineStarts[line] ?? model.text.length + 1;
  return model.text.slice(start, next - 1).replace(/\r$/, "");
}

/** Text quoted as code in a message: in backquotes, doubled (`` a `b` ``) when the text holds one. */
export function inCode(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}
