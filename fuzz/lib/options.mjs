// The harness's flags, with defaults and validation.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { KINDS, MODES } from "./cases.mjs";

const WORK = join(fileURLToPath(new URL("../work", import.meta.url)));

export const HELP = `Usage: node fuzz/run.mjs [options]     (or pnpm fuzz [options])

  --seed N          seed of the inputs (default: random, printed); the same seed gives the same inputs
  --count N         inputs to run (default 600)
  --seconds S       start no input after S seconds (default 900)
  --jobs J          inputs run at once (default 2)
  --small           cap generated sizes (512 KiB files, 2,000 services): for a quick run
  --kinds LIST      only these kinds: ${KINDS.join(",")}
  --modes LIST      only these modes: ${MODES.join(",")}
  --hard-limit S    kill a command still running after S seconds (default 30)
  --out DIR         where failing inputs go (default fuzz/work/failures)
  --replay FILE|ID  run one saved case.json, or the case SEED-INDEX, again and print what it printed
  --keep            keep each case's folder (in fuzz/work/cases/) to look at
  --verbose         a line per input
`;

/** The flags as options; throws on a bad value. */
export function parseOptions(argv) {
  const { values } = parseArgs({
    // `pnpm fuzz -- --seed 3` passes the `--` on
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: {
      seed: { type: "string" },
      count: { type: "string", default: "600" },
      seconds: { type: "string", default: "900" },
      jobs: { type: "string", default: "2" },
      small: { type: "boolean", default: false },
      kinds: { type: "string" },
      modes: { type: "string" },
      "hard-limit": { type: "string", default: "30" },
      out: { type: "string" },
      replay: { type: "string" },
      keep: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const number = (name, raw, min) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}, not "${raw}"`);
    return n;
  };
  const list = (name, raw, allowed) => {
    if (raw === undefined) return undefined;
    const items = raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items)
      if (!allowed.includes(item)) throw new Error(`--${name}: unknown "${item}" (${allowed.join(", ")})`);
    return items;
  };
  return {
    help: values.help,
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : number("seed", values.seed, 0),
    count: number("count", values.count, 1),
    seconds: number("seconds", values.seconds, 1),
    jobs: number("jobs", values.jobs, 1),
    small: values.small,
    kinds: list("kinds", values.kinds, KINDS),
    modes: list("modes", values.modes, MODES),
    hardLimitMs: number("hard-limit", values["hard-limit"], 1) * 1000,
    out: values.out ?? join(WORK, "failures"),
    replay: values.replay,
    keep: values.keep,
    verbose: values.verbose,
  };
}
