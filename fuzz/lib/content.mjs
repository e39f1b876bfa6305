// File contents as small JSON-friendly descriptions, so that a 10 MB generated input is written to a replay
// file in a few bytes: a string, raw bytes, a repeat of a part, or a list of parts.
import { Buffer } from "node:buffer";

/**
 * @typedef {string | { base64: string } | { repeat: Content, times: number } | Content[]} Content
 */

/** The bytes a content description stands for. */
export function toBuffer(content) {
  if (typeof content === "string") return Buffer.from(content, "utf8");
  if (Array.isArray(content)) return Buffer.concat(content.map(toBuffer));
  if ("base64" in content) return Buffer.from(content.base64, "base64");
  const part = toBuffer(content.repeat);
  return Buffer.concat(Array.from({ length: content.times }, () => part));
}

/** Its size in bytes, without building it. */
export function byteSize(content) {
  if (typeof content === "string") return Buffer.byteLength(content, "utf8");
  if (Array.isArray(content)) return content.reduce((sum, part) => sum + byteSize(part), 0);
  if ("base64" in content) return Buffer.from(content.base64, "base64").length;
  return byteSize(content.repeat) * content.times;
}

/** A repeat of `part`, `times` times. */
export function repeat(part, times) {
  return { repeat: part, times };
}

/** Bytes as content: a string when they are valid UTF-8 (readable in a replay file), else base64. */
export function fromBuffer(buffer) {
  const text = buffer.toString("utf8");
  return Buffer.from(text, "utf8").equals(buffer) ? text : { base64: buffer.toString("base64") };
}
