// Dockerfiles that look like real ones and stray from them the ways people's do: parser directives, global
// ARGs expanded in FROM, stages built on stages and on other services' images, COPY --from, RUN mounts,
// heredocs, continuations (with comments and blank lines inside), a changed escape character, odd casing,
// a few mistakes.

const BASES = [
  "scratch",
  "busybox",
  "alpine:3.20",
  "node:22-slim",
  "golang:1.23",
  "debian@sha256:" + "a".repeat(64),
];
const WORDS = ["deps", "build", "builder", "test", "runtime", "production", "dev", "base", "assets", "lint"];

/**
 * @param {import("./random.mjs").Random} random
 * @param {{ images?: string[] }} [options]  images of other services, for build-time edges
 * @returns {{ text: string, stages: string[] }}
 */
export function genDockerfile(random, options = {}) {
  const images = options.images ?? [];
  const bad = (weight) => (options.strict ? 0 : weight);
  const escape = random.chance(0.1) ? "`" : "\\";
  const lines = [];
  if (random.chance(0.2))
    lines.push(random.pick(["# syntax=docker/dockerfile:1", "# syntax=docker/dockerfile:1.7-labs"]));
  if (escape === "`") lines.push(random.pick(["# escape=`", "#escape=`", "# ESCAPE = `"]));
  if (random.chance(0.1)) lines.push("# check=skip=JSONArgsRecommended");
  const args = [];
  for (let i = random.int(0, 3); i > 0; i--) {
    const name = random.pick(["BASE", "VERSION", "NODE", "REGISTRY", "TAG", "A", "B"]);
    args.push(name);
    lines.push(argLine(random, name, args, images, bad));
  }
  const stages = [];
  const count = random.log(1, 8);
  for (let s = 0; s < count; s++) {
    const name = random.chance(0.8) ? uniqueName(random, stages) : undefined;
    lines.push("", fromLine(random, { stages, images, args, name, bad }));
    if (name !== undefined) stages.push(name);
    for (let i = random.log(0, 8); i > 0; i--)
      lines.push(...instruction(random, { stages, images, escape, bad }));
  }
  if (random.chance(bad(0.05))) lines.unshift(random.pick(["RUN echo before from", "COPY . .", "ENV A=1"]));
  let text = `${lines.join("\n")}\n`;
  if (random.chance(0.05)) text = text.replaceAll("\n", "\r\n");
  if (random.chance(0.03)) text = `\uFEFF${text}`;
  return { text, stages };
}

function uniqueName(random, stages) {
  const base = random.pick(WORDS);
  return stages.includes(base) && random.chance(0.8) ? `${base}${stages.length}` : base;
}

function argLine(random, name, known, images, bad) {
  const value = random.weighted([
    [3, random.pick(BASES)],
    [1, images.length > 0 ? random.pick(images) : "busybox"],
    [1, known.length > 0 ? `\${${random.pick(known)}:-busybox}` : "x"],
    [bad(1), `\${${random.pick(["UNSET", "A", "B"])}}`],
    [bad(1), ""],
  ]);
  return random.chance(0.3) ? `ARG ${name}` : `ARG ${name}=${value}`;
}

function fromLine(random, { stages, images, args, name, bad }) {
  const source = random.weighted([
    [3, random.pick(BASES)],
    [3, stages.length > 0 ? random.pick(stages) : "scratch"],
    [2, images.length > 0 ? random.pick(images) : "busybox"],
    [bad(2), args.length > 0 ? `\${${random.pick(args)}}` : "$BASE"],
    [1, `\${${random.pick(["BASE", "UNSET"])}:-${random.pick(BASES)}}`],
    [bad(1), "$UNSET_IMAGE"],
    [bad(0.2), ""],
  ]);
  const platform = random.chance(0.1)
    ? `--platform=${random.pick(["$BUILDPLATFORM", "linux/amd64", "$TARGETPLATFORM"])} `
    : "";
  const keyword = random.chance(0.05) ? "from" : "FROM";
  const as = name === undefined ? "" : ` ${random.chance(0.05) ? "as" : "AS"} ${name}`;
  return `${keyword} ${platform}${source}${as}`.trimEnd();
}

function instruction(random, { stages, images, escape, bad }) {
  const from = () =>
    random.weighted([
      [3, stages.length > 0 ? random.pick(stages) : "0"],
      [1, images.length > 0 ? random.pick(images) : "busybox"],
      [1, String(random.int(0, 3))],
      [bad(0.3), "missing-stage"],
    ]);
  const cont = ` ${escape}\n`;
  return random.weighted([
    [4, () => [`RUN ${mounts(random, from, bad)}${shellCommand(random)}`]],
    [
      2,
      () => [
        `RUN ${mounts(random, from, bad)}${shellCommand(random)}${cont}    && ${shellCommand(random)}${random.chance(0.3) ? `${cont}    # a comment inside${cont}` : cont}    && ${shellCommand(random)}`,
      ],
    ],
    [
      1,
      () => [
        `RUN ${random.chance(0.3) ? "<<-EOF" : "<<EOF"}`,
        ...Array.from({ length: random.int(1, 4) }, () => shellCommand(random)),
        "EOF",
      ],
    ],
    [1, () => [`RUN ["/bin/sh", "-c", ${JSON.stringify(shellCommand(random))}]`]],
    [
      3,
      () => [
        `COPY ${random.chance(0.5) ? `--from=${from()} ` : ""}${random.pick(["src/", ".", "package.json", "/out/app"])} ${random.pick(["/app/", "./", "/out/"])}`,
      ],
    ],
    [1, () => ["COPY <<EOF /etc/app.conf", "key=value", "EOF"]],
    [
      1,
      () => [`ADD ${random.pick(["https://example.invalid/x.tgz", "archive.tar", "--chmod=644 a b"])} /opt/`],
    ],
    [2, () => [`ENV ${random.pick(["PATH=/bin", "A=1 B=2", "NODE_ENV production", "X=${A:-y}"])}`]],
    [1, () => [`ARG ${random.pick(["A", "B=2", "TARGETPLATFORM", "BUILDPLATFORM"])}`]],
    [1, () => [`WORKDIR ${random.pick(["/app", "$HOME", "/srv/${NAME:-x}"])}`]],
    [1, () => [`LABEL ${random.pick(['org.opencontainers.image.source="x"', "a=b c=d", "x"])}`]],
    [
      1,
      () => [
        random.pick([
          "USER app",
          "EXPOSE 8080",
          "VOLUME /data",
          "STOPSIGNAL SIGTERM",
          'SHELL ["/bin/sh", "-c"]',
        ]),
      ],
    ],
    [
      1,
      () => [
        random.pick([
          'CMD ["node", "main.js"]',
          "CMD node main.js",
          'ENTRYPOINT ["/app"]',
          "HEALTHCHECK CMD true",
          "ONBUILD RUN true",
          "MAINTAINER x",
        ]),
      ],
    ],
    [
      bad(0.3),
      () => [random.pick(["RUNN true", "COPPY a b", "run true", "FRM x", "HEALTHCHECK", "ONBUILD FROM x"])],
    ],
    [0.5, () => ["# a comment", ""]],
  ])();
}

function mounts(random, from, bad) {
  const out = [];
  for (
    let i = random.weighted([
      [5, 0],
      [3, 1],
      [1, 2],
    ]);
    i > 0;
    i--
  ) {
    out.push(
      random.weighted([
        [
          3,
          `--mount=type=cache,target=${random.pick(["/root/.npm", "/root/.cache/go-build", "/cache/pkgs", "/var/cache/apt"])}${random.chance(0.3) ? `,id=${random.pick(["pkgs", "npm", "shared"])}` : ""}${random.chance(0.3) ? ",sharing=locked" : ""}`,
        ],
        [2, `--mount=from=${from()},source=/out,target=/in`],
        [1, "--mount=type=secret,id=npmrc,target=/root/.npmrc"],
        [1, "--mount=type=bind,target=/src"],
        [0.5, "--network=none"],
        [bad(0.3), "--mount=type=cache"],
        [bad(0.3), "--mount=nonsense"],
      ]),
    );
  }
  return out.map((m) => `${m} `).join("");
}

function shellCommand(random) {
  return random.pick([
    "npm ci",
    "go build -o /out/app ./...",
    "echo $HOME > /out/home",
    "apt-get update && apt-get install -y curl",
    "make -j4",
    "true",
    "cp -r /in /out",
    "pip install -r requirements.txt",
    'echo "${A:-x}"',
  ]);
}
