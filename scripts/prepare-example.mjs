#!/usr/bin/env node
// Puts a static busybox where the example's base image expects it (packages/base/rootfs/bin/busybox):
// no image can be pulled on the machines dockbuild is built on, so the base image starts FROM scratch.
//
//   node scripts/prepare-example.mjs                  copy it (nothing happens when the copy is current)
//   node scripts/prepare-example.mjs --print-busybox  print the busybox that would be used, copy nothing
//
// The busybox is the first of $BUSYBOX, /bin/busybox, /usr/bin/busybox; it must be statically linked
// (Debian: `apt-get install busybox-static`), since nothing else is in the image to load it.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(repoRoot, "packages", "base", "rootfs", "bin", "busybox");
const INSTALL_HINT =
  "install it with `apt-get install busybox-static`, or set BUSYBOX=/path/to/a/static/busybox";

/** Why an ELF file cannot run alone in an empty image, or undefined when it can (no program interpreter). */
function whyNotStatic(bytes) {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) return "not an ELF executable";
  const is64 = bytes[4] === 2;
  const little = bytes[5] === 1;
  const u16 = (at) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const u64 = (at) => Number(little ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at));
  const phoff = is64 ? u64(32) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > bytes.length) return "truncated ELF program headers";
    if (u32(at) === PT_INTERP) return "dynamically linked (it needs a program interpreter)";
  }
  return undefined;
}

/** The first usable busybox and its bytes; throws with every candidate's problem when none is. */
function findBusybox() {
  const candidates = process.env.BUSYBOX ? [process.env.BUSYBOX] : ["/bin/busybox", "/usr/bin/busybox"];
  const problems = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      problems.push(`${path}: not found`);
      continue;
    }
    const bytes = readFileSync(path);
    const why = whyNotStatic(bytes);
    if (why === undefined) return { path, bytes };
    problems.push(`${path}: ${why}`);
  }
  throw new Error(`no static busybox found (${problems.join("; ")}); ${INSTALL_HINT}`);
}

function main(args) {
  const busybox = findBusybox();
  if (args.includes("--print-busybox")) {
    console.log(busybox.path);
    return;
  }
  const shown = relative(process.cwd(), target) || target;
  if (existsSync(target) && readFileSync(target).equals(busybox.bytes)) {
    console.log(`prepare-example: ${shown} is up to date (${busybox.path})`);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  // Written aside and renamed, so that a build reading the folder never sees half a file.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, busybox.bytes);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  console.log(`prepare-example: copied ${busybox.path} to ${shown}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`prepare-example: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
