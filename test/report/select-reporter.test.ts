import { describe, expect, it } from "vitest";
import { chooseReporter, isCi, resolveProgress } from "../../src/report/select-reporter.js";
import { captureStream, jobs } from "./helpers.js";

describe("resolveProgress", () => {
  it("picks the live view only for a terminal outside CI", () => {
    expect(resolveProgress("auto", {}, true)).toBe("tty");
    expect(resolveProgress("auto", { CI: "false" }, true)).toBe("tty");
    expect(resolveProgress("auto", { CI: "true" }, true)).toBe("plain");
    expect(resolveProgress("auto", {}, false)).toBe("plain");
    expect(resolveProgress("auto", { CI: "true", GITHUB_ACTIONS: "true" }, false)).toBe("github");
    expect(resolveProgress("auto", { GITHUB_ACTIONS: "false" }, false)).toBe("plain");
  });

  it("honors an explicit mode", () => {
    expect(resolveProgress("tty", { CI: "1" }, false)).toBe("tty");
    expect(resolveProgress("plain", {}, true)).toBe("plain");
    expect(resolveProgress("plain", { GITHUB_ACTIONS: "true" }, true)).toBe("github");
    expect(resolveProgress("json", { GITHUB_ACTIONS: "true" }, true)).toBe("json");
    expect(resolveProgress("quiet", {}, true)).toBe("quiet");
  });
});

describe("chooseReporter", () => {
  it("writes plain and json progress to the given stdout", () => {
    const out = captureStream();
    chooseReporter("json", {}, out.stream).jobLog?.(jobs.base, "hello");
    chooseReporter("plain", {}, out.stream).jobLog?.(jobs.base, "#5 hello");
    expect(out.chunks).toHaveLength(2);
    expect(JSON.parse(out.chunks[0] ?? "")).toMatchObject({ event: "log", service: "base", line: "hello" });
    expect(out.chunks[1]).toBe("base | #5 hello\n");
  });

  it("uses workflow commands on GitHub Actions", () => {
    const out = captureStream();
    chooseReporter("auto", { CI: "true", GITHUB_ACTIONS: "true" }, out.stream).warning?.("careful");
    expect(out.text()).toBe("::warning::careful\n");
  });
});

describe("isCi", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["false", false],
    ["0", false],
    ["true", true],
    ["1", true],
    ["woodpecker", true],
  ])("CI=%s → %s", (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});
