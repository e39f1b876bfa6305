import type { Writable } from "node:stream";

/**
 * The reader of dockbuild's output went away: `dockbuild all | head -1` once `head` has its line, or a
 * terminal that was closed. Writing then fails (EPIPE on a pipe, EIO on a terminal that hung up); unhandled,
 * that error ends the process with a stack trace and leaves its builds running. Here it is a reason to stop
 * quietly, as a program that SIGPIPE ends does: a build run is stopped like an interrupt, and main exits 141
 * (128 + SIGPIPE, what a shell reports for such a program).
 */

const CLOSED_CODES = new Set(["EPIPE", "EIO", "ECONNRESET", "ERR_STREAM_DESTROYED"]);

/** A stream found closed: which one, and whether it was a terminal that hung up (EIO, with a SIGHUP on its way). */
export interface ClosedOutput {
  stream: "stdout" | "stderr";
  hungUp: boolean;
}

/** What the CLI needs to know of its output streams. */
export interface OutputWatch {
  /** The first stream found closed, if one was. */
  closed(): ClosedOutput | undefined;
  /** Call `listener` once when a stream is found closed (at once if one was); returns a function that forgets it. */
  onClosed(listener: () => void): () => void;
  /** Wait until everything written so far has been written, or has failed (then `closed` says so). */
  flush(): Promise<void>;
  /** Give the streams' errors back (main, at its very end, after `flush`). */
  dispose(): void;
}

/** Take over the write errors of stdout and stderr: main calls it first, and disposes of it last. */
export function watchOutput(streams: { stdout: Writable; stderr: Writable } = process): OutputWatch {
  let closed: ClosedOutput | undefined;
  const listeners = new Set<() => void>();
  const onError = (name: "stdout" | "stderr") => (error: NodeJS.ErrnoException) => {
    // Any other write error is nothing a person could act on either: it must not crash the run.
    if (closed !== undefined || !CLOSED_CODES.has(error.code ?? "")) return;
    closed = { stream: name, hungUp: error.code === "EIO" };
    for (const listener of listeners) listener();
    listeners.clear();
  };
  const onStdoutError = onError("stdout");
  const onStderrError = onError("stderr");
  streams.stdout.on("error", onStdoutError);
  streams.stderr.on("error", onStderrError);
  return {
    closed: () => closed,
    onClosed(listener) {
      if (closed !== undefined) queueMicrotask(listener);
      else listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async flush() {
      // Writes still queued end in "drain" or in an error; either way the watcher has seen it afterwards.
      const pending = [streams.stdout, streams.stderr].filter((stream) => stream.writableLength > 0);
      await Promise.all(
        pending.map(
          (stream) =>
            new Promise<void>((resolve) => {
              stream.once("drain", resolve);
              stream.once("error", resolve);
              stream.once("close", resolve);
            }),
        ),
      );
      // A failed write reports its error on the next tick.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    dispose() {
      streams.stdout.off("error", onStdoutError);
      streams.stderr.off("error", onStderrError);
      listeners.clear();
    },
  };
}
