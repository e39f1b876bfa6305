import path from "node:path";
import type { ShellCommand } from "../shell-commands.js";
import { inCode, lineOfOffset, touchedLines } from "../source-edits.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";

/** A flag a package manager deprecated, and what replaces it. */
interface DeprecatedFlag {
  program: string;
  /** The subcommands it applies to (any when empty). */
  subcommands: string[];
  flag: RegExp;
  /** What to write instead of the flag (and its value); `line`: a command to run before instead of a flag. */
  replacement: (written: string, value: string | undefined) => string;
  /** The values it takes when not written `--flag=value`: the next word, or every word up to the next flag. */
  takes?: (written: string) => "one" | "many" | undefined;
  /** The replacement is a command of its own, run before the install. */
  separate?: boolean;
  /** No flag replaces it: the command itself changes. */
  noLine?: boolean;
  why: string;
}

const FLAGS: DeprecatedFlag[] = [
  {
    program: "npm",
    subcommands: ["ci", "install", "i", "clean-install"],
    flag: /^--only=prod(uction)?$|^--production(=true)?$/,
    replacement: () => "--omit=dev",
    why: "npm 7 replaced it and ignores it with a warning in newer versions",
  },
  {
    program: "npm",
    subcommands: ["ci", "install", "i", "clean-install"],
    flag: /^--only=dev(elopment)?$|^--also=dev(elopment)?$/,
    replacement: () => "--include=dev",
    why: "npm 7 replaced it",
  },
  {
    program: "npm",
    subcommands: ["ci", "install", "i", "clean-install"],
    flag: /^--no-optional$/,
    replacement: () => "--omit=optional",
    why: "npm 7 replaced it",
  },
  {
    program: "poetry",
    subcommands: ["install"],
    flag: /^--no-dev$/,
    replacement: () => "--without dev",
    why: "Poetry 1.2 deprecated it and Poetry 2 removed it",
  },
  {
    program: "bundle",
    subcommands: ["install"],
    flag: /^--(without|deployment|path|frozen|no-cache|system)(=.*)?$/,
    replacement: (written, value) => {
      const name = (written.slice(2).split("=")[0] ?? "").replace(/-/g, "_");
      return `bundle config set --local ${name} ${value === undefined ? "true" : `'${value}'`}`;
    },
    takes: (written) =>
      /^--(without|with)$/.test(written) ? "many" : written === "--path" ? "one" : undefined,
    separate: true,
    why: "Bundler 2 deprecated remembered install flags",
  },
  {
    program: "go",
    subcommands: ["get"],
    flag: /^-u$|^-d$/,
    replacement: () => "go mod download (dependencies), or go install PKG@VERSION (tools)",
    noLine: true,
    why: "go get no longer builds or installs since Go 1.18",
  },
];

/** DB007: a package-manager flag that is deprecated or gone, so that the build does not do what it says. */
export function deprecatedFlags(view: ServiceView): RuleFinding[] {
  return view.stages.flatMap((stage) =>
    stepsOf(view, stage).flatMap((step) => {
      if (step.kind !== "RUN") return [];
      return step.commands.flatMap((command) =>
        findDeprecated(command).map((found) =>
          findingAt(
            view,
            step.line,
            "DB007",
            `${inCode(command.text)}: ${found.written} is deprecated (${found.entry.why})`,
            fixFor(view, command, found),
          ),
        ),
      );
    }),
  );
}

interface Found {
  written: string;
  entry: DeprecatedFlag;
  /** The index in argv of the flag, and of its last value word. */
  first: number;
  last: number;
  value?: string;
}

function findDeprecated(command: ShellCommand): Found[] {
  const [program = "", ...args] = command.argv;
  const name = path.posix.basename(program);
  const sub = args.find((a) => !a.startsWith("-"));
  return FLAGS.flatMap((entry) => {
    if (entry.program !== name) return [];
    if (entry.subcommands.length > 0 && (sub === undefined || !entry.subcommands.includes(sub))) return [];
    return command.argv.flatMap((written, first) => {
      if (first === 0 || !entry.flag.test(written)) return [];
      const takes = written.includes("=") ? undefined : entry.takes?.(written);
      let last = first;
      if (takes) {
        while (last + 1 < command.argv.length && !(command.argv[last + 1] ?? "-").startsWith("-")) {
          last++;
          if (takes === "one") break;
        }
      }
      const value = written.includes("=")
        ? written.slice(written.indexOf("=") + 1)
        : last > first
          ? command.argv.slice(first + 1, last + 1).join(" ")
          : undefined;
      return [{ written, entry, first, last, value }];
    });
  });
}

/** The line as it should read, built from the Dockerfile's own text; the flag's replacement in words when not. */
function fixFor(view: ServiceView, command: ShellCommand, found: Found): string {
  const { entry } = found;
  const replacement = entry.replacement(found.written, found.value);
  const from = command.spans?.[found.first];
  const to = command.spans?.[found.last];
  if (entry.noLine || !from || !to) return `use ${replacement}`;
  const blank = entry.separate && /[ \t]/.test(view.model.text[from.start - 1] ?? "") ? 1 : 0;
  const edit = { start: from.start - blank, end: to.end, text: entry.separate ? "" : replacement };
  const line = lineOfOffset(view.model, from.start);
  const lines = touchedLines(view.model, [edit]);
  if (entry.separate) {
    return [
      `run ${replacement} before the install instead, and drop the flag from line ${line}:`,
      `RUN ${replacement}`,
      ...lines,
    ].join("\n");
  }
  return [`use ${replacement} (line ${line}):`, ...lines].join("\n");
}
