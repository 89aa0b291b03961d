import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

/** A URL prefix served from a folder, with the headers its files get. */
export type Mount = {
  prefix: string;
  dir: string;
  /** Extra headers, e.g. CORS for bundles that host pages import, or a CSP for the console. */
  headers?: Record<string, string>;
  /** Paths under the prefix whose files never change (content-hashed names). */
  immutable?: RegExp;
  /** Seconds the other files may be used without asking again; by default always ask. */
  maxAge?: number;
};

/**
 * Serves GET and HEAD for files under the mounts; a folder serves its index.html.
 * Answers false when no mount covers the path, so the caller can answer 404.
 */
export async function serveStatic(
  mounts: Mount[],
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const mount = mounts.find((m) => pathname.startsWith(m.prefix));
  if (!mount) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(mount.prefix.length));
  } catch {
    res.writeHead(400).end();
    return true;
  }
  const root = normalize(mount.dir);
  let file = normalize(join(root, relative));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return true;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
    return true;
  }
  const etag = `"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`;
  const headers: Record<string, string> = {
    "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    etag,
    "cache-control": mount.immutable?.test(relative)
      ? "public, max-age=31536000, immutable"
      : mount.maxAge
        ? `public, max-age=${mount.maxAge}`
        : "no-cache",
    ...mount.headers,
  };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, { ...headers, "content-length": String(info.size) });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
  return true;
}
