import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkProject, hasFailures } from "../../check/check-project.js";
import { validateCheckSettings } from "../../check/check-settings.js";
import { checkToJson } from "../../check/format-json.js";
import { checkToSarif } from "../../check/format-sarif.js";
import { formatCheckText } from "../../check/format-text.js";
import { readContextFacts } from "../../check/read-context-facts.js";
import { InputError } from "../../errors.js";
import { selectServices } from "../../select/select.js";
import { lineOfPath } from "../../util/yaml-location.js";
import type { CheckCliOptions } from "../check-options.js";
import type { GlobalOptions } from "../global-options.js";
import { loadWorkspace, type Workspace } from "../workspace.js";

/**
 * `dockbuild check [SERVICE...]`: load the project as `plan` does, run the rules over the stages each service's
 * target builds, print the report. Returns whether a finding fails the check (main sets exit code 1).
 */
export async function runCheckCommand(
  names: string[],
  options: GlobalOptions & CheckCliOptions,
  version: string,
): Promise<{ failed: boolean }> {
  const workspace = await loadWorkspace(options);
  await assertCheckSettings(workspace);
  const { services } = selectServices(workspace.graph, workspace.config, {
    names,
    noDeps: options.deps !== true,
  });
  const nodes = services.flatMap((s) => workspace.graph.nodes.get(s) ?? []);
  const contexts = await readContextFacts(nodes);
  const notes: string[] = [];
  let sizes;
  if (options.sizes) {
    const { measureSizes } = await import("../../check/measure-sizes.js");
    const measured = await measureSizes(workspace.graph, services, {
      dockerBinary: workspace.config.docker,
      backend: workspace.config.backend,
      signal: new AbortController().signal,
    });
    sizes = measured.sizes;
    for (const f of measured.failures)
      notes.push(`${f.service}: size not measured, its build failed: ${f.error}`);
  }
  const findings = checkProject({
    graph: workspace.graph,
    services,
    contexts,
    config: workspace.config.check,
    sizes,
  });
  const failed = hasFailures(findings, options.strict === true);
  const cwd = process.cwd();
  const report =
    options.format === "json"
      ? JSON.stringify(checkToJson(findings, { services, failed, notes }), null, 2)
      : options.format === "sarif"
        ? JSON.stringify(checkToSarif(findings, { cwd, version }), null, 2)
        : formatCheckText(findings, {
            cwd,
            services: services.length,
            strict: options.strict === true,
            notes,
          });
  if (options.output) await writeFile(path.resolve(options.output), `${report}\n`);
  else process.stdout.write(`${report}\n`);
  if (options.format !== "text") for (const n of notes) process.stderr.write(`note: ${n}\n`);
  return { failed };
}

/** Unknown rule names in the config's `check` key are bad input, reported with their line. */
async function assertCheckSettings(workspace: Workspace): Promise<void> {
  const issues = validateCheckSettings(workspace.config.check);
  if (issues.length === 0) return;
  const file = workspace.configFile ?? "dockbuild config";
  const text = workspace.configFile ? await readFile(workspace.configFile, "utf8").catch(() => "") : "";
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
