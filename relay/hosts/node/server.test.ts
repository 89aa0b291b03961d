import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRAME_BYTES } from "../../../protocol/index.ts";
import {
  api,
  connectVisitor,
  login,
  newId,
  newVisitor,
  openSocket,
  startTestRelay,
  type TestRelay,
} from "../../rooms/testing.ts";
import { DatabaseInUseError } from "./database-lock.ts";
import { startRelay } from "./server.ts";

let relay: TestRelay;
beforeAll(async () => {
  relay = await startTestRelay();
});
afterAll(() => relay.close());

/** A visitor tab that the relay welcomed: proof that it still serves. */
async function welcomedVisitor() {
  const tab = await connectVisitor(relay, newVisitor());
  await tab.next("welcome");
  return tab;
}

/** A POST to `to` with a `Host` header of the caller's choosing (fetch forbids that). */
function post(to: TestRelay, path: string, headers: Record<string, string>, body: string) {
  const { port } = new URL(to.url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const sent = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

describe("frames the sockets refuse", () => {
  it("closes only the socket that sends a frame far past the limit (1009) or broken UTF-8 (1007)", async () => {
    const oversized = await welcomedVisitor();
    oversized.ws.send("x".repeat(16 * FRAME_BYTES + 1));
    expect((await oversized.closed).code).toBe(1009);

    const broken = await welcomedVisitor();
    broken.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false });
    expect((await broken.closed).code).toBe(1007);

    await (await welcomedVisitor()).close();
  });

  it("closes a socket that sends a binary frame with 1003 and says frames are JSON text", async () => {
    const tab = await welcomedVisitor();
    tab.ws.send(Buffer.from('{"type":"track","events":[]}'), { binary: true });
    expect(await tab.closed).toEqual({
      code: 1003,
      reason: "Frames are JSON text; binary frames are refused",
    });
  });
});

describe("the Host header", () => {
  it("cannot lead a request to a room's internal routes", async () => {
    const attack = await post(
      relay,
      "/api/login",
      { host: "x/bootstrap?", "content-type": "application/json" },
      JSON.stringify({
        site: { id: "demo", name: "Taken", allowedOrigins: ["https://evil.example"] },
        admin: { email: "a@evil.example", name: "Eve", password: "evil-password" },
      }),
    );
    expect(attack.status).toBe(400);
    expect(JSON.parse(attack.body)).toMatchObject({ error: "bad_host" });
    const { token } = await login(relay);
    const site = await api(relay, "GET", "/api/site", { token });
    expect(site.body).toMatchObject({
      allowedOrigins: expect.not.arrayContaining(["https://evil.example"]),
    });
  });

  it("refuses a socket whose Host is not a host name and port", async () => {
    const visitor = newVisitor();
    const url = `${relay.wsUrl}/parties/visitor/${visitor.id}?site=demo&secret=${visitor.secret}`;
    const { default: WebSocket } = await import("ws");
    const ws = new WebSocket(url, { origin: relay.url, headers: { host: "x/bootstrap?" } });
    const status = await new Promise<number | undefined>((resolve) =>
      ws.once("unexpected-response", (_, response) => resolve(response.statusCode)),
    );
    expect(status).toBe(400);
  });
});

describe("links the relay makes", () => {
  /** Uploads a 1-byte text file as a new visitor of `to`'s demo site; returns its link. */
  async function uploadedUrl(to: TestRelay, host = new URL(to.url).host): Promise<string> {
    const visitor = newVisitor();
    const tab = await connectVisitor(to, visitor);
    await tab.next("welcome");
    const uploaded = await post(
      to,
      "/api/uploads",
      {
        host,
        origin: to.url,
        "content-type": "application/octet-stream",
        "x-file-name": "note.txt",
        "x-parley-visitor": visitor.id,
        "x-parley-secret": visitor.secret,
        "x-parley-site": "demo",
      },
      "a",
    );
    await tab.close();
    return (JSON.parse(uploaded.body) as { url: string }).url;
  }

  it("start with the public URL when one is set, whatever the request's Host", async () => {
    const behindProxy = await startTestRelay({ publicUrl: "https://relay.example" });
    try {
      expect(await uploadedUrl(behindProxy, "evil.example")).toMatch(
        /^https:\/\/relay\.example\/api\/uploads\//,
      );
    } finally {
      await behindProxy.close();
    }
  });

  it("start with the request's Host when none is set", async () => {
    expect(await uploadedUrl(relay)).toMatch(new RegExp(`^${relay.url}/api/uploads/`));
  });
});

describe("rooms for ids that do not exist", () => {
  it("leave memory as soon as they are idle", async () => {
    const before = await relay.roomsInMemory();
    for (let i = 0; i < 10; i++) {
      const stranger = await openSocket(
        `${relay.wsUrl}/parties/site/${newId("nosite")}?token=x`,
        relay.url,
      );
      await stranger.closed;
      const lost = await connectVisitor(relay, newVisitor(), { site: newId("nosite") });
      await lost.closed;
    }
    // The relay takes the close after the client sees it: wait until it has.
    for (let tries = 0; tries < 50 && (await relay.roomsInMemory()) > before; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await relay.roomsInMemory()).toBe(before);
  });
});

describe("the database file", () => {
  it("serves one relay at a time: a second refuses to start until the first has stopped", async () => {
    const second = { port: 0, host: "127.0.0.1", dbPath: relay.dbPath, demo: false };
    await expect(startRelay(second)).rejects.toThrow(DatabaseInUseError);
    // The refused relay changed nothing: the first still serves.
    await (await welcomedVisitor()).close();

    const own = await startTestRelay();
    const path = own.dbPath;
    await own.restart();
    await expect(startRelay({ ...second, dbPath: path })).rejects.toThrow(
      `Another relay is running on ${path}`,
    );
    await own.close();
  });
});
