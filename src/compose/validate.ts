import type * as z from "zod";
import type { Problem } from "../errors.js";
import { formatPath, locate, toLocation, toPlain, type KeyPath, type YNode } from "./node.js";
import { BUILD_KEYS } from "./build-schema.js";
import { EXTENSION_KEYS, TOP_LEVEL_KEYS, composeFileSchema } from "./schema.js";

type Issue = z.core.$ZodIssue;

const REFERENCE = "https://docs.docker.com/reference/compose-file/";

/** Compose rejects a file that breaks its schema; every break is reported at once, each at its own line. */
export function validateComposeFile(root: YNode): Problem[] {
  const result = composeFileSchema.safeParse(toPlain(root, isLeftOut));
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => toProblems(issue, [], root));
}

/**
 * `!reset` values only remove what an earlier file set; `x-…` keys are extensions where Compose allows them:
 * top level, a service (but ours is checked), `build`.
 */
function isLeftOut(path: KeyPath, key: string, value: YNode): boolean {
  if (value.tag === "reset") return true;
  if (!key.startsWith("x-")) return false;
  if (path.length === 0) return true;
  if (path.length === 2 && path[0] === "services") return key !== "x-dockbuild";
  return path.length === 3 && path[0] === "services" && path[2] === "build";
}

function toProblems(issue: Issue, base: KeyPath, root: YNode): Problem[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  if (issue.code === "invalid_union") {
    // Report the branch whose shape matched (its issues are deeper), else the union's own message.
    const branch = issue.errors.find(
      (issues) => !issues.some((inner) => inner.path.length === 0 && inner.code === "invalid_type"),
    );
    if (branch) return branch.flatMap((inner) => toProblems(inner, path, root));
  }
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      location: toLocation(locate(root, [...path, key], true)),
      message: `${where(path)}: unknown key "${key}"`,
      hint: knownKeysHint(path),
    }));
  }
  return [
    {
      location: toLocation(locate(root, path)),
      message: `${where(path)}: ${issue.message}`,
      hint: `see ${REFERENCE}${section(path)}`,
    },
  ];
}

function where(path: KeyPath): string {
  return path.length === 0 ? "top level" : formatPath(path);
}

function knownKeysHint(path: KeyPath): string {
  const last = path[path.length - 1];
  if (path.length === 0) return `the top-level keys are ${TOP_LEVEL_KEYS.join(", ")} and x-… extensions`;
  if (last === "build") return `build keys are ${BUILD_KEYS.join(", ")} and x-… extensions`;
  if (last === "x-dockbuild") return `x-dockbuild keys are ${EXTENSION_KEYS.join(", ")}`;
  return `see ${REFERENCE}${section(path)}`;
}

function section(path: KeyPath): string {
  if (path[0] !== "services") return "";
  return path[2] === "build" ? "build/" : "services/";
}
