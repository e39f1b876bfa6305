import { execa } from "execa";
import { dockerClient } from "./docker.js";
import { BUSYBOX_IMAGE } from "./paths.js";
import { startRegistry, type TestRegistry } from "./registry.js";
import { startSecondEngine, type SecondEngine } from "./second-engine.js";

/** The machine's own engine, as a builder endpoint. */
export const MAIN_ENGINE = "docker:unix:///var/run/docker.sock";

/** Engines beside the machine's own, each on a bridge and subnet of its own, and a registry between them. */
export interface Fleet {
  registry: TestRegistry;
  engines: SecondEngine[];
  stop(): Promise<void>;
}

/**
 * Start a registry and engines on these bridges (`dbk2` → 10.231.2.0/24, …), each given the tests' busybox
 * base image with the very id the machine's own engine has (saved and loaded, not rebuilt), so that input
 * hashes agree on every engine.
 */
export async function startFleet(bridges: readonly string[]): Promise<Fleet> {
  const registry = await startRegistry();
  const engines: SecondEngine[] = [];
  const stop = async () => {
    for (const engine of engines) await engine.stop().catch(() => {});
    await registry.stop();
  };
  try {
    for (const bridge of bridges) {
      const n = Number(/\d+$/.exec(bridge)?.[0] ?? "0");
      const engine = await startSecondEngine({ bridge, address: `10.231.${n}.1/24` });
      engines.push(engine);
      await copyImage(engine, BUSYBOX_IMAGE);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { registry, engines, stop };
}

/** `docker save` from the machine's own engine into another: same image, same id. */
export async function copyImage(engine: SecondEngine, ref: string): Promise<void> {
  const saved = execa(dockerClient(), ["save", ref], { stdin: "ignore", encoding: "buffer", reject: false });
  const loaded = execa(dockerClient(), ["-H", engine.host, "load"], { stdin: "pipe", reject: false });
  saved.stdout?.pipe(loaded.stdin as NodeJS.WritableStream);
  const [from, into] = await Promise.all([saved, loaded]);
  if (from.exitCode !== 0 || into.exitCode !== 0)
    throw new Error(`copying ${ref} to ${engine.host} failed: ${String(from.stderr)} ${into.stderr}`);
}

/** Which engine ran a RUN step, from the address its container had: the subnet of that engine's bridge. */
export function engineOfAddress(ip: string, names: Readonly<Record<string, string>>): string {
  const subnet = /^10\.231\.(\d+)\./.exec(ip);
  if (subnet) return names[`dbk${subnet[1]}`] ?? `dbk${subnet[1]}`;
  return /^172\.17\./.test(ip) ? (names.main ?? "main") : `unknown (${ip})`;
}

/** The most intervals open at one moment (a sweep over starts and ends; an end before a start at a tie). */
export function mostAtOnce(intervals: readonly (readonly [number, number])[]): number {
  const points = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]) as [number, number][];
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) {
    open += delta;
    most = Math.max(most, open);
  }
  return most;
}
