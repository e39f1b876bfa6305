// Checks around the measurements: what must be there before the bench starts, whether dist/ is older than
// src/, and whether `plan --json` printed what DESIGN.md promises (a fast wrong answer is not a result).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** What must be there before anything runs: the Docker client, the buildx plugin when one is given, a static busybox, dockbuild's dist/. */
export function preflight(context) {
  const problems = [];
  if (!existsSync(context.docker)) {
    problems.push(`Docker client ${context.docker} not found (--docker or DOCKBUILD_DOCKER)`);
  }
  if (context.buildxConfigGiven && !existsSync(join(context.dockerConfig, "cli-plugins", "docker-buildx"))) {
    problems.push(`--buildx-config ${context.dockerConfig}: no cli-plugins/docker-buildx in it`);
  }
  if (!existsSync("/bin/busybox")) problems.push("/bin/busybox not found: apt-get install busybox-static");
  if (!existsSync(join(context.repoRoot, "dist", "cli", "main.js"))) {
    problems.push("dist/ is missing: run `pnpm build` first");
  }
  return problems;
}

/** A note when src/ has files newer than dist/cli/main.js: the bench would time old code. */
export function distStaleness(repoRoot) {
  const main = join(repoRoot, "dist", "cli", "main.js");
  if (!existsSync(main)) return undefined;
  const built = statSync(main).mtimeMs;
  const newer = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (statSync(path).mtimeMs > built) newer.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, "src"));
  if (newer.length === 0) return undefined;
  const shown = `${newer.slice(0, 3).join(", ")}${newer.length > 3 ? ", …" : ""}`;
  return `dist/ is older than ${newer.length} file(s) in src/ (${shown}): run \`pnpm build\` to time the current code`;
}

/** `plan --json` must be the documented shape with every service, or its time means nothing. */
export function checkPlanJson(stdout, n) {
  let plan;
  try {
    plan = JSON.parse(stdout);
  } catch {
    return "plan --json did not print JSON";
  }
  if (
    typeof plan !== "object" ||
    plan === null ||
    !Array.isArray(plan.services) ||
    !Array.isArray(plan.waves)
  ) {
    return "plan --json has no services/waves arrays";
  }
  if (plan.services.length !== n) return `plan --json lists ${plan.services.length} services, not ${n}`;
  return undefined;
}
