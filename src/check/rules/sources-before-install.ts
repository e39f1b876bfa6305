import path from "node:path";
import { existsInContext } from "../context-facts.js";
import type { RunMount, Step } from "../dockerfile-model.js";
import { matchInstall, type InstallCommand } from "../package-managers.js";
import { baseChain, findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";
import { inCode, instructionText, linesOf } from "../source-edits.js";
import { installContext, runWithCaches } from "./cache-mounts.js";

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
          const bindsContext = step.mounts.find(
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
                `${inCode(first.display)} bind-mounts the whole build context, so every source change re-runs it`,
                bindManifestsFix(view, first, step, bindsContext),
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
  run: Step & { kind: "RUN" },
) {
  const written = instructionText(view.model, copy.line, copy.endLine);
  const message = `${inCode(written)} comes before ${inCode(install.display)} (line ${run.line}): every source change re-runs the dependency install`;
  const dest =
    copy.dest === "." || copy.dest === "" ? "./" : copy.dest.endsWith("/") ? copy.dest : `${copy.dest}/`;
  const flags = copy.flags.filter((f) => /^--(chown|chmod|link)\b/.test(f));
  const lines = [
    ...fixLines(view, install, run, dest, flags),
    ...linesOf(view.model, copy.line, copy.endLine),
  ];
  if (view.context?.nodeWorkspaces && ["npm", "pnpm", "yarn"].includes(install.manager)) {
    lines.splice(
      1,
      0,
      "# and the package.json of each workspace package, each to its own folder, before the install",
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

/** The install with a bind mount of each dependency file where the whole context was mounted. */
function bindManifestsFix(
  view: ServiceView,
  install: InstallCommand,
  run: Step & { kind: "RUN" },
  mount: RunMount,
): string {
  const intro = "mount only the dependency files:";
  if (!mount.written) return intro.replace(/:$/, "");
  const target = mount.target.replace(/\/+$/, "");
  // a path the command reads inside the mount (`-r /src/requirements.txt`) is that file of the context
  const binds = manifestsFor(view, install).map((m) => {
    const file = m.replace(/\/$/, "");
    const source = file.startsWith(`${target}/`) ? file.slice(target.length + 1) : file;
    return `--mount=type=bind,source=${source},target=${target}/${source}`;
  });
  const edit = { start: mount.written.start, end: mount.written.end, text: binds.join(" ") };
  return [intro, ...runWithCaches(view, run, install, [edit])].join("\n");
}

/** The dependency files of an install: those present in the context, else the ones it needs. */
function manifestsFor(view: ServiceView, install: InstallCommand): string[] {
  const present = install.manifests.filter((m) => existsInContext(view.context, m) === true);
  const required = install.manifests.slice(0, install.manager === "pip" || install.manager === "uv" ? 1 : 2);
  return [...new Set(present.length > 0 ? present : required.filter((m) => !m.startsWith(".")))];
}

/** The COPY of the manifests (with the copy's own flags) and the install, as they should read. */
function fixLines(
  view: ServiceView,
  install: InstallCommand,
  run: Step & { kind: "RUN" },
  dest: string,
  flags: string[],
): string[] {
  const copy = ["COPY", ...flags, ...manifestsFor(view, install), dest].join(" ");
  return [copy, ...runWithCaches(view, run, install)];
}
