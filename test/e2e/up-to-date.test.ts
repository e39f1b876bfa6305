import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  BUSYBOX_IMAGE,
  imageId,
  makeTempProject,
  readFileInImage,
  removeImages,
  runDockbuild,
  writeFiles,
} from "./helpers/index.js";
import { imageJanitor, nonce, readMetadata } from "./helpers/extra.js";

// Every kind of input change rebuilds, on the real engine; an excluded file does not. Each case starts from a
// project whose images are up to date, makes one change, and checks the status and the image the engine holds.

const RUN = `dbe2e-inputs-${nonce(3)}`;
const janitor = imageJanitor();
afterAll(async () => {
  await removeImages(RUN);
  await janitor.removeTracked();
});

interface Case {
  name: string;
  change(dir: string): Promise<void>;
  /** The status of `app` after the change. */
  expected: "built" | "up-to-date";
  /** What /listing (the context as the build saw it, plus the arg and target) holds afterwards, if checked. */
  listing?: RegExp;
}

const COMPOSE = (prefix: string, extra = "") =>
  [
    "services:",
    "  base:",
    `    image: ${prefix}/base`,
    "    build: ./base",
    "  app:",
    `    image: ${prefix}/app`,
    "    build:",
    "      context: ./app",
    "      target: main",
    "      args:",
    "        FLAVOR: plain",
    extra,
    "",
  ].join("\n");

const cases: Case[] = [
  { name: "nothing changed", change: async () => {}, expected: "up-to-date" },
  {
    name: "a file excluded by .dockerignore",
    change: (dir) => writeFiles(dir, { "app/notes.md": `changed ${nonce()}` }),
    expected: "up-to-date",
  },
  {
    name: "a file's content",
    change: (dir) => writeFiles(dir, { "app/src/a.txt": "a changed" }),
    expected: "built",
    listing: /a\.txt:a changed/,
  },
  {
    name: "a new file",
    change: (dir) => writeFiles(dir, { "app/src/new.txt": "new" }),
    expected: "built",
    listing: /new\.txt:new/,
  },
  {
    name: "a deleted file",
    change: (dir) => rm(path.join(dir, "app/src/b.txt")),
    expected: "built",
  },
  {
    name: "a renamed file",
    change: (dir) => rename(path.join(dir, "app/src/a.txt"), path.join(dir, "app/src/renamed.txt")),
    expected: "built",
    listing: /renamed\.txt:a/,
  },
  {
    name: "a build arg",
    change: (dir) =>
      writeFiles(dir, {
        "docker-compose.yml": COMPOSE(prefixOf(dir)).replace("FLAVOR: plain", "FLAVOR: spicy"),
      }),
    expected: "built",
    listing: /flavor=spicy/,
  },
  {
    name: "the target",
    change: (dir) =>
      writeFiles(dir, {
        "docker-compose.yml": COMPOSE(prefixOf(dir)).replace("target: main", "target: alt"),
      }),
    expected: "built",
    listing: /target=alt/,
  },
  {
    name: "the Dockerfile",
    change: async (dir) =>
      writeFiles(dir, {
        "app/Dockerfile": dockerfile(prefixOf(dir)).replace("# end", "RUN echo more >> /listing"),
      }),
    expected: "built",
    listing: /more/,
  },
  {
    name: "an upstream service rebuilt",
    change: (dir) => writeFiles(dir, { "base/base.txt": `base ${nonce()}` }),
    expected: "built",
  },
];

const prefixes = new Map<string, string>();
const prefixOf = (dir: string) => prefixes.get(dir) ?? "";

function dockerfile(prefix: string): string {
  return [
    `FROM ${prefix}/base AS main`,
    "ARG FLAVOR",
    "COPY src /src",
    'RUN for f in /src/*; do echo "$(basename $f):$(cat $f)"; done > /listing && echo "flavor=$FLAVOR target=main" >> /listing',
    "# end",
    "FROM main AS alt",
    'RUN echo "target=alt" >> /listing',
    "",
  ].join("\n");
}

describe("up to date: every input change rebuilds, an excluded file does not", () => {
  test.each(cases)("$name → $expected", async ({ name, change, expected, listing }) => {
    const prefix = `${RUN}-${name.replace(/[^a-z]+/g, "-")}`;
    const dir = await makeTempProject(
      {
        "docker-compose.yml": COMPOSE(prefix),
        "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nCOPY base.txt /base.txt\n`,
        "base/base.txt": "base 1",
        "app/Dockerfile": dockerfile(prefix),
        "app/.dockerignore": "*.md\n",
        "app/notes.md": "not an input",
        "app/src/a.txt": "a",
        "app/src/b.txt": "b",
      },
      { name: "inputs" },
    );
    prefixes.set(dir, prefix);
    const metadataFile = path.join(dir, "metadata.json");
    const build = async () => {
      const run = await runDockbuild(["all", "--progress", "plain", "--metadata-file", metadataFile], {
        cwd: dir,
      });
      expect(run.exitCode, run.all).toBe(0);
      const id = await imageId(`${prefix}/app`);
      janitor.track(id);
      return { status: (await readMetadata(metadataFile)).app?.status, id };
    };
    const first = await build();
    expect(first.status).toBe("built");
    expect((await build()).status).toBe("up-to-date");

    await change(dir);
    const after = await build();
    expect(after.status).toBe(expected);
    if (expected === "up-to-date") expect(after.id).toBe(first.id);
    else expect(after.id).not.toBe(first.id);
    if (listing) expect(await readFileInImage(`${prefix}/app`, "/listing")).toMatch(listing);
    // and the new image is up to date in its turn
    expect((await build()).status).toBe("up-to-date");
  });
});

describe("--no-deps with a dependency the engine does not have", () => {
  test("exit 2 naming the image and the service that builds it; nothing is built, nothing is pulled", async () => {
    const prefix = `${RUN}-nodeps`;
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  base:",
          `    image: ${prefix}/base`,
          "    build: ./base",
          "  app:",
          `    image: ${prefix}/app`,
          "    build: ./app",
          "",
        ].join("\n"),
        "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\n`,
        "app/Dockerfile": `FROM ${prefix}/base\nRUN true\n`,
      },
      { name: "nodeps" },
    );
    const run = await runDockbuild(["app", "--no-deps", "--progress", "plain"], { cwd: dir });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.stderr).toContain(`docker-compose.yml:2: image "${prefix}/base" of service "base" is needed`);
    expect(run.stderr).toContain("hint: build it first (dockbuild base), or drop --no-deps");
    expect(run.stdout).not.toMatch(/started/);
    await expect(imageId(`${prefix}/app`)).rejects.toThrow();
  });
});
