// dockbuild's own config in the places cosmiconfig looks (JSON, YAML, package.json#dockbuild), with values
// valid and not, keys misspelled, and files that point elsewhere.
import { emitYaml, ymap } from "./yaml-emit.mjs";

export const CONFIG_PLACES = [
  "dockbuild.config.json",
  "dockbuild.config.yaml",
  "dockbuild.config.yml",
  ".dockbuildrc",
  ".dockbuildrc.json",
  ".dockbuildrc.yaml",
  "package.json",
];

/**
 * @param {import("./random.mjs").Random} random
 * @returns {{ place: string, value: object, text: string }}
 */
export function genConfig(random, { services = [], composeFiles = [] } = {}) {
  const value = {};
  const maybe = (p, key, make) => {
    if (random.chance(p)) value[key] = make();
  };
  const someService = () => (services.length > 0 ? random.pick(services) : "api");
  maybe(0.2, "files", () =>
    random.sample([...composeFiles, "missing.yaml", "compose.yaml"], random.int(1, 2)),
  );
  maybe(0.2, "projectName", () => random.pick(["acme", "Bad Name", "x"]));
  maybe(0.4, "groups", () => ({
    [random.pick(["backend", "all", "web"])]: random.sample([...services, "nope"], random.int(0, 3)),
  }));
  maybe(0.3, "services", () => ({
    [someService()]: random.pick([
      { args: { A: "1" } },
      { target: "test" },
      { tags: ["acme/x:ci"] },
      { args: { A: 1 } },
      { targte: "x" },
    ]),
  }));
  maybe(0.1, "docker", () => random.pick(["/usr/bin/docker", "docker", ""]));
  maybe(0.2, "backend", () => random.pick(["auto", "buildx", "docker", "podman"]));
  maybe(0.2, "concurrency", () => random.pick([1, 4, 0, -1, 2.5, "4"]));
  maybe(0.3, "cache", () =>
    random.pick([
      { type: "local", dir: ".cache" },
      { type: "registry", ref: "registry.local/acme/cache" },
      { type: "s3" },
      { mode: "max", scope: "main-" },
      { typo: 1 },
    ]),
  );
  maybe(0.3, "check", () =>
    random.pick([
      { ignore: ["DB008", { rule: "DB004", services: [someService()] }] },
      { severity: { DB001: "off" } },
      { maxSize: { [someService()]: "120MB" } },
      { maxBuilderShare: 2 },
      { severity: { DB001: "loud" } },
    ]),
  );
  maybe(0.1, random.pick(["unknown", "file", "group"]), () => true);
  const place = random.pick(CONFIG_PLACES);
  return { place, value, text: configText(random, place, value) };
}

/** The text of a config file at `place` holding `value`. */
export function configText(random, place, value) {
  if (place === "package.json") {
    const pkg = { name: "acme", private: true, ...(random.chance(0.9) ? { dockbuild: value } : {}) };
    return `${JSON.stringify(pkg, null, 2)}\n`;
  }
  const yaml =
    place.endsWith(".yaml") || place.endsWith(".yml") || (place === ".dockbuildrc" && random.chance(0.5));
  return yaml ? emitYaml(ymap(value), random) : `${JSON.stringify(value, null, random.pick([0, 2]))}\n`;
}
