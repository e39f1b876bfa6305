// The bench's flags: defaults, --quick's smaller ones, and validation with a message a person can act on.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_WORK } from "./monorepo.mjs";

export const SCENARIOS = ["cold", "noop", "one-change", "plan", "builders", "simulation"];
/** The scenarios that build the monorepo on the machine's engine, against the peers. */
export const PEER_SCENARIOS = ["cold", "noop", "one-change"];
export const QUICK_WORK = { depsSleep: 0.5, depsMb: 1, sleep: 1, cpuMb: 50, toolchainMb: 5 };

export const HELP = `Usage: node bench/run.mjs [options]

  --services LIST      service counts of the generated monorepos (default 12,40; --quick 3)
  --runs N             timed runs per tool and scenario (default 3; --quick 1)
  --scenarios LIST     cold,noop,one-change,plan,builders,simulation (default all; --quick cold,noop,plan)
                       builders: 40 services on 1, 2, 3 engines the bench starts (root, dockerd, docker-registry);
                       simulation: the scheduler (dist/run.js) on 500 and 5,000 simulated services, 1–64 builders
  --plan-services N    services in the compose file that plan reads (default 500; --quick 50)
  --peers LIST         compose,bake (default both; a peer this machine lacks is skipped with a note)
  --quick              3 services, 1 run, cold + noop + plan on 50: proves the bench works (CI)
  --sleep S            seconds of waiting in each service's compile step (default ${DEFAULT_WORK.sleep})
  --cpu-mb MB          MB of zeros md5-hashed in each compile step, CPU work (default ${DEFAULT_WORK.cpuMb})
  --toolchain-mb MB    size of each builder's toolchain file (default ${DEFAULT_WORK.toolchainMb})
  --deps-sleep S       seconds the deps stage waits when its cache mount is empty (default ${DEFAULT_WORK.depsSleep})
  --deps-mb MB         MB the deps stage puts in its cache mount (default ${DEFAULT_WORK.depsMb})
  --timeout-min M      stop any one command after M minutes and count it failed (default 20)
  --docker PATH        Docker client every tool uses (default $DOCKBUILD_DOCKER or /usr/bin/docker)
  --docker-host URL    an engine of the bench's own: cold runs empty its build cache (without it: $DOCKER_HOST
                       or the default socket, whose cache is never touched, and cold is refused)
  --buildx-config DIR  a Docker config folder whose cli-plugins/ holds the buildx plugin (default
                       $DOCKER_CONFIG); every tool then runs with DOCKER_CONFIG=DIR, so bake and dockbuild
                       use the same plugin
  --out DIR            where results go (default bench/results; --quick bench/work/quick-results)
  --no-cleanup         leave the bench images and build cache on the engine at the end
  --dockbuild-args A,B extra arguments for dockbuild's build, comma-separated (a variant, e.g. -j,8)
  --rerender FILE      write the markdown and SVG again from a latest.json (after a change to the report)
`;

/** The flags as options, with --quick's smaller defaults; throws UsageError on a bad value. */
export function parseOptions(argv, repoRoot) {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: "string" },
      runs: { type: "string" },
      scenarios: { type: "string" },
      "plan-services": { type: "string" },
      peers: { type: "string", default: "compose,bake" },
      quick: { type: "boolean", default: false },
      sleep: { type: "string" },
      "cpu-mb": { type: "string" },
      "toolchain-mb": { type: "string" },
      "deps-sleep": { type: "string" },
      "deps-mb": { type: "string" },
      "timeout-min": { type: "string", default: "20" },
      docker: { type: "string" },
      "docker-host": { type: "string" },
      "buildx-config": { type: "string" },
      out: { type: "string" },
      "no-cleanup": { type: "boolean", default: false },
      rerender: { type: "string" },
      "dockbuild-args": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const quick = values.quick;
  const number = (name, raw, fallback, { min = 0, integer = false } = {}) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw new UsageError(
        `--${name} must be ${integer ? "a whole number" : "a number"} ≥ ${min}, not "${raw}"`,
      );
    }
    return n;
  };
  const list = (raw, fallback) =>
    raw === undefined
      ? fallback
      : raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  const services = list(values.services, quick ? ["3"] : ["12", "40"]).map((s) =>
    number("services", s, 0, { min: 2, integer: true }),
  );
  const scenarios = list(values.scenarios, quick ? ["cold", "noop", "plan"] : SCENARIOS);
  for (const s of scenarios)
    if (!SCENARIOS.includes(s)) throw new UsageError(`unknown scenario "${s}" (${SCENARIOS.join(", ")})`);
  const peers = list(values.peers, []);
  for (const p of peers)
    if (!["compose", "bake"].includes(p)) throw new UsageError(`unknown peer "${p}" (compose, bake)`);
  const base = quick ? QUICK_WORK : DEFAULT_WORK;
  return {
    help: values.help,
    quick,
    services,
    runs: number("runs", values.runs, quick ? 1 : 3, { min: 1, integer: true }),
    scenarios,
    planServices: number("plan-services", values["plan-services"], quick ? 50 : 500, {
      min: 2,
      integer: true,
    }),
    peers,
    work: {
      depsSleep: number("deps-sleep", values["deps-sleep"], base.depsSleep),
      depsMb: number("deps-mb", values["deps-mb"], base.depsMb, { integer: true }),
      sleep: number("sleep", values.sleep, base.sleep),
      cpuMb: number("cpu-mb", values["cpu-mb"], base.cpuMb, { integer: true }),
      toolchainMb: number("toolchain-mb", values["toolchain-mb"], base.toolchainMb, { integer: true }),
    },
    timeoutMs: number("timeout-min", values["timeout-min"], 20, { min: 0.1 }) * 60_000,
    docker: values.docker ?? process.env.DOCKBUILD_DOCKER ?? "/usr/bin/docker",
    dockerHost: values["docker-host"] ?? process.env.DOCKER_HOST,
    dockerConfig: values["buildx-config"] ?? process.env.DOCKER_CONFIG,
    buildxConfigGiven: values["buildx-config"] !== undefined,
    ownEngine: values["docker-host"] !== undefined,
    out: values.out ?? join(repoRoot, quick ? "bench/work/quick-results" : "bench/results"),
    cleanup: !values["no-cleanup"],
    rerender: values.rerender,
    dockbuildArgs: list(values["dockbuild-args"], []),
  };
}

export class UsageError extends Error {}
