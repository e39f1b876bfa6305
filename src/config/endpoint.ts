/** How dockbuild reaches one builder, from its `endpoint:` in the config. */
export type BuilderEndpoint =
  /** a Docker engine at a host address: `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host` */
  | { kind: "docker"; host: string }
  /** a Docker context by name (`docker context ls`) */
  | { kind: "docker-context"; context: string }
  /** a buildx builder by name (`docker buildx ls`), of any driver */
  | { kind: "buildx"; builder: string };

const HOST = /^(unix:\/\/\/.+|tcp:\/\/[^/\s]+|ssh:\/\/[^/\s]+.*|npipe:\/\/.+)$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The forms an endpoint may take, for messages. */
export const ENDPOINT_FORMS =
  "docker:unix:///path/docker.sock, docker:tcp://HOST:PORT, docker:ssh://USER@HOST, docker-context:NAME or buildx:NAME";

/** Read `docker:unix:///…`, `docker-context:NAME` or `buildx:NAME`; a sentence saying what is wrong otherwise. */
export function parseEndpoint(text: string): BuilderEndpoint | { error: string } {
  const colon = text.indexOf(":");
  const scheme = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? "" : text.slice(colon + 1);
  switch (scheme) {
    case "docker":
      return HOST.test(rest)
        ? { kind: "docker", host: rest }
        : { error: `"${text}": after docker: comes a host address (unix:///…, tcp://…, ssh://…)` };
    case "docker-context":
      return NAME.test(rest)
        ? { kind: "docker-context", context: rest }
        : { error: `"${text}": after docker-context: comes the name of a Docker context` };
    case "buildx":
      return NAME.test(rest)
        ? { kind: "buildx", builder: rest }
        : { error: `"${text}": after buildx: comes the name of a buildx builder` };
    default:
      return { error: `"${text}" is not an endpoint; use ${ENDPOINT_FORMS}` };
  }
}
