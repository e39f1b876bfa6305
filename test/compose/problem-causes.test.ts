import { describe, expect, it } from "vitest";
import { blameUnset, groupByLine, serviceOf } from "../../src/compose/problem-causes.js";
import { scalar } from "../../src/compose/node.js";

const at = (line: number) => ({ file: "/p/compose.yaml", line });
const origin = { file: "/p/compose.yaml", line: 2, dir: "/p" };

describe("blameUnset: a value that is what it is because variables were not set says so", () => {
  const problem = { location: at(2), message: 'x.retries: "" is not an integer', hint: "write an integer" };

  it.each([
    { unset: undefined, message: problem.message, hint: problem.hint },
    {
      unset: ["RETRIES"],
      message: `${problem.message} (RETRIES is not set)`,
      hint: "set RETRIES in the environment or in the .env file",
    },
    {
      unset: ["A", "B"],
      message: `${problem.message} (A and B are not set)`,
      hint: "set A and B in the environment or in the .env file",
    },
  ])("unset $unset", ({ unset, message, hint }) => {
    const node = { ...scalar("", origin), ...(unset ? { unset } : {}) };
    expect(blameUnset(problem, node)).toMatchObject({ message, hint });
  });

  it("serviceOf: only a key inside a service belongs to it", () => {
    expect([
      serviceOf(["services", "a", "image"]),
      serviceOf(["services", "a"]),
      serviceOf(["x-a", "b", "c"]),
    ]).toEqual(["a", undefined, undefined]);
  });
});

describe("groupByLine: one problem for several services that share a line", () => {
  const problem = (service: string, line = 2, rest = 'healthcheck.retries: "" is not an integer') => ({
    location: at(line),
    message: `services.${service}.${rest}`,
    hint: "write an integer",
    service,
  });

  it("three services sharing an anchor's line are one problem naming them; other lines stay apart", () => {
    expect(
      groupByLine([
        problem("a"),
        problem("b"),
        problem("c"),
        problem("d", 7),
        { location: at(9), message: "name: bad" },
      ]),
    ).toEqual([
      { ...problem("a"), message: 'services "a", "b" and "c": healthcheck.retries: "" is not an integer' },
      problem("d", 7),
      { location: at(9), message: "name: bad" },
    ]);
  });

  it("different problems on one line are not merged; many services are counted past eight", () => {
    expect(groupByLine([problem("a"), problem("b", 2, "healthcheck.timeout: bad")])).toHaveLength(2);
    const many = Array.from({ length: 46 }, (_, i) => problem(`s${i}`));
    expect(groupByLine(many).map((p) => p.message)).toEqual([
      'services "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" and 38 more: healthcheck.retries: "" is not an integer',
    ]);
  });
});
