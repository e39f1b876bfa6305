const UNITS = ["kB", "MB", "GB", "TB"];

/** Image sizes the way `docker images` shows them: decimal units, one decimal (`12.4 MB`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = "B";
  for (const next of UNITS) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}
