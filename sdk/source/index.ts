import { LIMITS } from "../../protocol/limits.ts";
import type { Source } from "../../protocol/source.ts";

// Small on purpose: the SDK ships in every host page, so only the referrers that matter to
// most sites are named. Any other referrer is still kept, as a plain referral.

/**
 * Known referrers, first match wins (webmail before the search engine of the same company):
 * channel, engine or network name, query parameter carrying the search keyword, host labels.
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
const WWW = /^www\./;

const label = (value: string) => value.slice(0, LIMITS.labelLength);

const hostOf = (url: string) => {
  try {
    const { protocol, hostname } = new URL(url);
    if (/^https?:$/.test(protocol)) return hostname.replace(WWW, "");
  } catch {}
};

/**
 * Where a page view says the visitor came from: the UTM parameters and click ids of `href`,
 * and the kind of `referrer` (search engine and keyword, social network, webmail, other site).
 * Returns null when the page says nothing new: no campaign parameters and either no referrer
 * (direct) or a referrer on `ownHost` (a link within the site), so the visit's source stands.
 *
 * Channel rules: utm_medium email -> email, cpc/ppc/paid/paidsearch -> paid, social -> social,
 * any other UTM -> campaign; otherwise gclid -> paid (Google), fbclid -> social (Facebook);
 * otherwise the referrer's kind.
 * @example detectSource("https://shop.test/?utm_medium=cpc", "", "shop.test")?.channel // "paid"
 */
export function detectSource(href: string, referrer: string, ownHost: string): Source | null {
  const params = new URL(href).searchParams;
  const source: Source = { channel: "direct" };

  const from = hostOf(referrer);
  const external = !!from && from !== ownHost.replace(WWW, "");
  if (external) {
    source.referrer = label(from);
    source.channel = "referral";
    // "google" names www.google.com and google.co.uk, not notgoogle.com.
    const [channel, engine, param] =
      REFERRERS.find(([, , , ...labels]) =>
        labels.some((name) => `.${from}.`.includes(`.${name}.`)),
      ) ?? [];
    const keyword = param && new URL(referrer).searchParams.get(param);
    if (channel) source.channel = channel;
    if (engine) source.engine = engine;
    if (keyword) source.keyword = label(keyword);
  }

  for (const [kind, channel, engine] of [
    ["fbclid", "social", "Facebook"],
    ["gclid", "paid", "Google"],
  ] as const) {
    const value = params.get(kind);
    if (value) Object.assign(source, { clickId: { kind, value: label(value) }, channel, engine });
  }

  const utm: NonNullable<Source["utm"]> = {};
  for (const field of ["source", "medium", "campaign", "term", "content"] as const) {
    const value = params.get(`utm_${field}`);
    if (value) utm[field] = label(value);
  }
  const medium = utm.medium?.toLowerCase() ?? "";
  if (Object.keys(utm).length) {
    source.utm = utm;
    if (medium === "email" || medium === "social") source.channel = medium;
    else if (PAID.test(medium)) source.channel = "paid";
    else if (!source.clickId) source.channel = "campaign";
  }

  return external || source.utm || source.clickId ? source : null;
}
