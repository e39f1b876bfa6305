import path from "node:path";
import { existsInContext } from "../context-facts.js";
import type { Step } from "../dockerfile-model.js";
import { matchInstall, type InstallCommand } from "../package-managers.js";
import { baseChain, findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";
import { installContext, runLineWithCaches } from "./cache-mounts.js";

/** Names of files a dependency install reads: copying these first is the point, never a problem. */
const MANIFEST_HINTS =
  /package|lock|requirements|pyproject|Pipfile|go\.(mod|sum|work)|Gemfile|Cargo|composer|\.npmrc|\.yarnrc|^\.yarn$|constraints/i;

/**
 * DB001: a dependency install (`npm ci`, `pip install -r`, `go mod download`…) that comes after a copy of the
 * sources (`COPY . .`, `COPY src/ …`) in its stage or a stage below it, or that bind-mounts the whole context:
 * every edit of any source file then re-runs the install. The fix names the manifest files to copy first.
 */
export function sourcesBeforeInstall(view: ServiceView): RuleFinding[] {
  const findings = new Map<number, RuleFinding>();
  const context = installContext(view);
  for (const stage of view.stages) {
    const chain = baseChain(view, stage);
    const below = chain.slice(0, -1).flatMap((s) => stepsOf(view, s));
    const seen: Step[] = [...below];
    for (const step of stepsOf(view, stage)) {
      if (step.kind === "RUN") {
        const installs = step.commands
          .map((c) => matchInstall(c, context))
          .filter((i): i is InstallCommand => i !== undefined && isDependencyInstall(i, seen));
        const first = installs[0];
        if (first) {
          const copy = seen.find((s) => isSourceCopy(s, view));
          const bindsContext = step.mounts.some(
            (m) => m.type === "bind" && m.from === undefined && ["", ".", "./", "/"].includes(m.source ?? ""),
          );
          if (copy && (copy.kind === "COPY" || copy.kind === "ADD") && !findings.has(copy.line)) {
            findings.set(copy.line, reportCopy(view, copy, first, step));
          } else if (bindsContext && !findings.has(step.line)) {
            findings.set(
              step.line,
              findingAt(
                view,
                step.line,
                "DB001",
                `\`${first.display}\` bind-mounts the whole build context, so every source change re-runs it`,
                `mount only the dependency files, or copy them first:\n${fixLines(view, first, step, "./").join("\n")}`,
              ),
            );
          }
        }
      }
      seen.push(step);
    }
  }
  return [...findings.values()];
}

/**
 * An install that only reads manifests and downloads; `cargo build` too when no `cargo fetch` came before it.
 * An `--offline` install (a prune from the cache mount) downloads nothing, so re-running it costs little.
 */
function isDependencyInstall(install: InstallCommand, before: Step[]): boolean {
  if (install.argv.includes("--offline")) return false;
  if (install.dependencyInstall) return true;
  if (install.manager !== "cargo" || !install.display.startsWith("cargo build")) return false;
  return !before.some(
    (s) => s.kind === "RUN" && s.commands.some((c) => c.argv[0] === "cargo" && c.argv[1] === "fetch"),
  );
}

/** A COPY/ADD from the build context that takes more than dependency files: `.`, a folder, a glob. */
function isSourceCopy(step: Step, view: ServiceView): boolean {
  if ((step.kind !== "COPY" && step.kind !== "ADD") || step.from !== undefined) return false;
  return step.sources.some((source) => {
    const clean = source.replace(/^\.\//, "");
    if (clean === "" || clean === "." || clean === "/" || clean === "*") return true;
    const base = path.posix.basename(clean.replace(/\/$/, ""));
    if (MANIFEST_HINTS.test(base)) return false;
    if (/[*?[]/.test(clean) || clean.endsWith("/")) return true;
    const known = clean.includes("/") ? undefined : existsInContext(view.context, `${clean}/`);
    if (known !== undefined) return view.context?.entries.has(`${clean}/`) === true;
    return !base.includes(".");
  });
}

function reportCopy(
  view: ServiceView,
  copy: Step & { kind: "COPY" | "ADD" },
  install: InstallCommand,
  run: Step,
) {
  const written = `${copy.kind} ${copy.sources.join(" ")} ${copy.dest}`;
  const message = `\`${written}\` comes before \`${install.display}\` (line ${run.line}): every source change re-runs the dependency install`;
  const dest =
    copy.dest === "." || copy.dest === "" ? "./" : copy.dest.endsWith("/") ? copy.dest : `${copy.dest}/`;
  const lines = [...fixLines(view, install, run, dest), written];
  if (view.context?.nodeWorkspaces && ["npm", "pnpm", "yarn"].includes(install.manager)) {
    lines.splice(
      1,
      0,
      "COPY <each workspace package>/package.json <the same path>/   # one line per workspace package",
    );
  }
  return findingAt(
    view,
    copy.line,
    "DB001",
    message,
    `copy the dependency files first, install, then copy the sources:\n${lines.join("\n")}`,
  );
}

/** The COPY of the manifests and the install, as they should read. */
function fixLines(view: ServiceView, install: InstallCommand, run: Step, dest: string): string[] {
  const present = install.manifests.filter((m) => existsInContext(view.context, m) === true);
  const required = install.manifests.slice(0, install.manager === "pip" || install.manager === "uv" ? 1 : 2);
  const manifests = [...new Set(present.length > 0 ? present : required.filter((m) => !m.startsWith(".")))];
  const copy = `COPY ${manifests.join(" ")} ${dest}`;
  return [copy, run.kind === "RUN" ? runLineWithCaches(view, run, install) : `RUN ${install.display}`];
}
