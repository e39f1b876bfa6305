// The harness's pure parts: `node --test fuzz/lib/` (no CLI run, no engine).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FULL_LIMITS, SMALL_LIMITS, generateCase } from "./cases.mjs";
import { parseOptions } from "./options.mjs";
import { toBuffer } from "./content.mjs";
import { createRandom, hashSeed } from "./random.mjs";
import { checkRun, splitStderr } from "./targets.mjs";

const run = (extra) => ({
  command: ["plan", "--json"],
  exitCode: 2,
  signal: null,
  killed: false,
  wallMs: 300,
  cpuMs: 250,
  maxRssKb: 80 * 1024,
  stdout: "",
  stderr:
    "dockbuild: compose.yaml:3: services.app.build must be a string or a mapping\n  hint: see the reference\n",
  stdoutBytes: 0,
  stderrBytes: 80,
  ...extra,
});
const targets = (extra) => checkRun(run(extra)).violations.map((v) => v.target);

describe("generateCase", () => {
  it("gives the same case for the same seed and index, and another for the next index", () => {
    const a = generateCase(7, 12, SMALL_LIMITS);
    assert.deepEqual(generateCase(7, 12, SMALL_LIMITS), a);
    assert.notDeepEqual(generateCase(7, 13, SMALL_LIMITS), a);
  });

  it("runs plan --json first, and only commands that need no engine", () => {
    for (let index = 0; index < 200; index++) {
      const { commands } = generateCase(3, index, FULL_LIMITS);
      if (commands[0]?.[0] === "plan") assert.equal(commands[0][1], "--json");
      for (const command of commands)
        assert.ok(["plan", "ls", "check", "matrix"].includes(command[0]), command.join(" "));
    }
  });

  it("keeps sizes under the small limits when asked", () => {
    for (let index = 0; index < 300; index++) {
      const { files } = generateCase(5, index, SMALL_LIMITS);
      for (const file of files) {
        if (file.content === undefined) continue;
        assert.ok(
          toBuffer(file.content).length <= SMALL_LIMITS.maxBytes + 64 * 1024,
          `${index} ${file.path}`,
        );
      }
    }
  });
});

describe("createRandom", () => {
  it("is a pure function of its seed", () => {
    const draw = (seed) => Array.from({ length: 5 }, createRandom(seed).next);
    assert.deepEqual(draw(hashSeed("1:2")), draw(hashSeed("1:2")));
    assert.notDeepEqual(draw(hashSeed("1:2")), draw(hashSeed("1:3")));
  });
});

describe("checkRun", () => {
  it("accepts bad input reported as exit 2 with file:line and a hint", () => {
    assert.deepEqual(targets({}), []);
    assert.equal(checkRun(run({})).located, true);
  });

  it("a stack trace, exit 70, a signal or an exit code outside the contract is a crash", () => {
    assert.deepEqual(targets({ stderr: "dockbuild: boom\n    at parse (/x/dist/chunk.js:10:5)\n" }), [
      "crash",
    ]);
    assert.deepEqual(targets({ exitCode: 70, stderr: "dockbuild: internal error (please report it)\n" }), [
      "crash",
    ]);
    assert.deepEqual(targets({ exitCode: null, signal: "SIGABRT" }), ["crash"]);
    assert.deepEqual(targets({ exitCode: 9, stderr: "node: ci.env: not found\n" }), ["crash"]);
    assert.deepEqual(targets({ command: ["check"], exitCode: 1, stderr: "" }), []);
  });

  it("time, memory, message length and raw error words are targets of their own", () => {
    assert.deepEqual(targets({ wallMs: 10_500 }), ["time"]);
    assert.deepEqual(targets({ killed: true, exitCode: null, signal: "SIGKILL" }), ["time"]);
    assert.deepEqual(targets({ maxRssKb: 301 * 1024 }), ["memory"]);
    const long = [
      "dockbuild: 16 problems found:",
      ...Array.from({ length: 15 }, (_, i) => `  a.yaml:${i + 1}: bad`),
    ];
    assert.deepEqual(targets({ stderr: `${long.join("\n")}\n` }), ["message-length"]);
    assert.deepEqual(targets({ stderr: "dockbuild: a.yaml: EACCES: permission denied\n" }), ["unclear"]);
  });

  it("plan --json that exits 0 must print a version 1 plan", () => {
    const ok = JSON.stringify({ version: 1, services: [], waves: [] });
    assert.deepEqual(targets({ exitCode: 0, stderr: "", stdout: ok, stdoutBytes: ok.length }), []);
    assert.deepEqual(targets({ exitCode: 0, stderr: "", stdout: "{", stdoutBytes: 1 }), ["bad-json"]);
  });

  it("warnings before the error are counted apart from it", () => {
    assert.deepEqual(splitStderr("warning: a\nwarning: b\ndockbuild: bad\n  hint: x\n"), {
      error: ["dockbuild: bad", "  hint: x"],
      warnings: 2,
    });
  });
});

describe("parseOptions", () => {
  it("reads the flags, with or without the `--` pnpm passes on", () => {
    const a = parseOptions(["--seed", "3", "--count", "20", "--small"]);
    assert.deepEqual([a.seed, a.count, a.small], [3, 20, true]);
    assert.deepEqual(parseOptions(["--", "--seed", "3"]).seed, 3);
  });

  it("refuses a bad number or an unknown kind", () => {
    assert.throws(() => parseOptions(["--count", "0"]), /--count must be a whole number ≥ 1/);
    assert.throws(() => parseOptions(["--kinds", "compose,makefile"]), /unknown "makefile"/);
  });
});
