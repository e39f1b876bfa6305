const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as people write it for a time limit: `90s`, `10m`, `1h30m`, `1.5m`, `500ms`, or a bare number of
 * seconds (`90`); undefined when the text is none of these. Shared by the command line and the config file.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, value, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(value) * (UNIT_MS[unit ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
