import { parse as parseShell } from "shell-quote";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  BUSYBOX_IMAGE,
  makeTempProject,
  readFileInImage,
  removeImages,
  runDockbuild,
  type DockbuildRun,
} from "./helpers/index.js";
import { nonce } from "./helpers/extra.js";

// A CI matrix is only as good as its jobs: each job's command, run as written in the folder the matrix was
// made in, must load the same project (both compose files, the env file, the project name) and build its
// images on the real engine.

const RUN = `dbe2e-matrix-${nonce(3)}`;

afterAll(async () => {
  await removeImages(RUN);
});

function sane(run: DockbuildRun): DockbuildRun {
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error/);
  expect(run.exitCode, run.all).toBe(0);
  return run;
}

describe("matrix jobs run as written", () => {
  test("gitlab: each job's script builds its services of a project made of two compose files and an env file", async () => {
    const project = await makeTempProject({
      "compose.yaml": "services:\n  app:\n    build: .\n",
      "extra.yaml": [
        "services:",
        "  extra:",
        "    build: .",
        `    image: ${RUN}/extra:\${TAG}`,
        "  check:",
        "    build: { context: ., target: check }",
        "",
      ].join("\n"),
      "ci.env": "TAG=ci\n",
      Dockerfile: [
        `FROM ${BUSYBOX_IMAGE} AS check`,
        "RUN echo checked > /checked",
        `FROM ${BUSYBOX_IMAGE}`,
        "COPY --from=check /checked /checked",
        "",
      ].join("\n"),
    });
    const globals = ["-f", "compose.yaml", "-f", "extra.yaml", "--env-file", "ci.env", "-p", RUN];
    const matrix = sane(await runDockbuild([...globals, "matrix", "--format", "gitlab"], { cwd: project }));
    const pipeline = parse(matrix.stdout) as Record<string, { script?: string[] }>;
    const jobs = Object.keys(pipeline).filter((name) => name.startsWith("build:"));
    expect(jobs).toEqual(["build:app", "build:check"]);

    for (const job of jobs) {
      const [line] = pipeline[job]?.script ?? [];
      const words = parseShell(line ?? "");
      expect(words[0]).toBe("dockbuild");
      sane(await runDockbuild([...(words.slice(1) as string[]), "--progress", "plain"], { cwd: project }));
    }
    expect(await readFileInImage(`${RUN}-app`, "/checked")).toBe("checked\n");
    expect(await readFileInImage(`${RUN}/extra:ci`, "/checked")).toBe("checked\n");
    expect(await readFileInImage(`${RUN}-check`, "/checked")).toBe("checked\n");
  });
});
