import type { BuildJob } from "../../src/plan/types.js";

/** A build job with nothing set but what every build has; tests override what they look at. */
export function makeJob(id: string, overrides: Partial<BuildJob> = {}): BuildJob {
  const context = overrides.context ?? `/repo/${id}`;
  return {
    id,
    services: [id],
    context,
    dockerfile: `${context}/Dockerfile`,
    stages: [],
    args: {},
    tags: [`acme/${id}:dev`],
    labels: {},
    platforms: [],
    namedContexts: {},
    secrets: [],
    ssh: [],
    extraHosts: [],
    ulimits: {},
    privileged: false,
    entitlements: [],
    noCache: false,
    pull: false,
    cacheFrom: [],
    cacheTo: [],
    dependsOn: [],
    load: true,
    ...overrides,
  };
}
