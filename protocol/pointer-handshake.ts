/*
 * The handshake between the agent console and the loader in the console's pointer frame. Apart
 * from pointer.ts, which carries schemas, because loader.js imports it and has 1.5 kB in all.
 */
import type { PointerTarget } from "./pointer.ts";

/** The `name` of the console's frame: a loader in a frame so named waits for the console. */
export const POINTER_FRAME_NAME = "parley-pointer";

/**
 * `postMessage` between the console and the loader in its frame. Each carries `source:
 * "parley"`, and is posted to an explicit origin: the frame posts to the relay's origin (where
 * the console is served), the console to the page's origin.
 * - frame → console `pointer:ready`: the loader is there and waits;
 * - console → frame `pointer:start` with the pointer token: start the picker;
 * - frame → console `pointer:picked` with the element, or `pointer:refused` when the relay did
 *   not accept the token.
 */
export type PointerMessage =
  | { source: "parley"; method: "pointer:ready" }
  | { source: "parley"; method: "pointer:start"; token: string }
  | { source: "parley"; method: "pointer:picked"; target: PointerTarget }
  | { source: "parley"; method: "pointer:refused"; reason: string };
