import { jobKey, type BuildJob, type JobId } from "../../src/plan/types.js";

/** A job id from its text form: `api`, or `api:test` for a stage job. */
export function parseJobKey(key: string): JobId {
  const colon = key.indexOf(":");
  return colon < 0 ? { service: key } : { service: key.slice(0, colon), stage: key.slice(colon + 1) };
}

/**
 * The one factory of build jobs for tests: nothing set but what every build has; tests override what they
 * look at. `key` is `api`, or `api:test` for a stage job.
 */
export function makeJob(key: string, overrides: Partial<BuildJob> = {}): BuildJob {
  const id = overrides.id ?? parseJobKey(key);
  const context = overrides.context ?? `/repo/${id.service}`;
  return {
    id,
    key: jobKey(id),
    services: [jobKey(id)],
    context,
    dockerfile: `${context}/Dockerfile`,
    dockerfileText: "FROM scratch\n",
    stages: [],
    args: {},
    tags: [`acme/${id.service}:dev`],
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
    push: [],
    externalImages: [],
    cacheMounts: [],
    ...overrides,
  };
}
