import { describe, expect, test } from "vitest";
import { createProgressParser, type ProgressSummary } from "../../src/backends/progress.js";
import type { StepProgress } from "../../src/backends/types.js";
import { readEngineFixture } from "./engine-fixture.js";

function parse(text: string): { summary: ProgressSummary; steps: StepProgress[] } {
  const parser = createProgressParser();
  const steps: StepProgress[] = [];
  for (const line of text.split("\n")) {
    const step = parser.push(line);
    if (step) steps.push(step);
  }
  return { summary: parser.summary(), steps };
}

const RUN_FAILING = `[3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3`;

describe("createProgressParser over real Docker 20.10 BuildKit output", () => {
  test.each<[string, ProgressSummary]>([
    [
      "build-cold.txt",
      {
        steps: 4,
        cachedSteps: 0,
        imageId: "sha256:6d5611eebea5f5cf3aa0971647c03348678e8c4b9620c327609f41932e408bde",
        errorLines: [],
      },
    ],
    [
      "build-cached.txt",
      {
        steps: 4,
        cachedSteps: 3,
        imageId: "sha256:6d5611eebea5f5cf3aa0971647c03348678e8c4b9620c327609f41932e408bde",
        errorLines: [],
      },
    ],
    [
      "build-failing.txt",
      {
        steps: 3,
        cachedSteps: 1,
        errorLines: [
          RUN_FAILING,
          "compiling module a",
          "error: module b is broken",
          `ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3`,
        ],
      },
    ],
    [
      "build-target.txt",
      {
        steps: 5,
        cachedSteps: 1,
        imageId: "sha256:4611f492df9322ce10958292134ae9cdc93866591fe823415f245a87acc36687",
        errorLines: [],
      },
    ],
    [
      "build-mounts.txt",
      {
        steps: 3,
        cachedSteps: 1,
        imageId: "sha256:3c72f9612c6d9e56df2e3215b9b65e0570926a173ab4cf8eb5019545fbf1e1ff",
        errorLines: [],
      },
    ],
    [
      "build-parse-error.txt",
      {
        steps: 0,
        cachedSteps: 0,
        errorLines: [
          "failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: unknown instruction: RUNN",
        ],
      },
    ],
    [
      "build-pull-error.txt",
      {
        steps: 0,
        cachedSteps: 0,
        errorLines: [
          "[internal] load metadata for docker.io/dockbuild-backend-test/does-not-exist:1",
          'ERROR: failed to do request: Head "https://registry-1.docker.io/v2/dockbuild-backend-test/does-not-exist/manifests/1": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
          'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/dockbuild-backend-test/does-not-exist/manifests/1": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
        ],
      },
    ],
    [
      "build-client28-no-buildx.txt",
      {
        steps: 0,
        cachedSteps: 0,
        errorLines: [
          "ERROR: BuildKit is enabled but the buildx component is missing or broken.",
          "       Install the buildx component to build images with BuildKit:",
          "       https://docs.docker.com/go/buildx/",
        ],
      },
    ],
  ])("%s", (file, expected) => {
    expect(parse(readEngineFixture(file)).summary).toEqual(expected);
  });

  test("reports each step as it starts and as it ends, cached ones counted", () => {
    const steps = parse(readEngineFixture("build-cached.txt")).steps.map((s) => [
      s.name,
      s.done,
      s.cached,
      s.total,
    ]);
    expect(steps).toEqual([
      ["[1/4] FROM docker.io/dockbuild-backend-test/busybox:latest", 0, 0, 4],
      ["[1/4] FROM docker.io/dockbuild-backend-test/busybox:latest", 1, 0, 4],
      ["[2/4] WORKDIR /app", 1, 0, 4],
      ["[2/4] WORKDIR /app", 2, 1, 4],
      ["[3/4] COPY hello.txt /app/hello.txt", 2, 1, 4],
      ["[3/4] COPY hello.txt /app/hello.txt", 3, 2, 4],
      ['[4/4] RUN echo "nonce 1795733973593944968" > /app/nonce.txt && cat /app/hello.txt', 3, 2, 4],
      ['[4/4] RUN echo "nonce 1795733973593944968" > /app/nonce.txt && cat /app/hello.txt', 4, 3, 4],
    ]);
  });

  test("names steps by stage, with line continuations collapsed; the total grows as stages appear", () => {
    const steps = parse(readEngineFixture("build-mounts.txt")).steps.map((s) => s.name);
    expect(steps[2]).toBe(
      '[stage-0 2/3] RUN --mount=type=cache,id=dockbuild-backend-fixture,target=/cache echo "1795733973593944968" >> /cache/runs && wc -l < /cache/runs',
    );
    const totals = parse(readEngineFixture("build-target.txt")).steps.map((s) => s.total);
    expect(totals).toEqual([2, 2, 2, 2, 3, 3, 5, 5, 5, 5]);
  });
});

describe("createProgressParser over the buildx ≥ 0.10 format", () => {
  // Shape of `docker buildx build --progress=plain` from buildx 0.10 on (no sha256 lines, the failing step's
  // output repeated in the error block, a Dockerfile excerpt); not capturable here, where no buildx exists.
  const buildxFailure = [
    '#0 building with "default" instance using docker driver',
    "",
    "#1 [internal] load build definition from Dockerfile",
    "#1 transferring dockerfile: 145B done",
    "#1 DONE 0.0s",
    "",
    "#5 [1/3] FROM docker.io/acme/base:dev",
    "#5 CACHED",
    "",
    "#6 [2/3] RUN make",
    "#6 0.301 cc -c main.c",
    "#6 0.412 main.c:3: error: expected ';'",
    '#6 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
    "------",
    " > [2/3] RUN make:",
    "0.301 cc -c main.c",
    "0.412 main.c:3: error: expected ';'",
    "0.413 make: *** [all] Error 1",
    "------",
    "Dockerfile:4",
    "--------------------",
    "   2 |     WORKDIR /src",
    "   3 |     COPY . .",
    "   4 | >>> RUN make",
    "   5 |     ",
    "--------------------",
    'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2',
  ].join("\n");

  test("keeps the step, its output (from the block where the stream had less), the excerpt and the final error", () => {
    expect(parse(buildxFailure).summary).toEqual({
      steps: 2,
      cachedSteps: 1,
      errorLines: [
        "[2/3] RUN make",
        "cc -c main.c",
        "main.c:3: error: expected ';'",
        "make: *** [all] Error 1",
        'ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
        "Dockerfile:4",
        "   4 | >>> RUN make",
        'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      ],
    });
  });

  test("reads the image id of a build loaded from a container builder", () => {
    const lines = [
      "#9 exporting to docker image format",
      "#9 exporting layers 0.1s done",
      `#9 exporting manifest sha256:${"a".repeat(64)} done`,
      `#9 exporting config sha256:${"b".repeat(64)} done`,
      "#9 sending tarball 0.2s done",
      "#9 DONE 0.4s",
    ].join("\n");
    expect(parse(lines).summary.imageId).toBe(`sha256:${"b".repeat(64)}`);
  });
});

describe("error lines are bounded", () => {
  test("a step with long output keeps its name, its last lines and the final error: 20 lines", () => {
    const output = Array.from({ length: 50 }, (_, i) => `#7 ${(i / 10).toFixed(3)} line ${i}`);
    const text = [
      "#7 [2/2] RUN ./test.sh",
      ...output,
      "#7 ERROR: executor failed running [/bin/sh -c ./test.sh]: exit code: 1",
      "------",
      " > [2/2] RUN ./test.sh:",
      "------",
      "executor failed running [/bin/sh -c ./test.sh]: exit code: 1",
    ].join("\n");
    const { errorLines } = parse(text).summary;
    expect(errorLines).toEqual([
      "[2/2] RUN ./test.sh",
      ...Array.from({ length: 18 }, (_, i) => `line ${32 + i}`),
      "ERROR: executor failed running [/bin/sh -c ./test.sh]: exit code: 1",
    ]);
  });

  test("a successful build with warnings has no error lines", () => {
    const text = [
      "WARNING: No output specified with docker-container driver.",
      "#1 [1/1] FROM x",
      "#1 DONE 0.1s",
    ].join("\n");
    expect(parse(text).summary).toEqual({ steps: 1, cachedSteps: 0, imageId: undefined, errorLines: [] });
  });
});
