import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The text of a captured engine output under test/fixtures/engine/. */
export function readEngineFixture(name: string): string {
  return readFileSync(engineFixturePath(name), "utf8");
}

export function engineFixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/engine/${name}`, import.meta.url));
}
