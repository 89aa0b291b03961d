import * as v from "valibot";
import { text } from "./ids.ts";
import { LIMITS } from "./limits.ts";

const label = text(LIMITS.labelLength);

/** How a visitor reached the site. */
export const ChannelSchema = v.picklist([
  "direct",
  "search",
  "social",
  "email",
  "referral",
  "paid",
  "campaign",
]);

/**
 * Where a visit came from: the UTM parameters and click ids of its landing URL, and a
 * classification of its referrer.
 */
export const SourceSchema = v.object({
  channel: ChannelSchema,
  /** Referrer host name, without `www.`. */
  referrer: v.optional(label),
  /** Search engine or social network name, e.g. "Google", "Facebook". */
  engine: v.optional(label),
  /** Search keyword, where the referrer carries one. */
  keyword: v.optional(label),
  utm: v.optional(
    v.object({
      source: v.optional(label),
      medium: v.optional(label),
      campaign: v.optional(label),
      term: v.optional(label),
      content: v.optional(label),
    }),
  ),
  /** Advertising click id found in the landing URL. */
  clickId: v.optional(v.object({ kind: v.picklist(["gclid", "fbclid"]), value: label })),
});

export type Channel = v.InferOutput<typeof ChannelSchema>;
export type Source = v.InferOutput<typeof SourceSchema>;
