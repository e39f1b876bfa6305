/** The numeric release of a version string: "v0.12.1-desktop.4" → [0, 12, 1]; undefined when there is none. */
export function parseVersionNumbers(version: string): number[] | undefined {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return match?.[1]?.split(".").map(Number);
}

/** Compare two versions by their numeric release ("20.10.24+dfsg1" < "23.0"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersionNumbers(a) ?? [];
  const y = parseVersionNumbers(b) ?? [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Whether `version` is at least `minimum`; an unreadable version is not. */
export function isAtLeast(version: string | undefined, minimum: string): boolean {
  if (version === undefined || parseVersionNumbers(version) === undefined) return false;
  return compareVersions(version, minimum) >= 0;
}
