import type * as DockerfileAst from "dockerfile-ast";
import type { Argument, Dockerfile } from "dockerfile-ast";

let ast: typeof DockerfileAst | undefined;

/**
 * dockerfile-ast, loaded on first use: a run whose Dockerfiles were all analyzed before (their analyses come
 * from the state folder) never parses one, and evaluating the library and the language-server types it
 * brings costs every start-up a few ms. A `require`, so that the bundle keeps it and runs it only then.
 */
function dockerfileAst(): typeof DockerfileAst {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ast ??= require("dockerfile-ast") as typeof DockerfileAst);
}

const WORDS = Symbol("dockbuild.words");
/** The private method of dockerfile-ast 0.7 that splits an instruction into words (absent: nothing is kept). */
type Splitter = { getRawArguments?: (this: Kept) => Argument[] };
type Kept = { [WORDS]?: Argument[] };

let installed = false;

/**
 * dockerfile-ast (0.7) works out an instruction's words, each with its range, every time it is asked for
 * them, and asks itself about seven times per RUN while parsing (each instruction is built twice; the JSON
 * form, the flags and the heredocs each ask again): two thirds of a parse went there, 340 µs of a 510-byte
 * Dockerfile with a 5-line RUN, 125 µs with the words kept. An instruction's text never changes once
 * parsed, so each one works its words out once; every caller gets an array of its own holding the same
 * words, as `ModifiableInstruction.getArguments` removes the flags from the array it gets.
 */
function keepWords(): void {
  if (installed) return;
  installed = true;
  const prototype = dockerfileAst().Instruction.prototype as unknown as Splitter;
  const split = prototype.getRawArguments;
  if (typeof split !== "function") return;
  prototype.getRawArguments = function (this: Kept) {
    return (this[WORDS] ??= split.call(this)).slice();
  };
}

/** dockerfile-ast's parse, with each instruction's words worked out once (see keepWords). */
export function parseDockerfileAst(text: string): Dockerfile {
  keepWords();
  return dockerfileAst().DockerfileParser.parse(text);
}
