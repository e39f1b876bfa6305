/** A builder as placement sees it: how many builds it runs at once, and what it can build. */
export interface BuilderSlots {
  readonly name: string;
  /** Builds it runs at once; never more. */
  readonly slots: number;
  /** The platforms it builds (`linux/amd64`); empty: whatever a build asks for. */
  readonly platforms: readonly string[];
  /** Labels services can ask for (`large`). */
  readonly labels: readonly string[];
}

/** What a service asks of the builder of its build (config `services:` or `x-dockbuild`). */
export interface BuilderRequest {
  /** This builder and no other. */
  readonly builder?: string;
  /** A builder carrying every one of these labels. */
  readonly labels: readonly string[];
}

/** A build as placement sees it. */
export interface Placeable {
  readonly key: string;
  /** Keys of the builds whose images it uses. */
  readonly dependsOn: readonly string[];
  readonly platforms: readonly string[];
  readonly builderRequest?: BuilderRequest;
  /** What the rendezvous hash is taken of (the build context, relative to the project); else the key. */
  readonly placementKey?: string;
}

/** Why a build prefers a builder. */
export type PlacementReason =
  /** the service asked for that builder by name */
  | "pinned"
  /** a build of the same context runs (or ran) there: they share stages and cache mounts */
  | "stages"
  /** it ran the build's nearest upstream image, so that image is already there */
  | "upstream"
  /** the rendezvous hash of the build's context chose it among those that fit */
  | "hash";

/** The builder a build prefers, and why. */
export interface Preference {
  readonly builder: string;
  readonly reason: PlacementReason;
}

/** What placement reads of a run in progress: where finished builds ran, and what each build uses. */
export interface PlacementState {
  /** The builder a finished build ran on; undefined when it ran nowhere (found in the registry) or not yet. */
  placedOn(key: string): string | undefined;
  /** The builds a build uses the images of. */
  dependsOn(key: string): readonly string[];
  /** The builder that runs (or last ran) a build of this context in this run, if any. */
  contextOn?(placementKey: string): string | undefined;
}

/** A run in progress as a placement policy sees it, for one ready build. */
export interface PlacementView extends PlacementState {
  /** The builders that are up and fit the build, in config order. */
  readonly fitting: readonly BuilderSlots[];
  /** Builds running on this builder now. */
  busy(builder: string): number;
  /**
   * False while free slots go to the builds that prefer those builders; true once a build whose preferred
   * builder is full may move.
   */
  readonly mayMove: boolean;
}

/**
 * How a ready build's builder is chosen: the name of a fitting builder with a free slot to start it on now,
 * or undefined to wait until a slot frees. dockbuild's is `affinityPlacement`; others exist for comparison.
 */
export type PlacementPolicy = (job: Placeable, view: PlacementView) => string | undefined;
