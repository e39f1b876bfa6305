import { describe, expect, it } from "vitest";
import { analyzeDockerfile, MAX_DOCKERFILE_BYTES, MAX_LINE_BYTES } from "../../src/dockerfile/index.js";
import { DOCKERFILE_INSTRUCTIONS, parseDockerfile } from "../../src/dockerfile/parse-dockerfile.js";

const errorsOf = (text: string) =>
  parseDockerfile(text, "Dockerfile").errors.map((e) => ({
    line: e.location.line,
    message: e.message,
    hint: e.hint,
  }));

describe("parseDockerfile: what BuildKit's parser refuses before any build", () => {
  it("knows exactly the instructions of BuildKit's dockerfile frontend", () => {
    // moby/buildkit frontend/dockerfile/command/command.go
    expect([...DOCKERFILE_INSTRUCTIONS].sort()).toEqual(
      "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER VOLUME WORKDIR".split(
        " ",
      ),
    );
  });

  it.each([
    {
      name: "an unknown instruction, with no close one",
      text: "FROM alpine\nWRONG stuff\n",
      errors: [
        {
          line: 2,
          message: 'unknown instruction "WRONG"',
          hint: expect.stringMatching(/^Dockerfile instructions are ADD, ARG,/),
        },
      ],
    },
    {
      name: "a misspelt instruction, with a did-you-mean in any case",
      text: "FROM alpine\nRUNN echo\ncopy . /\nexpse 80\n",
      errors: [
        { line: 2, message: 'unknown instruction "RUNN"', hint: "did you mean RUN?" },
        { line: 4, message: 'unknown instruction "expse"', hint: "did you mean EXPOSE?" },
      ],
    },
    {
      name: "an unknown instruction continued over lines is one error at its first line",
      text: "FROM alpine\nWRONG a \\\n  b\nRUN true\n",
      errors: [{ line: 2, message: 'unknown instruction "WRONG"', hint: expect.any(String) }],
    },
    {
      name: "an instruction before the first FROM other than ARG",
      text: "ARG BASE=alpine\nENV X=1\nFROM ${BASE}\n",
      errors: [
        {
          line: 2,
          message: expect.stringMatching(/^ENV before the first FROM/),
          hint: "move it below a FROM line",
        },
      ],
    },
    {
      name: "heredoc bodies, comments, parser directives and lower-case instructions are fine",
      text: "# syntax=docker/dockerfile:1\n# escape=\\\nfrom alpine as base\nRUN <<EOF\nWRONG is only text here\nEOF\nCOPY <<EOT /x\nnot an instruction\nEOT\nonbuild run true\nhealthcheck NONE\n",
      errors: [],
    },
  ])("$name", ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors);
  });

  it("a Dockerfile over the size limit is not parsed at all", () => {
    const text =
      "FROM alpine\n" +
      "RUN echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(MAX_DOCKERFILE_BYTES / 40);
    const parsed = parseDockerfile(text, "Dockerfile");
    expect(parsed.ast).toBeUndefined();
    expect(parsed.errors).toEqual([
      {
        location: { file: "Dockerfile" },
        message: "the Dockerfile is 640.0 KiB, more than the 512 KiB dockbuild reads",
        hint: expect.stringMatching(/COPY it/),
      },
    ]);
  });

  it("a line longer than BuildKit accepts is refused at its line, in bytes (not characters)", () => {
    const long = "RUN echo " + "é".repeat(MAX_LINE_BYTES / 2);
    const errors = errorsOf(`FROM alpine\n${long}\nRUN ok\n`);
    expect(errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/^line is 64\.0 KiB long; BuildKit refuses lines over 65,535 bytes$/),
        hint: expect.any(String),
      },
    ]);
    const fits = "RUN echo " + "a".repeat(MAX_LINE_BYTES - 9);
    expect(errorsOf(`FROM alpine\n${fits}\n`)).toEqual([]);
  });
});

describe("analyzeDockerfile: errors stop the analysis, limits are never crossed", () => {
  it("a FROM with ${X:- nested 5,000 deep is an error at its line, not a stack overflow", () => {
    const text = "FROM " + "${X:-".repeat(5000) + "alpine" + "}".repeat(5000) + "\n";
    const analysis = analyzeDockerfile(text, "Dockerfile");
    expect(analysis.stages).toEqual([]);
    expect(analysis.errors).toEqual([
      {
        location: { file: "Dockerfile", line: 1 },
        message: expect.stringMatching(/nested more than 64 deep/),
        hint: expect.any(String),
      },
    ]);
  });

  it("self-doubling ARG chains hit the expanded-length limit at the ARG that overdraws it", () => {
    const lines = ["ARG A0=" + "x".repeat(1024)];
    for (let i = 1; i <= 30; i++) lines.push(`ARG A${i}=\${A${i - 1}}\${A${i - 1}}`);
    lines.push("FROM alpine");
    const analysis = analyzeDockerfile(lines.join("\n"), "Dockerfile");
    expect(analysis.errors).toEqual([
      {
        location: { file: "Dockerfile", line: 13 },
        message: "expanding variables gives more than 4,194,304 characters in this Dockerfile",
        hint: expect.stringMatching(/double each time/),
      },
    ]);
  });

  it("doubling ENV values inside a stage are caught at their line too", () => {
    const lines = ["FROM alpine", "ENV A=" + "x".repeat(4096)];
    for (let i = 0; i < 20; i++) lines.push("ENV A=$A$A");
    const analysis = analyzeDockerfile(lines.join("\n"), "Dockerfile");
    expect(analysis.errors.map((e) => e.location.line)).toEqual([12]);
  });

  it("thousands of stages reusing one name give one warning with the count", () => {
    const text = "FROM busybox AS a\n".repeat(20_000) + "FROM scratch AS b\n";
    const analysis = analyzeDockerfile(text, "Dockerfile");
    expect(analysis.stages).toHaveLength(20_001);
    expect(analysis.warnings).toEqual([
      {
        message: 'stage name "a" is used 20,000 times; the last stage of that name wins',
        location: { file: "Dockerfile", line: 2 },
      },
    ]);
  });

  it("a chain of thousands of stages is followed without recursion", async () => {
    const { stagesForTarget } = await import("../../src/dockerfile/index.js");
    const lines = ["FROM busybox AS s0"];
    for (let i = 1; i < 15_000; i++) lines.push(`FROM s${i - 1} AS s${i}`);
    const analysis = analyzeDockerfile(lines.join("\n"), "Dockerfile");
    expect(stagesForTarget(analysis)).toHaveLength(15_000);
  });
});
