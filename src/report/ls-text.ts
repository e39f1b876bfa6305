import type { ServiceNode } from "../graph/types.js";
import { remoteContextKind } from "../util/remote-context.js";

/**
 * One row of `dockbuild ls`: what a service builds, from which Dockerfile. Stages are named as `plan --json`
 * names them: an unnamed stage by its index ("1"); the text table shows it as `#1`.
 */
export interface LsRow {
  name: string;
  /** `build.target` as written; null when the last stage is built. */
  target: string | null;
  /** The stage that is built: the target, or the last stage of the Dockerfile. */
  builds: string | null;
  image: string;
  dockerfile: string;
  profiles: string[];
  /** The stages the build runs, in order. */
  stages: string[];
  /** Stages of the same Dockerfile the build does not run (a test stage, say): usable with `--stage`. */
  otherStages: string[];
  /** Set for a context the builder fetches: no Dockerfile is read, so no stage is known. */
  remoteContext: string | null;
}

/** The rows of `ls`, one per service with a build section. */
export function lsRows(nodes: Iterable<ServiceNode>): LsRow[] {
  return [...nodes].map((node) => {
    const needed = new Set(node.stages.map((s) => s.name));
    const built = node.stages.at(-1);
    return {
      name: node.name,
      target: node.build.target ?? null,
      builds: built ? built.name : null,
      image: node.imageName,
      dockerfile: node.dockerfileLabel,
      profiles: node.service.profiles,
      stages: node.stages.map((s) => s.name),
      otherStages: node.analysis.stages.filter((s) => !needed.has(s.name)).map((s) => s.name),
      remoteContext: remoteContextKind(node.build.context) ?? null,
    };
  });
}

/** The text table, every line at most `width` columns: long stage lists wrap under their column. */
export function formatLsTable(rows: readonly LsRow[], width = 100): string {
  // the name and target columns take at most 40% and 25% of the width; a longer one gets a line of its own
  const nameWidth = Math.min(Math.floor(width * 0.4), Math.max(7, ...rows.map((r) => r.name.length)));
  const targets = rows.map(targetLabel);
  const targetWidth = Math.min(Math.floor(width * 0.25), Math.max(6, ...targets.map((t) => t.length)));
  const indent = " ".repeat(nameWidth + targetWidth + 4);
  const lines = [`${"SERVICE".padEnd(nameWidth)}  ${"TARGET".padEnd(targetWidth)}  STAGES`];
  rows.forEach((row, i) => {
    const target = targets[i] ?? "";
    let head = `${row.name.padEnd(nameWidth)}  `;
    if (row.name.length > nameWidth) {
      lines.push(...wrap([row.name], "", width));
      head = `${"".padEnd(nameWidth)}  `;
    }
    if (target.length > targetWidth) {
      lines.push(...wrap([target], head, width));
      head = indent;
    } else head += `${target.padEnd(targetWidth)}  `;
    const words =
      row.remoteContext !== null
        ? [`(${row.remoteContext} context: stages not known here)`]
        : row.stages.map((s, j) => {
            const label = stageLabel(s);
            return `${j > 0 ? "→ " : ""}${j === row.stages.length - 1 ? `[${label}]` : label}`;
          });
    words.push(...listWords("also", row.otherStages.map(stageLabel)));
    words.push(...listWords("profiles", row.profiles));
    const [first, ...rest] = wrap(words, indent, width);
    lines.push(head + (first ?? "").slice(indent.length), ...rest);
  });
  return lines.join("\n");
}

function targetLabel(row: LsRow): string {
  if (row.target !== null) return row.target;
  return row.builds === null ? "-" : `${stageLabel(row.builds)} (last)`;
}

/** An unnamed stage goes by its index, shown `#1`; a stage name never starts with a digit (BuildKit). */
function stageLabel(name: string): string {
  return /^\d+$/.test(name) ? `#${name}` : name;
}

/** `(also: a, b, c)` as words, so that a long list wraps between its items instead of being cut. */
function listWords(label: string, items: readonly string[]): string[] {
  return items.map(
    (item, i) => `${i === 0 ? `(${label}: ` : ""}${item}${i === items.length - 1 ? ")" : ","}`,
  );
}

/** Words joined by spaces into lines that start with `indent` and stay within `width` (a longer word is cut). */
function wrap(words: readonly string[], indent: string, width: number): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = "";
  for (const raw of words) {
    const word = raw.length > room ? `${raw.slice(0, room - 1)}…` : raw;
    if (line !== "" && line.length + 1 + word.length > room) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(indent + line);
  return lines;
}
