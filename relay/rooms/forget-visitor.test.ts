import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ChatFile,
  ChatsFrame,
  LoginResponse,
  OfflineMessagesFrame,
  RosterEntry,
} from "../../protocol/index.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  events,
  login,
  newVisitor,
  nextRosterEntry,
  nextWhere,
  restartCountingKeys,
  startTestRelay,
  type TestRelay,
  uploadAs,
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

/** Uploads a picture as the visitor, as the widget does before sending it. */
async function uploadPicture(visitor: { id: string; secret: string }): Promise<ChatFile> {
  const response = await uploadAs(relay, visitor);
  expect(response.status).toBe(201);
  return (await response.json()) as ChatFile;
}

const forget = (visitorId: string, token = admin.token) =>
  api(relay, "POST", "/api/visitors/forget", { token, body: { visitorId } });

describe("POST /api/visitors/forget", () => {
  it("deletes the visitor's trail, chat, files, offline messages and place in the list; a tab still open comes back as a new visitor", async () => {
    const agent = await connectAgent(relay, admin.token);
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const file = await uploadPicture(visitor);
    // A file the visitor picked and never sent goes too.
    const unsent = await uploadPicture(visitor);
    const visit = events.visit("visit-forget-1");
    tab.send({
      type: "track",
      events: [
        visit,
        events.pageview(visit.visitId, { title: "Lamps" }),
        chatEvents.message("Is the amber lamp dimmable?", { fileId: file.id }),
        chatEvents.offline({ text: "Call me about the lamp" }),
      ],
    });
    await tab.next("ack");
    const listed = await nextRosterEntry(agent, visitor.id, (entry) => entry.page !== null);
    await nextWhere(agent, "chats", (frame) =>
      (frame as ChatsFrame).chats.some((chat) => chat.id === visitor.id),
    );
    await nextWhere(agent, "offline-messages", (frame) =>
      (frame as OfflineMessagesFrame).messages.some((m) => m.visitorId === visitor.id),
    );
    expect((await fetch(file.url)).status).toBe(200);

    expect(await forget(visitor.id)).toEqual({ status: 204, body: null });

    // The tab closes, and its visitor's room holds nothing.
    expect((await tab.closed).code).toBe(1000);
    const roster = await nextWhere(agent, "roster", (frame) =>
      ((frame.removed as string[] | undefined) ?? []).includes(visitor.id),
    );
    expect((roster.visitors as RosterEntry[] | undefined)?.map((e) => e.id) ?? []).not.toContain(
      visitor.id,
    );
    const chats = (await nextWhere(agent, "chats", (frame) => frame.full === true)) as ChatsFrame;
    expect(chats.chats.map((chat) => chat.id)).not.toContain(visitor.id);
    const inbox = (await nextWhere(
      agent,
      "offline-messages",
      (frame) => frame.full === true,
    )) as OfflineMessagesFrame;
    expect(inbox.messages.map((m) => m.visitorId)).not.toContain(visitor.id);
    expect((await fetch(file.url)).status).toBe(404);
    expect((await fetch(unsent.url)).status).toBe(404);
    agent.send({ type: "trail:get", visitorId: visitor.id });
    expect(await agent.next("error")).toMatchObject({ code: "not_found" });
    await agent.close();
    const offline = await api(relay, "GET", "/api/offline-messages", { token: admin.token });
    expect(JSON.stringify(offline.body)).not.toContain("Call me about the lamp");
    expect(await restartCountingKeys(relay, `visitor/${visitor.id}`, "")).toBe(0);

    // Connecting again, the same browser is a new visitor: a new number, nothing of before.
    const watcher = await connectAgent(relay, admin.token);
    const again = await connectVisitor(relay, visitor);
    await again.next("welcome");
    const entry = await nextRosterEntry(watcher, visitor.id);
    expect(entry.number).toBeGreaterThan(listed.number);
    expect(entry.page).toBeNull();
    expect(entry.visits).toBe(0);
    await again.close();
    await watcher.close();
  });

  it("is for admins, about a visitor the site knows", async () => {
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const ana = await addAgent(relay, admin.token, "Ana");
    expect(await forget(visitor.id, ana.token)).toMatchObject({
      status: 403,
      body: { error: "forbidden" },
    });
    expect(await forget("visitor-never-seen")).toMatchObject({
      status: 404,
      body: { error: "not_found", message: "No visitor visitor-never-seen on this site" },
    });
    expect(await forget("not an id")).toMatchObject({ status: 400, body: { error: "bad_body" } });
    // Refused, it deleted nothing.
    const response = await api(relay, "GET", "/api/agents", { token: admin.token });
    expect(response.status).toBe(200);
    tab.send({ type: "track", events: [events.visit("visit-kept")] });
    expect(await tab.next("ack")).toMatchObject({ type: "ack" });
    await tab.close();
  });
});
