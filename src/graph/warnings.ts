import { formatLocation, type SourceLocation } from "../errors.js";
import { nameList } from "../util/name-list.js";

/** One cause of a warning and every service it applies to: printed once, however many services share it. */
export interface GraphWarning {
  location?: SourceLocation;
  message: string;
  /** The services it applies to, in the order found; empty when it is about no service in particular. */
  services: string[];
}

/** Warnings by cause (location and message), in the order first found. */
export type WarningList = Map<string, GraphWarning>;

/** Record one warning for one service; the same cause seen again only adds the service. */
export function addWarning(
  list: WarningList,
  warning: { location?: SourceLocation; message: string },
  service?: string,
): void {
  const key = `${formatLocation(warning.location)}\0${warning.message}`;
  const known = list.get(key);
  const entry = known ?? { ...warning, services: [] };
  if (!known) list.set(key, entry);
  if (service !== undefined && !entry.services.includes(service)) entry.services.push(service);
}

/** `file:line: service "a": message`, or `services "a", "b" and 7 more: message` for a shared cause. */
export function formatWarning(warning: GraphWarning): string {
  const where = formatLocation(warning.location);
  const { services } = warning;
  const who =
    services.length === 0 ? "" : `${services.length === 1 ? "service" : "services"} ${nameList(services)}: `;
  return `${where ? `${where}: ` : ""}${who}${warning.message}`;
}
