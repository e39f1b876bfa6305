import type { MappedText } from "./shell-lexer.js";

const CONTINUATION_TAIL = /^[ \t]*\r?\n/;
const SKIPPED_LINE = /^[ \t]*(#[^\n]*)?(\r?\n|$)/;

/**
 * What the shell gets from a shell-form RUN written at `[from, to)` of the Dockerfile, each character mapped
 * back to where it is written: on the instruction's first line, the escape character at a line end joins the
 * next line and the comment and blank lines inside are dropped (as BuildKit's parser does); the here-document
 * bodies that follow are kept as written.
 */
export function runScript(dockerfile: string, from: number, to: number, escape: string): MappedText {
  let text = "";
  const offsets: number[] = [];
  let i = from;
  let firstLine = true;
  while (i < to) {
    const c = dockerfile[i] as string;
    if (firstLine && c === escape) {
      const tail = CONTINUATION_TAIL.exec(dockerfile.slice(i + 1, i + 1 + 256));
      if (tail) {
        i += 1 + tail[0].length;
        for (;;) {
          const skipped = SKIPPED_LINE.exec(dockerfile.slice(i, Math.min(to, i + 4096)));
          if (!skipped || skipped[0] === "" || i >= to) break;
          i += skipped[0].length;
        }
        continue;
      }
    }
    if (c === "\n") firstLine = false;
    text += c;
    offsets.push(i);
    i++;
  }
  offsets.push(i);
  return { text, offsets };
}
