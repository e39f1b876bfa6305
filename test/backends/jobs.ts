import type { EngineInfo } from "../../src/backends/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import { makeJob } from "../helpers/build-job.js";

/** A job with nothing set but what every build has. */
export function job(over: Partial<BuildJob> = {}): BuildJob {
  return makeJob("api", {
    context: "/repo/api",
    dockerfile: "/repo/api/Dockerfile",
    stages: ["production"],
    ...over,
  });
}

/** Docker 20.10's own client on a 20.10 engine: BuildKit 0.8, no named contexts. */
export const DOCKER_20: EngineInfo = {
  backend: "docker",
  dockerBinary: "/usr/bin/docker",
  clientVersion: "20.10.24+dfsg1",
  serverVersion: "20.10.24+dfsg1",
  namedContexts: false,
};

/** buildx with a docker-container builder running a recent BuildKit. */
export const BUILDX_CONTAINER: EngineInfo = {
  backend: "buildx",
  dockerBinary: "docker",
  clientVersion: "27.3.1",
  serverVersion: "27.3.1",
  buildxVersion: "0.17.1",
  buildxDriver: "docker-container",
  buildkitVersion: "0.16.0",
  namedContexts: true,
};

/** buildx on the docker driver of a recent engine. */
export const BUILDX_DOCKER: EngineInfo = {
  ...BUILDX_CONTAINER,
  buildxDriver: "docker",
  buildkitVersion: "0.16.0",
};
