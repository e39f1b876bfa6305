import path from "node:path";
import type { LayerCacheSettings } from "./cache-settings.js";
import type { BuildJob, JobId } from "./types.js";

/**
 * The backend the builds run on, as far as layer cache goes: `docker` (`docker build`) reads cache from images
 * only and writes inline cache only; `buildx` does all that the builder's driver can.
 */
export type CacheBackend = "buildx" | "docker";

export interface AppliedCache {
  jobs: BuildJob[];
  /**
   * Per job key, the tags that carry its cache and are pushed after each build even without `--push`: an inline
   * cache with a `ref` is exported by pushing the image to `<ref>:<scope><job>`.
   */
  cachePushes: Map<string, string[]>;
  /** What the backend cannot do with this cache type, said once per run, with what to use instead. */
  warnings: string[];
}

/**
 * Give every job its own cache scope: `<dir>/<scope><job>` (local), `<ref>:<scope><job>` (registry),
 * `scope=<scope><job>` (gha), or its own image (inline). Each job imports only its own scope: BuildKit finds
 * every step of a build, the stages it runs and what it copies from other images included, in that build's
 * own cache; a dependency's image reaches it as an image, and the dependency's cache would only describe
 * the dependency's steps. Inline cache with a `ref` tags each image `<ref>:<scope><job>` as well and pushes it
 * there after the build (see `cachePushes`); without a ref it is read from the image's first tag, which is
 * where `--push` puts it. A `--stage` job (`api:test`) exports to `<scope>api.test` and also reads the
 * service's scope, whose stages it mostly shares. The Compose file's own `cache_from`/`cache_to` are kept.
 */
export function applyCacheSettings(
  jobs: BuildJob[],
  settings: LayerCacheSettings,
  backend: CacheBackend,
): AppliedCache {
  const warnings: string[] = [];
  const cachePushes = new Map<string, string[]>();
  const docker = backend === "docker";
  const mode = `mode=${settings.mode}`;
  const withCache = jobs.map((job) => {
    const scopes = jobScopes(job, settings.scope);
    let from: string[] = [];
    let to: string[] = [];
    let tags: readonly string[] = job.tags;
    switch (settings.type) {
      case "local": {
        const dir = settings.dir as string;
        if (docker) break;
        from = scopes.read.map((s) => `type=local,src=${path.join(dir, s)}`);
        to = [`type=local,dest=${path.join(dir, scopes.write)},${mode}`];
        break;
      }
      case "registry": {
        const ref = settings.ref as string;
        from = scopes.read.map((s) => `type=registry,ref=${ref}:${s}`);
        if (!docker) to = [`type=registry,ref=${ref}:${scopes.write},${mode}`];
        break;
      }
      case "gha":
        if (docker) break;
        from = scopes.read.map((s) => `type=gha,scope=${s}`);
        to = [`type=gha,scope=${scopes.write},${mode}`];
        break;
      case "inline": {
        // Inline cache lives in the image: a build that makes no tagged image has none to read or write.
        if (!job.load || job.tags.length === 0) break;
        const own = settings.ref !== undefined ? `${settings.ref}:${scopes.write}` : (job.tags[0] as string);
        if (!tags.includes(own)) tags = [...tags, own];
        if (settings.ref !== undefined) cachePushes.set(job.key, [own]);
        from = [`type=registry,ref=${own}`];
        to = ["type=inline"];
        break;
      }
    }
    return {
      ...job,
      tags,
      cacheFrom: unique([...job.cacheFrom, ...from]),
      cacheTo: unique([...job.cacheTo, ...to]),
    };
  });

  const buildx = "a Docker client with buildx and a docker-container builder (`docker buildx create --use`)";
  const inlineInstead = "--cache-type inline (the cache travels inside each image; share it with --push)";
  if (docker && settings.type === "local") {
    warnings.push(
      `layer cache type local: the docker backend (\`docker build\`) can neither read nor write a cache folder; ` +
        `no layer cache is used. Use ${inlineInstead}, or ${buildx}`,
    );
  } else if (docker && settings.type === "registry") {
    warnings.push(
      `layer cache type registry: the docker backend (\`docker build\`) reads ${settings.ref}:<service> but cannot ` +
        `write it (it exports inline cache only). Use ${inlineInstead}, or ${buildx}`,
    );
  } else if (docker && settings.type === "gha") {
    warnings.push(
      `layer cache type gha: the docker backend (\`docker build\`) can neither read nor write GitHub's cache ` +
        `service; no layer cache is used. Use ${inlineInstead}, or ${buildx}`,
    );
  }
  const localOnly = withCache.filter(
    (j) => settings.type === "inline" && settings.ref === undefined && j.load && isLocalName(j.tags[0]),
  );
  if (localOnly.length > 0) {
    warnings.push(
      `layer cache type inline: ${localOnly.map((j) => j.key).join(", ")} read their cache from their own images ` +
        `(${localOnly.map((j) => j.tags[0]).join(", ")}), whose names have no registry, so only this engine's ` +
        "images have it. To share it between machines, name the images in a registry (image: " +
        "registry.example.com/…) and use --push, or give --cache-ref REPOSITORY",
    );
  }
  if (settings.type === "inline" && settings.mode === "max") {
    warnings.push(
      "layer cache type inline is always mode=min (only the final stage's steps travel in the image); for the " +
        "steps of every stage use --cache-type registry or local with buildx",
    );
  }
  return { jobs: withCache, cachePushes, warnings };
}

/**
 * The scope a job writes (`<prefix><service>`, or `<prefix><service>.<stage>` for a `--stage` job) and the
 * scopes it reads (its own, then the service's for a stage job).
 */
export function jobScopes(job: { id: JobId }, prefix: string): { write: string; read: string[] } {
  const { service, stage } = job.id;
  const own = stage === undefined ? `${prefix}${service}` : `${prefix}${service}.${stage}`;
  return { write: own, read: unique([own, `${prefix}${service}`]) };
}

/** A one-part name (`acme-api`, Compose's default) lives in no registry one can push to. */
function isLocalName(tag: string | undefined): boolean {
  return tag !== undefined && !tag.includes("/");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
