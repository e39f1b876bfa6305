/**
 * `target.push(...items)` for lists of any length: a spread passes every item as an argument, and the
 * engine refuses more than about 100,000 of them (a hostile file can produce that many problems).
 */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
