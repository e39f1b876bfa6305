import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "../helpers/run-cli.js";

// What Compose or BuildKit refuse is refused before anything is built: exit 2, file:line, every problem.

const fixture = (name: string) => path.join(FIXTURES, name);

async function refused(name: string, ...args: string[]) {
  const result = await runCli(["--project-directory", fixture(name), ...args]);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr;
}

describe("Compose's consistency check: services that name undefined secrets or volumes", () => {
  it("plan, ls and matrix exit 2 with each reference at its line (one line for services sharing it), as `docker compose build` refuses it", async () => {
    const file = path.join(fixture("undefined-refs"), "compose.yaml");
    for (const command of [["plan"], ["ls"], ["matrix"]]) {
      const stderr = await refused("undefined-refs", ...command);
      expect(stderr.split("\n").filter((l) => l.startsWith("  /"))).toEqual([
        `  ${file}:5: services "database" and "app": secrets[0]: refers to undefined secret app__postgres_password`,
        `  ${file}:6: services "database" and "app": secrets[1]: refers to undefined secret app__secret_key`,
        `  ${file}:15: services.app.volumes[0]: refers to undefined volume app_data`,
      ]);
    }
  });
});

describe("a stage that copies from a stage written after it", () => {
  it("plan of the target that needs it exits 2 at the COPY's line in BuildKit's words; the other target plans", async () => {
    const stderr = await refused("stage-order", "plan", "x");
    expect(stderr).toContain(
      `${path.join(fixture("stage-order"), "Dockerfile")}:2: service "x": COPY --from=base: stage "base" is defined after stage "x"; BuildKit refuses it: cannot copy from stage "base", it needs to be defined before current stage "x"`,
    );
    const all = await refused("stage-order", "plan");
    expect(all).not.toContain('service "ok"');
  });
});
