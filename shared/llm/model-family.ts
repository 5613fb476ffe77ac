/**
 * Model families by their names, provider-neutral: a family is a model id with its version
 * written as `*` and any snapshot date dropped (`claude-sonnet-5-5` -> `claude-sonnet-*`,
 * `gpt-6-luna` -> `gpt-*-luna`, `gpt-4.1-mini-2025-04-14` -> `gpt-*-mini`). A default model names
 * its family's newest live member; a model that dies is followed by the next of its family.
 */

/** A model id read as family, version and snapshot date. */
export interface ModelName {
  family: string;
  /** The version numbers, most significant first (`[5, 5]`, `[4, 1]`); empty without a version. */
  version: number[];
  /** The snapshot date (`YYYYMMDD`), or null for an alias that follows the newest snapshot. */
  snapshot: string | null;
}

const SNAPSHOT = /-(\d{4})-?(\d{2})-?(\d{2})$/;
const VERSION_PART = /^\d+(?:\.\d+)*$/;

/** Reads a model id; an id without a version is a family of its own. */
export function readModelName(modelId: string): ModelName {
  const dated = SNAPSHOT.exec(modelId);
  const base = dated ? modelId.slice(0, dated.index) : modelId;
  const parts = base.split("-");
  const start = parts.findIndex((part) => VERSION_PART.test(part));
  if (start < 0) return { family: base, version: [], snapshot: dated ? dated.slice(1).join("") : null };
  let end = start;
  while (end < parts.length && VERSION_PART.test(parts[end])) end++;
  const version = parts.slice(start, end).flatMap((part) => part.split(".").map(Number));
  const family = [...parts.slice(0, start), "*", ...parts.slice(end)].join("-");
  return { family, version, snapshot: dated ? dated.slice(1).join("") : null };
}

/** True when both ids name models of one family. */
export function sameFamily(a: string, b: string): boolean {
  return readModelName(a).family === readModelName(b).family;
}

/** Sorts newest first: higher version, then the alias before its snapshots, then later snapshots. */
export function newestFirst(a: string, b: string): number {
  const left = readModelName(a);
  const right = readModelName(b);
  for (let index = 0; index < Math.max(left.version.length, right.version.length); index++) {
    const difference = (right.version[index] ?? -1) - (left.version[index] ?? -1);
    if (difference !== 0) return difference;
  }
  if (left.snapshot === right.snapshot) return a.localeCompare(b);
  if (left.snapshot === null) return -1;
  if (right.snapshot === null) return 1;
  return right.snapshot.localeCompare(left.snapshot);
}
