import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { loginDemoAgent } from "./agent-client.ts";

/**
 * A site owner's own web server on another origin: it serves the demo shop's pages with the
 * snippet pointing at the relay, as a real site embeds Parley. It keeps serving while the
 * relay is down, so a visitor can browse on. `csp.html` gets a strict Content-Security-Policy
 * header naming the relay (see {@link strictPolicy}) instead of its own meta policy. A page asked
 * for with `?noframe` refuses to be shown in a frame (`X-Frame-Options: DENY` and
 * `frame-ancestors 'none'`), as many login and checkout pages do.
 */
export type HostSite = { url: string; close(): Promise<void> };

const demoDir = join(import.meta.dirname, "../demo");
const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

/**
 * The policy of a locked-down page: no inline scripts, no inline styles, no eval; scripts only
 * with the nonce `TEST` or from the relay, which alone may be connected to.
 */
export const strictPolicy = (relayUrl: string): string => {
  const relay = new URL(relayUrl).origin;
  const socket = relay.replace(/^http/, "ws");
  return [
    "default-src 'self'",
    `script-src 'nonce-TEST' ${relay}`,
    "style-src 'self' 'nonce-TEST'",
    `connect-src ${relay} ${socket}`,
    `img-src 'self' ${relay} data:`,
  ].join("; ");
};

const metaPolicy = /\s*<!--[\s\S]*?-->\s*<meta http-equiv="Content-Security-Policy"[^>]*>/;

export async function startHostSite(relayUrl: string): Promise<HostSite> {
  const server = createServer(async (req, res) => {
    const { pathname: path, searchParams } = new URL(req.url ?? "/", "http://site");
    const file = normalize(
      join(demoDir, path.replace(/^\/demo\//, "/").replace(/\/$/, "/index.html")),
    );
    if (!file.startsWith(demoDir)) return void res.writeHead(403).end();
    try {
      let body = await readFile(file, "utf8");
      const headers: Record<string, string> = {
        "content-type": types[extname(file)] ?? "text/plain",
      };
      if (file.endsWith(".html"))
        body = body.replaceAll('src="/loader.js"', `src="${relayUrl}/loader.js"`);
      if (searchParams.has("noframe")) {
        headers["x-frame-options"] = "DENY";
        headers["content-security-policy"] = "frame-ancestors 'none'";
      }
      if (file.endsWith("csp.html")) {
        body = body.replace(metaPolicy, "");
        headers["content-security-policy"] = strictPolicy(relayUrl);
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end("Not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await allowOrigin(relayUrl, url);
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Adds `origin` to the demo site's allowed origins, as an admin would in the console. */
async function allowOrigin(relayUrl: string, origin: string): Promise<void> {
  const { token } = await loginDemoAgent(relayUrl);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const site = (await (await fetch(`${relayUrl}/api/site`, { headers })).json()) as {
    allowedOrigins: string[];
  };
  const response = await fetch(`${relayUrl}/api/site`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ allowedOrigins: [...site.allowedOrigins, origin] }),
  });
  if (!response.ok) throw new Error(`could not allow ${origin}: ${await response.text()}`);
}
