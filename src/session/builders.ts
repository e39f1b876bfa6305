import { builderTarget, engineArgsForEndpoint } from "../backends/builder-target.js";
import { openEngine, wrapEngine, type Engine, type OpenEngineOptions } from "../backends/index.js";
import { parseEndpoint } from "../config/endpoint.js";
import type { BuilderConfig, Config } from "../config/schema.js";
import { DockbuildError, InputError } from "../errors.js";
import type { BuilderSlots } from "../place/index.js";

/** One builder a run can start builds on. */
export interface OpenBuilder {
  slots: BuilderSlots;
  engine: Engine;
  /** Id of the engine whose image store its results land in, when it answered. */
  storeId?: string;
  /** Whether its builds read that store (`FROM` an image it holds): the docker backend and buildx's docker driver. */
  readsStore: boolean;
}

/** The builders of a run: those that answered, and why each other one was left out. */
export interface Builders {
  open: OpenBuilder[];
  down: Map<string, string>;
  /** Every builder the run may use (live or not), in config order. */
  all: BuilderSlots[];
  /** Configured builders that `--builder` left out. */
  excluded?: string[];
}

/** The builder a run with a `registry:` but no `builders:` has: the engine the Docker client reaches. */
export const LOCAL_BUILDER = "local";

/** Builds a builder runs at once when its `slots` are not given. */
export const DEFAULT_SLOTS = 4;

/** The configured builders, restricted to `only` (`--builder`, repeatable); a name not configured is bad input. */
export function selectBuilderConfigs(
  config: Config,
  only: readonly string[],
  configFile?: string,
): BuilderConfig[] {
  const builders = config.builders ?? [];
  const names = builders.map((b) => b.name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      unknown.map((name) => ({
        ...(configFile !== undefined ? { location: { file: configFile } } : {}),
        message: `--builder ${name}: no builder of that name is configured`,
        hint:
          names.length > 0
            ? `the builders are ${names.join(", ")}`
            : "list builders under `builders:` in the config",
      })),
    );
  }
  return only.length === 0 ? builders : builders.filter((b) => only.includes(b.name));
}

/** A configured builder as placement sees it. */
export function builderSlots(builder: BuilderConfig): BuilderSlots {
  return {
    name: builder.name,
    slots: builder.slots ?? DEFAULT_SLOTS,
    platforms: builder.platforms ?? [],
    labels: builder.labels ?? [],
  };
}

/**
 * Detect every builder at once (this is the check before dispatch): one that does not answer is left out
 * with the reason, for the whole run. A dry run goes on with the commands each builder would get.
 */
export async function openBuilders(
  configs: readonly BuilderConfig[],
  base: Pick<OpenEngineOptions, "dockerBinary" | "backend" | "env" | "dryRun">,
  excluded: readonly string[] = [],
): Promise<Builders> {
  const down = new Map<string, string>();
  const opened = await Promise.all(
    configs.map(async (config): Promise<OpenBuilder | undefined> => {
      const endpoint = parseEndpoint(config.endpoint);
      if ("error" in endpoint)
        throw new DockbuildError("BAD_INPUT", `builder ${config.name}: ${endpoint.error}`);
      const target = builderTarget(endpoint);
      try {
        const detected = await openEngine({
          ...base,
          ...target,
          ...(target.backend !== undefined ? { backend: target.backend } : {}),
        });
        const info = detected.info;
        const engine =
          info.buildxBuilder !== undefined &&
          info.buildxDriver === "docker" &&
          info.buildxEndpoint !== undefined
            ? wrapEngine({ ...info, clientArgs: engineArgsForEndpoint(info.buildxEndpoint) })
            : detected;
        const storeId = base.dryRun ? undefined : await engine.engineId();
        return {
          slots: builderSlots(config),
          engine,
          ...(storeId !== undefined ? { storeId } : {}),
          readsStore: info.backend === "docker" || info.buildxDriver === "docker",
        };
      } catch (error) {
        down.set(config.name, error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error));
        return undefined;
      }
    }),
  );
  return {
    open: opened.filter((b): b is OpenBuilder => b !== undefined),
    down,
    all: configs.map(builderSlots),
    ...(excluded.length > 0 ? { excluded: [...excluded] } : {}),
  };
}

/** The one builder of a run that has a registry but no `builders:`: the engine the client reaches. */
export async function localBuilder(engine: Engine, slots: number): Promise<Builders> {
  const storeId = await engine.engineId();
  const builder: OpenBuilder = {
    slots: { name: LOCAL_BUILDER, slots, platforms: [], labels: [] },
    engine,
    ...(storeId !== undefined ? { storeId } : {}),
    readsStore: engine.info.backend === "docker" || engine.info.buildxDriver === "docker",
  };
  return { open: [builder], down: new Map(), all: [builder.slots] };
}
