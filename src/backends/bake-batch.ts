import { runCommand } from "../exec/index.js";
import type { BuildJob } from "../plan/types.js";
import { normalizeImageRef } from "../util/image-ref.js";
import { bakeDefinition, bakeTargetOf, type BakeTarget } from "./bake-target.js";
import { createBakeDemux } from "./bake-progress.js";
import { runBuild, type RunBuildOptions } from "./build.js";
import { buildCommand, buildxInvocation, formatCommand, type BuildCommand } from "./command.js";
import { planNamedContexts } from "./named-contexts.js";
import { createProgressParser, type ProgressParser } from "./progress.js";
import type { BuildOutcome, EngineInfo } from "./types.js";

/** One build as the engine is asked for it. */
interface Request {
  job: BuildJob;
  options: RunBuildOptions;
  resolve(outcome: BuildOutcome): void;
  reject(error: unknown): void;
}

/** A request that goes into a bake, with its target and the command it stands for. */
interface Baked extends Request {
  name: string;
  command: BuildCommand;
  target: BakeTarget;
  parser: ProgressParser;
  done: boolean;
  /** Its own signal was aborted (a time limit, an interrupt): it ends cancelled, never runs again. */
  aborted: boolean;
}

/**
 * Builds started together (in one turn of the event loop: jobs that became ready at once) run as one
 * `buildx bake` of generated targets: one process and one connection to the engine instead of one per build.
 * Each build still reports its own lines and steps and ends as soon as the engine has named its image, so that
 * what depends on it starts at once. When the bake fails (bake stops every target at the first error), each
 * build it did not finish runs again on its own, exactly as an unbatched build: its own outcome, error lines,
 * keep-going and cancellation are as they always were. A build whose own signal is aborted (its time limit)
 * stops the bake and ends cancelled; the others it did not finish run again on their own. A build bake
 * cannot express runs on its own too.
 */
export function createBuildBatcher(
  engine: EngineInfo,
  single: (job: BuildJob, options: RunBuildOptions) => Promise<BuildOutcome> = (job, options) =>
    runBuild(job, engine, options),
): (job: BuildJob, options: RunBuildOptions) => Promise<BuildOutcome> {
  let pending: Request[] = [];
  const flush = () => {
    const requests = pending;
    pending = [];
    void runGroup(requests);
  };
  const runGroup = async (group: Request[]) => {
    const { baked, alone } = planBatch(group, engine);
    for (const r of alone) single(r.job, r.options).then(r.resolve, r.reject);
    if (baked.length === 0) return;
    const unfinished = await runBake(baked, engine).catch((error: unknown) => {
      for (const r of baked) if (!r.done) r.reject(error);
      return [];
    });
    for (const r of unfinished) single(r.job, r.options).then(r.resolve, r.reject);
  };
  return (job, options) =>
    new Promise<BuildOutcome>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ job, options, resolve, reject });
    });
}

/** Which requests go into one bake (at least two, each with a bake target, no tag shared) and which run alone. */
function planBatch(group: Request[], engine: EngineInfo): { baked: Baked[]; alone: Request[] } {
  const baked: Baked[] = [];
  const alone: Request[] = [];
  const tags = new Set<string>();
  for (const request of group) {
    const { handOff } = request.options;
    const contexts = planNamedContexts(request.job, engine, handOff?.contexts);
    const command = buildCommand(request.job, engine, { progress: "plain", ...(handOff ? { handOff } : {}) });
    // images read from a registry rewrite the Dockerfile: such a build runs on its own, as named contexts do
    const rewritten =
      Object.keys({ ...contexts.rewrites, ...handOff?.images, ...handOff?.contexts }).length > 0;
    const target = contexts.errors.length > 0 || rewritten ? undefined : bakeTargetOf(command);
    const own = (target?.tags ?? []).map(normalizeImageRef);
    if (target === undefined || own.some((t) => tags.has(t))) {
      alone.push(request);
      continue;
    }
    for (const t of own) tags.add(t);
    const name = `dockbuild-${baked.length}`;
    baked.push({
      ...request,
      name,
      command,
      target,
      parser: createProgressParser(),
      done: false,
      aborted: false,
    });
  }
  return baked.length < 2 ? { baked: [], alone: group } : { baked, alone };
}

/**
 * Run one bake of `baked`, settling each build the engine finished (every one, when bake succeeds) and, as
 * cancelled, each whose own signal was aborted (which stops the bake); returns the builds left to run on their own.
 */
async function runBake(baked: Baked[], engine: EngineInfo): Promise<Baked[]> {
  const stop = new AbortController();
  const listeners = baked.map((b) => {
    const onAbort = () => {
      b.aborted = true;
      stop.abort();
    };
    if (b.options.signal.aborted) onAbort();
    else b.options.signal.addEventListener("abort", onAbort, { once: true });
    return () => b.options.signal.removeEventListener("abort", onAbort);
  });
  try {
    return await bake(baked, engine, stop.signal);
  } finally {
    for (const remove of listeners) remove();
  }
}

async function bake(baked: Baked[], engine: EngineInfo, signal: AbortSignal): Promise<Baked[]> {
  const byName = new Map(baked.map((b) => [b.name, b]));
  const invocation = buildxInvocation(engine, "bake");
  const file = invocation.file;
  const args = [...invocation.args, "-f", "-", "--progress=plain"];
  const shown = formatCommand({ file, args, env: {} });
  const outcome = (b: Baked, ok: boolean): BuildOutcome => {
    const summary = b.parser.summary();
    return {
      ok,
      cancelled: !ok,
      command: `${shown} ${b.name} # ${formatCommand(b.command)}`,
      steps: summary.steps,
      cachedSteps: summary.cachedSteps,
      errorLines: [],
      warnings: b.command.warnings,
    };
  };
  const finish = (b: Baked, ok: boolean) => {
    if (b.done) return;
    b.done = true;
    b.resolve(outcome(b, ok));
  };
  for (const b of baked) for (const warning of b.command.warnings) b.options.onWarning?.(warning);
  const settle = (): Baked[] => {
    for (const b of baked) if (b.aborted) finish(b, false);
    return baked.filter((b) => !b.done);
  };
  if (signal.aborted) return settle();
  const demux = createBakeDemux(new Map(baked.map((b) => [b.name, b.target.tags ?? []])));
  const env = Object.assign({}, ...baked.map((b) => ({ ...b.options.env, ...b.command.env })));
  const result = await runCommand(file, [...args, ...baked.map((b) => b.name)], {
    env,
    input: bakeDefinition(new Map(baked.map((b) => [b.name, b.target]))),
    signal,
    detached: true,
    onLine: (line) => {
      const routed = demux.push(line);
      const b = routed.target === undefined ? undefined : byName.get(routed.target);
      // bake prints one step's lines at a time: a build's own lines may still come after its image was named
      if (b !== undefined) b.options.onLine?.(routed.line);
      if (b !== undefined && !b.done) {
        const step = b.parser.push(routed.line);
        if (step) b.options.onStep?.(step);
      }
      for (const name of routed.completed) {
        const completed = byName.get(name);
        if (completed) finish(completed, true);
      }
    },
  });
  if (!result.failed && !signal.aborted) for (const b of baked) finish(b, true);
  // stopped for one build's own signal, or failed: what it did not finish runs again on its own
  return settle();
}
