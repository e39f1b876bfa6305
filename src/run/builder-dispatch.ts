import { affinityPlacement, fittingBuilders, whyNotFit, type PlacementView } from "../place/index.js";
import type { BuildJob } from "../plan/types.js";
import { createRunState, failedBy } from "./run-state.js";
import type { BuilderPool, RunJobsOptions } from "./scheduler.js";
import type { Attempt, JobOutcome, JobResult } from "./types.js";

/** How many waiting builds a free slot is offered to before one may move there. */
const LOOK_AHEAD = 32;

/** One job running on one builder (or on none), stoppable alone when its builder fails. */
interface Running {
  builder?: string;
  abort: AbortController;
}

/**
 * Run jobs over several builders: a job starts when its own dependencies are done and the placement policy
 * finds it a builder with a free slot; no builder ever runs more than its slots. A builder that fails (the
 * job's outcome says so) is left out for the rest of the run: the jobs running there are stopped and, like
 * the one that found out, run once more elsewhere. A job no builder fits fails, naming why each was dropped.
 * A job whose result exists already runs on no builder.
 */
export async function runOnBuilders(
  jobs: readonly BuildJob[],
  options: RunJobsOptions & { builders: BuilderPool },
): Promise<JobResult[]> {
  const now = options.now ?? Date.now;
  const state = createRunState(jobs, options);
  const pool = options.builders;
  const policy = pool.policy ?? affinityPlacement;
  const cap = Math.max(1, options.concurrency);
  const down = new Map(pool.down ?? []);
  const busy = new Map<string, number>();
  const running = new Map<string, Running>();
  const placed = new Map<string, string>();
  /** By context: the builder that runs or last ran a build of it. */
  const contexts = new Map<string, string>();
  const attempts = new Map<string, number>();
  const firstBuilder = new Map<string, string>();
  const ready: BuildJob[] = [];
  let idle: () => void = () => {};
  const finished = new Promise<void>((resolve) => (idle = resolve));

  let live = pool.builders.filter((b) => !down.has(b.name));
  const used = (builder: string) => busy.get(builder) ?? 0;
  const freeSlots = () => live.reduce((n, b) => n + Math.max(0, b.slots - used(b.name)), 0);
  const viewOf = (fitting: PlacementView["fitting"], mayMove: boolean): PlacementView => ({
    fitting,
    mayMove,
    contextOn: (context) => contexts.get(context),
    busy: used,
    placedOn: (key) => placed.get(key),
    dependsOn: (key) => state.byKey.get(key)?.dependsOn ?? [],
  });

  // Longest chain first; among equals, the one that became ready first.
  const addReady = (list: readonly BuildJob[]) => {
    for (const job of list) {
      const rank = state.priority.get(job.key) ?? 0;
      const at = ready.findIndex((other) => (state.priority.get(other.key) ?? 0) < rank);
      ready.splice(at < 0 ? ready.length : at, 0, job);
    }
  };

  const noBuilder = (job: BuildJob) => {
    const why = pool.builders.map((b) => {
      const gone = down.get(b.name);
      return gone !== undefined ? `${b.name}: down (${gone})` : `${b.name}: ${whyNotFit(job, b) ?? "fits"}`;
    });
    const outcome: JobOutcome = { status: "failed", errorLines: ["no fitting builder is left:", ...why] };
    addReady(state.complete(job, outcome, 0, { noBuilder: why }));
  };

  const start = (job: BuildJob, builder: string | undefined) => {
    if (builder !== undefined) busy.set(builder, used(builder) + 1);
    const number = (attempts.get(job.key) ?? 0) + 1;
    attempts.set(job.key, number);
    const abort = new AbortController();
    running.set(job.key, { ...(builder !== undefined ? { builder } : {}), abort });
    if (builder !== undefined) contexts.set(job.placementKey ?? job.key, builder);
    const upstream = new Map<string, JobResult>();
    for (const dep of job.dependsOn) {
      const result = state.results.get(dep);
      if (result !== undefined) upstream.set(dep, result);
    }
    const attempt: Attempt = { ...(builder !== undefined ? { builder } : {}), number, upstream };
    const started = now();
    options.onStarted?.(job, attempt);
    const signal = AbortSignal.any([state.stopSignal, abort.signal]);
    void Promise.resolve()
      .then(() => options.execute(job, signal, attempt))
      .catch(failedBy)
      .then((outcome) => settle(job, attempt, outcome, now() - started));
  };

  const markDown = (builder: string, reason: string) => {
    if (down.has(builder)) return;
    down.set(builder, reason);
    live = live.filter((b) => b.name !== builder);
    pool.onBuilderDown?.(builder, reason);
    for (const run of running.values()) if (run.builder === builder) run.abort.abort();
  };

  const settle = (job: BuildJob, attempt: Attempt, outcome: JobOutcome, durationMs: number) => {
    running.delete(job.key);
    const on = attempt.builder;
    if (on === undefined) {
      addReady(state.complete(job, outcome, durationMs));
      pump();
      return;
    }
    busy.set(on, used(on) - 1);
    if (outcome.builderDown !== undefined) markDown(on, outcome.builderDown);
    const lost = outcome.status !== "built" && outcome.status !== "up-to-date" && down.has(on);
    let final = outcome;
    if (lost && !state.isStopping()) {
      if (attempt.number < 2) {
        firstBuilder.set(job.key, on);
        addReady([job]);
        pump();
        return;
      }
      final = {
        ...outcome,
        status: "failed",
        errorLines: [
          ...(outcome.errorLines ?? []),
          `builder ${on} failed too (${down.get(on)}); a job runs again elsewhere once`,
        ],
      };
    }
    const ran = final.elsewhere !== true;
    if (ran && (final.status === "built" || final.status === "up-to-date")) placed.set(job.key, on);
    const retriedFrom = firstBuilder.get(job.key);
    addReady(
      state.complete(job, final, durationMs, {
        ...(ran ? { builder: on } : {}),
        ...(retriedFrom !== undefined ? { retriedFrom } : {}),
      }),
    );
    pump();
  };

  const existing = pool.existing ?? new Set<string>();
  // Free slots go first to ready builds that prefer those builders (among the first few waiting, longest chain
  // first); then a build whose preferred builder is full may move to a free one.
  const pass = (mayMove: boolean, window: number) => {
    let i = 0;
    let looked = 0;
    while (i < ready.length && running.size < cap && looked < window) {
      const job = ready[i] as BuildJob;
      if (existing.has(job.key)) {
        ready.splice(i, 1);
        start(job, undefined);
        continue;
      }
      if (freeSlots() === 0) {
        if (existing.size === 0) break;
        i += 1;
        continue;
      }
      looked += 1;
      const fitting = fittingBuilders(job, live);
      if (fitting.length === 0) {
        ready.splice(i, 1);
        noBuilder(job);
        if (state.isStopping()) ready.length = 0;
        continue;
      }
      const chosen = policy(job, viewOf(fitting, mayMove));
      const choice = fitting.find((b) => b.name === chosen);
      if (choice === undefined || used(choice.name) >= choice.slots) {
        i += 1;
        continue;
      }
      ready.splice(i, 1);
      start(job, choice.name);
    }
  };
  const pump = () => {
    if (state.isStopping()) ready.length = 0;
    pass(false, LOOK_AHEAD);
    pass(true, Infinity);
    if (running.size === 0) idle();
  };

  addReady(state.initial());
  pump();
  await finished;
  state.close();
  return state.final();
}
