import { Lexer } from "yaml";

/** A stretch of a YAML text, `[start, end)`, that parses on its own. */
export interface Piece {
  start: number;
  end: number;
}

/** A top-level entry of a document, and when it is large, its own entries cut into groups. */
export interface TopPiece extends Piece {
  /** Where the value's entries start (after the key line and any comments). */
  innerStart?: number;
  /** Groups of the value's entries, each at least `pieceChars` long but the last. */
  inner?: Piece[];
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

/** `key:` alone on its line (maybe a comment after): the value is the block below it. */
const BARE_KEY = /^[A-Za-z0-9_.-]+:[ \t]*(#.*)?\r?\n/;

/**
 * Cuts a single-document YAML text whose root is a block mapping into its top-level entries, and each large
 * entry whose value is a block mapping (`services:` above all) into groups of that mapping's entries, so that
 * each piece can be parsed on its own and its parse tree dropped before the next: a large file never has its
 * whole syntax tree in memory at once. Undefined when the text has no such shape (it is then parsed whole).
 */
export function splitDocument(source: string, pieceChars: number): TopPiece[] | undefined {
  const starts = safeLineStarts(source);
  if (!starts) return undefined;
  const topStarts = starts.filter((offset) => isKeyLine(source, offset, 0));
  if (topStarts.length === 0) return undefined;
  // the first piece takes what comes before the first key (comments): the text starts with it
  const cuts = [0, ...topStarts.slice(1)];
  if (!isKeyLine(source, topStarts[0] as number, 0)) return undefined;
  const pieces: TopPiece[] = cuts.map((start, i) => ({ start, end: cuts[i + 1] ?? source.length }));
  for (const piece of pieces) {
    if (piece.end - piece.start <= pieceChars) continue;
    const keyLine = topStarts.find((offset) => offset >= piece.start) as number;
    if (!BARE_KEY.test(source.slice(keyLine, keyLine + 200))) continue;
    const lines = starts.filter((offset) => offset > keyLine && offset < piece.end);
    const first = lines.find((offset) => !isBlankLine(source, offset));
    if (first === undefined) continue;
    const indent = /^ */.exec(source.slice(first, first + 200))?.[0].length ?? 0;
    if (indent === 0 || !isKeyLine(source, first, indent)) continue;
    // A line indented less than the entries ends the mapping (or is an error), and a merge key among the
    // entries merges into the whole mapping: such a value stays in one piece.
    const ends = (offset: number) =>
      !isBlankLine(source, offset) && !source.startsWith(" ".repeat(indent), offset);
    if (lines.some((offset) => ends(offset) || source.startsWith(`${" ".repeat(indent)}<<`, offset)))
      continue;
    const inner: Piece[] = [];
    let start = first;
    for (const offset of lines) {
      if (offset - start >= pieceChars && isKeyLine(source, offset, indent)) {
        inner.push({ start, end: offset });
        start = offset;
      }
    }
    inner.push({ start, end: piece.end });
    if (inner.length > 1) Object.assign(piece, { innerStart: first, inner });
  }
  return pieces;
}
