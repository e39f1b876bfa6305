/** Text the shell reads, with the Dockerfile offset each character came from. */
export interface MappedText {
  text: string;
  /** `offsets[i]` is where `text[i]` is in the Dockerfile; one more entry gives the end. */
  offsets: number[];
}

/** One word of a simple command. */
export interface LexedWord {
  /** The word as the command receives it: quotes and escapes removed, substitutions kept as written. */
  value: MappedText;
  /** Where the word is written in the Dockerfile: `[start, end)`. */
  start: number;
  end: number;
}

/** One simple command: its words, where it is written, and the here-documents it reads. */
export interface LexedCommand {
  words: LexedWord[];
  start: number;
  end: number;
  /** Bodies of its `<<WORD` redirections; `stdin` when the here-document is its standard input. */
  heredocs: { body: MappedText; stdin: boolean }[];
}

const OPERATORS = ["&&", "||", ";;", "|&", ";", "&", "|", "(", ")"];
const WORD_END = new Set([" ", "\t", "\r", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const REDIRECT = /^(\d*)(<<<|<<-|<<|<>|<&|<|>>|>&|>\||>|&>>|&>)/;

/** A string read as itself: each character's offset is its index. */
export function plainText(text: string): MappedText {
  return { text, offsets: Array.from({ length: text.length + 1 }, (_, i) => i) };
}

/** The part `[from, to)` of a mapped text. */
export function sliceMapped(source: MappedText, from: number, to: number): MappedText {
  return { text: source.text.slice(from, to), offsets: source.offsets.slice(from, to + 1) };
}

/**
 * Split a POSIX shell script into simple commands the way `sh` does (newlines, `;`, `&&`, `||`, `|`, `&`,
 * parentheses), with quotes, escapes, `$(…)`, `${…}` and backquotes read as parts of a word, comments skipped,
 * and here-document bodies set aside for the command that reads them. Every word keeps where it was written.
 */
export function lexShell(source: MappedText): LexedCommand[] {
  const { text } = source;
  const offset = (k: number) => source.offsets[Math.min(k, text.length)] ?? 0;
  const commands: LexedCommand[] = [];
  const pending: { delimiter: string; strip: boolean; stdin: boolean; command: LexedCommand }[] = [];
  let current: LexedCommand | undefined;
  const open = (k: number): LexedCommand =>
    (current ??= { words: [], start: offset(k), end: offset(k), heredocs: [] });
  const close = () => {
    const reads = pending.some((doc) => doc.command === current);
    if (current && (current.words.length > 0 || reads)) commands.push(current);
    current = undefined;
  };
  const readBodies = (start: number): number => {
    let i = start;
    for (const doc of pending.splice(0)) {
      const bodyStart = i;
      let bodyEnd = text.length;
      while (i < text.length) {
        const newline = text.indexOf("\n", i);
        const lineEnd = newline < 0 ? text.length : newline;
        const line = text.slice(i, lineEnd).replace(/\r$/, "");
        const next = newline < 0 ? text.length : newline + 1;
        if ((doc.strip ? line.replace(/^\t+/, "") : line) === doc.delimiter) {
          bodyEnd = i;
          i = next;
          break;
        }
        i = next;
      }
      doc.command.heredocs.push({ body: sliceMapped(source, bodyStart, bodyEnd), stdin: doc.stdin });
    }
    return i;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "\\" && text[i + 1] === "\n") i += 2;
    else if (c === "\n") {
      close();
      i = pending.length > 0 ? readBodies(i + 1) : i + 1;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else {
      const redirect = REDIRECT.exec(text.slice(i, i + 8));
      if (redirect) {
        const command = open(i);
        i += redirect[0].length;
        while (text[i] === " " || text[i] === "\t") i++;
        if (i >= text.length || WORD_END.has(text[i] as string)) continue;
        const target = readWord(source, i);
        command.end = target.end;
        i = target.next;
        const op = redirect[2] as string;
        if (op === "<<" || op === "<<-") {
          const fd = redirect[1] as string;
          pending.push({
            delimiter: target.value.text,
            strip: op === "<<-",
            stdin: fd === "" || fd === "0",
            command,
          });
        }
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) {
        close();
        i += op.length;
        continue;
      }
      const command = open(i);
      const word = readWord(source, i);
      command.words.push({ value: word.value, start: word.start, end: word.end });
      command.end = word.end;
      i = word.next;
    }
  }
  close();
  return commands;
}

/** One word from `start`: its value (quotes removed, substitutions kept), where it is, and what follows it. */
function readWord(
  source: MappedText,
  start: number,
): { value: MappedText; start: number; end: number; next: number } {
  const { text } = source;
  const chars: string[] = [];
  const offsets: number[] = [];
  const keep = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      chars.push(text[k] as string);
      offsets.push(source.offsets[k] ?? 0);
    }
  };
  let j = start;
  while (j < text.length && !WORD_END.has(text[j] as string)) {
    const c = text[j];
    if (c === "\\") {
      if (text[j + 1] !== "\n") keep(j + 1, Math.min(j + 2, text.length));
      j += 2;
    } else if (c === "'") {
      const close = indexOr(text, "'", j + 1);
      keep(j + 1, close);
      j = close + 1;
    } else if (c === "$" && text[j + 1] === "'") {
      const close = skipAnsi(text, j + 2);
      keep(j + 2, close);
      j = close + 1;
    } else if (c === '"') {
      j++;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && '$`"\\\n'.includes(text[j + 1] ?? "")) {
          if (text[j + 1] !== "\n") keep(j + 1, j + 2);
          j += 2;
        } else {
          const end = substitutionEnd(text, j) ?? j + 1;
          keep(j, end);
          j = end;
        }
      }
      j++;
    } else {
      const end = substitutionEnd(text, j) ?? j + 1;
      keep(j, end);
      j = end;
    }
  }
  const end = Math.min(j, text.length);
  offsets.push(source.offsets[end] ?? 0);
  return {
    value: { text: chars.join(""), offsets },
    start: source.offsets[start] ?? 0,
    end: end > start ? (source.offsets[end - 1] ?? 0) + 1 : (source.offsets[start] ?? 0),
    next: end,
  };
}

/** The end of a `$(…)`, `${…}` or backquoted substitution starting at `k`, or undefined when none starts there. */
function substitutionEnd(text: string, k: number): number | undefined {
  if (text[k] === "`") {
    let m = k + 1;
    while (m < text.length && text[m] !== "`") m += text[m] === "\\" ? 2 : 1;
    return Math.min(m + 1, text.length);
  }
  if (text[k] !== "$" || (text[k + 1] !== "(" && text[k + 1] !== "{")) return undefined;
  const openChar = text[k + 1];
  const closeChar = openChar === "(" ? ")" : "}";
  let depth = 0;
  let m = k + 1;
  while (m < text.length) {
    const c = text[m];
    if (c === "\\") m += 2;
    else if (c === "'" && openChar === "(") m = indexOr(text, "'", m + 1) + 1;
    else if (c === '"') m = doubleQuoteEnd(text, m);
    else if (c === "`" || (c === "$" && (text[m + 1] === "(" || text[m + 1] === "{"))) {
      m = substitutionEnd(text, m) ?? m + 1;
    } else {
      if (c === openChar) depth++;
      else if (c === closeChar && --depth === 0) return m + 1;
      m++;
    }
  }
  return text.length;
}

function doubleQuoteEnd(text: string, k: number): number {
  let m = k + 1;
  while (m < text.length && text[m] !== '"') {
    if (text[m] === "\\") m += 2;
    else m = substitutionEnd(text, m) ?? m + 1;
  }
  return Math.min(m + 1, text.length);
}

function skipAnsi(text: string, k: number): number {
  let m = k;
  while (m < text.length && text[m] !== "'") m += text[m] === "\\" ? 2 : 1;
  return Math.min(m, text.length);
}

function indexOr(text: string, needle: string, from: number): number {
  const found = text.indexOf(needle, from);
  return found < 0 ? text.length : found;
}
