import path from "node:path";
import type { RepoSnapshot } from "./types.js";

/** The folders (relative to the root, `""` for the root) that hold a file of this name. */
export function dirsWith(snapshot: RepoSnapshot, file: string): string[] {
  return [...snapshot.files]
    .filter((f) => path.posix.basename(f) === file)
    .map((f) => path.posix.dirname(f).replace(/^\.$/, ""))
    .sort();
}

/** Join relative path parts, the root (`""`) left out. */
export const join = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

/** A JSON object file of the snapshot; `{}` when it is missing or not an object. */
export function readJson(snapshot: RepoSnapshot, file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(snapshot.texts.get(file) ?? "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
