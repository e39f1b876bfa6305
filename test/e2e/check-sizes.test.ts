import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { docker, removeImages, REPO_ROOT, runDockbuild, type DockbuildRun } from "./helpers/index.js";
import { ensureToolchainImages, TOOLCHAIN_BYTES } from "./helpers/toolchains.js";
import { sarifErrors } from "../helpers/sarif-schema.js";

// The naive monorepo (single stages, `COPY . .` first, no cache mounts) and the same monorepo with the fixes
// `dockbuild check` suggests, built on the real engine: the fixed final images must weigh at most a quarter of
// the naive ones, and `check --sizes` must say which images are too large. The "toolchain" is a 40 MB file in
// local images built from busybox (no toolchain image can be pulled here); the stub commands check their
// inputs and write what the real tools would, so the sizes come from the Dockerfiles' structure.

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "check");
const SERVICES = ["web", "api", "worker"];
const tmp = mkdtempSync(path.join(process.env.DOCKBUILD_E2E_TMP ?? os.tmpdir(), "check-sizes-"));

/** A copy of a fixture with what git cannot hold: 8 MB of node_modules in web's context. */
function copyFixture(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  mkdirSync(path.join(dir, "web", "node_modules", "left-pad"), { recursive: true });
  writeFileSync(path.join(dir, "web", "node_modules", "left-pad", "blob"), Buffer.alloc(8_000_000));
  return dir;
}

function sane(run: DockbuildRun): DockbuildRun {
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error|at .*\.js:\d+:\d+/);
  return run;
}

async function sizeOf(ref: string): Promise<number> {
  return Number((await docker(["image", "inspect", "--format", "{{.Size}}", ref])).trim());
}

let naive: string;
let fixed: string;

beforeAll(async () => {
  await ensureToolchainImages();
  naive = copyFixture("naive");
  fixed = copyFixture("fixed");
});

afterAll(async () => {
  await removeImages("dockbuild-fixture-naive/");
  await removeImages("dockbuild-fixture-fixed/");
});

describe("the naive monorepo against the fixed one", () => {
  test("both build; each fixed final image is at most a quarter of the naive one, and --sizes prints them", async () => {
    const naiveRun = sane(await runDockbuild(["--project-directory", naive, "all", "--progress", "plain"]));
    expect(naiveRun.exitCode, naiveRun.all).toBe(0);
    const fixedRun = sane(
      await runDockbuild(["--project-directory", fixed, "all", "--progress", "plain", "--sizes"]),
    );
    expect(fixedRun.exitCode, fixedRun.all).toBe(0);

    const rows: string[] = [];
    for (const service of SERVICES) {
      const before = await sizeOf(`dockbuild-fixture-naive/${service}:dev`);
      const after = await sizeOf(`dockbuild-fixture-fixed/${service}:dev`);
      rows.push(`${service}: naive ${before} B, fixed ${after} B (${((after / before) * 100).toFixed(1)}%)`);
      expect(before).toBeGreaterThan(TOOLCHAIN_BYTES);
      expect(after * 4, `${service}: ${after} B is more than a quarter of ${before} B`).toBeLessThanOrEqual(
        before,
      );
    }
    console.log(`final image sizes\n  ${rows.join("\n  ")}`);
    // the build summary shows each final image next to the builder stage it was cut from
    expect(fixedRun.stderr).toMatch(/api\b.*\(builder \d+(\.\d)? MB\)/);
    expect(fixedRun.stderr).toMatch(/worker\b.*\(builder \d+(\.\d)? MB\)/);
  });

  test("check --sizes: the naive images are flagged (share of the builder stage, check.maxSize); the fixed ones are not", async () => {
    const naiveCheck = sane(
      await runDockbuild(["--project-directory", naive, "check", "--sizes", "--format", "json"]),
    );
    expect(naiveCheck.exitCode, naiveCheck.all).toBe(1);
    const report = JSON.parse(naiveCheck.stdout) as {
      findings: { rule: string; services: string[]; message: string }[];
    };
    const sizes = report.findings.filter((f) => f.rule === "DB009");
    expect(
      sizes.map((f) => [f.services, f.message.replace(/\d+%/g, "N%").replace(/[\d.]+ (k|M|G)?B/g, "N")]),
    ).toEqual([
      [["api"], 'the final image is N, N% of its builder stage "build" (N): most of what built it ships'],
      [["web"], 'the final image is N, above the N set for "web" in check.maxSize'],
    ]);

    const text = sane(await runDockbuild(["--project-directory", naive, "check", "--sizes"]));
    expect(text.stdout).toMatch(/web\/Dockerfile:1: error DB009 final-image-size \(web\)/);
    expect(text.stdout).toMatch(/api\/Dockerfile:7: error DB009 final-image-size \(api\)/);
    const sarif = sane(
      await runDockbuild(["--project-directory", naive, "check", "--sizes", "--format", "sarif"]),
    );
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]?.results.filter((r) => r.ruleId === "DB009")).toHaveLength(2);

    const share = Number(/(\d+)% of its builder/.exec(sizes[0]?.message ?? "")?.[1]);
    expect(share).toBeGreaterThan(50);

    const fixedCheck = sane(
      await runDockbuild(["--project-directory", fixed, "check", "--sizes", "--strict"]),
    );
    expect(fixedCheck.exitCode, fixedCheck.all).toBe(0);
    expect(fixedCheck.stdout.trim()).toBe("no findings in 3 services");
    // the temporary tags check --sizes builds are gone again
    expect(await docker(["images", "--format", "{{.Repository}}", "dockbuild-check/*"])).toBe("");
  });
});
