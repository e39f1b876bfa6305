// Whole generated projects around a compose file: services with every form of `build:`, Dockerfiles whose
// FROM lines name other services' images, anchors and merge keys, extends (same file and `file:`),
// include, an override file with `!reset`/`!override`, profiles, `.env`, interpolation everywhere.
import { genDockerfile } from "./gen-dockerfile.mjs";
import { genEnvFile } from "./gen-env.mjs";
import { imageReference, interpolated, serviceNames } from "./gen-values.mjs";
import { emitYaml, yalias, ymap, yscalar, yseq } from "./yaml-emit.mjs";

/**
 * @typedef {{ path: string, content?: import("./content.mjs").Content, symlink?: string, fifo?: boolean, dir?: boolean }} CaseFile
 * @typedef {{ files: CaseFile[], args: string[], env: Record<string, string>, services: string[], composeFile: string }} Project
 */

/** A project under `repo/`; `composeFile` is the path of the main compose file (for mutations). */
export function genComposeProject(random) {
  // Half the projects use only valid forms, so that inputs reach the graph and the plan, not just the loader.
  const strict = random.chance(0.5);
  const bad = (weight) => (strict ? 0 : weight);
  /** @type {CaseFile[]} */
  const files = [];
  const args = [];
  const env = {};
  const count = random.log(1, 7);
  const names = serviceNames(random, count, strict);
  const images = Object.fromEntries(
    names.map((n) => [
      n,
      random.chance(0.7) ? imageReference(random, n.toLowerCase() || "x", strict) : undefined,
    ]),
  );
  const plainImages = Object.values(images).filter((i) => i && !i.includes("$"));
  const stagesOf = new Map();
  const dockerfileFor = (dir, name = "Dockerfile") => {
    const path = `repo/${dir}/${name}`.replace(/\/\.\//g, "/").replace(/\/+/g, "/");
    if (!stagesOf.has(path)) {
      const { text, stages } = genDockerfile(random, { images: plainImages, strict });
      files.push({ path, content: text });
      stagesOf.set(path, stages);
    }
    return stagesOf.get(path);
  };

  const top = [];
  const anchors = [];
  if (random.chance(0.3))
    top.push(["name", random.pick(["acme", "${PROJECT:-acme}", "Acme Corp", "my_app"])]);
  if (random.chance(0.05)) top.push(["version", random.pick(["3.8", "'3'"])]);
  if (random.chance(0.3)) {
    top.push([
      "x-common",
      ymap(
        { labels: { team: "core" }, environment: { NODE_ENV: interpolated(random, "production") } },
        { anchor: "common" },
      ),
    ]);
    top.push(["x-args", ymap({ NODE_VERSION: interpolated(random, "22", strict) }, { anchor: "args" })]);
    anchors.push("common");
  }
  const secrets = random.chance(0.15);
  if (secrets) files.push({ path: "repo/npmrc.txt", content: "registry=http://localhost\n" });

  const services = [];
  for (const name of names) {
    services.push([
      name,
      genService(random, { name, names, image: images[name], anchors, dockerfileFor, files, secrets, bad }),
    ]);
  }
  top.push(["services", ymap(services)]);
  if (secrets)
    top.push([
      "secrets",
      { npmrc: random.chance(0.8) ? { file: "./npmrc.txt" } : { environment: "NPM_TOKEN" } },
    ]);

  if (random.chance(0.12)) {
    const lib = genIncluded(random, files, random.chance(0.3));
    top.unshift([
      "include",
      random.chance(0.5)
        ? [lib]
        : [
            {
              path: lib,
              ...(random.chance(0.3) ? { env_file: "./lib/lib.env" } : {}),
              ...(random.chance(0.2) ? { project_directory: "./lib" } : {}),
            },
          ],
    ]);
    files.push({ path: "repo/lib/lib.env", content: "LIB_TAG=3\n" });
  }
  if (random.chance(0.12)) {
    files.push({
      path: "repo/common.yaml",
      content: emitYaml(
        ymap({
          services: {
            shared: { image: "acme/shared:1", build: { context: "./shared", args: { FROM_COMMON: "1" } } },
          },
        }),
        random,
      ),
    });
    dockerfileFor("shared");
  }

  const composeName = random.weighted([
    [5, "compose.yaml"],
    [2, "docker-compose.yml"],
    [1, "compose.yml"],
    [1, "docker-compose.yaml"],
    [0.5, "custom.yaml"],
  ]);
  const composeFile = `repo/${composeName}`;
  files.push({ path: composeFile, content: emitYaml(ymap(top), random) });
  if (composeName === "custom.yaml") args.push("-f", composeName);
  if (random.chance(0.15)) {
    const override =
      composeName === "custom.yaml" ? "custom.override.yaml" : composeName.replace(/\.ya?ml$/, ".override$&");
    files.push({ path: `repo/${override}`, content: emitYaml(genOverride(random, names, strict), random) });
    if (composeName === "custom.yaml") args.push("-f", override);
  }
  if (random.chance(0.5))
    files.push({ path: "repo/.env", content: genEnvFile(random, { services: names, strict }) });
  if (random.chance(0.1)) {
    files.push({ path: "repo/ci.env", content: genEnvFile(random, { services: names, strict }) });
    args.push("--env-file", "ci.env");
  }
  if (random.chance(0.15)) args.push("--profile", random.pick(["dev", "test", "*", strict ? "dev" : "nope"]));
  if (random.chance(0.2))
    Object.assign(
      env,
      random.pick([
        { TAG: "9" },
        { COMPOSE_PROFILES: "dev" },
        { REGISTRY: "" },
        { COMPOSE_PROJECT_NAME: "envname" },
        { DOCKER_DEFAULT_PLATFORM: "linux/arm64" },
      ]),
    );
  return { files, args, env, services: names, composeFile };
}

function genService(random, { name, names, image, anchors, dockerfileFor, files, secrets, bad }) {
  const entries = [];
  const others = names.filter((n) => n !== name);
  if (anchors.includes("common") && random.chance(0.4)) entries.push(["<<", yalias("common")]);
  if (image !== undefined) entries.push(["image", image]);
  // a service that extends another inherits its build (with its own too, only in the projects that may be wrong)
  const extendsOther = random.chance(0.15) && others.length > 0;
  if (extendsOther) {
    const other = random.pick(others);
    entries.push([
      "extends",
      random.weighted([
        [3, other],
        [2, { service: other }],
        [bad(1), { service: "shared", file: "common.yaml" }],
        [bad(1), { service: other, file: "common.yaml" }],
      ]),
    ]);
  }
  if (random.chance(extendsOther && bad(1) === 0 ? 0 : 0.85))
    entries.push(["build", genBuild(random, { others, anchors, dockerfileFor, files, secrets, bad })]);
  if (random.chance(0.2))
    entries.push(["profiles", random.sample(["dev", "test", "ci", "${PROFILE:-qa}"], random.int(1, 2))]);
  if (random.chance(0.2) && others.length > 0)
    entries.push([
      "depends_on",
      random.chance(0.5)
        ? random.sample(others, 1)
        : {
            [random.pick(others)]: {
              condition: "service_started",
              required: random.pick([true, "${REQ:-false}"]),
            },
          },
    ]);
  if (random.chance(bad(0.1)))
    entries.push(["platform", random.pick(["linux/amd64", "linux/arm64", "${PLATFORM}"])]);
  if (random.chance(0.2))
    entries.push([
      "environment",
      random.chance(0.5)
        ? { NODE_ENV: interpolated(random, "production") }
        : [`A=${interpolated(random, "1")}`, "B"],
    ]);
  if (random.chance(0.15))
    entries.push([
      "command",
      random.pick([["node", "main.js"], "sh -c 'echo $$HOME'", interpolated(random, "run")]),
    ]);
  if (random.chance(0.1)) entries.push(["ports", ["8080:80", random.pick(["3000", 3000, "${PORT:-80}:80"])]]);
  if (random.chance(0.05))
    entries.push(["env_file", random.pick([".env.local", ["a.env", { path: "b.env", required: false }]])]);
  if (random.chance(0.15))
    entries.push([
      "x-dockbuild",
      random.weighted([
        [1, { groups: ["backend"] }],
        [1, { dependsOn: others.slice(0, 1) }],
        [1, { skip: true }],
        [bad(1), random.pick([{ skip: "yes" }, { groups: "core" }, { unknown: 1 }])],
      ]),
    ]);
  if (random.chance(bad(0.04)))
    entries.push([
      random.pick(["biuld", "imgae", "deploy", "develop", "x-extra"]),
      random.pick([{}, "x", { replicas: 2 }]),
    ]);
  return ymap(entries);
}

function genBuild(random, { others, anchors, dockerfileFor, files, secrets, bad }) {
  const dir = random.weighted([
    [4, `apps/${random.pick(["a", "b", "c"])}`],
    [2, "."],
    [1, "${CTX:-./apps/a}"],
    [bad(0.5), "missing"],
    [0.3, "https://github.com/acme/repo.git#main:app"],
  ]);
  const realDir = dir.startsWith("${") ? "apps/a" : dir;
  const remote = realDir.startsWith("https://");
  const dockerfileName = random.weighted([
    [6, undefined],
    [1, "Dockerfile.dev"],
    [1, "docker/Dockerfile"],
    [bad(0.3), "nope.Dockerfile"],
    [bad(0.2), "../outside/Dockerfile"],
  ]);
  const inline = random.chance(0.05);
  let stages = [];
  if (!remote && realDir !== "missing" && !inline && dockerfileName !== "nope.Dockerfile") {
    stages = dockerfileFor(realDir, dockerfileName ?? "Dockerfile");
  }
  if (random.chance(0.2) && !remote)
    files.push({
      path: `repo/${realDir}/.dockerignore`,
      content: random.weighted([
        [1, "node_modules\n"],
        [1, "*\n!src\n"],
        [bad(1), "[\n"],
      ]),
    });
  if (random.chance(0.15) && !inline) return yscalar(dir);
  const build = [["context", dir]];
  if (dockerfileName !== undefined && !inline) build.push(["dockerfile", dockerfileName]);
  if (inline)
    build.push([
      "dockerfile_inline",
      yscalar(
        random.weighted([
          [1, "FROM busybox AS production\nRUN true\n"],
          [1, "FROM scratch\n"],
          [bad(1), "NOT A DOCKERFILE\n"],
        ]),
        { style: "literal" },
      ),
    ]);
  if (random.chance(0.6) && (stages.length > 0 || bad(1)))
    build.push([
      "target",
      random.weighted([
        [6, stages.length > 0 ? random.pick(stages) : "production"],
        [bad(1), "missing-target"],
        [bad(1), "${TARGET:-production}"],
      ]),
    ]);
  if (random.chance(0.4))
    build.push([
      "args",
      anchors.includes("common") && random.chance(0.3)
        ? yalias("args")
        : random.chance(0.7)
          ? { VERSION: interpolated(random, "1.0", bad(1) === 0), BASE: random.pick(["busybox", "${BASE}"]) }
          : ["VERSION=1", "EMPTY", `X=${interpolated(random, "", bad(1) === 0)}`],
    ]);
  if (random.chance(0.2))
    build.push([
      "tags",
      random.sample(
        ["acme/x:ci", "${REGISTRY:-local}/x:${TAG:-dev}", ...(bad(1) ? ["Bad:Tag", "acme/x:${UNSET}"] : [])],
        random.int(1, 2),
      ),
    ]);
  if (random.chance(0.15)) build.push(["labels", random.chance(0.5) ? { "org.acme.team": "core" } : ["a=b"]]);
  if (random.chance(0.15) && others.length > 0)
    build.push([
      "additional_contexts",
      {
        [random.pick(["src", "base", "shared"])]: random.pick([
          `service:${random.pick(others)}`,
          "./apps/a",
          "docker-image://busybox",
          ...(bad(1) ? ["service:missing", "./shared"] : []),
        ]),
      },
    ]);
  if (random.chance(0.1))
    build.push([
      "platforms",
      random.sample(["linux/amd64", "linux/arm64", ...(bad(1) ? ["bogus"] : [])], random.int(1, 2)),
    ]);
  if (random.chance(0.1)) build.push(["cache_from", ["type=local,src=.cache", "acme/cache:main"]]);
  if (random.chance(0.05)) build.push(["cache_to", ["type=inline"]]);
  if (secrets && random.chance(0.6))
    build.push([
      "secrets",
      random.weighted([
        [1, ["npmrc"]],
        [1, [{ source: "npmrc", target: "/root/.npmrc" }]],
        [bad(1), ["missing-secret"]],
      ]),
    ]);
  if (random.chance(0.05)) build.push(["ssh", ["default"]]);
  if (random.chance(0.05)) build.push(["network", random.pick(["host", "none"])]);
  if (random.chance(0.05))
    build.push([
      "shm_size",
      random.weighted([
        [1, "2gb"],
        [1, 1024],
        [bad(1), "lots"],
      ]),
    ]);
  if (random.chance(0.05)) build.push(["extra_hosts", ["host:127.0.0.1"]]);
  if (random.chance(0.05)) build.push(["ulimits", { nofile: { soft: 1024, hard: "${HARD:-2048}" } }]);
  if (random.chance(0.05)) build.push(["pull", random.pick([true, "yes", "${PULL:-false}"])]);
  if (random.chance(0.03)) build.push(["privileged", true]);
  if (random.chance(0.03))
    build.push([
      random.weighted([
        [bad(2), "contxt"],
        [bad(2), "dockerfle"],
        [1, "x-custom"],
      ]),
      "x",
    ]);
  return ymap(build);
}

function genIncluded(random, files, chain) {
  const services = {
    lib: { image: "acme/lib:${LIB_TAG:-1}", build: { context: ".", target: "production" } },
  };
  files.push({ path: "repo/lib/Dockerfile", content: "FROM busybox AS production\nRUN true\n" });
  const doc = { services };
  if (chain) {
    doc.include = ["../tools/compose.yaml"];
    files.push({ path: "repo/tools/compose.yaml", content: "services:\n  tool:\n    build: .\n" });
    files.push({ path: "repo/tools/Dockerfile", content: "FROM scratch\n" });
  }
  files.push({ path: "repo/lib/compose.yaml", content: emitYaml(ymap(doc), random) });
  return "./lib/compose.yaml";
}

function genOverride(random, names, strict) {
  const services = {};
  for (const name of random.sample(names, random.int(1, names.length))) {
    services[name] = random.pick([
      ...(strict ? [] : [{ build: { target: "dev" } }]),
      { build: { args: { EXTRA: "1" } } },
      { image: "acme/override:1" },
      { profiles: yseq(["dev"], { tag: "!override" }) },
      ...(strict
        ? []
        : [
            { build: ymap({ context: "." }, { tag: "!override" }) },
            { build: yscalar(null, { tag: "!reset" }) },
          ]),
      { depends_on: yseq([], { tag: "!reset" }) },
    ]);
  }
  return ymap({ services });
}
