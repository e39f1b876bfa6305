import { formatLocation, type Problem } from "../errors.js";
import { nameList } from "../util/name-list.js";
import type { KeyPath, YNode } from "./node.js";

/**
 * A problem found in a compose file, with what the loader needs to say it well: the service whose key it is
 * about (so that services sharing one line through a YAML anchor are one problem), and the variables whose
 * absence made the value what it is (Compose warns about those before it fails).
 */
export interface ComposeProblem extends Problem {
  service?: string;
  unset?: readonly string[];
}

/** The service a key path is inside (`services.api.healthcheck.retries` → `api`), if any. */
export function serviceOf(path: KeyPath): string | undefined {
  return path[0] === "services" && path.length > 2 ? String(path[1]) : undefined;
}

/**
 * A problem about a value that interpolated from unset variables (`retries: $RETRIES` → ""): the message
 * names them and the hint says to set them, since the value as written is not what is wrong.
 */
export function blameUnset<P extends Problem>(problem: P, node: YNode | undefined): P & ComposeProblem {
  const names = node?.kind === "scalar" ? (node.unset ?? []) : [];
  if (names.length === 0) return problem;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return {
    ...problem,
    message: `${problem.message} (${list} ${names.length === 1 ? "is" : "are"} not set)`,
    hint: `set ${list} in the environment or in the .env file`,
    unset: names,
  };
}

/**
 * The same problem at the same line for several services (a YAML anchor merged into each) is one problem
 * naming them: `compose.yaml:2: services "a", "b" and "c": healthcheck.retries: "" is not an integer`. Other
 * problems are kept as they are, in their order.
 */
export function groupByLine(problems: readonly ComposeProblem[]): ComposeProblem[] {
  const groups = new Map<string, { problem: ComposeProblem; rest: string; services: string[] }>();
  const out: (ComposeProblem | string)[] = [];
  for (const problem of problems) {
    const prefix = problem.service === undefined ? undefined : `services.${problem.service}.`;
    if (prefix === undefined || !problem.message.startsWith(prefix)) {
      out.push(problem);
      continue;
    }
    const rest = problem.message.slice(prefix.length);
    const key = `${formatLocation(problem.location)}\0${rest}\0${problem.hint ?? ""}`;
    const group = groups.get(key);
    if (group) {
      if (!group.services.includes(problem.service as string)) group.services.push(problem.service as string);
      continue;
    }
    groups.set(key, { problem, rest, services: [problem.service as string] });
    out.push(key);
  }
  return out.map((entry) => {
    if (typeof entry !== "string") return entry;
    const { problem, rest, services } = groups.get(entry) as {
      problem: ComposeProblem;
      rest: string;
      services: string[];
    };
    if (services.length === 1) return problem;
    return { ...problem, message: `services ${nameList(services, 8)}: ${rest}` };
  });
}
