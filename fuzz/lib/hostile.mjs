// The classes of input that blow up a loader: alias bombs, deep nesting, expansion that doubles, huge
// lines and files, files that are not files, long chains, many services, many problems. Each generator
// takes its sizes from the random source (small sizes more often) and gives a case's files.
import { Buffer } from "node:buffer";
import { repeat } from "./content.mjs";

/**
 * @typedef {import("./gen-compose.mjs").CaseFile} CaseFile
 * @typedef {{ label: string, files: CaseFile[], args?: string[], env?: Record<string, string> }} Hostile
 * @typedef {(random: import("./random.mjs").Random, limits: Limits) => Hostile} HostileGenerator
 * @typedef {{ maxBytes: number, maxServices: number }} Limits
 */

const DOCKERFILE = "FROM busybox AS production\nRUN true\n";
const app = (extra = "") => `services:\n  app:\n    build: ./app\n${extra}`;
const withApp = (files) => [{ path: "repo/app/Dockerfile", content: DOCKERFILE }, ...files];
const compose = (content, more = []) => withApp([{ path: "repo/compose.yaml", content }, ...more]);
/** A count up to `max` whose text of `unit` bytes each stays under the size limit. */
const upTo = (random, min, max, limits, unit = 1) =>
  random.log(min, Math.max(min, Math.min(max, Math.floor(limits.maxBytes / unit))));

/** `levels` anchors, each a list of `width` aliases of the one before. */
function aliasBomb(levels, width, indent) {
  const lines = [`${indent}l0: &l0 [${Array.from({ length: width }, () => "lol").join(", ")}]`];
  for (let i = 1; i <= levels; i++)
    lines.push(`${indent}l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(", ")}]`);
  return lines.join("\n");
}

/** @type {Record<string, Record<string, HostileGenerator>>} */
export const HOSTILE = {
  compose: {
    "alias-bomb": (random) => {
      const levels = random.int(3, 10);
      const width = random.int(4, 10);
      const where = random.pick(["args", "x-", "labels", "environment"]);
      const bomb = (indent) => aliasBomb(levels, width, indent);
      const text =
        where === "args"
          ? `services:\n  app:\n    build:\n      context: ./app\n      args:\n${bomb("        ")}\n`
          : where === "x-"
            ? `x-bomb:\n${bomb("  ")}\n${app()}`
            : where === "labels"
              ? `${app()}    labels:\n${bomb("      ")}\n`
              : `${app()}    environment:\n${bomb("      ")}\n`;
      return { label: `alias bomb ${levels}×${width} in ${where}`, files: compose(text) };
    },
    "alias-fanout": (random, limits) => {
      const n = upTo(random, 1000, 100_000, limits, 4);
      return {
        label: `${n} aliases of one scalar`,
        files: compose(["x-v: &v acme\nx-list: [", repeat("*v, ", n), "*v]\n", app("    image: *v\n")]),
      };
    },
    "many-anchors": (random, limits) => {
      const n = upTo(random, 1000, 100_000, limits, 24);
      const lines = Array.from({ length: n }, (_, i) => `  k${i}: &a${i} v${i}`).join("\n");
      return {
        label: `${n} anchors`,
        files: compose(
          `x-anchors:\n${lines}\nservices:\n  app:\n    build:\n      context: ./app\n      args: { FIRST: *a0, LAST: *a${n - 1} }\n`,
        ),
      };
    },
    "many-services": (random, limits) => {
      const n = random.log(100, limits.maxServices);
      const shape = random.pick(["plain", "anchored", "targets"]);
      const service = (i) =>
        shape === "anchored"
          ? `  svc-${i}:\n    <<: *b\n    image: acme/svc-${i}:dev\n`
          : shape === "targets"
            ? `  svc-${i}:\n    image: acme/svc-${i}:dev\n    build:\n      context: ./app\n      target: production\n      args:\n        VERSION: "1.${i}"\n    environment:\n      - FOO=bar\n`
            : `  svc-${i}:\n    build: ./app\n`;
      const head =
        shape === "anchored" ? "x-b: &b\n  build:\n    context: ./app\n    target: production\n" : "";
      let text = `${head}services:\n`;
      for (let i = 0; i < n; i++) text += service(i);
      return { label: `${n} services (${shape})`, files: compose(text) };
    },
    "deep-yaml": (random, limits) => {
      const depth = upTo(random, 100, 20_000, limits, 8);
      const form = random.pick(["flow-seq", "flow-map", "block-map", "block-seq"]);
      const body =
        form === "flow-seq"
          ? ["x-deep: ", repeat("[", depth), repeat("]", depth), "\n"]
          : form === "flow-map"
            ? ["x-deep: ", repeat("{a: ", depth), "1", repeat("}", depth), "\n"]
            : form === "block-seq"
              ? [
                  "x-deep:\n",
                  Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${" ".repeat(i)}-\n`).join(""),
                  " ".repeat(Math.min(depth, 3000)),
                  "x\n",
                ]
              : [
                  "x-deep:\n",
                  Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${" ".repeat(i + 1)}a:\n`).join(
                    "",
                  ),
                  " ".repeat(Math.min(depth, 3000) + 1),
                  "x\n",
                ];
      return { label: `YAML nested ${depth} deep (${form})`, files: compose([...body, app()]) };
    },
    "interpolation-nesting": (random, limits) => {
      const depth = upTo(random, 50, 20_000, limits, 6);
      const where = random.pick(["args", "environment", "image", "x-"]);
      const value = ['"', repeat("${X:-", depth), "v", repeat("}", depth), '"'];
      const text =
        where === "args"
          ? ["services:\n  app:\n    build:\n      context: ./app\n      args:\n        A: ", ...value, "\n"]
          : where === "x-"
            ? ["x-v: ", ...value, "\n", app()]
            : where === "environment"
              ? [app("    environment:\n      A: "), ...value, "\n"]
              : [app("    image: "), ...value, "\n"];
      return { label: `\${X:- nested ${depth} deep in ${where}`, files: compose(text) };
    },
    "long-value": (random, limits) => {
      const size = upTo(random, 64 * 1024, 14 * 1024 * 1024, limits);
      const where = random.pick(["image", "args", "environment", "key", "comment"]);
      const text =
        where === "image"
          ? [app("    image: acme/"), repeat("a", size), "\n"]
          : where === "args"
            ? [
                "services:\n  app:\n    build:\n      context: ./app\n      args:\n        A: ",
                repeat("a", size),
                "\n",
              ]
            : where === "key"
              ? [app("    labels:\n      "), repeat("k", size), ": v\n"]
              : where === "comment"
                ? ["# ", repeat("c", size), "\n", app()]
                : [app("    environment:\n      A: "), repeat("a $B ", Math.floor(size / 5)), "\n"];
      return { label: `a ${size}-byte ${where}`, files: compose(text) };
    },
    "many-problems": (random, limits) => {
      const n = upTo(random, 100, 50_000, limits, 60);
      const form = random.pick(["unknown-keys", "bad-images", "bad-interpolation", "duplicate-keys"]);
      let text = "services:\n";
      for (let i = 0; i < n; i++) {
        text +=
          form === "unknown-keys"
            ? `  s${i}:\n    build: ./app\n    biuld: x\n`
            : form === "bad-images"
              ? `  s${i}:\n    image: Acme/S${i}\n    build: ./app\n`
              : form === "bad-interpolation"
                ? `  s${i}:\n    build: ./app\n    environment: ["A=\${"]\n`
                : `  s${i}:\n    build: ./app\n    build: ./app\n`;
      }
      return { label: `${n} services with ${form}`, files: compose(text) };
    },
    "not-a-file": (random) => {
      const what = random.pick([
        "include-dev-zero",
        "include-fifo",
        "include-loop",
        "include-folder",
        "dockerfile-dev-zero",
        "dockerfile-fifo",
        "compose-self-link",
        "compose-fifo",
        "compose-folder",
        "compose-dev-zero",
        "dotenv-fifo",
        "dotenv-dev-zero",
        "context-file",
        "extends-dev-zero",
      ]);
      const files = {
        "include-dev-zero": compose(`include:\n  - /dev/zero\n${app()}`),
        "include-fifo": compose(`include:\n  - ./pipe.yaml\n${app()}`, [
          { path: "repo/pipe.yaml", fifo: true },
        ]),
        "include-loop": compose(`include:\n  - ./loop.yaml\n${app()}`, [
          { path: "repo/loop.yaml", symlink: "loop.yaml" },
        ]),
        "include-folder": compose(`include:\n  - ./app\n${app()}`),
        "dockerfile-dev-zero": compose(
          "services:\n  app:\n    build:\n      context: ./app\n      dockerfile: /dev/zero\n",
        ),
        "dockerfile-fifo": compose(
          "services:\n  app:\n    build:\n      context: ./app\n      dockerfile: pipe\n",
          [{ path: "repo/app/pipe", fifo: true }],
        ),
        "compose-self-link": [{ path: "repo/compose.yaml", symlink: "compose.yaml" }],
        "compose-fifo": [{ path: "repo/compose.yaml", fifo: true }],
        "compose-folder": [{ path: "repo/compose.yaml", dir: true }],
        "compose-dev-zero": [{ path: "repo/compose.yaml", symlink: "/dev/zero" }],
        "dotenv-fifo": compose(app(), [{ path: "repo/.env", fifo: true }]),
        "dotenv-dev-zero": compose(app(), [{ path: "repo/.env", symlink: "/dev/zero" }]),
        "context-file": compose("services:\n  app:\n    build: ./app/Dockerfile\n"),
        "extends-dev-zero": compose(
          "services:\n  app:\n    build: ./app\n    extends:\n      file: /dev/zero\n      service: x\n",
        ),
      }[what];
      return { label: what, files };
    },
    "extends-chain": (random, limits) => {
      const n = random.log(10, Math.min(5000, limits.maxServices));
      const cycle = random.chance(0.3);
      let text = "services:\n  s0:\n    build: ./app\n" + (cycle ? "    extends: s" + (n - 1) + "\n" : "");
      for (let i = 1; i < n; i++) text += `  s${i}:\n    extends: s${i - 1}\n`;
      return { label: `extends chain of ${n}${cycle ? " (a cycle)" : ""}`, files: compose(text) };
    },
    "extends-files": (random) => {
      const n = random.log(2, 300);
      const files = [];
      for (let i = 0; i < n; i++) {
        const next =
          i + 1 < n
            ? `    extends:\n      file: ../f${i + 1}/compose.yaml\n      service: s\n`
            : "    build: ../app\n";
        files.push({ path: `repo/f${i}/compose.yaml`, content: `services:\n  s:\n${next}` });
      }
      return {
        label: `extends across ${n} files`,
        files: compose(
          "services:\n  app:\n    extends:\n      file: ./f0/compose.yaml\n      service: s\n",
          files,
        ),
      };
    },
    "include-chain": (random) => {
      const n = random.log(2, 300);
      const cycle = random.chance(0.3);
      const files = [];
      for (let i = 0; i < n; i++) {
        const next =
          i + 1 < n
            ? `include:\n  - ../i${i + 1}/compose.yaml\n`
            : cycle
              ? "include:\n  - ../i0/compose.yaml\n"
              : "";
        files.push({
          path: `repo/i${i}/compose.yaml`,
          content: `${next}services:\n  s${i}:\n    build: ../app\n`,
        });
      }
      return {
        label: `include chain of ${n}${cycle ? " (a cycle)" : ""}`,
        files: compose(`include:\n  - ./i0/compose.yaml\n${app()}`, files),
      };
    },
    "build-chain": (random, limits) => {
      const n = random.log(10, Math.min(5000, limits.maxServices));
      const cycle = random.chance(0.3);
      const files = [];
      let text = "services:\n";
      for (let i = 0; i < n; i++) {
        const from = i === 0 ? (cycle ? `acme/s${n - 1}` : "busybox") : `acme/s${i - 1}`;
        text += `  s${i}:\n    image: acme/s${i}\n    build:\n      context: ./app\n      dockerfile: D${i}\n`;
        files.push({ path: `repo/app/D${i}`, content: `FROM ${from}\nRUN true\n` });
      }
      return {
        label: `${n} services each built FROM the one before${cycle ? " (a cycle)" : ""}`,
        files: compose(text, files),
      };
    },
    "many-keys": (random, limits) => {
      const n = upTo(random, 1000, 300_000, limits, 14);
      return {
        label: `${n} build args`,
        files: compose([
          "services:\n  app:\n    build:\n      context: ./app\n      args:\n",
          ...Array.from({ length: n }, (_, i) => `        A${i}: v\n`),
        ]),
      };
    },
    "merge-fanout": (random, limits) => {
      const n = upTo(random, 100, 20_000, limits, 180);
      const anchors = Array.from({ length: n }, (_, i) => `x-a${i}: &a${i}\n  k${i}: v\n`).join("");
      const merges = Array.from({ length: n }, (_, i) => `*a${i}`).join(", ");
      return {
        label: `a merge key of ${n} mappings, used by many services`,
        files: compose(
          `${anchors}services:\n${Array.from({ length: 20 }, (_, s) => `  s${s}:\n    build: ./app\n    labels:\n      <<: [${merges}]\n`).join("")}`,
        ),
      };
    },
    "many-documents": (random, limits) => {
      const n = upTo(random, 100, 100_000, limits, 30);
      return {
        label: `${n} YAML documents`,
        files: compose([app(), repeat("---\nservices:\n  app:\n    build: ./app\n", n)]),
      };
    },
  },
  dockerfile: {
    "long-line": (random, limits) => {
      const size = upTo(random, 60_000, 12 * 1024 * 1024, limits);
      return {
        label: `a ${size}-byte RUN line`,
        files: compose(app(), [
          { path: "repo/app/Dockerfile", content: ["FROM busybox\nRUN echo ", repeat("a", size), "\n"] },
        ]),
      };
    },
    continuations: (random, limits) => {
      const n = upTo(random, 1000, 1_000_000, limits, 12);
      return {
        label: `${n} continuation lines`,
        files: compose(app(), [
          {
            path: "repo/app/Dockerfile",
            content: ["FROM busybox\nRUN true \\\n", repeat(" && echo x \\\n", n), " && true\n"],
          },
        ]),
      };
    },
    heredoc: (random, limits) => {
      const n = upTo(random, 1000, 600_000, limits, 8);
      return {
        label: `a heredoc of ${n} lines`,
        files: compose(app(), [
          {
            path: "repo/app/Dockerfile",
            content: ["FROM busybox\nRUN <<EOF\n", repeat("echo x\n", n), "EOF\n"],
          },
        ]),
      };
    },
    "same-named-stages": (random, limits) => {
      const n = upTo(random, 100, 300_000, limits, 20);
      return {
        label: `${n} stages named alike`,
        files: compose(app(), [
          { path: "repo/app/Dockerfile", content: [repeat("FROM busybox AS same\n", n)] },
        ]),
      };
    },
    "stage-chain": (random, limits) => {
      const n = upTo(random, 100, 100_000, limits, 24);
      const text = [
        "FROM busybox AS s0\n",
        ...Array.from({ length: n }, (_, i) => `FROM s${i} AS s${i + 1}\n`),
      ].join("");
      return {
        label: `a chain of ${n} stages`,
        files: compose(
          `services:\n  app:\n    build:\n      context: ./app\n      target: s${random.chance(0.5) ? n : 0}\n`,
          [{ path: "repo/app/Dockerfile", content: text }],
        ),
      };
    },
    "copy-from-fanout": (random, limits) => {
      const n = upTo(random, 100, 100_000, limits, 30);
      const text = [
        "FROM busybox AS a\n",
        ...Array.from({ length: Math.min(n, 200) }, (_, i) => `FROM a AS b${i}\n`),
        "FROM busybox\n",
        ...Array.from({ length: n }, (_, i) => `COPY --from=b${i % 200} /x /y${i}\n`),
      ].join("");
      return {
        label: `${n} COPY --from lines`,
        files: compose(app(), [{ path: "repo/app/Dockerfile", content: text }]),
      };
    },
    "arg-doubling": (random) => {
      const n = random.int(10, 64);
      const use = random.pick(["FROM", "RUN", "ENV", "COPY --from", "LABEL"]);
      const args = [
        "ARG A0=ab",
        ...Array.from({ length: n }, (_, i) => `ARG A${i + 1}=\${A${i}}\${A${i}}`),
      ].join("\n");
      const body =
        use === "FROM"
          ? `FROM \${A${n}}\n`
          : `FROM busybox\n${args.replaceAll("\n", "\n")}\n${use === "COPY --from" ? `COPY --from=\${A${n}} /x /y` : use === "ENV" ? `ENV X=\${A${n}}` : use === "LABEL" ? `LABEL x=\${A${n}}` : `RUN echo \${A${n}}`}\n`;
      return {
        label: `ARG values doubling ${n} times, used in ${use}`,
        files: compose(app(), [
          { path: "repo/app/Dockerfile", content: use === "FROM" ? `${args}\n${body}` : body },
        ]),
      };
    },
    "from-nesting": (random, limits) => {
      const depth = upTo(random, 50, 50_000, limits, 6);
      return {
        label: `\${X:- nested ${depth} deep in FROM`,
        files: compose(app(), [
          {
            path: "repo/app/Dockerfile",
            content: ["FROM ", repeat("${X:-", depth), "busybox", repeat("}", depth), "\nRUN true\n"],
          },
        ]),
      };
    },
    "many-mounts": (random, limits) => {
      const n = upTo(random, 100, 20_000, limits, 50);
      return {
        label: `one RUN with ${n} mounts`,
        files: compose(app(), [
          {
            path: "repo/app/Dockerfile",
            content: ["FROM busybox\nRUN ", repeat("--mount=type=cache,target=/c,id=x ", n), "true\n"],
          },
        ]),
      };
    },
    "many-stages": (random, limits) => {
      const n = upTo(random, 100, 50_000, limits, 40);
      const text = Array.from({ length: n }, (_, i) => `FROM busybox AS st${i}\nRUN true\n`).join("");
      return {
        label: `${n} distinct stages`,
        files: compose(`services:\n  app:\n    build:\n      context: ./app\n      target: st${n - 1}\n`, [
          { path: "repo/app/Dockerfile", content: text },
        ]),
      };
    },
    binary: (random) => {
      const n = random.log(16, 200_000);
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = random.int(0, 255);
      return {
        label: `${n} random bytes`,
        files: compose(app(), [
          { path: "repo/app/Dockerfile", content: { base64: bytes.toString("base64") } },
        ]),
      };
    },
    "escape-continuations": (random, limits) => {
      const n = upTo(random, 100, 200_000, limits, 10);
      return {
        label: `escape=\` with ${n} continuations`,
        files: compose(app(), [
          {
            path: "repo/app/Dockerfile",
            content: ["# escape=`\nFROM busybox\nRUN true `\n", repeat("  && x `\n", n), "\n"],
          },
        ]),
      };
    },
  },
  env: {
    doubling: (random) => {
      const n = random.int(10, 60);
      const lines = ["A0=ab", ...Array.from({ length: n }, (_, i) => `A${i + 1}="\${A${i}}\${A${i}}"`)];
      return {
        label: `.env values doubling ${n} times`,
        files: compose(app(`    image: acme/\${A${n}}\n`), [
          { path: "repo/.env", content: `${lines.join("\n")}\n` },
        ]),
      };
    },
    nesting: (random, limits) => {
      const depth = upTo(random, 50, 50_000, limits, 6);
      return {
        label: `\${X:- nested ${depth} deep in .env`,
        files: compose(app(), [
          { path: "repo/.env", content: ["A=", repeat("${X:-", depth), "v", repeat("}", depth), "\n"] },
        ]),
      };
    },
    huge: (random, limits) => {
      const n = upTo(random, 1000, 1_000_000, limits, 16);
      return {
        label: `.env with ${n} keys`,
        files: compose(app(), [
          {
            path: "repo/.env",
            content: Array.from({ length: Math.min(n, 400_000) }, (_, i) => `KEY_${i}=value\n`).join(""),
          },
        ]),
      };
    },
    "long-line": (random, limits) => {
      const size = upTo(random, 64 * 1024, 6 * 1024 * 1024, limits);
      return {
        label: `.env line of ${size} bytes`,
        files: compose(app(), [{ path: "repo/.env", content: ["A=", repeat("x", size), "\n"] }]),
      };
    },
    "multiline-unclosed": (random, limits) => {
      const n = upTo(random, 10, 200_000, limits, 4);
      return {
        label: `an unclosed quote over ${n} lines`,
        files: compose(app(), [{ path: "repo/.env", content: ['A="', repeat("x\n", n)] }]),
      };
    },
    "not-a-file": (random) => {
      const what = random.pick([
        "env-file-fifo",
        "env-file-dev-zero",
        "env-file-folder",
        "env-file-loop",
        "env-file-missing",
        "compose-env-files",
      ]);
      const specials = {
        "env-file-fifo": [{ path: "repo/ci.env", fifo: true }],
        "env-file-dev-zero": [{ path: "repo/ci.env", symlink: "/dev/zero" }],
        "env-file-folder": [{ path: "repo/ci.env", dir: true }],
        "env-file-loop": [{ path: "repo/ci.env", symlink: "ci.env" }],
        "env-file-missing": [],
        "compose-env-files": [{ path: "repo/ci.env", fifo: true }],
      }[what];
      const viaEnv = what === "compose-env-files";
      return {
        label: what,
        files: compose(app(), specials),
        args: viaEnv ? [] : ["--env-file", "ci.env"],
        env: viaEnv ? { COMPOSE_ENV_FILES: "ci.env,/dev/zero" } : {},
      };
    },
  },
  config: {
    "broken-package-json": (random) => {
      const where = random.pick(["repo", "parent"]);
      const own = random.chance(0.5);
      const text = own
        ? '{ "name": "x", "dockbuild": { "groups": { "a": ["app"] }, }'
        : '{ "name": "x", "scripts": { "a": "b" ';
      return {
        label: `a broken package.json in the ${where} folder${own ? " with a dockbuild key" : ""}`,
        files: compose(app(), [
          { path: where === "repo" ? "repo/package.json" : "package.json", content: text },
        ]),
      };
    },
    "broken-config": (random) => {
      const place = random.pick([
        "dockbuild.config.json",
        "dockbuild.config.yaml",
        ".dockbuildrc",
        ".dockbuildrc.json",
      ]);
      const text = random.pick([
        '{"groups": {"a": ["app"],}',
        "groups:\n  a: [app\n",
        "{{{",
        "\u0000\u0001",
        '{"a": 1} trailing',
        "groups: &a\n  x: *a\n",
        "- - -\n  x",
      ]);
      return {
        label: `a broken ${place}`,
        files: compose(app(), [{ path: `repo/${place}`, content: text }]),
      };
    },
    "config-files-special": (random) => {
      const target = random.pick(["/dev/zero", "pipe.yaml", "app", "loop.yaml", "missing.yaml", "/dev/null"]);
      return {
        label: `config files: [${target}]`,
        files: compose(app(), [
          { path: "repo/dockbuild.config.json", content: JSON.stringify({ files: [target] }) },
          ...(target === "pipe.yaml"
            ? [{ path: "repo/pipe.yaml", fifo: true }]
            : target === "loop.yaml"
              ? [{ path: "repo/loop.yaml", symlink: "loop.yaml" }]
              : []),
        ]),
      };
    },
    "config-flag-special": (random) => {
      const target = random.pick([
        "/dev/zero",
        "pipe.json",
        "app",
        "loop.json",
        "missing.json",
        "/dev/null",
        "big.json",
      ]);
      const more =
        target === "pipe.json"
          ? [{ path: "repo/pipe.json", fifo: true }]
          : target === "loop.json"
            ? [{ path: "repo/loop.json", symlink: "loop.json" }]
            : target === "big.json"
              ? [
                  {
                    path: "repo/big.json",
                    content: ['{"groups": {"a": [', repeat('"app", ', 400_000), '"app"]}}'],
                  },
                ]
              : [];
      return { label: `-c ${target}`, files: compose(app(), more), args: ["-c", target] };
    },
    "deep-json": (random, limits) => {
      const depth = upTo(random, 100, 100_000, limits, 8);
      return {
        label: `a config nested ${depth} deep`,
        files: compose(app(), [
          {
            path: "repo/dockbuild.config.json",
            content: ['{"groups": {"a": ', repeat('{"a": ', depth), "1", repeat("}", depth), "}}"],
          },
        ]),
      };
    },
    "alias-bomb": (random) => {
      const levels = random.int(5, 10);
      return {
        label: `a YAML config with an alias bomb ${levels}×10`,
        files: compose(app(), [
          {
            path: "repo/dockbuild.config.yaml",
            content: `x:\n${aliasBomb(levels, 10, "  ")}\ngroups:\n  a: [app]\n`,
          },
        ]),
      };
    },
    "many-groups": (random, limits) => {
      const n = upTo(random, 100, 100_000, limits, 30);
      const groups = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`g${i}`, [i === 0 ? "app" : `g${i - 1}`]]),
      );
      return {
        label: `${n} groups, each naming the one before`,
        files: compose(app(), [{ path: "repo/dockbuild.config.json", content: JSON.stringify({ groups }) }]),
        commands: [["plan", "--json", `g${n - 1}`]],
      };
    },
    "many-invalid": (random, limits) => {
      const n = upTo(random, 100, 50_000, limits, 40);
      const services = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`s${i}`, { targte: "x", args: { A: i } }]),
      );
      return {
        label: `${n} invalid service overrides`,
        files: compose(app(), [
          { path: "repo/dockbuild.config.json", content: JSON.stringify({ services }, null, 1) },
        ]),
      };
    },
  },
};
