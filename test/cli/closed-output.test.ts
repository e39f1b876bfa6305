import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { watchOutput } from "../../src/cli/closed-output.js";

/** A stream whose writes fail with `code` once `fail` is set, as a closed pipe or a hung-up terminal does. */
function stream(): Writable & { failWith?: string } {
  const out: Writable & { failWith?: string } = new Writable({
    write(_chunk, _encoding, done) {
      if (out.failWith === undefined) done();
      else done(Object.assign(new Error(`write ${out.failWith}`), { code: out.failWith }));
    },
  });
  return out;
}

describe("watchOutput", () => {
  it("a write into a closed pipe is seen, said once, and never thrown", async () => {
    const stdout = stream();
    const stderr = stream();
    const output = watchOutput({ stdout, stderr });
    let told = 0;
    output.onClosed(() => (told += 1));
    stdout.write("fine\n");
    await output.flush();
    expect(output.closed()).toBeUndefined();

    stdout.failWith = "EPIPE";
    stdout.write("into the void\n");
    await output.flush();
    expect(output.closed()).toEqual({ stream: "stdout", hungUp: false });
    expect(told).toBe(1);
    output.dispose();
  });

  it("a terminal that hung up (EIO) is told apart: its SIGHUP is what stops the run", async () => {
    const stdout = stream();
    const stderr = stream();
    const output = watchOutput({ stdout, stderr });
    stderr.failWith = "EIO";
    stderr.write("gone\n");
    await output.flush();
    expect(output.closed()).toEqual({ stream: "stderr", hungUp: true });
    output.dispose();
  });

  it("a listener added after the fact is still called", async () => {
    const stdout = stream();
    const output = watchOutput({ stdout, stderr: stream() });
    stdout.failWith = "EPIPE";
    stdout.write("x");
    await output.flush();
    const late = await new Promise<boolean>((resolve) => output.onClosed(() => resolve(true)));
    expect(late).toBe(true);
    output.dispose();
  });

  it("after dispose the streams' errors are no longer taken", () => {
    const stdout = stream();
    const output = watchOutput({ stdout, stderr: stream() });
    expect(stdout.listenerCount("error")).toBe(1);
    output.dispose();
    expect(stdout.listenerCount("error")).toBe(0);
  });
});
