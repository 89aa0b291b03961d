import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, get, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { negotiateEncoding, serveStatic } from "./static-files.ts";

const script = `export const greeting = ${JSON.stringify("hello ".repeat(2000))};\n`;
const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, ...Array.from({ length: 500 }, () => 7)]);

let dir: string;
let server: Server;
let base: string;

type Reply = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** A raw GET (fetch would decode the body and hide what went over the wire). */
function request(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on("error", reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-static-"));
  writeFileSync(join(dir, "widget.js"), script);
  writeFileSync(join(dir, "logo.png"), image);
  server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://relay.test").pathname;
    void serveStatic([{ prefix: "/", dir, maxAge: 300 }], req, res, pathname);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("serveStatic compression", () => {
  it("sends brotli to a browser that takes it, and the bytes decode to the file", async () => {
    const reply = await request("/widget.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(reply.headers.vary).toBe("Accept-Encoding");
    expect(Number(reply.headers["content-length"])).toBe(reply.body.length);
    expect(reply.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(reply.body).toString()).toBe(script);
  });

  it("sends gzip to a client without brotli, and the file as it is to one that takes neither", async () => {
    const gzipped = await request("/widget.js", { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.body).toString()).toBe(script);

    const plain = await request("/widget.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    expect(plain.body.toString()).toBe(script);
  });

  it("gives each encoding its own ETag and answers 304 only for the one the client holds", async () => {
    const br = await request("/widget.js", { "accept-encoding": "br" });
    const gz = await request("/widget.js", { "accept-encoding": "gzip" });
    const plain = await request("/widget.js");
    const etags = new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]);
    expect(etags.size).toBe(3);

    const again = await request("/widget.js", {
      "accept-encoding": "br",
      "if-none-match": br.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.headers["content-encoding"]).toBe("br");
    expect(again.body.length).toBe(0);

    // A cached brotli copy does not satisfy a client that now only takes gzip.
    const other = await request("/widget.js", {
      "accept-encoding": "gzip",
      "if-none-match": br.headers.etag as string,
    });
    expect(other.status).toBe(200);
    expect(gunzipSync(other.body).toString()).toBe(script);
  });

  it("serves the new content once a file changes, not the compressed copy of the old one", async () => {
    const before = await request("/widget.js", { "accept-encoding": "br" });
    const changed = `${script}export const more = 1;\n`;
    writeFileSync(join(dir, "widget.js"), changed);
    utimesSync(join(dir, "widget.js"), new Date(), new Date(Date.now() + 5000));
    const after = await request("/widget.js", { "accept-encoding": "br" });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(brotliDecompressSync(after.body).toString()).toBe(changed);
  });

  it("leaves images alone", async () => {
    const reply = await request("/logo.png", { "accept-encoding": "br, gzip" });
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
    expect(reply.body.equals(image)).toBe(true);
  });
});

describe("negotiateEncoding", () => {
  it("prefers brotli, honours q-values and q=0 refusals", () => {
    expect(negotiateEncoding("gzip, br")).toBe("br");
    expect(negotiateEncoding("br;q=0.5, gzip;q=0.8")).toBe("gzip");
    expect(negotiateEncoding("br;q=0, gzip")).toBe("gzip");
    expect(negotiateEncoding("*")).toBe("br");
    expect(negotiateEncoding("gzip;q=0, *;q=0.1")).toBe("br");
    expect(negotiateEncoding("identity")).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });
});
