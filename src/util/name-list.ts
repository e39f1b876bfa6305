/**
 * Names as one phrase, quoted, at most `max` of them: `"a"`, `"a" and "b"`, `"a", "b" and "c"`,
 * `"a", "b", "c", "d" and 7 more`: a cause shared by many services is said once, naming them.
 */
export function nameList(names: readonly string[], max = 4): string {
  const quoted = names.slice(0, max).map((name) => `"${name}"`);
  const rest = names.length - quoted.length;
  if (rest > 0) return `${quoted.join(", ")} and ${rest} more`;
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}
