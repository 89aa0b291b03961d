import * as v from "valibot";
import { IdSchema, text } from "./ids.ts";
import { POINTER_SELECTOR_LENGTH, POINTER_TEXT_LENGTH, URL_LENGTH } from "./limits.ts";
import { isWebUrl } from "./links.ts";

/*
 * The agent's pointer: an agent opens the visitor's page in a frame of the console, picks an
 * element, and sends the visitor a message that points at it. The console and the loader in
 * the frame speak `postMessage` (PointerMessage), the console gets a short-lived pointer token
 * from the relay (`POST /api/pointer`), and the picker in the frame has it checked
 * (`POST /api/pointer/verify`) before it lets the agent pick anything.
 */

/**
 * An element of a page, described so that it is found again when the page shifted: a CSS
 * selector (ids, stable attributes, then an `nth-of-type` path), and a fingerprint (the tag
 * and the element's text, whitespace collapsed and cut) checked against what the selector finds
 * and searched for when it finds nothing that matches.
 */
export const PointerTargetSchema = v.object({
  /** The page, as the picker saw it (`location.href`). */
  url: v.pipe(
    v.string(),
    v.maxLength(URL_LENGTH),
    v.check(isWebUrl, "a pointer's page is an http(s) URL"),
  ),
  selector: v.pipe(v.string(), v.minLength(1), v.maxLength(POINTER_SELECTOR_LENGTH)),
  /** Lowercase tag name, e.g. `button`. */
  tag: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,63}$/, "a tag name")),
  /** The element's text, whitespace collapsed, at most POINTER_TEXT_LENGTH characters. */
  text: text(POINTER_TEXT_LENGTH),
});
export type PointerTarget = v.InferOutput<typeof PointerTargetSchema>;

/** `POST /api/pointer` (agents): a pointer token for the chat's visitor. */
export const PointerTokenBodySchema = v.object({ chatId: IdSchema });

/** The answer to `POST /api/pointer`: the token and when it stops working (ms since the epoch). */
export type PointerTokenResponse = { token: string; expiresAt: number };

/** `POST /api/pointer/verify` (the picker, from the site's page): is this token good? */
export const PointerVerifyBodySchema = v.object({
  token: text(1024),
  /** The site of the page's snippet: the token must be for it. */
  site: text(64),
});

/** The answer to a good `POST /api/pointer/verify`. */
export type PointerVerifyResponse = { visitorId: string; expiresAt: number };
