import { parse, type ParseEntry } from "shell-quote";

/** One simple command of a RUN line: its words, and the variables set in front of it (`A=1 cmd`). */
export interface ShellCommand {
  argv: string[];
  env: Record<string, string>;
}

/** Words that start a compound command or a clause of one; what follows them is the command. */
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done"]);
/** Commands that run the rest of their words as a command. */
const WRAPPERS = new Set(["sudo", "exec", "time", "nice", "nohup", "command", "eatmydata"]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash"]);

/**
 * The simple commands of a shell-form RUN (`a && b; c | d`), with shell keywords, `sudo`/`env` wrappers and
 * `sh -c "…"` unwrapped, so that rules can look for `npm ci` wherever it sits. Variables stay as written.
 */
export function parseShellCommands(script: string): ShellCommand[] {
  const entries = parse(script, (name) => `$${name}`);
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  const flush = () => {
    if (words.length > 0) commands.push(...unwrap(words));
    words = [];
  };
  for (const entry of entries) {
    const word = wordOf(entry);
    if (word !== undefined) words.push(word);
    else if (typeof entry === "object" && "comment" in entry) break;
    else flush();
  }
  flush();
  return commands;
}

/** The simple commands of an exec-form RUN (`["sh", "-c", "npm ci"]` is unwrapped like the shell form). */
export function execFormCommands(argv: string[]): ShellCommand[] {
  return argv.length === 0 ? [] : unwrap(argv);
}

function wordOf(entry: ParseEntry): string | undefined {
  if (typeof entry === "string") return entry;
  if ("op" in entry && entry.op === "glob") return entry.pattern;
  return undefined;
}

function unwrap(words: string[]): ShellCommand[] {
  const env: Record<string, string> = {};
  let rest = words;
  for (;;) {
    const first = rest[0];
    if (first === undefined) return [];
    const assignment = ASSIGNMENT.exec(first);
    if (assignment) {
      env[assignment[1] as string] = assignment[2] as string;
      rest = rest.slice(1);
    } else if (KEYWORDS.has(first) || WRAPPERS.has(first) || first === "env") {
      rest = rest.slice(1);
      // the wrapper's own options (`sudo -E`, `env -i`, `nice -n 5`)
      while (!KEYWORDS.has(first) && rest[0]?.startsWith("-")) {
        rest = rest.slice(first === "nice" && rest[0] === "-n" ? 2 : 1);
      }
    } else break;
  }
  const [program, flag, script] = rest;
  if (program && SHELLS.has(program) && flag === "-c" && script !== undefined) {
    return parseShellCommands(script).map((c) => ({ argv: c.argv, env: { ...env, ...c.env } }));
  }
  if (program === "for" || program === "case") return [];
  return [{ argv: rest, env }];
}
