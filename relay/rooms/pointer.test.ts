import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChatMessage,
  LoginResponse,
  PointerTarget,
  PointerTokenResponse,
} from "../../protocol/index.ts";
import {
  api,
  connectAgent,
  connectVisitor,
  DEMO,
  login,
  newId,
  newVisitor,
  nextWhere,
  startTestRelay,
  type TestRelay,
  type TestSocket,
} from "./testing.ts";

let relay: TestRelay;
let admin: LoginResponse;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
});

afterAll(async () => {
  await relay?.close();
});

/** `POST /api/pointer/verify` as the picker sends it: a simple request from `origin`. */
async function verify(body: object, origin: string) {
  const response = await fetch(`${relay.url}/api/pointer/verify`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    allowOrigin: response.headers.get("access-control-allow-origin"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function pointerToken(chatId: string, token = admin.token) {
  return api(relay, "POST", "/api/pointer", { token, body: { chatId } });
}

describe("pointer tokens over HTTP", () => {
  it("are issued only to a signed-in agent", async () => {
    expect((await pointerToken("visitor-0001", "")).status).toBe(401);
    expect((await pointerToken("visitor-0001", "forged.token")).status).toBe(401);
    const issued = await pointerToken("visitor-0001");
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token: expect.any(String), expiresAt: expect.any(Number) });
  });

  it("are accepted for the site's page from its allowed origin, with CORS for it alone", async () => {
    const { token } = (await pointerToken("visitor-0002")).body as PointerTokenResponse;
    const good = await verify({ token, site: DEMO.siteId }, relay.url);
    expect(good).toMatchObject({ status: 200, allowOrigin: relay.url });
    expect(good.body.visitorId).toBe("visitor-0002");

    const foreign = await verify({ token, site: DEMO.siteId }, "https://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.allowOrigin).toBeNull();

    const otherSite = await verify({ token, site: "another-site" }, relay.url);
    expect(otherSite.status).toBe(403);
  });

  it("are refused when forged or tampered with", async () => {
    const { token } = (await pointerToken("visitor-0003")).body as PointerTokenResponse;
    const [payload] = token.split(".");
    const tampered = await verify({ token: `${payload}.AAAA`, site: DEMO.siteId }, relay.url);
    expect(tampered.status).toBe(401);
    const session = await verify({ token: admin.token, site: DEMO.siteId }, relay.url);
    expect(session.status).toBe(401);
  });
});

describe("a pointer message", () => {
  let tab: TestSocket;
  let agent: TestSocket;
  let chatId: string;
  const target: PointerTarget = {
    url: "https://shop.example/products/",
    selector: "#add-to-cart",
    tag: "button",
    text: "Add to cart",
  };

  beforeAll(async () => {
    const visitor = newVisitor();
    chatId = visitor.id;
    tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    agent = await connectAgent(relay, admin.token);
    await agent.next("hello");
  });

  afterAll(async () => {
    await tab?.close();
    await agent?.close();
  });

  it("reaches the visitor with its element, and is stored in the conversation", async () => {
    const id = newId("point");
    agent.send({ type: "chat:send", chatId, id, text: "Click here", pointer: target });
    await nextWhere(agent, "ack", (frame) => (frame.ids as string[]).includes(id));
    const got = await nextWhere(
      tab,
      "chat:message",
      (frame) => (frame.message as ChatMessage).id === id,
    );
    expect(got.message).toMatchObject({ text: "Click here", pointer: target });

    agent.send({ type: "chat:open", chatId });
    const history = await nextWhere(agent, "chat:history", (frame) => frame.chatId === chatId);
    expect((history.messages as ChatMessage[]).find((m) => m.id === id)?.pointer).toEqual(target);
  });

  it("is refused with a page that is not http(s), or as a note", async () => {
    const script = newId("bad");
    agent.send({
      type: "chat:send",
      chatId,
      id: script,
      text: "x",
      pointer: { ...target, url: "javascript:alert(1)" },
    });
    await nextWhere(agent, "error", () => true);
    const note = newId("note");
    agent.send({ type: "chat:send", chatId, id: note, text: "x", pointer: target, note: true });
    const refused = await nextWhere(agent, "ack", (frame) =>
      ((frame.rejected as { id: string }[]) ?? []).some((entry) => entry.id === note),
    );
    expect(refused.ids).toEqual([]);
  });
});
