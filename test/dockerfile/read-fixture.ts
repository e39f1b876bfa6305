import { readFileSync } from "node:fs";

/** The text of a Dockerfile under test/fixtures/dockerfile/. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/dockerfile/${name}`, import.meta.url), "utf8");
}
