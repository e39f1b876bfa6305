import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import { addGlobalOptions, type GlobalOptions } from "./global-options.js";
import { addBuildOptions, builderOption, type BuildCliOptions } from "./build-options.js";
import { exitCodeFor } from "../errors.js";
import { watchOutput, type OutputWatch } from "./closed-output.js";
import { addCheckOptions, type CheckCliOptions } from "./check-options.js";
import { addInitOptions, type InitCliOptions } from "./init-options.js";
import { printError } from "./print-error.js";
import { allowHeapGrowthTuning } from "../util/heap-growth.js";

/** dockbuild's version, from its package.json: two folders up from src/cli/, and from the bundle in dist/cli/. */
function readVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)("../../package.json");
  return pkg && typeof pkg === "object" && "version" in pkg ? String(pkg.version) : "unknown";
}

/** Build the command tree; each command's module is imported only when it runs. */
export function createProgram(output: OutputWatch): Command {
  const program = new Command("dockbuild")
    .description(
      "Build every image of a Compose monorepo with BuildKit: in dependency order, in parallel, with shared caches.",
    )
    .version(readVersion(), "-V, --version")
    .showHelpAfterError()
    .exitOverride();
  addGlobalOptions(program);

  const build = (name: string, description: string) =>
    addBuildOptions(
      program.command(name).description(description).argument("[services...]", "services or groups"),
    );
  // `dockbuild`, `dockbuild all` and `dockbuild build` are one command; `all` only names every service
  const buildAction =
    (prefix: string[]) =>
    async (services: string[], _opts: unknown, command: Command): Promise<void> => {
      const { runBuildCommand } = await import("./commands/build.js");
      await runBuildCommand(
        [...prefix, ...services],
        command.optsWithGlobals<GlobalOptions & BuildCliOptions>(),
        output,
      );
    };

  addBuildOptions(program.argument("[services...]", "services or groups to build (default: all)")).action(
    buildAction([]),
  );
  build(
    "all",
    "build every service that has a build section (and an active profile), and what those need at build time",
  ).action(buildAction(["all"]));
  build("build", "build the named services and what they need at build time").action(buildAction([]));

  program
    .command("plan")
    .description("show what would be built, in which order, without building")
    .argument("[services...]", "services or groups (default: all)")
    .option("--json", "print the plan as JSON (same as --format json)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "mermaid", "dot"])
        .default("text"),
    )
    .option("--stages", "draw each service's stage subgraph too (mermaid, dot)")
    .option("--no-deps", "do not add build-time dependencies")
    .option("--affected", "only services whose build inputs changed (see --since)")
    .option("--since <ref>", "git ref to compare with for --affected (default origin/main)")
    .addOption(builderOption("place builds on this of the config's builders only (repeatable)"))
    .action(async (services: string[], _opts, command: Command) => {
      const { runPlanCommand } = await import("./commands/plan.js");
      await runPlanCommand(services, command.optsWithGlobals());
    });

  program
    .command("matrix")
    .description("print a CI matrix: one job per distinct build of the selected services, with its wave")
    .argument("[services...]", "services or groups (default: all)")
    .addOption(
      new Option("--format <format>", "matrix format")
        .choices(["github", "gitlab", "json"])
        .default("github"),
    )
    .option("--affected", "only services whose build inputs changed (see --since)")
    .option("--since <ref>", "git ref to compare with for --affected (default origin/main)")
    .option("--github-output <name>", "also write the GitHub matrix to $GITHUB_OUTPUT under this name")
    .option("--gitlab-image <image>", "image for the GitLab jobs")
    .option("--gitlab-command <command>", 'what the GitLab jobs run dockbuild with (default "dockbuild")')
    .option(
      "--gitlab-before-script <command>",
      'a command each GitLab job runs first, e.g. "npm ci" (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (services: string[], _opts, command: Command) => {
      const { runMatrixCommand } = await import("./commands/matrix.js");
      await runMatrixCommand(services, command.optsWithGlobals());
    });

  program
    .command("ls")
    .description("list the services that have a build section, the stage each builds and the stages it takes")
    .option("--json", "print JSON")
    .action(async (_opts, command: Command) => {
      const { runLsCommand } = await import("./commands/ls.js");
      await runLsCommand(command.optsWithGlobals());
    });

  addCheckOptions(
    program
      .command("check")
      .description(
        "report, per Dockerfile line, what costs image size or cache hits in the stages each service's target builds",
      )
      .argument("[services...]", "services or groups (default: all)"),
  ).action(async (services: string[], _opts, command: Command) => {
    const { runCheckCommand } = await import("./commands/check.js");
    const options = command.optsWithGlobals<GlobalOptions & CheckCliOptions>();
    const { failed } = await runCheckCommand(services, options, program.version() ?? "unknown");
    if (failed) process.exitCode = 1;
  });

  addInitOptions(
    program
      .command("init")
      .description(
        "write a multi-stage Dockerfile, a .dockerignore and a Compose service for each package that has no Dockerfile",
      )
      .argument("[dir]", "the repository's root (default: --project-directory, else the current folder)"),
  ).action(async (dir: string | undefined, _opts, command: Command) => {
    const { runInitCommand } = await import("./commands/init.js");
    await runInitCommand(dir, command.optsWithGlobals<GlobalOptions & InitCliOptions>());
  });

  const cache = program
    .command("cache")
    .description(
      "save and restore the contents of cache mounts (RUN --mount=type=cache), e.g. between CI runs",
    );
  const cacheMountCommand = (name: "export" | "import", description: string) =>
    cache
      .command(name)
      .description(description)
      .argument("<dir>", "folder with one folder per mount and dockbuild-cache-mounts.json")
      .argument("[services...]", "services or groups whose cache mounts to take (default: all)")
      .option(
        "--helper-image <image>",
        "image with a shell and cp to run (default: config cache.mountHelperImage, else busybox:latest)",
      )
      .option("--no-deps", "only the named services' mounts, not those of what they build on")
      .option("--dry-run", "print the helper build, run nothing");
  cacheMountCommand("export", "copy the cache mounts' contents out of the engine into DIR").action(
    async (dir: string, services: string[], _opts, command: Command) => {
      const { runCacheExportCommand } = await import("./commands/cache.js");
      await runCacheExportCommand(dir, services, command.optsWithGlobals());
    },
  );
  cacheMountCommand("import", "seed the engine's cache mounts from an earlier export in DIR").action(
    async (dir: string, services: string[], _opts, command: Command) => {
      const { runCacheImportCommand } = await import("./commands/cache.js");
      await runCacheImportCommand(dir, services, command.optsWithGlobals());
    },
  );

  return program;
}

/** The commands that build: only their errors may say "nothing was built". */
const BUILD_COMMANDS = new Set(["dockbuild", "all", "build"]);

/** The one place that ends the process: run the CLI, print any error, set the exit code. */
export async function main(argv: string[]): Promise<void> {
  allowHeapGrowthTuning();
  const output = watchOutput();
  const program = createProgram(output);
  let command: string | undefined;
  program.hook("preAction", (_program, action) => {
    command = action.name();
  });
  let code: number;
  try {
    await program.parseAsync(argv);
    // an action may have set its own (`check` with a failing finding)
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    // commander already printed its message (or help/version); usage errors are bad input
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else
      code = printError(error, undefined, { builds: command !== undefined && BUILD_COMMANDS.has(command) });
  }
  // Output that could not all be written: what a closed pipe means to any program (a failure stays one).
  await output.flush();
  if (output.closed() !== undefined && code === 0) code = exitCodeFor("OUTPUT_CLOSED");
  output.dispose();
  process.exitCode = code;
}
