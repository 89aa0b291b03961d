import * as v from "valibot";
import { text } from "./ids.ts";
import { LABEL_LENGTH } from "./limits.ts";

const label = text(LABEL_LENGTH);

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

// The relay classifies, not the SDK: the tables below would cost every host page bytes, and
// a rule fixed here applies to every visit from then on without waiting for browsers to update.

/**
 * Known referrers, first match wins (webmail before the search engine of the same company):
 * channel, engine or network name, query parameter carrying the search keyword, host labels.
 * Any other referrer is kept as a plain referral.
 */
const REFERRERS = [
  ["email", "", "", "mail.google", "outlook", "mail.yahoo", "mail.proton"],
  ["search", "Google", "q", "google"],
  ["search", "Bing", "q", "bing"],
  ["search", "Yahoo", "p", "yahoo"],
  ["search", "DuckDuckGo", "q", "duckduckgo"],
  ["search", "Baidu", "wd", "baidu"],
  ["search", "Yandex", "text", "yandex"],
  ["search", "Ecosia", "q", "ecosia"],
  ["social", "Facebook", "", "facebook", "fb.me"],
  ["social", "Instagram", "", "instagram"],
  ["social", "X", "", "twitter", "t.co", "x.com"],
  ["social", "LinkedIn", "", "linkedin", "lnkd.in"],
  ["social", "Reddit", "", "reddit"],
  ["social", "YouTube", "", "youtube", "youtu.be"],
  ["social", "Pinterest", "", "pinterest"],
  ["social", "TikTok", "", "tiktok"],
] as const;

const PAID = /^(cpc|ppc|paid|paidsearch)$/;

const clipLabel = (value: string) => value.slice(0, LABEL_LENGTH);

const parseUrl = (value: string | undefined) => {
  try {
    return new URL(value ?? "");
  } catch {
    return undefined;
  }
};

const bareHost = (url: URL) => url.hostname.replace(/^www\./, "");

/**
 * Where a visit came from, from what the browser saw on its landing page: the UTM parameters
 * and click ids of `landingUrl`, and the kind of `referrer` (search engine and keyword, social
 * network, webmail, other site). A referrer on the landing URL's own host (a link within the
 * site) or one that is not a web page is no source; with nothing else said, the visit is direct.
 * Never throws: both URLs come from the visitor's browser.
 *
 * Channel rules: utm_medium email -> email, cpc/ppc/paid/paidsearch -> paid, social -> social,
 * any other UTM -> campaign; otherwise gclid -> paid (Google), fbclid -> social (Facebook);
 * otherwise the referrer's kind.
 * @example classifySource("https://shop.test/?utm_medium=cpc").channel // "paid"
 * @example classifySource("https://shop.test/", "https://www.bing.com/search?q=shoes")
 * // { channel: "search", referrer: "bing.com", engine: "Bing", keyword: "shoes" }
 */
export function classifySource(landingUrl: string, referrer?: string): Source {
  const landing = parseUrl(landingUrl);
  const params = landing?.searchParams ?? new URLSearchParams();
  const source: Source = { channel: "direct" };

  const from = parseUrl(referrer);
  if (
    from &&
    /^https?:$/.test(from.protocol) &&
    (!landing || bareHost(from) !== bareHost(landing))
  ) {
    const host = bareHost(from);
    source.referrer = clipLabel(host);
    source.channel = "referral";
    // "google" names www.google.com and google.co.uk, not notgoogle.com.
    const [channel, engine, param] =
      REFERRERS.find(([, , , ...labels]) =>
        labels.some((name) => `.${host}.`.includes(`.${name}.`)),
      ) ?? [];
    const keyword = param && from.searchParams.get(param);
    if (channel) source.channel = channel;
    if (engine) source.engine = engine;
    if (keyword) source.keyword = clipLabel(keyword);
  }

  for (const [kind, channel, engine] of [
    ["fbclid", "social", "Facebook"],
    ["gclid", "paid", "Google"],
  ] as const) {
    const value = params.get(kind);
    if (value)
      Object.assign(source, { clickId: { kind, value: clipLabel(value) }, channel, engine });
  }

  const utm: NonNullable<Source["utm"]> = {};
  for (const field of ["source", "medium", "campaign", "term", "content"] as const) {
    const value = params.get(`utm_${field}`);
    if (value) utm[field] = clipLabel(value);
  }
  const medium = utm.medium?.toLowerCase() ?? "";
  if (Object.keys(utm).length) {
    source.utm = utm;
    if (medium === "email" || medium === "social") source.channel = medium;
    else if (PAID.test(medium)) source.channel = "paid";
    else if (!source.clickId) source.channel = "campaign";
  }

  return source;
}
