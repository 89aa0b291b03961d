import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { cacheControl, type StaticRoute } from "../../static-routes.ts";

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

/** Text types worth compressing; images and fonts are compressed already. */
const compressible = new Set([".html", ".js", ".css", ".json", ".svg", ".map"]);
/** Larger files are streamed as they are rather than held in memory. */
const MAX_COMPRESSED_FILE_BYTES = 4 * 1024 * 1024;

type Encoding = "br" | "gzip";

const compressors: Record<Encoding, (content: Buffer) => Promise<Buffer>> = {
  br: (content) =>
    promisify(brotliCompress)(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
  gzip: (content) => promisify(gzip)(content, { level: 9 }),
};

/**
 * The encoding to send: brotli if the client takes it, else gzip, else none. Reads the
 * `Accept-Encoding` list with its q-values; `q=0` refuses an encoding.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (encoding: Encoding) => accepted.get(encoding) ?? accepted.get("*") ?? 0;
  const best = (["br", "gzip"] as const).filter((encoding) => weight(encoding) > 0);
  return best.sort((a, b) => weight(b) - weight(a))[0] ?? null;
}

/**
 * Each file's compressed bodies, made once per version of the file (its ETag) and kept in
 * memory: the files are the few bundles and pages of a release, and compressing them at the
 * highest level on every request would cost the relay's CPU. Compression runs on libuv's
 * thread pool, off the thread that serves the rooms.
 */
const compressedCache = new Map<
  string,
  { version: string; bodies: Map<Encoding, Promise<Buffer>> }
>();

function compressed(file: string, version: string, encoding: Encoding): Promise<Buffer> {
  let cached = compressedCache.get(file);
  if (cached?.version !== version) {
    cached = { version, bodies: new Map() };
    compressedCache.set(file, cached);
  }
  let body = cached.bodies.get(encoding);
  if (!body) {
    body = readFile(file).then(compressors[encoding]);
    // A failed read (the file went away mid-release) is not remembered.
    body.catch(() => cached.bodies.delete(encoding));
    cached.bodies.set(encoding, body);
  }
  return body;
}

/** A route's URL prefix served from a folder, with the headers its files get. */
export type Mount = Omit<StaticRoute, "source"> & { dir: string };

/**
 * Serves GET and HEAD for files under the mounts; a folder serves its index.html. Text files
 * go out brotli- or gzip-compressed when the client accepts it, each encoding with its own
 * ETag (`Vary: Accept-Encoding` tells caches to keep them apart).
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
  const version = `${info.size.toString(16)}-${info.mtimeMs.toString(16)}`;
  const canCompress = compressible.has(extname(file)) && info.size <= MAX_COMPRESSED_FILE_BYTES;
  const encoding = canCompress ? negotiateEncoding(req.headers["accept-encoding"]) : null;
  const etag = encoding ? `"${version}-${encoding}"` : `"${version}"`;
  const headers: Record<string, string> = {
    "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    etag,
    "cache-control": cacheControl(mount, relative),
    ...(canCompress ? { vary: "Accept-Encoding" } : {}),
    ...(encoding ? { "content-encoding": encoding } : {}),
    ...mount.headers,
  };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return true;
  }
  if (!encoding) {
    res.writeHead(200, { ...headers, "content-length": String(info.size) });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
    return true;
  }
  const body = await compressed(file, version, encoding).catch(() => null);
  if (!body) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
    return true;
  }
  res.writeHead(200, { ...headers, "content-length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
