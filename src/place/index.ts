export {
  fittingBuilders,
  mergeBuilderRequest,
  normalizePlatform,
  requestProblems,
  whyNotFit,
} from "./fit.js";
export {
  affinityPlacement,
  leastBusy,
  nearestUpstreamBuilder,
  planPlacement,
  preferredBuilder,
} from "./prefer.js";
export { rendezvousBuilder, rendezvousScore } from "./rendezvous.js";
export type {
  BuilderRequest,
  BuilderSlots,
  Placeable,
  PlacementPolicy,
  PlacementReason,
  PlacementState,
  PlacementView,
  Preference,
} from "./types.js";
