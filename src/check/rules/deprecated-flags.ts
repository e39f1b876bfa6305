import path from "node:path";
import type { ShellCommand } from "../shell-commands.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";

/** A flag a package manager deprecated, and what replaces it. */
interface DeprecatedFlag {
  program: string;
  /** The subcommands it applies to (any when empty). */
  subcommands: string[];
  flag: RegExp;
  replacement: (written: string) => string;
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
    replacement: (written) => {
      const [name, value] = written.slice(2).split("=");
      return `bundle config set --local ${name} ${value === undefined ? "true" : `'${value}'`} (before bundle install)`;
    },
    why: "Bundler 2 deprecated remembered install flags",
  },
  {
    program: "go",
    subcommands: ["get"],
    flag: /^-u$|^-d$/,
    replacement: () => "go mod download (dependencies), or go install PKG@VERSION (tools)",
    why: "go get no longer builds or installs since Go 1.18",
  },
];

/** DB007: a package-manager flag that is deprecated or gone, so that the build does not do what it says. */
export function deprecatedFlags(view: ServiceView): RuleFinding[] {
  return view.stages.flatMap((stage) =>
    stepsOf(view, stage).flatMap((step) => {
      if (step.kind !== "RUN") return [];
      return step.commands.flatMap((command) =>
        findDeprecated(command).map(({ written, entry }) =>
          findingAt(
            view,
            step.line,
            "DB007",
            `\`${command.argv.join(" ")}\`: ${written} is deprecated (${entry.why})`,
            `use ${entry.replacement(written)}:\n${fixedCommand(command, written, entry)}`,
          ),
        ),
      );
    }),
  );
}

function findDeprecated(command: ShellCommand): { written: string; entry: DeprecatedFlag }[] {
  const [program = "", ...args] = command.argv;
  const name = path.posix.basename(program);
  const sub = args.find((a) => !a.startsWith("-"));
  return FLAGS.flatMap((entry) => {
    if (entry.program !== name) return [];
    if (entry.subcommands.length > 0 && (sub === undefined || !entry.subcommands.includes(sub))) return [];
    return args.filter((a) => entry.flag.test(a)).map((written) => ({ written, entry }));
  });
}

function fixedCommand(command: ShellCommand, written: string, entry: DeprecatedFlag): string {
  const replacement = entry.replacement(written);
  if (replacement.includes(" (") || replacement.includes(", "))
    return `RUN ${command.argv.filter((a) => a !== written).join(" ")}`;
  return `RUN ${command.argv.map((a) => (a === written ? replacement : a)).join(" ")}`;
}
