import type { Dockerfile } from "dockerfile-ast";
import { parseDockerfileAst } from "./parse-ast.js";
import { closestNames } from "../util/closest.js";
import { checkDockerfileSize } from "./limits.js";
import type { DockerfileError } from "./types.js";

/**
 * The instructions BuildKit's Dockerfile frontend knows; any other is "unknown instruction".
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/command/command.go
 */
export const DOCKERFILE_INSTRUCTIONS = [
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
] as const;

const KNOWN = new Set<string>(DOCKERFILE_INSTRUCTIONS);

/** A Dockerfile read once: analyzed for each build that uses it, with what keeps it from being built at all. */
export interface ParsedDockerfile {
  file: string;
  /** Undefined when the text was not parsed (too large). */
  ast?: Dockerfile;
  /** What BuildKit's parser refuses, or what dockbuild will not read. */
  errors: DockerfileError[];
}

/**
 * Parse a Dockerfile with dockerfile-ast after the size checks, and find what BuildKit's instruction parser
 * refuses before any build: an unknown instruction, and any instruction but ARG before the first FROM.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/instructions/parse.go
 */
export function parseDockerfile(text: string, file: string): ParsedDockerfile {
  const sizeErrors = checkDockerfileSize(text, file);
  if (sizeErrors.length > 0) return { file, errors: sizeErrors };
  const ast = parseDockerfileAst(text);
  const errors: DockerfileError[] = [];
  let seenFrom = false;
  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    const location = { file, line: instruction.getRange().start.line + 1 };
    if (!KNOWN.has(keyword)) {
      const instructionText = instruction.getInstruction();
      const written = instructionText.length > 40 ? `${instructionText.slice(0, 40)}…` : instructionText;
      const close = closestNames(keyword, DOCKERFILE_INSTRUCTIONS);
      errors.push({
        location,
        message: `unknown instruction "${written}"`,
        hint:
          close.length > 0
            ? `did you mean ${close.join(" or ")}?`
            : `Dockerfile instructions are ${DOCKERFILE_INSTRUCTIONS.join(", ")}`,
      });
    } else if (keyword === "FROM") seenFrom = true;
    else if (!seenFrom && keyword !== "ARG") {
      errors.push({
        location,
        message: `${keyword} before the first FROM: only ARG may come before it (BuildKit: "no build stage in current context")`,
        hint: "move it below a FROM line",
      });
    }
  }
  return { file, ast, errors };
}

/** The same text read as another file: its syntax tree is shared, its errors point at `file`. */
export function asFile(parsed: ParsedDockerfile, file: string): ParsedDockerfile {
  if (parsed.file === file) return parsed;
  const errors = parsed.errors.map((error) => ({ ...error, location: { ...error.location, file } }));
  return { ...parsed, file, errors };
}
