import type { Engine, EngineHealth } from "../backends/index.js";
import type { JobOutcome, JobResult } from "../run/types.js";

/** The engine stopped answering during the run: where it was, and what asking it gave. */
export interface EngineLoss {
  endpoint: string;
  why: string;
}

/**
 * The engine of a run, asked whether it is still there when a build fails or goes silent. A build whose engine
 * died fails with only `unexpected EOF`; asking tells that apart from a build that failed on its own, and stops
 * the run at once (keep-going or not: every other build would fail the same way).
 */
export interface EngineWatch {
  /** Aborted when the engine is found gone. */
  signal: AbortSignal;
  /** Set once the engine is found gone. */
  lost(): EngineLoss | undefined;
  /** After a job's outcome: a failure is the moment to ask (the answer comes later; see `settled`). */
  afterJob(outcome: JobOutcome): void;
  /** Once every question asked so far has its answer. */
  settled(): Promise<void>;
  /** For a silent build's warning: whether the engine still answers (a warning only: the run goes on). */
  describeStall(): Promise<string>;
}

export function watchEngine(engine: Pick<Engine, "health">): EngineWatch {
  const gone = new AbortController();
  let loss: EngineLoss | undefined;
  // Builds that fail together (as all do when the engine dies) share one question.
  let asking: Promise<EngineHealth> | undefined;
  const ask = (): Promise<EngineHealth> => {
    asking ??= engine
      .health()
      .catch((): EngineHealth => ({ answers: true }))
      .finally(() => {
        asking = undefined;
      });
    return asking;
  };
  // Only a failed build's question can end the run: a silent one may be an engine that is only slow.
  let failedAsked: Promise<void> | undefined;
  return {
    signal: gone.signal,
    lost: () => loss,
    afterJob(outcome) {
      if (outcome.status !== "failed" || loss !== undefined) return;
      failedAsked = ask().then((health) => {
        if (health.answers || loss !== undefined) return;
        loss = { endpoint: health.endpoint, why: health.why };
        gone.abort();
      });
    },
    async settled() {
      while (failedAsked !== undefined) {
        const pending = failedAsked;
        await pending;
        if (failedAsked === pending) failedAsked = undefined;
      }
    },
    async describeStall() {
      const health = await ask();
      return health.answers
        ? "the engine answers (a step that prints nothing while it works?)"
        : `the engine at ${health.endpoint} does not answer: ${health.why}`;
    },
  };
}

/** Every job the lost engine failed or cancelled says so in its result (and so in the metadata file). */
export function withEngineLoss(results: readonly JobResult[], loss: EngineLoss): JobResult[] {
  const reason = `the Docker engine at ${loss.endpoint} stopped answering (${loss.why})`;
  return results.map((result) =>
    result.status === "failed" || result.status === "cancelled" ? { ...result, reason } : result,
  );
}
