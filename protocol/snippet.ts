/**
 * The snippet a site owner pastes before `</body>` of every page: `loader.js` from the relay,
 * and the site's id. A public contract (README, "Put Parley on your site").
 *
 * @example snippet("shop", "https://relay.example")
 *   // '<script async src="https://relay.example/loader.js" data-site="shop"></script>'
 */
export function snippet(siteId: string, relayOrigin: string): string {
  return `<script async src="${relayOrigin}/loader.js" data-site="${siteId}"></script>`;
}
