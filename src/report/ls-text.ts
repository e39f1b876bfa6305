import type { ServiceNode } from "../graph/types.js";
import { remoteContextKind } from "../util/remote-context.js";

/** One row of `dockbuild ls`: what a service builds, from which Dockerfile. */
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
      builds: built ? stageLabel(built) : null,
      image: node.imageName,
      dockerfile: node.dockerfileLabel,
      profiles: node.service.profiles,
      stages: node.stages.map(stageLabel),
      otherStages: node.analysis.stages.filter((s) => !needed.has(s.name)).map(stageLabel),
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
        : row.stages.map((s, j) => `${j > 0 ? "→ " : ""}${j === row.stages.length - 1 ? `[${s}]` : s}`);
    if (row.otherStages.length > 0) words.push(`(also: ${row.otherStages.join(", ")})`);
    if (row.profiles.length > 0) words.push(`(profiles: ${row.profiles.join(", ")})`);
    const [first, ...rest] = wrap(words, indent, width);
    lines.push(head + (first ?? "").slice(indent.length), ...rest);
  });
  return lines.join("\n");
}

function targetLabel(row: LsRow): string {
  if (row.target !== null) return row.target;
  return row.builds === null ? "-" : `${row.builds} (last)`;
}

function stageLabel(stage: { name: string; named: boolean }): string {
  return stage.named ? stage.name : `#${stage.name}`;
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
