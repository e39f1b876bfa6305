import { Lexer } from "yaml";

/**
 * A stretch of a YAML text, `[start, end)`, that parses on its own: entries of one block mapping. With
 * `inner`, it is a single entry whose value, a block mapping, is cut in turn: the key line (and comments)
 * up to `inner.start`, then the value's entries in `inner.pieces`.
 */
export interface Piece {
  start: number;
  end: number;
  inner?: { start: number; pieces: Piece[] };
}

// The lexer's markers that stand for no text: document start, flow error end, scalar start.
const DOCUMENT = "\x02";
const FLOW_END = "\x18";
const SCALAR = "\x1f";

/**
 * Where a YAML text may be cut: the start of each line that is outside every flow collection and every
 * multi-line scalar (one lexer token each), or undefined when the text holds more than one document or a
 * directive. The lexer keeps no tree, so this costs little memory whatever the text's size.
 */
export function safeLineStarts(source: string): number[] | undefined {
  const starts: number[] = [0];
  let offset = 0;
  let depth = 0;
  let documents = 0;
  // after a block scalar's header (`|`, `>-`…), the next line starts its body, which is one token
  let blockHeader = false;
  for (const token of new Lexer().lex(source)) {
    if (token === DOCUMENT) {
      if (++documents > 1) return undefined;
      continue;
    }
    if (token === SCALAR) continue;
    if (token === FLOW_END) {
      depth = 0;
      continue;
    }
    const lineStart = offset === 0 || source[offset - 1] === "\n";
    if (lineStart && (token === "---" || token === "..." || token.startsWith("%"))) return undefined;
    if (token === "{" || token === "[") depth++;
    else if ((token === "}" || token === "]") && depth > 0) depth--;
    else if (depth === 0 && (token[0] === "|" || token[0] === ">")) blockHeader = true;
    offset += token.length;
    if (depth === 0 && source[offset - 1] === "\n") {
      if (!blockHeader) starts.push(offset);
      blockHeader = false;
    }
  }
  return starts;
}

/** A line that starts a block mapping entry at exactly `indent` spaces (not a merge key `<<`). */
function isKeyLine(source: string, offset: number, indent: number): boolean {
  for (let i = 0; i < indent; i++) if (source[offset + i] !== " ") return false;
  const first = source[offset + indent];
  return (
    first !== undefined && !" \t\r\n#-?:\uFEFF".includes(first) && !source.startsWith("<<", offset + indent)
  );
}

/** A line with only spaces and maybe a comment. */
function isBlankLine(source: string, offset: number): boolean {
  const end = source.indexOf("\n", offset);
  return /^\s*(#.*)?$/.test(source.slice(offset, end < 0 ? source.length : end));
}

/**
 * `key:` alone on its line (maybe a comment after), at any indent, the key plain or quoted (without escapes):
 * the value is the block below it.
 */
const BARE_KEY = /^ *(?:[A-Za-z0-9_.-]+|"[^"\\\n]*"|'[^'\n]*'):[ \t]*(#.*)?\r?\n/;

/** The number of spaces a line starts with. */
function indentOf(source: string, offset: number): number {
  let i = offset;
  while (source[i] === " ") i++;
  return i - offset;
}

/**
 * Cuts a single-document YAML text whose root is a block mapping into pieces of its entries, at least
 * `pieceChars` long, and cuts a larger entry whose value is a block mapping (`services:`, one huge service,
 * its `args:`) in turn, so that each piece can be parsed on its own and its syntax tree dropped before the
 * next: a large file never has its whole syntax tree in memory at once. Undefined when the text has no such
 * shape (it is then parsed whole).
 */
export function splitDocument(source: string, pieceChars: number): Piece[] | undefined {
  const starts = safeLineStarts(source);
  if (!starts) return undefined;
  const lines = starts.filter((offset) => !isBlankLine(source, offset));
  const pieces = splitEntries({ source, lines, pieceChars }, 0, source.length, 0, 0);
  return pieces && (pieces.length > 1 || pieces[0]?.inner) ? pieces : undefined;
}

/** What every step of the cutting reads: the text, its non-blank cuttable lines in order, the piece size. */
interface Text {
  source: string;
  lines: readonly number[];
  pieceChars: number;
}

/** Mappings nested deeper than this are not cut further: their piece is parsed whole. */
const MAX_CUT_DEPTH = 32;

/** The index of the first of the sorted `offsets` at or after `offset`. */
function firstAtOrAfter(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((offsets[middle] as number) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The entries at `indent` in `[start, end)` (which begins with comments or an entry), cut into pieces; a
 * large entry with a block mapping value is cut again. Undefined when the range is not a plain run of
 * entries: a line indented less (it ends the mapping, or is an error), a merge key (it merges into the
 * whole mapping), or no entry at all.
 */
function splitEntries(
  text: Text,
  start: number,
  end: number,
  indent: number,
  depth: number,
): Piece[] | undefined {
  const { source, pieceChars } = text;
  const lines = text.lines.slice(firstAtOrAfter(text.lines, start), firstAtOrAfter(text.lines, end));
  if (lines.some((offset) => indentOf(source, offset) < indent)) return undefined;
  if (lines.some((offset) => indentOf(source, offset) === indent && source.startsWith("<<", offset + indent)))
    return undefined;
  const keys = lines.filter((offset) => isKeyLine(source, offset, indent));
  if (keys.length === 0 || keys[0] !== lines[0]) return undefined;
  // the first entry takes the comments before it
  const cuts = [start, ...keys.slice(1)];
  const pieces: Piece[] = [];
  let group: Piece | undefined;
  for (const [i, from] of cuts.entries()) {
    const to = cuts[i + 1] ?? end;
    const inner =
      to - from > pieceChars && depth < MAX_CUT_DEPTH ? splitValue(text, from, to, indent, depth) : undefined;
    if (inner) {
      if (group) pieces.push(group);
      group = undefined;
      pieces.push({ start: from, end: to, inner });
    } else if (group && group.end - group.start < pieceChars) group.end = to;
    else {
      if (group) pieces.push(group);
      group = { start: from, end: to };
    }
  }
  if (group) pieces.push(group);
  return pieces;
}

/** The value of the entry `[start, end)` cut into pieces, when it is a block mapping written below its key. */
function splitValue(text: Text, start: number, end: number, indent: number, depth: number): Piece["inner"] {
  const { source, lines } = text;
  const at = firstAtOrAfter(lines, start);
  const keyLine = lines[at];
  const first = lines[at + 1];
  if (keyLine === undefined || first === undefined || first >= end) return undefined;
  if (!BARE_KEY.test(source.slice(keyLine, keyLine + 300))) return undefined;
  const inner = indentOf(source, first);
  if (inner <= indent) return undefined;
  const pieces = splitEntries(text, first, end, inner, depth + 1);
  return pieces && { start: first, pieces };
}
