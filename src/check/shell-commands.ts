import path from "node:path";
import { lexShell, plainText, type LexedCommand, type LexedWord, type MappedText } from "./shell-lexer.js";

/** Where a word is written in the Dockerfile: `[start, end)` offsets. */
export interface WordSpan {
  start: number;
  end: number;
}

/** One simple command of a RUN line: its words, the variables set in front of it (`A=1 cmd`), and its text. */
export interface ShellCommand {
  argv: string[];
  env: Record<string, string>;
  /** The command as written, continuation lines joined and a long one shortened with "…": what a message quotes. */
  text: string;
  /** Where the command is written (from its program to its last word or redirection), and each word of `argv`. */
  span?: WordSpan;
  spans?: WordSpan[];
}

/** Words that start a compound command or a clause of one; what follows them is the command. */
const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "}",
  "fi",
  "done",
  "esac",
]);
/** Commands that run the rest of their words as a command. */
const WRAPPERS = new Set(["sudo", "exec", "time", "nice", "nohup", "command", "eatmydata"]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash"]);
const MAX_TEXT = 100;

/**
 * The simple commands of a shell script (`a && b; c | d`, one per line, inside `if`/`for` bodies), with shell
 * keywords, `sudo`/`env` wrappers, `sh -c "…"` and `bash <<EOF` unwrapped, so that rules can look for `npm ci`
 * wherever it sits. Variables and substitutions stay as written. `source` is the text the offsets of a mapped
 * script point into (the Dockerfile); a plain string is its own source.
 */
export function parseShellCommands(script: string | MappedText, source?: string): ShellCommand[] {
  const mapped = typeof script === "string" ? plainText(script) : script;
  const text = source ?? (typeof script === "string" ? script : mapped.text);
  return lexShell(mapped).flatMap((command) => unwrap(command, text));
}

/**
 * The commands of a shell-form RUN: BuildKit runs a RUN that is only a here-document (`RUN <<EOF`) by giving
 * its body to the shell, unless the body starts with a `#!` line naming another interpreter.
 */
export function parseRunCommands(script: MappedText, source: string): ShellCommand[] {
  const lexed = lexShell(script);
  const first = lexed[0];
  const body = first?.words.length === 0 ? first.heredocs[0]?.body : undefined;
  if (lexed.length === 1 && body) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body.text);
    const interpreter = shebang?.[1]?.endsWith("/env") ? shebang[2] : shebang?.[1];
    if (interpreter !== undefined && !SHELLS.has(path.posix.basename(interpreter))) return [];
    return parseShellCommands(body, source);
  }
  return lexed.flatMap((command) => unwrap(command, source));
}

/** The simple commands of an exec-form RUN (`["sh", "-c", "npm ci"]` is unwrapped like the shell form). */
export function execFormCommands(argv: string[]): ShellCommand[] {
  if (argv.length === 0) return [];
  const [program, flag, script] = argv;
  if (program && SHELLS.has(program) && flag === "-c" && script !== undefined) {
    // the script is a JSON string: where its words are in the Dockerfile is not known
    return parseShellCommands(script).map(({ argv: words, env, text }) => ({ argv: words, env, text }));
  }
  return [{ argv, env: {}, text: shorten(argv.join(" ")) }];
}

/** A command's text as written: continuation lines joined with one space, long text shortened with "…". */
export function writtenText(source: string, start: number, end: number, max = MAX_TEXT): string {
  const joined = source
    .slice(start, end)
    .replace(
      /([ \t]*)[\\`][ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*([ \t]*)/g,
      (_match, before: string, after: string) => (before || after ? " " : ""),
    );
  return shorten(joined, max);
}

function shorten(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(" ", max - 2);
  return `${text.slice(0, space > max / 2 ? space : max - 2)} …`;
}

function unwrap(command: LexedCommand, source: string): ShellCommand[] {
  const env: Record<string, string> = {};
  let rest: LexedWord[] = command.words;
  let lead = 0;
  for (;;) {
    const first = rest[0]?.value.text;
    if (first === undefined) return [];
    const assignment = ASSIGNMENT.exec(first);
    if (assignment) {
      env[assignment[1] as string] = assignment[2] as string;
      rest = rest.slice(1);
    } else if (KEYWORDS.has(first) || WRAPPERS.has(first) || first === "env") {
      rest = rest.slice(1);
      // the wrapper's own options (`sudo -E`, `env -i`, `nice -n 5`)
      while (!KEYWORDS.has(first) && rest[0]?.value.text.startsWith("-")) {
        rest = rest.slice(first === "nice" && rest[0].value.text === "-n" ? 2 : 1);
      }
      if (KEYWORDS.has(first)) lead = command.words.length - rest.length;
    } else break;
  }
  const argv = rest.map((w) => w.value.text);
  const [program, flag, script] = rest;
  if (program && SHELLS.has(program.value.text) && flag?.value.text === "-c" && script !== undefined) {
    return parseShellCommands(script.value, source).map((c) => ({ ...c, env: { ...env, ...c.env } }));
  }
  const stdin = command.heredocs.find((h) => h.stdin);
  if (program && SHELLS.has(program.value.text) && stdin && argv.slice(1).every((a) => a.startsWith("-"))) {
    return parseShellCommands(stdin.body, source);
  }
  if (argv[0] === "for" || argv[0] === "case") return [];
  const start = command.words[lead]?.start ?? command.start;
  return [
    {
      argv,
      env,
      text: writtenText(source, start, command.end),
      span: { start, end: command.end },
      spans: rest.map((w) => ({ start: w.start, end: w.end })),
    },
  ];
}
