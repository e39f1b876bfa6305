/** A package manager's download cache, one folder a `RUN --mount=type=cache` can keep between builds. */
export type CacheKind =
  /** npm's `_cacache` (`npm_config_cache`, default `~/.npm`) */
  | "npm"
  /** pnpm's content-addressed store */
  | "pnpm"
  /** Yarn 1's cache (`/usr/local/share/.cache/yarn` as root) */
  | "yarn"
  /** Yarn 2+'s global cache (`~/.yarn/berry/cache`) */
  | "yarn-berry"
  /** pip's HTTP and wheel cache (`~/.cache/pip`) */
  | "pip"
  /** Poetry's cache (`~/.cache/pypoetry`) */
  | "poetry"
  /** uv's cache (`~/.cache/uv`) */
  | "uv"
  /** Go's module cache (`$GOPATH/pkg/mod`) */
  | "go-mod"
  /** Go's build cache (`~/.cache/go-build`) */
  | "go-build"
  /** downloaded gems (`$GEM_HOME/cache`) */
  | "bundler"
  /** Cargo's registry (`$CARGO_HOME/registry`) */
  | "cargo"
  /** Composer's cache */
  | "composer"
  /** apt's downloaded packages (`/var/cache/apt`), locked by apt */
  | "apt-cache"
  /** apt's package lists (`/var/lib/apt`), locked by apt */
  | "apt-lists"
  /** apk's cache (`/etc/apk/cache`), locked by apk */
  | "apk";

/** Where a cache is, given the variables in scope and the user's home folder. */
interface CacheSpec {
  /** Path fragments that name this cache wherever it is mounted. */
  markers: string[];
  /** The folder for these variables (`env`) and this home folder. */
  path(env: Record<string, string | undefined>, home: string): string;
  /** Whether the manager locks the folder, so that builds must take turns (`sharing=locked`). */
  locked?: boolean;
}

const xdgCache = (env: Record<string, string | undefined>, home: string) =>
  env.XDG_CACHE_HOME ?? `${home}/.cache`;

export const CACHES: Record<CacheKind, CacheSpec> = {
  npm: {
    markers: ["/.npm"],
    path: (env, home) => env.npm_config_cache ?? env.NPM_CONFIG_CACHE ?? `${home}/.npm`,
  },
  pnpm: {
    markers: ["pnpm/store", "/.pnpm-store"],
    path: (env, home) =>
      env.npm_config_store_dir ??
      (env.PNPM_HOME
        ? `${env.PNPM_HOME}/store`
        : `${env.XDG_DATA_HOME ?? `${home}/.local/share`}/pnpm/store`),
  },
  yarn: {
    markers: ["/.cache/yarn", "/yarn/v6", "/.yarn-cache"],
    path: (env, home) =>
      env.YARN_CACHE_FOLDER ?? (home === "/root" ? "/usr/local/share/.cache/yarn" : `${home}/.cache/yarn`),
  },
  "yarn-berry": {
    markers: ["/berry/cache", "/.yarn/cache"],
    path: (env, home) => `${env.YARN_GLOBAL_FOLDER ?? `${home}/.yarn/berry`}/cache`,
  },
  pip: { markers: ["/.cache/pip"], path: (env, home) => env.PIP_CACHE_DIR ?? `${xdgCache(env, home)}/pip` },
  poetry: {
    markers: ["/pypoetry"],
    path: (env, home) => env.POETRY_CACHE_DIR ?? `${xdgCache(env, home)}/pypoetry`,
  },
  uv: { markers: ["/.cache/uv"], path: (env, home) => env.UV_CACHE_DIR ?? `${xdgCache(env, home)}/uv` },
  "go-mod": {
    markers: ["/pkg/mod"],
    path: (env) => env.GOMODCACHE ?? `${env.GOPATH ?? "/go"}/pkg/mod`,
  },
  "go-build": {
    markers: ["/go-build"],
    path: (env, home) => env.GOCACHE ?? `${xdgCache(env, home)}/go-build`,
  },
  bundler: {
    markers: ["/bundle/cache", "/.bundle/cache", "/.gem"],
    path: (env) => `${env.GEM_HOME ?? env.BUNDLE_PATH ?? "/usr/local/bundle"}/cache`,
  },
  cargo: {
    markers: ["/.cargo/registry", "/cargo/registry"],
    path: (env) => `${env.CARGO_HOME ?? "/usr/local/cargo"}/registry`,
  },
  composer: {
    markers: ["/composer/cache", "/.composer/cache", "/.cache/composer"],
    path: (env, home) =>
      env.COMPOSER_CACHE_DIR ??
      (env.COMPOSER_HOME ? `${env.COMPOSER_HOME}/cache` : `${xdgCache(env, home)}/composer`),
  },
  "apt-cache": { markers: ["/var/cache/apt"], path: () => "/var/cache/apt", locked: true },
  "apt-lists": { markers: ["/var/lib/apt"], path: () => "/var/lib/apt", locked: true },
  apk: { markers: ["/etc/apk/cache", "/var/cache/apk"], path: () => "/etc/apk/cache", locked: true },
};
