import { readFile } from "node:fs/promises";
import path from "node:path";
import { openEngine } from "../backends/index.js";
import { checkProject, hasFailures } from "../check/check-project.js";
import { cacheMountSafety } from "../dockerfile/index.js";
import { validateCheckSettings } from "../check/check-settings.js";
import { readContextFacts } from "../check/read-context-facts.js";
import type { Finding } from "../check/types.js";
import { InputError } from "../errors.js";
import { selectServices } from "../select/select.js";
import { lineOfPath } from "../util/yaml-location.js";
import { measureSizes } from "./check-sizes.js";
import { loadProject, type LoadedProject, type ProjectOptions } from "./load-project.js";

/** What to check, and how strictly. */
export interface CheckOptions extends ProjectOptions {
  /** Services or groups (default: all). */
  services?: string[];
  /** Also check the services the named ones need at build time. */
  deps?: boolean;
  /** Fail on warnings too, not only on errors. */
  strict?: boolean;
  /** Also build each final image and its builder stage to compare their sizes (needs the engine). */
  sizes?: boolean;
  signal?: AbortSignal;
}

/** The findings of a check, and whether one fails it. */
export interface CheckReport {
  findings: Finding[];
  services: string[];
  failed: boolean;
  /** What could not be checked (a size not measured), with why. */
  notes: string[];
  /** The warnings of loading the project, as `plan` gives them. */
  warnings: string[];
}

/** `dockbuild check`: load as `plan` does, run the rules over the stages each service's target builds. */
export async function checkBuilds(options: CheckOptions): Promise<CheckReport> {
  const loaded = await loadProject(options);
  await assertCheckSettings(loaded);
  const { services } = selectServices(loaded.graph, loaded.config, {
    names: options.services ?? [],
    noDeps: options.deps !== true,
  });
  const nodes = services.flatMap((s) => loaded.graph.nodes.get(s) ?? []);
  const contexts = await readContextFacts(nodes);
  const notes: string[] = [];
  let sizes;
  if (options.sizes) {
    const engine = await openEngine({
      dockerBinary: loaded.config.docker,
      backend: loaded.config.backend,
      env: options.env,
    });
    const signal = options.signal ?? new AbortController().signal;
    const measured = await measureSizes(loaded.graph, services, engine, signal);
    sizes = measured.sizes;
    for (const f of measured.failures)
      notes.push(`${f.service}: size not measured, its build failed: ${f.error}`);
  }
  const findings = checkProject({
    graph: loaded.graph,
    services,
    contexts,
    config: loaded.config.check,
    sizes,
  });
  return {
    findings,
    services,
    failed: hasFailures(findings, options.strict === true),
    notes,
    warnings: warningsBesideFindings(loaded),
  };
}

/** The load warnings but those DB010 reports as findings of its own (a cache mount shared unsafely). */
function warningsBesideFindings(loaded: LoadedProject): string[] {
  const mounts = [...loaded.graph.nodes.values()].flatMap((node) => node.cacheMounts);
  const covered = [...new Set(mounts.flatMap((mount) => cacheMountSafety(mount) ?? []))];
  return loaded.warnings.filter((warning) => !covered.some((message) => warning.endsWith(message)));
}

/** Unknown rule names in the config's `check` key are bad input, reported with their line. */
async function assertCheckSettings(loaded: LoadedProject): Promise<void> {
  const issues = validateCheckSettings(loaded.config.check);
  if (issues.length === 0) return;
  const file = loaded.configFile ?? "dockbuild config";
  const text = loaded.configFile ? await readFile(loaded.configFile, "utf8").catch(() => "") : "";
  const prefix = path.basename(file) === "package.json" ? ["dockbuild"] : [];
  throw new InputError(
    issues.map((issue) => ({
      location: {
        file,
        line: /\.(c|m)?(j|t)s$/.test(file) ? undefined : lineOfPath(text, [...prefix, ...issue.path]),
      },
      message: `${[...prefix, ...issue.path].join(".")}: ${issue.message}`,
      hint: issue.hint,
    })),
  );
}
