import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PointerMessage, PointerTarget } from "../../../protocol/index.ts";
import { DEMO, login, startTestRelay, type TestRelay } from "../../../relay/rooms/testing.ts";
import { createRelayApi, type RelayApi } from "../../api/index.ts";
import { chatSummary } from "../chats/testing.ts";
import { $outbox } from "../outbox/index.ts";
import { $session } from "../session/index.ts";
import { $pointer, closePointer, openPointer, receiveFrameMessage, sendPointer } from "./index.ts";

let relay: TestRelay;
let api: RelayApi;

beforeAll(async () => {
  relay = await startTestRelay();
  api = createRelayApi({ fetch: (path, init) => fetch(`${relay.url}${path}`, init) });
  $session.set(await login(relay));
});

afterAll(async () => {
  closePointer();
  $session.set(null);
  await relay?.close();
});

const CHAT = "visitor-point-0001";
const target: PointerTarget = {
  url: "https://shop.example/products/mug.html",
  selector: "#buy",
  tag: "button",
  text: "Add to cart",
};

/** The frame's messages to the console, and what the console posts back. */
function frame() {
  const replies: PointerMessage[] = [];
  return {
    replies,
    say: (message: unknown) => receiveFrameMessage(message, (reply) => replies.push(reply)),
  };
}

describe("the console's pointer", () => {
  it("greets the loader with a token the relay accepts for the site", async () => {
    await openPointer(chatSummary(CHAT, { page: { url: target.url, title: "Mug" } }), api);
    expect($pointer.get()).toMatchObject({ chatId: CHAT, url: target.url, phase: "framing" });
    const page = frame();
    page.say({ source: "parley", method: "pointer:ready" });
    expect($pointer.get()?.phase).toBe("picking");
    const start = page.replies[0];
    if (start?.method !== "pointer:start") throw new Error("no pointer:start");
    const verified = await fetch(`${relay.url}/api/pointer/verify`, {
      method: "POST",
      headers: { origin: relay.url },
      body: JSON.stringify({ token: start.token, site: DEMO.siteId }),
    });
    expect(await verified.json()).toMatchObject({ visitorId: CHAT });
  });

  it("takes only a well-formed pick, and sends it with the comment", () => {
    const page = frame();
    page.say({
      source: "parley",
      method: "pointer:picked",
      target: { ...target, url: "javascript:alert(1)" },
    });
    page.say({ source: "other", method: "pointer:picked", target });
    expect($pointer.get()).toMatchObject({ phase: "picking", target: null });
    page.say({ source: "parley", method: "pointer:picked", target });
    expect($pointer.get()).toMatchObject({ phase: "picked", target });

    sendPointer("  Press this one  ");
    expect($pointer.get()).toBeNull();
    expect($outbox.get().at(-1)).toMatchObject({
      chatId: CHAT,
      text: "Press this one",
      pointer: target,
    });
  });

  it("tells the agent when the picker was refused, and refuses a page that is not http(s)", async () => {
    await openPointer(chatSummary(CHAT, { page: { url: target.url, title: "Mug" } }), api);
    frame().say({
      source: "parley",
      method: "pointer:refused",
      reason: "Pointer token refused: expired",
    });
    expect($pointer.get()).toMatchObject({ phase: "failed" });
    expect($pointer.get()?.problem).toContain("expired");

    await openPointer(chatSummary(CHAT, { page: { url: "file:///etc/passwd", title: "" } }), api);
    expect($pointer.get()).toMatchObject({ phase: "failed" });
  });
});
