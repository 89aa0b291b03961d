const WWW = /^www\./;

/** What the relay reads a source from (see `classifySource`), in a fixed order. */
const CAMPAIGN = "utm_source utm_medium utm_campaign utm_term utm_content gclid fbclid".split(" ");

const hostOf = (url: string) => {
  try {
    const { protocol, hostname } = new URL(url);
    if (/^https?:$/.test(protocol)) return hostname.replace(WWW, "");
  } catch {}
};

/**
 * Whether a page view brings a source, as a string to compare with the current visit's: the
 * campaign parameters of `href` (UTM fields, gclid, fbclid) and the host of `referrer` when it
 * is another site. Null when the page says nothing new: no campaign parameters and either no
 * referrer (direct) or a referrer on `ownHost` (a link within the site), so the visit's source
 * stands. The relay classifies the same facts; the SDK only tells sources apart.
 * @example sourceSignature("https://shop.test/about", "https://shop.test/", "shop.test") // null
 */
export function sourceSignature(href: string, referrer: string, ownHost: string): string | null {
  const params = new URL(href).searchParams;
  const from = hostOf(referrer);
  const facts = [
    ...CAMPAIGN.map((name) => params.get(name) ?? ""),
    from === ownHost.replace(WWW, "") ? "" : (from ?? ""),
  ];
  return facts.some(Boolean) ? JSON.stringify(facts) : null;
}
