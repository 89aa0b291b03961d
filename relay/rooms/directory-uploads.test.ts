import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChatFile,
  type ChatMessage,
  type LoginResponse,
  UPLOAD_BYTES,
} from "../../protocol/index.ts";
import {
  api,
  chatEvents,
  connectVisitor,
  DEMO,
  login,
  newId,
  newVisitor,
  nextWhere,
  PNG_PIXEL,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

let relay: TestRelay;
let admin: LoginResponse;
let visitor: { id: string; secret: string };
let tab: TestSocket;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
  visitor = newVisitor();
  tab = await connectVisitor(relay, visitor);
  await tab.next("welcome");
});

afterAll(async () => {
  await tab?.close();
  await relay?.close();
});

type VisitorCredentials = { id: string; secret: string; site?: string };
type UploadOptions = {
  as?: VisitorCredentials | { token: string } | null;
  origin?: string | null;
  name?: string;
  headers?: Record<string, string>;
};

/** `POST /api/uploads` with the raw bytes, as the test visitor unless told otherwise. */
async function upload(body: BodyInit, options: UploadOptions = {}) {
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "x-file-name": encodeURIComponent(options.name ?? "file.bin"),
    ...options.headers,
  };
  const as: VisitorCredentials | { token: string } | null =
    options.as === undefined ? visitor : options.as;
  if (as && "token" in as) headers.authorization = `Bearer ${as.token}`;
  else if (as) {
    headers["x-parley-visitor"] = as.id;
    headers["x-parley-secret"] = as.secret;
    headers["x-parley-site"] = as.site ?? DEMO.siteId;
  }
  const origin = options.origin === undefined ? relay.url : options.origin;
  if (origin) headers.origin = origin;
  const response = await fetch(`${relay.url}/api/uploads`, { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}

describe("POST /api/uploads", () => {
  it("stores a visitor's image and serves it back so it cannot act as a page", async () => {
    const stored = await upload(PNG_PIXEL, { name: "Screenshot (1).png" });
    expect(stored.status).toBe(201);
    expect(stored.headers.get("access-control-allow-origin")).toBe(relay.url);
    const file = stored.body as ChatFile;
    expect(file).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: "Screenshot (1).png",
      size: PNG_PIXEL.length,
      type: "image/png",
      url: `${relay.url}/api/uploads/${file.id}`,
      image: true,
    });

    const served = await fetch(file.url);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG_PIXEL);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
      "content-disposition": expect.stringMatching(/^inline;/),
      "cache-control": "public, max-age=31536000, immutable",
    });

    // The visitor sends it in a message: the file comes with it.
    const message = chatEvents.message("", { fileId: file.id });
    tab.send({ type: "track", events: [message] });
    expect(await tab.next("ack")).toEqual({ type: "ack", ids: [message.id] });
    const shown = await nextWhere(tab, "chat:message");
    expect((shown.message as ChatMessage).file).toEqual(file);
  });

  it("takes the type from the bytes and offers anything but images as a download", async () => {
    const stored = await upload(Buffer.from("Order 1234\nshipped\n"), {
      name: "notes.png",
      headers: { "content-type": "image/png" },
    });
    expect(stored.body).toMatchObject({ type: "text/plain; charset=utf-8", image: false });
    const served = await fetch((stored.body as ChatFile).url);
    expect(served.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(served.headers.get("content-disposition")).toBe(
      `attachment; filename="notes.png"; filename*=UTF-8''notes.png`,
    );
  });

  it("takes uploads from agents too", async () => {
    const stored = await upload(Buffer.from("%PDF-1.4\n"), { as: { token: admin.token } });
    expect(stored).toMatchObject({ status: 201, body: { type: "application/pdf" } });
  });

  it("refuses a wrong secret, an unknown visitor and a missing sign-in", async () => {
    expect(
      await upload(PNG_PIXEL, { as: { id: visitor.id, secret: "wrong-secret-0123456789" } }),
    ).toMatchObject({
      status: 401,
      body: { error: "bad_secret" },
    });
    expect(
      await upload(PNG_PIXEL, { as: { id: newId("visitor"), secret: visitor.secret } }),
    ).toMatchObject({
      status: 401,
    });
    expect(await upload(PNG_PIXEL, { as: { ...visitor, site: "other-site" } })).toMatchObject({
      status: 403,
    });
    expect(await upload(PNG_PIXEL, { as: null })).toMatchObject({
      status: 401,
      body: { error: "unauthorized" },
    });
    expect(await upload(PNG_PIXEL, { as: { token: "forged.token" } })).toMatchObject({
      status: 401,
    });
  });

  it("refuses visitors' uploads from origins the site does not allow", async () => {
    expect(await upload(PNG_PIXEL, { origin: "https://evil.example" })).toMatchObject({
      status: 403,
      body: { error: "origin_not_allowed" },
    });
    expect(await upload(PNG_PIXEL, { origin: null })).toMatchObject({ status: 403 });
  });

  it("refuses files over 10 MB with 413", async () => {
    const big = new Uint8Array(UPLOAD_BYTES + 1);
    big.set(PNG_PIXEL);
    const refused = await upload(big, { name: "huge.png" });
    expect(refused).toMatchObject({
      status: 413,
      body: { error: "too_large_file", message: expect.stringContaining("10 MB") },
    });
    expect(refused.headers.get("access-control-allow-origin")).toBe(relay.url);
    // Exactly at the limit is fine.
    const fits = new Uint8Array(UPLOAD_BYTES);
    fits.set(PNG_PIXEL);
    expect((await upload(fits, { name: "big.png" })).status).toBe(201);
  });

  it("refuses other kinds of files with 415", async () => {
    const exe = Buffer.from("MZ\u0090\u0000\u0003\u0000\u0000\u0000", "latin1");
    expect(await upload(exe, { name: "invoice.pdf" })).toMatchObject({
      status: 415,
      body: { error: "bad_file_type", message: expect.stringContaining("PNG") },
    });
  });
});

describe("upload preflight and downloads", () => {
  it("answers preflights from allowed origins only", async () => {
    const ask = (origin: string) =>
      fetch(`${relay.url}/api/uploads`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "x-parley-visitor,x-parley-secret,x-parley-site",
        },
      });
    const allowed = await ask(relay.url);
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      "access-control-allow-origin": relay.url,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": expect.stringContaining("x-parley-secret"),
    });
    const refused = await ask("https://evil.example");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers 404 for files that do not exist", async () => {
    expect((await api(relay, "GET", `/api/uploads/${newId("nofile")}`)).status).toBe(404);
    expect((await api(relay, "GET", "/api/uploads/..%2F..%2Frelay.sqlite")).status).toBe(404);
  });
});
