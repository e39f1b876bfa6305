// Mutations of a generated file's bytes: flips, insertions, deletions, truncation, duplication, tokens that
// mean something to YAML, interpolation or Dockerfiles spliced in at random, and (as the last step) huge
// repeats and deep nesting, kept compact in the replay file as repeats.
import { Buffer } from "node:buffer";
import { fromBuffer, repeat } from "./content.mjs";

const TOKENS = [
  "&a ",
  "*a",
  "*a ",
  "<<: *a\n",
  "<<: [*a, *a]\n",
  "!reset ",
  "!override ",
  "!!binary ",
  "!!str ",
  "!!int ",
  "!custom ",
  "${",
  "${X:-${Y:-",
  "}",
  "$$",
  "${X:?boom}",
  "$",
  "\t",
  ": ",
  "- ",
  "? ",
  "---\n",
  "...\n",
  "%YAML 1.1\n",
  "%TAG ! tag:x,2000:\n",
  "\\\n",
  "`\n",
  "<<EOF\n",
  "<<-EOT\nx\nEOT\n",
  "# escape=`\n",
  "# syntax=x\n",
  '"',
  "'",
  "{",
  "[",
  "]",
  "|\n",
  ">-\n",
  "\uFEFF",
  "\u2028",
  "\u0000",
  "\r",
  "\r\n",
  "ÿ",
  "𝔘",
  "FROM ",
  "AS ",
  "--from=",
  "--mount=type=cache,target=",
  "ARG A=${A}${A}\n",
  "export ",
  "=",
  "#",
  "services:\n",
  "build:\n",
  "  ",
  "include:\n  - /dev/zero\n",
  "extends: ",
  "null",
  "~",
  "-1",
  "1e999",
];

/** @typedef {{ content: import("./content.mjs").Content, ops: string[] }} Mutated */

/**
 * 1–4 mutations of `text`, the last maybe a blow-up (repeat, nesting) of at most about `maxBytes`; `ops` says what was done.
 * @param {import("./random.mjs").Random} random
 * @param {string} text
 * @returns {Mutated}
 */
export function mutate(random, text, maxBytes = Infinity) {
  let buffer = Buffer.from(text, "utf8");
  const ops = [];
  for (let i = random.int(1, 3); i > 0; i--) {
    const op = random.weighted([
      [3, "flip"],
      [2, "insert-byte"],
      [2, "delete"],
      [1, "truncate"],
      [2, "duplicate"],
      [4, "token"],
      [1, "swap-lines"],
      [1, "indent"],
    ]);
    buffer = BYTE_OPS[op](random, buffer);
    ops.push(op);
  }
  const last = random.weighted([
    [6, undefined],
    [1, "repeat-line"],
    [1, "repeat-range"],
    [1, "nest"],
  ]);
  if (last === undefined) return { content: fromBuffer(buffer), ops };
  ops.push(last);
  return { content: BLOW_UPS[last](random, buffer, maxBytes), ops };
}

const at = (random, buffer) => random.int(0, buffer.length);

const BYTE_OPS = {
  flip: (random, b) => {
    if (b.length === 0) return b;
    const out = Buffer.from(b);
    const i = random.int(0, b.length - 1);
    out[i] ^= 1 << random.int(0, 7);
    return out;
  },
  "insert-byte": (random, b) => {
    const i = at(random, b);
    const byte = random.pick([
      0x00,
      0x09,
      0x0d,
      0x0a,
      0xff,
      0xc3,
      0x80,
      0x22,
      0x27,
      0x24,
      0x7b,
      0x5c,
      0x23,
      0x3a,
      random.int(0, 255),
    ]);
    return Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
  },
  delete: (random, b) => {
    const i = at(random, b);
    const n = random.log(1, 64);
    return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + n))]);
  },
  truncate: (random, b) => b.subarray(0, at(random, b)),
  duplicate: (random, b) => {
    const i = at(random, b);
    const j = Math.min(b.length, i + random.log(1, 400));
    const k = at(random, b);
    return Buffer.concat([b.subarray(0, k), b.subarray(i, j), b.subarray(k)]);
  },
  token: (random, b) => {
    const i = random.chance(0.5) ? lineStart(b, at(random, b)) : at(random, b);
    return Buffer.concat([b.subarray(0, i), Buffer.from(random.pick(TOKENS), "utf8"), b.subarray(i)]);
  },
  "swap-lines": (random, b) => {
    const lines = b.toString("latin1").split("\n");
    if (lines.length < 2) return b;
    const i = random.int(0, lines.length - 1);
    const j = random.int(0, lines.length - 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return Buffer.from(lines.join("\n"), "latin1");
  },
  indent: (random, b) => {
    const lines = b.toString("latin1").split("\n");
    const i = random.int(0, lines.length - 1);
    lines[i] = random.chance(0.5)
      ? `${" ".repeat(random.int(1, 3))}${lines[i]}`
      : lines[i].replace(/^ {1,2}/, "");
    return Buffer.from(lines.join("\n"), "latin1");
  },
};

function lineStart(b, i) {
  const nl = b.lastIndexOf(0x0a, i - 1);
  return nl < 0 ? 0 : nl + 1;
}

const BLOW_UPS = {
  "repeat-line": (random, b, maxBytes) => {
    const start = lineStart(b, at(random, b));
    let end = b.indexOf(0x0a, start);
    end = end < 0 ? b.length : end + 1;
    const line = Buffer.concat([
      b.subarray(start, end),
      end === b.length ? Buffer.from("\n") : Buffer.alloc(0),
    ]);
    return [
      fromBuffer(b.subarray(0, end)),
      repeat(
        fromBuffer(line),
        Math.max(1, Math.min(random.log(10, 200_000), Math.floor(maxBytes / Math.max(1, line.length)))),
      ),
      fromBuffer(b.subarray(end)),
    ];
  },
  "repeat-range": (random, b, maxBytes) => {
    const i = at(random, b);
    const j = Math.min(b.length, i + random.log(1, 2000));
    const times = Math.max(
      1,
      Math.floor(Math.min(random.log(1000, 8_000_000), maxBytes) / Math.max(1, j - i)),
    );
    return [
      fromBuffer(b.subarray(0, j)),
      repeat(fromBuffer(b.subarray(i, j)), times),
      fromBuffer(b.subarray(j)),
    ];
  },
  nest: (random, b) => {
    const i = at(random, b);
    const depth = random.log(50, 100_000);
    const [open, close] = random.pick([
      ["[", "]"],
      ["{a: ", "}"],
      ["${X:-", "}"],
      ["- ", ""],
      ["(", ")"],
    ]);
    return [
      fromBuffer(b.subarray(0, i)),
      repeat(open, depth),
      repeat(close, depth),
      fromBuffer(b.subarray(i)),
    ];
  },
};
