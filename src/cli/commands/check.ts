import { writeFile } from "node:fs/promises";
import path from "node:path";
import { checkToJson } from "../../check/format-json.js";
import { checkToSarif } from "../../check/format-sarif.js";
import { formatCheckText } from "../../check/format-text.js";
import { checkBuilds } from "../../session/check.js";
import type { CheckCliOptions } from "../check-options.js";
import { globalToProjectOptions, type GlobalOptions } from "../global-options.js";
import { printWarnings } from "../print-warnings.js";

/**
 * `dockbuild check [SERVICE...]`: load the project as `plan` does, run the rules over the stages each service's
 * target builds, print the report. Returns whether a finding fails the check (main sets exit code 1).
 */
export async function runCheckCommand(
  names: string[],
  options: GlobalOptions & CheckCliOptions,
  version: string,
): Promise<{ failed: boolean }> {
  const { findings, services, failed, notes, warnings } = await checkBuilds({
    ...globalToProjectOptions(options),
    services: names,
    deps: options.deps === true,
    strict: options.strict === true,
    sizes: options.sizes === true,
  });
  printWarnings(warnings);
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
