import type { StepProgress } from "./types.js";

// BuildKit's `--progress=plain` output: https://github.com/moby/buildkit/blob/v0.12.5/util/progress/progressui/printer.go
// `#N NAME` opens vertex N; then `#N CACHED`, `#N DONE 1.2s`, `#N ERROR: …`, `#N 0.134 output`, `#N detail`.
// A failure ends with a `------` block (the failing step's last output), maybe a `Dockerfile:3` excerpt between
// lines of 20 dashes, and the final error line.

export interface ProgressSummary {
  /** Distinct `[k/m]` steps of the build (not `[internal] …` vertices). */
  steps: number;
  cachedSteps: number;
  imageId?: string;
  /** The failing step, its last output lines and the engine's final error; empty when nothing failed. */
  errorLines: string[];
}

export interface ProgressParser {
  /** Feed one line; returns the step that changed, if any. */
  push(line: string): StepProgress | undefined;
  summary(): ProgressSummary;
}

interface Vertex {
  name: string;
  /** Set for `[stage k/m] …` vertices: the stage label and m. */
  step?: { stage: string; of: number };
  state: "running" | "cached" | "done" | "error" | "canceled";
  error?: string;
  logs: string[];
}

const MAX_ERROR_LINES = 20;
const VERTEX_LINE = /^#(\d+) (.*)$/;
const STEP_NAME = /^\[(?:(.+) )?(\d+)\/(\d+)\] /;
const LOG_LINE = /^\d+\.\d+(?: (.*))?$/;
const IMAGE_ID = /^(?:writing image|exporting config) (sha256:[0-9a-f]{64})/;

/** A line-by-line reader of BuildKit's plain progress; pure, so captured engine output tests it. */
export function createProgressParser(): ProgressParser {
  const vertices = new Map<number, Vertex>();
  const failed: Vertex[] = [];
  const blockLines: string[] = [];
  const excerpt: string[] = [];
  const tail: string[] = [];
  let imageId: string | undefined;
  let writtenImage = false;
  let inBlock = false;
  let inExcerpt = false;

  const counts = () => {
    let steps = 0;
    let done = 0;
    let cached = 0;
    const totals = new Map<string, number>();
    for (const v of vertices.values()) {
      if (!v.step) continue;
      steps++;
      if (v.state === "cached") cached++;
      if (v.state === "cached" || v.state === "done") done++;
      totals.set(v.step.stage, Math.max(totals.get(v.step.stage) ?? 0, v.step.of));
    }
    return { steps, done, cached, total: [...totals.values()].reduce((a, b) => a + b, 0) };
  };
  const progressOf = (v: Vertex): StepProgress | undefined => {
    if (!v.step) return undefined;
    const { done, cached, total } = counts();
    return { name: v.name, done, cached, total };
  };

  const onVertexLine = (id: number, rest: string): StepProgress | undefined => {
    const vertex = vertices.get(id);
    if (!vertex) {
      const name = rest.replace(/\s+/g, " ").trim();
      const step = STEP_NAME.exec(name);
      const created: Vertex = { name, state: "running", logs: [] };
      if (step) created.step = { stage: step[1] ?? "", of: Number(step[3]) };
      vertices.set(id, created);
      return progressOf(created);
    }
    if (rest === "CACHED" || rest.startsWith("DONE")) {
      vertex.state = rest === "CACHED" ? "cached" : "done";
      return progressOf(vertex);
    }
    if (rest.startsWith("ERROR")) {
      vertex.state = "error";
      vertex.error = rest.replace(/^ERROR:?\s*/, "");
      failed.push(vertex);
      return progressOf(vertex);
    }
    if (rest === "CANCELED") {
      vertex.state = "canceled";
      return undefined;
    }
    const log = LOG_LINE.exec(rest);
    if (log) {
      vertex.logs.push(log[1] ?? "");
      if (vertex.logs.length > MAX_ERROR_LINES) vertex.logs.shift();
      return undefined;
    }
    const image = IMAGE_ID.exec(rest);
    if (image && !(writtenImage && rest.startsWith("exporting config"))) {
      imageId = image[1];
      writtenImage ||= rest.startsWith("writing image");
    }
    return undefined;
  };

  const onOtherLine = (line: string): void => {
    if (line === "------") {
      inBlock = !inBlock;
    } else if (/^-{20}$/.test(line)) {
      inExcerpt = !inExcerpt;
    } else if (inBlock) {
      if (!line.startsWith(" > ")) blockLines.push(line.replace(/^\d+\.\d+ /, ""));
    } else if (inExcerpt) {
      if (line.includes(">>>")) excerpt.push(line);
    } else if (/^Dockerfile(\S*):\d+$/.test(line)) {
      excerpt.push(line);
    } else if (line.trim() !== "" && !/^(WARNING:|View build details:)/.test(line)) {
      tail.push(line);
    }
  };

  return {
    push(raw) {
      const line = raw.replace(/\r$/, "");
      const vertexLine = VERTEX_LINE.exec(line);
      if (vertexLine && !inBlock) return onVertexLine(Number(vertexLine[1]), vertexLine[2] ?? "");
      onOtherLine(line);
      return undefined;
    },
    summary() {
      const { steps, cached } = counts();
      return {
        steps,
        cachedSteps: cached,
        imageId,
        errorLines: planErrorLines(failed, blockLines, excerpt, tail),
      };
    },
  };
}

/** The lines a person needs to see to understand the failure, at most 20, the final error always kept. */
function planErrorLines(failed: Vertex[], blockLines: string[], excerpt: string[], tail: string[]): string[] {
  const errors = failed.map((v) => v.error ?? "");
  const finalLines = tail.filter((l) => !errors.includes(l.replace(/^ERROR:\s*/, "")));
  if (failed.length === 0 && !finalLines.some((l) => /error|failed/i.test(l))) return [];
  const last = failed.at(-1);
  const seen = new Set(last?.logs);
  const output = [...(last?.logs ?? []), ...blockLines.filter((l) => !seen.has(l))];
  const head = failed.flatMap((v) => (v === last ? [v.name] : [v.name, `ERROR: ${v.error}`]));
  const closing = [...(last ? [`ERROR: ${last.error}`] : []), ...excerpt, ...finalLines];
  const room = Math.max(0, MAX_ERROR_LINES - head.length - closing.length);
  return [...head, ...(room > 0 ? output.slice(-room) : []), ...closing].slice(-MAX_ERROR_LINES);
}
