// The bench never empties the build cache of an engine that is not its own: `node --test bench/lib/`.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { engineProblem, makeEngineCold } from "./engine.mjs";

const dir = mkdtempSync(join(os.tmpdir(), "bench-engine-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A Docker client that records each call and lists no images. */
function fakeDocker(name) {
  const docker = join(dir, name);
  const calls = join(dir, `${name}.calls`);
  writeFileSync(calls, "");
  writeFileSync(docker, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\n`);
  chmodSync(docker, 0o755);
  return { docker, calls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean) };
}

describe("makeEngineCold", () => {
  it("on an engine that is not the bench's own: removes the bench's images, refuses to prune", async () => {
    const fake = fakeDocker("shared");
    await assert.rejects(makeEngineCold({ docker: fake.docker, ownEngine: false }), /engine of its own/);
    assert.ok(fake.calls().some((c) => c.startsWith("image ls")));
    assert.deepEqual(
      fake.calls().filter((c) => c.startsWith("builder")),
      [],
    );
  });

  it("cleanup on such an engine removes only the bench's images", async () => {
    const fake = fakeDocker("cleanup");
    await makeEngineCold({ docker: fake.docker, ownEngine: false }, { cleanup: true });
    assert.deepEqual(
      fake.calls().filter((c) => c.startsWith("builder")),
      [],
    );
  });

  it("on the bench's own engine (--docker-host) empties the build cache", async () => {
    const fake = fakeDocker("own");
    await makeEngineCold({ docker: fake.docker, dockerHost: "unix:///x.sock", ownEngine: true });
    assert.deepEqual(
      fake.calls().filter((c) => c.startsWith("builder")),
      ["builder prune -af"],
    );
  });
});

describe("engineProblem", () => {
  it("refuses the cold scenario on an engine that is not the bench's own, before anything runs", () => {
    assert.match(engineProblem({ ownEngine: false }, ["cold", "noop"]) ?? "", /--docker-host/);
    assert.equal(engineProblem({ ownEngine: false }, ["noop", "plan"]), undefined);
    assert.equal(engineProblem({ ownEngine: true }, ["cold"]), undefined);
  });
});
