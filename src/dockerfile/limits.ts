import type { DockerfileError } from "./types.js";

/**
 * The largest Dockerfile dockbuild reads. BuildKit sets no total, but the parser dockbuild uses needs about
 * 300 bytes of memory per byte of text; half a MiB keeps a plan well under 300 MB while being ten times the
 * largest Dockerfiles seen in real projects.
 */
export const MAX_DOCKERFILE_BYTES = 512 * 1024;

/** BuildKit's parser refuses a physical line longer than this ("dockerfile line greater than max allowed size"). */
export const MAX_LINE_BYTES = 65_535;

/** Only lines at least this many characters long can exceed MAX_LINE_BYTES (UTF-8 takes at most 4 bytes each). */
const LONG_LINE_CHARS = Math.floor(MAX_LINE_BYTES / 4);

const MOVE_CONTENT_HINT =
  "move the large content into a file in the build context and COPY it, or generate it in a RUN step";

/**
 * What makes a Dockerfile unreadable before it is parsed: more than MAX_DOCKERFILE_BYTES in all, or a line
 * longer than BuildKit accepts. Checked on the text so that the parser never sees such input.
 */
export function checkDockerfileSize(text: string, file: string): DockerfileError[] {
  const tooLarge = checkDockerfileBytes(Buffer.byteLength(text, "utf8"), file);
  if (tooLarge) return [tooLarge];
  const errors: DockerfileError[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start >= LONG_LINE_CHARS) {
      const length = Buffer.byteLength(text.slice(start, end).replace(/\r$/, ""), "utf8");
      if (length > MAX_LINE_BYTES) {
        errors.push({
          location: { file, line },
          message: `line is ${formatBytes(length)} long; BuildKit refuses lines over ${MAX_LINE_BYTES.toLocaleString("en-US")} bytes`,
          hint: "split it with line continuations (\\ at the end of a line), or " + MOVE_CONTENT_HINT,
        });
      }
    }
    line++;
    start = end + 1;
  }
  return errors;
}

/** The error for a Dockerfile of `bytes` bytes when that is over MAX_DOCKERFILE_BYTES (checked before reading it). */
export function checkDockerfileBytes(bytes: number, file: string): DockerfileError | undefined {
  if (bytes <= MAX_DOCKERFILE_BYTES) return undefined;
  return {
    location: { file },
    message: `the Dockerfile is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_DOCKERFILE_BYTES)} dockbuild reads`,
    hint: MOVE_CONTENT_HINT,
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
