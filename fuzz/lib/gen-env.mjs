// `.env` files as people write them (export, quotes, comments, references to earlier keys, blank values,
// Compose's own variables) with some lines Compose refuses.
import { SET_VARIABLES, expression } from "./gen-values.mjs";

/** @param {import("./random.mjs").Random} random */
export function genEnvFile(random, { services = [], strict = false } = {}) {
  const lines = [];
  if (random.chance(0.3)) lines.push("# generated");
  for (const [key, value] of Object.entries(SET_VARIABLES)) {
    if (random.chance(0.7)) lines.push(line(random, key, value));
  }
  for (let i = random.int(0, 5); i > 0; i--) {
    const key = random.pick(["NODE_VERSION", "DERIVED", "A", "B", "lower_case", "WITH_DOTS.x", "PROFILE"]);
    lines.push(
      line(
        random,
        key,
        random.chance(0.5) ? expression(random, 0, strict) : random.pick(["x", "1", "a b", "#no"]),
      ),
    );
  }
  if (random.chance(0.15)) lines.push(`COMPOSE_PROFILES=${random.pick(["dev", "*", "dev,test", ""])}`);
  if (random.chance(0.1))
    lines.push(`COMPOSE_PROJECT_NAME=${random.pick(strict ? ["acme", "x_y"] : ["acme", "Bad Name", "x_y"])}`);
  if (!strict && random.chance(0.05))
    lines.push(
      `COMPOSE_FILE=${random.pick(["compose.yaml", "compose.yaml:compose.extra.yaml", "missing.yaml"])}`,
    );
  if (!strict && random.chance(0.05))
    lines.push(`DOCKER_DEFAULT_PLATFORM=${random.pick(["linux/amd64", "linux/arm64", "bogus"])}`);
  if (random.chance(0.1) && services.length > 0) lines.push(`SERVICE=${random.pick(services)}`);
  if (!strict && random.chance(0.1))
    lines.push(
      random.pick([
        "NOEQUALS",
        "=value",
        "BAD KEY=1",
        'UNCLOSED="abc',
        "  SPACED = yes  ",
        "export",
        "A=${",
        "Ü=1",
      ]),
    );
  return `${lines.join(random.chance(0.05) ? "\r\n" : "\n")}\n`;
}

function line(random, key, value) {
  const quoted = random.weighted([
    [4, value],
    [2, `"${value.replaceAll('"', '\\"')}"`],
    [1, `'${value}'`],
    [0.3, `"${value}\\nsecond line"`],
    [0.3, `"${value}\nreal second line"`],
    [0.3, `${value} # comment`],
  ]);
  return `${random.chance(0.1) ? "export " : ""}${key}=${quoted}`;
}
