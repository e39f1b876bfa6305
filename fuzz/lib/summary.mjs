// The run's totals: inputs by kind and mode, exit codes per command, the worst time, memory and message,
// every missed target, and the bad-input messages that name no file:line (for a person to judge).
import { KINDS, MODES } from "./cases.mjs";
import { TARGETS, VIOLATIONS, messageShape } from "./targets.mjs";

export function createSummary() {
  return {
    cases: 0,
    runs: 0,
    byKind: Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(MODES.map((m) => [m, 0]))])),
    exits: {},
    worst: { wall: undefined, cpu: undefined, rss: undefined, error: undefined },
    violations: Object.fromEntries(VIOLATIONS.map((v) => [v, 0])),
    failed: [],
    unlocated: new Map(),
  };
}

/** Adds one case and its checked runs. */
export function addCase(summary, testCase, checked) {
  summary.cases++;
  summary.byKind[testCase.kind][testCase.mode]++;
  const missed = [];
  for (const { run, check } of checked) {
    summary.runs++;
    const name = run.command[0];
    const exit = run.exitCode === null ? (run.killed ? "killed" : String(run.signal)) : String(run.exitCode);
    summary.exits[name] ??= {};
    summary.exits[name][exit] = (summary.exits[name][exit] ?? 0) + 1;
    const at = { value: 0, id: testCase.id, label: testCase.label, command: run.command.join(" ") };
    const keep = (key, value) => {
      if (value !== undefined && (summary.worst[key] === undefined || value > summary.worst[key].value))
        summary.worst[key] = { ...at, value };
    };
    keep("wall", run.wallMs);
    keep("cpu", run.cpuMs);
    keep("rss", run.maxRssKb);
    keep("error", check.error.length);
    for (const v of check.violations) {
      summary.violations[v.target]++;
      missed.push({ ...v, command: run.command.join(" ") });
    }
    if (check.located === false) {
      const first = check.error[0] ?? "";
      const shape = messageShape(first);
      const seen = summary.unlocated.get(shape) ?? {
        count: 0,
        example: first.slice(0, 200),
        id: testCase.id,
      };
      seen.count++;
      summary.unlocated.set(shape, seen);
    }
  }
  if (missed.length > 0)
    summary.failed.push({
      id: testCase.id,
      kind: testCase.kind,
      mode: testCase.mode,
      label: testCase.label,
      missed,
    });
  return missed;
}

/** The summary as lines of text. */
export function renderSummary(summary, { seed, elapsedMs, stoppedEarly }) {
  const out = [];
  const seconds = (ms) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`);
  out.push(
    `fuzz summary: seed ${seed}, ${summary.cases} inputs, ${summary.runs} runs in ${seconds(elapsedMs)}${stoppedEarly ? " (stopped by --seconds)" : ""}`,
  );
  out.push("", "inputs by kind      grammar  mutation  hostile  total");
  for (const kind of KINDS) {
    const row = summary.byKind[kind];
    const total = MODES.reduce((s, m) => s + row[m], 0);
    out.push(
      `  ${kind.padEnd(16)} ${MODES.map((m, i) => String(row[m]).padStart([7, 9, 8][i])).join(" ")}  ${String(total).padStart(5)}`,
    );
  }
  out.push("", "exit codes");
  for (const [name, codes] of Object.entries(summary.exits)) {
    out.push(
      `  ${name.padEnd(6)} ${Object.entries(codes)
        .sort()
        .map(([c, n]) => `${c}: ${n}`)
        .join(", ")}`,
    );
  }
  const worst = (key, text, limit) => {
    const w = summary.worst[key];
    if (!w) return `  ${text}: –`;
    return `  ${text}: ${limit(w.value)}  (${w.id}: ${w.command}; ${w.label.slice(0, 90)})`;
  };
  out.push("", "worst runs (targets in brackets)");
  out.push(worst("wall", `max time [${TARGETS.maxWallMs / 1000} s]`, seconds));
  out.push(worst("cpu", "max CPU time", seconds));
  out.push(
    worst("rss", `max peak RSS [${TARGETS.maxRssKb / 1024} MB]`, (kb) => `${Math.round(kb / 1024)} MB`),
  );
  out.push(worst("error", `longest error [${TARGETS.maxErrorLines} lines]`, (n) => `${n} lines`));
  out.push(
    "",
    `targets missed: ${Object.entries(summary.violations)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  for (const f of summary.failed.slice(0, 30)) {
    out.push(`  ${f.id} ${f.kind}/${f.mode} ${f.label.slice(0, 80)}`);
    for (const m of f.missed.slice(0, 3))
      out.push(`    ${m.target} (${m.command}): ${m.detail.slice(0, 160)}`);
  }
  if (summary.failed.length > 30) out.push(`  … and ${summary.failed.length - 30} more inputs`);
  if (summary.unlocated.size > 0) {
    out.push("", "exit 2 without file:line (to judge by eye; not a missed target)");
    const groups = [...summary.unlocated.values()].sort((a, b) => b.count - a.count);
    for (const g of groups.slice(0, 15))
      out.push(`  ${String(g.count).padStart(4)}× ${g.example}  (${g.id})`);
    if (groups.length > 15) out.push(`  … and ${groups.length - 15} more kinds`);
  }
  return out;
}

/** Whether every target was met. */
export function passed(summary) {
  return summary.failed.length === 0;
}
