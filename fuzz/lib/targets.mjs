// What every run must meet, whatever the input: no crash, a bounded time and memory, a short message, and
// for bad input exit 2 with a message a person can act on. Pure: a run's result in, violations out.

export const TARGETS = {
  /** wall-clock time of one command */
  maxWallMs: 10_000,
  /** peak resident memory of one command, in KiB (300 MiB) */
  maxRssKb: 300 * 1024,
  /** lines of one error message */
  maxErrorLines: 15,
  /** warning lines printed to stderr: 20 and "… and N more" */
  maxWarningLines: 21,
  /** bytes on stderr in all */
  maxStderrBytes: 64 * 1024,
};

/** Exit codes each command may end with: 2 is bad input; `check` exits 1 when a finding fails it. */
export const ALLOWED_EXITS = { plan: [0, 2], ls: [0, 2], check: [0, 1, 2], matrix: [0, 2] };

/** Which target a violation misses. */
export const VIOLATIONS = ["crash", "time", "memory", "message-length", "unclear", "output", "bad-json"];

const STACK_LINE = /^\s+at .*(?:\(|\s)(?:file:|node:|\/)[^)]*:\d+:\d+\)?$/m;
/** Words of JavaScript or Node errors that mean an error reached the user unexplained. */
const RAW_ERROR =
  /Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid string length|Invalid array length|out of memory|\[object Object\]|\bERR_[A-Z_]{4,}|\bE(?:NOENT|ACCES|LOOP|ISDIR|NOTDIR|AGAIN|MFILE|PERM|INVAL|NXIO)\b|\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b|undefined is not|\bat position \d+ \(line/;
/** `file:line` as editors link it: a path or a file name, a colon, a line number. */
const FILE_LINE = /(?:^|[\s(])(?:[^\s:()]*\/)?[^\s:/()]+:\d+(?::\d+)?(?::|\b)/m;

/**
 * @typedef {{ target: string, detail: string }} Violation
 * @param {import("./run-cli.mjs").RunResult} run
 * @returns {{ violations: Violation[], error: string[], warnings: number, located: boolean | undefined }}
 */
export function checkRun(run) {
  const violations = [];
  const name = run.command[0];
  const allowed = ALLOWED_EXITS[name] ?? [0, 2];
  const { error, warnings } = splitStderr(run.stderr);
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.killed)
    violations.push({
      target: "time",
      detail: `still running after ${(run.wallMs / 1000).toFixed(1)} s: killed`,
    });
  else if (run.exitCode === null) violations.push({ target: "crash", detail: `ended by ${run.signal}` });
  else if (run.exitCode === 70 || /internal error/.test(run.stderr))
    violations.push({
      target: "crash",
      detail: `exit ${run.exitCode}: ${firstLine(error) ?? "internal error"}`,
    });
  else if (!allowed.includes(run.exitCode))
    violations.push({
      target: "crash",
      detail: `exit ${run.exitCode} (${name} may exit ${allowed.join(", ")}): ${firstLine(error) ?? ""}`,
    });
  if (STACK_LINE.test(output) && !violations.some((v) => v.target === "crash"))
    violations.push({ target: "crash", detail: "a stack trace in the output" });
  if (!run.killed && run.wallMs > TARGETS.maxWallMs)
    violations.push({ target: "time", detail: `${(run.wallMs / 1000).toFixed(1)} s` });
  if (run.maxRssKb !== undefined && run.maxRssKb > TARGETS.maxRssKb)
    violations.push({ target: "memory", detail: `${Math.round(run.maxRssKb / 1024)} MB` });
  if (error.length > TARGETS.maxErrorLines)
    violations.push({ target: "message-length", detail: `${error.length} lines` });
  if (warnings > TARGETS.maxWarningLines || run.stderrBytes > TARGETS.maxStderrBytes)
    violations.push({
      target: "output",
      detail: `${warnings} warning lines, ${run.stderrBytes} bytes on stderr`,
    });
  let located;
  if (run.exitCode === 2) {
    const text = error.join("\n");
    const raw = RAW_ERROR.exec(text);
    if (raw) violations.push({ target: "unclear", detail: `"${raw[0]}" in: ${firstLine(error)}` });
    if (!error[0]?.startsWith("dockbuild:") && !/^error:/.test(error[0] ?? ""))
      violations.push({
        target: "unclear",
        detail: `no dockbuild error message: ${firstLine(error) ?? "(nothing on stderr)"}`,
      });
    located = FILE_LINE.test(text);
  }
  if (run.exitCode === 0 && run.command.includes("--json")) {
    const problem = jsonProblem(run);
    if (problem) violations.push({ target: "bad-json", detail: problem });
  }
  return { violations, error, warnings, located };
}

/** stderr's error block (from the first `dockbuild:` or commander `error:` line) and its warning line count. */
export function splitStderr(stderr) {
  const lines = stderr.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const start = lines.findIndex((l) => l.startsWith("dockbuild:") || l.startsWith("error:"));
  if (start < 0) return { error: [], warnings: lines.length };
  return { error: lines.slice(start), warnings: start };
}

/** A plan --json that exited 0 must be JSON of version 1 with services and waves. */
function jsonProblem(run) {
  if (run.stdoutBytes > run.stdout.length) return undefined; // cut to what was kept; not judged
  try {
    const plan = JSON.parse(run.stdout);
    if (plan?.version !== 1 || !Array.isArray(plan.services) || !Array.isArray(plan.waves))
      return "not a version 1 plan";
    return undefined;
  } catch (error) {
    return `stdout is not JSON (${error.message.split("\n")[0]})`;
  }
}

function firstLine(lines) {
  const line = lines.find((l) => l.trim() !== "");
  return line === undefined ? undefined : line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** A message's shape, for grouping: numbers, paths and quoted values masked. */
export function messageShape(line) {
  return line
    .replace(/\/[^\s:'"]+/g, "<path>")
    .replace(/"[^"]*"|'[^']*'/g, "<q>")
    .replace(/\d+/g, "N")
    .slice(0, 160);
}
