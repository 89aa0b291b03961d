/**
 * The Cloudflare host: a Worker in front of the rooms, which run as Durable Objects
 * (room-object.ts). The same URLs as the node host: `/parties/visitor/:id` and
 * `/parties/site/:id` (WebSockets), the `/api/*` HTTP API (the directory room), and the demo
 * shop, the agent console and the bundles from the Worker's static assets.
 *
 * Settings: `PARLEY_SECRET` (a secret of at least 32 characters; signs agent sessions) and
 * `PARLEY_DEMO=on` to make sure the demo site and admin exist, for the origin they are reached
 * at. Configuration: wrangler.jsonc beside this file.
 */
import { BODY_BYTES, UPLOAD_BYTES } from "../../../../protocol/index.ts";
import { checkDemoBootstrap, demoBootstrapRequest } from "../../../demo-site.ts";
import { readCappedBody } from "../../../http.ts";
import { cacheControl, STATIC_ROUTES } from "../../../static-routes.ts";
import { type CloudflareEnv, requiredSecret, roomObject } from "./room-object.ts";

export class VisitorObject extends roomObject("visitor") {}
export class SiteObject extends roomObject("site") {}
export class DirectoryObject extends roomObject("directory") {}

const partyPath = /^\/parties\/(visitor|site)\/([A-Za-z0-9_-]{1,64})\/?$/;

/** Per origin, the demo site's bootstrap, made once per Worker instance. */
const demoReady = new Map<string, Promise<void>>();

export default {
  async fetch(request: Request, env: CloudflareEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/" || url.pathname === "/demo") return redirect(url, "/demo/");
    if (url.pathname === "/agent") return redirect(url, "/agent/");
    try {
      requiredSecret(env);
      if (env.PARLEY_DEMO === "on") await demoSite(env, url);
    } catch (error) {
      console.error(error);
      return Response.json(
        { error: "not_configured", message: error instanceof Error ? error.message : "" },
        { status: 500 },
      );
    }
    if (url.pathname.startsWith("/api/")) {
      // Read whole before the directory gets it: a room that answers without reading a body
      // (a refused token, say) would leave the Worker failing to stream it. Past the route's
      // own cap, a body one byte too long is all the room needs to refuse it as too large.
      const limit = url.pathname === "/api/uploads" ? UPLOAD_BYTES : BODY_BYTES;
      const body =
        request.body && ((await readCappedBody(request, limit)) ?? new Uint8Array(limit + 1));
      return env.directory.getByName("global").fetch(new Request(request, { body }));
    }
    const party = partyPath.exec(url.pathname);
    if (party && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const [, name, id] = party as unknown as [string, "visitor" | "site", string];
      return env[name].getByName(id).fetch(request);
    }
    return staticFile(request, env, url);
  },
};

/** Makes sure the demo site exists and takes pages from `url`'s origin (localhost's twin too). */
function demoSite(env: CloudflareEnv, url: URL): Promise<void> {
  let ready = demoReady.get(url.origin);
  if (!ready) {
    const origins = [url.origin];
    const local = /^(localhost|127\.0\.0\.1)$/.exec(url.hostname)?.[1];
    if (local) {
      const twin = new URL(url.origin);
      twin.hostname = local === "localhost" ? "127.0.0.1" : "localhost";
      origins.push(twin.origin);
    }
    ready = env.directory
      .getByName("global")
      .fetch(demoBootstrapRequest(origins))
      .then(checkDemoBootstrap);
    // A failure is tried again on the next request.
    ready.catch(() => demoReady.delete(url.origin));
    demoReady.set(url.origin, ready);
  }
  return ready;
}

/** A file of the static assets, with the headers and caching of its route (static-routes.ts). */
async function staticFile(request: Request, env: CloudflareEnv, url: URL): Promise<Response> {
  const route = STATIC_ROUTES.find((candidate) => url.pathname.startsWith(candidate.prefix));
  if (!route) return new Response("Not found", { status: 404 });
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const found = await env.ASSETS.fetch(request);
  if (found.status !== 200 && found.status !== 304) return found;
  const response = new Response(found.body, found);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set(
    "cache-control",
    cacheControl(route, url.pathname.slice(route.prefix.length)),
  );
  for (const [name, value] of Object.entries(route.headers ?? {})) {
    response.headers.set(name, value);
  }
  return response;
}

function redirect(url: URL, path: string): Response {
  return Response.redirect(new URL(path, url).href, 302);
}
