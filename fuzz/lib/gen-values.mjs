// Values shared by the generators: interpolation in every form Compose knows (and a few it refuses), image
// references valid and not, service names.

export const VARIABLES = [
  "TAG",
  "REGISTRY",
  "BASE",
  "TARGET",
  "CTX",
  "NODE_VERSION",
  "EMPTY",
  "UNSET",
  "PROFILE",
  "A",
  "B",
];

/** What the generated `.env` files and the process environment may set. */
export const SET_VARIABLES = {
  TAG: "1.2",
  REGISTRY: "registry.local:5000",
  BASE: "busybox",
  TARGET: "production",
  CTX: "./apps/a",
  EMPTY: "",
};

/** A string with zero or more interpolations, `literal` kept somewhere in it. */
export function interpolated(random, literal = "", strict = false) {
  const parts = [];
  if (random.chance(0.5)) parts.push(literal);
  for (
    let i = random.weighted([
      [5, 0],
      [4, 1],
      [2, 2],
      [1, 3],
    ]);
    i > 0;
    i--
  )
    parts.push(expression(random, 0, strict));
  if (parts.length === 0 || random.chance(0.3)) parts.push(literal);
  return parts.join(random.pick(["", "", "-", "/", ":"]));
}

/** One `$…` expression, valid or (rarely) malformed. */
export function expression(random, depth, strict = false) {
  const name = random.pick(VARIABLES);
  const inner = () =>
    depth < 3 && random.chance(0.3)
      ? expression(random, depth + 1, strict)
      : random.pick(["x", "default", "1.0", "", "a b", "./ctx"]);
  return random.weighted([
    [3, `\${${name}}`],
    [2, `$${name}`],
    [3, `\${${name}:-${inner()}}`],
    [1, `\${${name}-${inner()}}`],
    [1, `\${${name}:+${inner()}}`],
    [1, `\${${name}+${inner()}}`],
    [strict ? 0 : 0.5, `\${${name}:?${random.pick(["must be set", ""])}}`],
    [strict ? 0 : 0.5, `\${${name}?err}`],
    [1, "$$"],
    [0.5, "$$HOME"],
    [
      strict ? 0 : 0.2,
      random.pick([
        "${",
        "${}",
        "${ A}",
        "${A",
        "${A:-",
        "${:-x}",
        "${A:x}",
        "${A!}",
        "$",
        "$(cmd)",
        "${A:-${B:-}",
        "$1",
        "${A[0]}",
      ]),
    ],
  ]);
}

/** An image reference: mostly valid, sometimes what Docker refuses. */
export function imageReference(random, name = "app", strict = false) {
  return random.weighted([
    [5, `acme/${name}:dev`],
    [2, `registry.local:5000/acme/${name}:${random.pick(["1.0", "latest", "sha-abc"])}`],
    [1, `${name}@sha256:${"0".repeat(64)}`],
    [1, `\${REGISTRY:-local}/${name}:\${TAG}`],
    [strict ? 0 : 1, `acme/${name}:\${UNSET}`],
    [
      strict ? 0 : 0.4,
      random.pick([
        `acme/${name.toUpperCase()}:dev`,
        "--format={{.Id}}",
        "acme//x",
        "acme/x:",
        ":tag",
        "a b",
        "x".repeat(300),
        "acme/x:" + "t".repeat(200),
        "-x",
        "acme/x@sha256:short",
        "UPPER",
      ]),
    ],
  ]);
}

const NAMES = [
  "api",
  "web",
  "worker",
  "base",
  "db",
  "cli",
  "assets",
  "auth",
  "svc-1",
  "svc_2",
  "gateway",
  "docs",
];
const ODD_NAMES = ["Api", "with space", "ünïcode", "-dash", "a".repeat(70), "1", "x.y", ""];

/** Distinct service names, rarely one that Compose refuses. */
export function serviceNames(random, count, strict = false) {
  const names = random.sample(NAMES, count);
  if (!strict && random.chance(0.05) && names.length > 0) names[0] = random.pick(ODD_NAMES);
  return names;
}
