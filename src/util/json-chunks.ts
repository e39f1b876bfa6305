/**
 * `JSON.stringify(value, null, 2)` in pieces that join into exactly that text: the members of a top-level
 * object one by one, and the items of its array members one by one, so that printing the plan of 20,000
 * services never holds it as one string of 14 MB (nor the copy that printing it with a newline makes).
 */
export function* jsonChunks(value: unknown): Generator<string> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || "toJSON" in value) {
    yield JSON.stringify(value, null, 2);
    return;
  }
  const members = Object.entries(value).filter(([, member]) => isWritten(member));
  if (members.length === 0) {
    yield "{}";
    return;
  }
  for (const [i, [key, member]] of members.entries()) {
    yield `${i === 0 ? "{" : ","}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(member) && member.length > 0) {
      for (const [j, item] of member.entries()) {
        // JSON writes an item it cannot hold (undefined, a function) as null
        const text = isWritten(item) ? JSON.stringify(item, null, 2) : "null";
        yield `${j === 0 ? "[" : ","}\n    ${indent(text, "    ")}`;
      }
      yield "\n  ]";
    } else yield indent(JSON.stringify(member, null, 2), "  ");
  }
  yield "\n}";
}

/** Whether JSON.stringify writes this member of an object (it leaves out undefined, functions and symbols). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** Nested one level deeper: a JSON text's line breaks are all between tokens (a string holds `\n` escaped). */
function indent(text: string, by: string): string {
  return text.replaceAll("\n", `\n${by}`);
}

/** Write the pieces in runs of about `size` characters, each run with one call. */
export function writeChunks(write: (text: string) => void, chunks: Iterable<string>, size = 1 << 20): void {
  let run = "";
  for (const chunk of chunks) {
    run += chunk;
    if (run.length >= size) {
      write(run);
      run = "";
    }
  }
  if (run.length > 0) write(run);
}
