import { cacheMountSafety } from "../../dockerfile/index.js";
import { findingAt, type ServiceView } from "../service-view.js";
import { editedLines, lineOfOffset, type TextEdit } from "../source-edits.js";
import type { RuleFinding } from "../types.js";

/** DB010: a cache mount on a folder its package manager locks, shared by every build at once (no `sharing=locked`). */
export function sharedLockedCacheMount(view: ServiceView): RuleFinding[] {
  return view.node.cacheMounts.flatMap((mount) => {
    const problem = cacheMountSafety(mount);
    const line = mount.location.line;
    if (!problem || line === undefined) return [];
    const written = view.model.stages
      .flatMap((s) => s.steps)
      .flatMap((s) => (s.kind === "RUN" && s.line === line ? s.mounts : []))
      .find((m) => m.type === "cache" && m.target === mount.target)?.written;
    const intro = "add sharing=locked to the mount, so that builds take turns";
    const fix = written
      ? `${intro} (line ${lineOfOffset(view.model, written.start)}):\n${editedLines(view.model, [lockEdit(view.model.text, written)]).join("\n")}`
      : intro;
    return [findingAt(view, line, "DB010", problem.split(". Hint:")[0] ?? problem, fix)];
  });
}

/** The `--mount=…` flag with `sharing=locked` in place of its sharing option, or added at its end. */
function lockEdit(text: string, written: { start: number; end: number }): TextEdit {
  const flag = text.slice(written.start, written.end);
  const sharing = /([,=]["']?)sharing=[^,"'\s]*/i.exec(flag);
  if (sharing) {
    const start = written.start + sharing.index + (sharing[1]?.length ?? 0);
    return { start, end: written.start + sharing.index + sharing[0].length, text: "sharing=locked" };
  }
  const end = /["']$/.test(flag) ? written.end - 1 : written.end;
  return { start: end, end, text: ",sharing=locked" };
}
