import { describe, expect, test } from "vitest";
import { parseImageInspect, type ImageDetails } from "../../src/backends/images.js";
import { readEngineFixture } from "./engine-fixture.js";

const cold: ImageDetails = {
  id: "sha256:6d5611eebea5f5cf3aa0971647c03348678e8c4b9620c327609f41932e408bde",
  sizeBytes: 1982311,
  labels: { "org.example.fixture": "cold" },
  tags: ["dockbuild-backend-test/fixture-cold:latest"],
};
const busybox: ImageDetails = {
  id: "sha256:4519d152fd2e4dcb283b8699f1ed4f89cddd1e8eb2c61c8d4a201c0c649e7ead",
  sizeBytes: 1982256,
  labels: {},
  tags: ["dockbuild-backend-test/busybox:latest"],
};
const COLD = "dockbuild-backend-test/fixture-cold:latest";
const BUSYBOX = "dockbuild-backend-test/busybox:latest";
const MISSING = "dockbuild-backend-test/no-such-image:latest";

describe("parseImageInspect over real `docker image inspect` output", () => {
  test.each([
    [
      "both found",
      "image-inspect.json",
      "",
      [COLD, BUSYBOX],
      [
        [COLD, cold],
        [BUSYBOX, busybox],
      ],
      [],
    ],
    [
      "one missing (Docker 20.10 client)",
      "image-inspect-missing.json",
      "image-inspect-missing.stderr.txt",
      [COLD, MISSING],
      [[COLD, cold]],
      [MISSING],
    ],
    [
      "one missing, asked first (Docker 28 client)",
      "image-inspect-client28-missing.json",
      "image-inspect-client28-missing.stderr.txt",
      [MISSING, BUSYBOX],
      [[BUSYBOX, busybox]],
      [MISSING],
    ],
  ])("%s", (_name, stdoutFile, stderrFile, refs, images, missing) => {
    const stderr = stderrFile ? readEngineFixture(stderrFile) : "";
    expect(parseImageInspect(readEngineFixture(stdoutFile), stderr, refs)).toEqual({
      images: new Map(images as [string, ImageDetails][]),
      missing,
    });
  });

  test.each([
    [
      "all missing",
      "[]",
      "Error: No such image: a:1\nError: No such image: b:2",
      { images: new Map(), missing: ["a:1", "b:2"] },
    ],
    [
      "all missing, nothing on stdout",
      "",
      "Error: No such image: a:1\nError: No such image: b:2",
      { images: new Map(), missing: ["a:1", "b:2"] },
    ],
    [
      "the engine is gone",
      "",
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      {
        images: new Map(),
        missing: [],
        error:
          "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      },
    ],
    [
      "not the expected shape",
      '[{"Id": 3}]',
      "",
      {
        images: new Map(),
        missing: [],
        error: expect.stringMatching(/^unexpected docker image inspect output/),
      },
    ],
  ])("%s", (_name, stdout, stderr, expected) => {
    expect(parseImageInspect(stdout, stderr, ["a:1", "b:2"])).toEqual(expected);
  });
});
