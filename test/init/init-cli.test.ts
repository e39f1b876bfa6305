import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBin, writeProject } from "../helpers/run-bin.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/init");

function copyFixture(name: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "dockbuild-init-")), name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Init, then what plan and check say about the result. */
async function initAndCheck(dir: string) {
  const init = await runBin(["init", dir]);
  const plan = await runBin(["--project-directory", dir, "plan", "--json"]);
  const check = await runBin(["--project-directory", dir, "check", "--strict", "--format", "json"]);
  return { init, plan, check };
}

describe.each([
  [
    "node-workspace",
    ["packages/api/Dockerfile", "packages/web/Dockerfile", ".dockerignore", "compose.yaml"],
    ["api", "web"],
  ],
  [
    "go-modules",
    ["services/api/Dockerfile", "services/worker/Dockerfile", "services/api/.dockerignore", "compose.yaml"],
    ["db", "api", "worker"],
  ],
  [
    "python",
    ["ingest/Dockerfile", "reports/Dockerfile", "reports/.dockerignore", "compose.yaml"],
    ["ingest", "reports"],
  ],
])("init on %s", (fixture, written, services) => {
  it("writes Dockerfiles, .dockerignore and Compose services that plan and pass check --strict", async () => {
    const dir = copyFixture(fixture);
    const { init, plan, check } = await initAndCheck(dir);
    expect(init.exitCode).toBe(0);
    for (const file of written) expect(existsSync(path.join(dir, file)), file).toBe(true);
    expect(plan.exitCode).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      services: { name: string; target: string | null; stages: string[] }[];
    };
    expect(planned.services.map((s) => s.name)).toEqual(services.filter((s) => s !== "db"));
    for (const s of planned.services) {
      expect(s.target).toBe("production");
      expect(s.stages).not.toContain("test");
    }
    expect(JSON.parse(check.stdout)).toMatchObject({ failed: false, findings: [] });
    expect(check.exitCode).toBe(0);
  });

  it("--dry-run prints every file and writes nothing", async () => {
    const dir = copyFixture(fixture);
    const result = await runBin(["init", "--dry-run", dir]);
    expect(result.exitCode).toBe(0);
    for (const file of written) {
      expect(result.stdout).toContain(`--- ${file}\n`);
      const existing = path.join(FIXTURES, fixture, file);
      if (existsSync(existing))
        expect(readFileSync(path.join(dir, file), "utf8")).toBe(readFileSync(existing, "utf8"));
      else expect(existsSync(path.join(dir, file)), file).toBe(false);
    }
  });
});

describe("init never overwrites without --force", () => {
  it("a second run writes nothing; an edited Dockerfile stays; --force rewrites it", async () => {
    const dir = copyFixture("go-modules");
    await runBin(["init", dir]);
    const dockerfile = path.join(dir, "services/api/Dockerfile");
    writeFileSync(dockerfile, "# ours\nFROM golang:1.23\n");
    const again = await runBin(["init", dir]);
    expect(again.stdout).toContain("skipped          services/api  (has a Dockerfile (--force replaces it))");
    expect(again.stdout).toContain("nothing to write");
    expect(readFileSync(dockerfile, "utf8")).toBe("# ours\nFROM golang:1.23\n");
    const forced = await runBin(["init", "--force", dir]);
    expect(forced.stdout).toContain("overwritten      services/api/Dockerfile");
    expect(readFileSync(dockerfile, "utf8")).toContain("FROM ${RUNTIME_IMAGE} AS production");
  });

  it("keeps the existing compose file's other content, comments included", async () => {
    const dir = copyFixture("go-modules");
    await runBin(["init", dir]);
    const compose = readFileSync(path.join(dir, "compose.yaml"), "utf8");
    const original = readFileSync(path.join(FIXTURES, "go-modules", "compose.yaml"), "utf8");
    expect(compose.startsWith(original)).toBe(true);
    expect(compose.slice(original.length)).toBe(
      "  api:\n    build:\n      context: services/api\n      target: production\n" +
        "  worker:\n    build:\n      context: services/worker\n      target: production\n",
    );
  });

  it("-f names the compose file; a broken one is bad input (exit 2, file:line) and nothing is written", async () => {
    const dir = copyFixture("python");
    const created = await runBin(["-f", "docker-compose.yml", "init", dir]);
    expect(created.stdout).toContain("created          docker-compose.yml  (services ingest, reports");
    const broken = copyFixture("python");
    writeFileSync(path.join(broken, "compose.yaml"), "services:\n  db: [\n");
    const result = await runBin(["init", broken]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${path.join(broken, "compose.yaml")}:3: cannot add services to this compose file`,
    );
    expect(existsSync(path.join(broken, "reports", "Dockerfile"))).toBe(false);
  });

  it("an existing .dockerignore is kept", async () => {
    const dir = copyFixture("python");
    writeFileSync(path.join(dir, "reports", ".dockerignore"), "# ours\n.git\n");
    const result = await runBin(["init", dir]);
    expect(result.stdout).not.toContain("reports/.dockerignore");
    expect(readFileSync(path.join(dir, "reports", ".dockerignore"), "utf8")).toBe("# ours\n.git\n");
  });
});

describe.each(["pnpm", "yarn", "yarn-berry"])("init on a %s workspace", (manager) => {
  it("writes Dockerfiles that plan and pass check --strict", async () => {
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ private: true, workspaces: ["apps/*"] }),
      "apps/web/package.json": JSON.stringify({
        name: "web",
        scripts: { start: "node server.js", test: "node --test" },
      }),
      "apps/web/server.js": "",
      "node_modules/": "",
    };
    if (manager === "pnpm")
      Object.assign(files, { "pnpm-lock.yaml": "", "pnpm-workspace.yaml": "packages: [apps/*]\n" });
    else Object.assign(files, { "yarn.lock": "" });
    if (manager === "yarn-berry")
      Object.assign(files, { ".yarnrc.yml": "nodeLinker: node-modules\n", ".yarn/releases/yarn.cjs": "" });
    const dir = writeProject(files, "dockbuild-init-");
    const { init, plan, check } = await initAndCheck(dir);
    expect(init.stdout).toContain("created          apps/web/Dockerfile");
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ failed: false, findings: [] });
    const dockerfile = readFileSync(path.join(dir, "apps/web/Dockerfile"), "utf8");
    const cache = {
      pnpm: "/pnpm/store",
      yarn: "/usr/local/share/.cache/yarn",
      "yarn-berry": "/root/.yarn/berry/cache",
    }[manager];
    expect(dockerfile).toContain(`RUN --mount=type=cache,target=${cache} `);
  });
});
