import type { Json } from "./party.ts";

/**
 * Whether two JSON values are equal: the same primitives, arrays of equal items in order,
 * objects with equal values under the same keys (in any order; a key holding undefined counts
 * as absent, as JSON.stringify leaves it out). Cheaper than comparing serializations, and it
 * keeps no string alive.
 * @example sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }) // true
 */
export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  let keys = 0;
  for (const key in a) {
    if (a[key] === undefined) continue;
    keys++;
    if (!sameJson(a[key], b[key])) return false;
  }
  for (const key in b) if (b[key] !== undefined) keys--;
  return keys === 0;
}
