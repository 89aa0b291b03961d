import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVENTS_PER_FRAME,
  INVITATIONS_KEPT,
  type InvitationEvent,
  type InvitationRule,
  type LoginResponse,
  type SiteSettingsResponse,
} from "../../../protocol/index.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  login,
  newId,
  newVisitor,
  nextWhere,
  restartCountingKeys,
  startTestRelay,
  type TestRelay,
} from "../testing.ts";

let relay: TestRelay;
let admin: LoginResponse;
let ana: LoginResponse;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
  ana = await addAgent(relay, admin.token, "Ana");
});

afterAll(async () => {
  await relay?.close();
});

const rule = (fields: Partial<InvitationRule> = {}): InvitationRule => ({
  id: newId("rule"),
  name: "Lamps",
  enabled: true,
  conditions: { timeOnPage: 20, url: { match: "wildcard", pattern: "/products/*" } },
  message: "Questions about lamps?",
  senderId: null,
  whenOffline: "skip",
  dismissDays: 7,
  notOnMobile: false,
  ...fields,
});

const putRules = (invitations: unknown, token = admin.token) =>
  api(relay, "PUT", "/api/site", { token, body: { invitations } });

const invitationEvent = (
  invitationId: string,
  action: InvitationEvent["action"],
  ruleId?: string,
): InvitationEvent => ({
  kind: "invitation",
  id: newId("inv"),
  at: Date.now(),
  invitationId,
  action,
  ...(ruleId && { ruleId }),
  text: "Questions about lamps?",
  sender: null,
});

const stats = async () =>
  ((await api(relay, "GET", "/api/site", { token: admin.token })).body as SiteSettingsResponse)
    .invitationStats ?? {};

describe("invitation rules", () => {
  it("are kept by admins only, and refused when a regex does not compile, ids repeat or a sender is unknown", async () => {
    expect((await putRules([rule()], ana.token)).status).toBe(403);
    const broken = rule({ conditions: { url: { match: "regex", pattern: "(lamp" } } });
    expect((await putRules([broken])).status).toBe(400);
    const twin = rule();
    expect((await putRules([twin, twin])).status).toBe(400);
    expect((await putRules([rule({ senderId: "no-such-agent" })])).status).toBe(400);
    expect((await putRules(Array.from({ length: 21 }, () => rule()))).status).toBe(400);
  });

  it("reach visitors in welcome, enabled ones only, with the sender's name", async () => {
    const shown = rule({ senderId: ana.agent.id });
    const saved = await putRules([shown, rule({ enabled: false })]);
    expect(saved.status).toBe(200);
    expect((saved.body as SiteSettingsResponse).invitations).toHaveLength(2);
    const tab = await connectVisitor(relay, newVisitor());
    const welcome = await tab.next("welcome");
    expect(welcome.invitations).toEqual([
      {
        id: shown.id,
        conditions: shown.conditions,
        message: shown.message,
        sender: "Ana",
        whenOffline: "skip",
        dismissDays: 7,
        notOnMobile: false,
      },
    ]);
    await tab.close();
  });

  it("are left out of welcome when the site has none", async () => {
    expect((await putRules([])).status).toBe(200);
    const tab = await connectVisitor(relay, newVisitor());
    expect((await tab.next("welcome")).invitations).toBeUndefined();
    await tab.close();
  });
});

describe("invitation counts", () => {
  it("count shown, dismissed and accepted once per invitation, and start the chat from it", async () => {
    const lamps = rule();
    await putRules([lamps]);
    const before = await stats();
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const first = newId("invitation");
    const second = newId("invitation");
    const reply = chatEvents.message("Is it dimmable?", { invitationId: first });
    const shownTwice = invitationEvent(first, "shown", lamps.id);
    tab.send({
      type: "track",
      events: [
        shownTwice,
        { ...shownTwice, id: newId("inv") },
        reply,
        { ...reply, id: newId("msg"), text: "And in red?" },
        invitationEvent(second, "shown", lamps.id),
        invitationEvent(second, "dismissed", lamps.id),
        invitationEvent(second, "dismissed", lamps.id),
      ],
    });
    expect((await tab.next("ack")).ids).toHaveLength(7);
    await expect
      .poll(async () => (await stats())[lamps.id])
      .toEqual({ shown: 2, accepted: 1, dismissed: 1 });
    expect((await stats()).manual).toEqual(before.manual);

    const messages = [];
    for (let i = 0; i < 3; i++) messages.push((await tab.next("chat:message")).message);
    expect(messages.map((message) => (message as { text: string }).text)).toEqual([
      "Invitation from the team: Questions about lamps?",
      "Is it dimmable?",
      "And in red?",
    ]);
    await tab.close();
    // The counts are stored, not only kept in memory.
    await relay.restart();
    admin = await login(relay);
    expect((await stats())[lamps.id]).toEqual({ shown: 2, accepted: 1, dismissed: 1 });
  });

  it("show agents the invitation a reply answers, live, before the reply", async () => {
    const lamps = rule();
    await putRules([lamps]);
    const agent = await connectAgent(relay, ana.token);
    await nextWhere(agent, "chats", (frame) => frame.full === true);
    const tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    const invitationId = newId("invitation");
    tab.send({
      type: "track",
      events: [
        invitationEvent(invitationId, "shown", lamps.id),
        chatEvents.message("Is it dimmable?", { invitationId }),
      ],
    });
    await tab.next("ack");
    const shown = [];
    for (let i = 0; i < 2; i++) shown.push((await agent.next("chat:message")).message);
    expect(shown).toMatchObject([
      { author: { kind: "system" }, text: "Invitation from the team: Questions about lamps?" },
      { author: { kind: "visitor" }, text: "Is it dimmable?" },
    ]);
    expect(await nextWhere(agent, "notify")).toMatchObject({ text: "Is it dimmable?" });
    await tab.close();
    await agent.close();
  });

  it("count only the site's own rules and manual invitations, whatever rule the visitor names", async () => {
    // Rule ids a plain object would take for its own properties.
    const rules = [rule({ id: "constructor" }), rule({ id: "__proto__" })];
    await putRules(rules);
    const manualBefore = (await stats()).manual?.shown ?? 0;
    const tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    tab.send({
      type: "track",
      events: [
        ...rules.map((named) => invitationEvent(newId("invitation"), "shown", named.id)),
        invitationEvent(newId("invitation"), "shown", "no-such-rule"),
        invitationEvent(newId("invitation"), "shown", "toString"),
        invitationEvent(newId("invitation"), "shown"),
      ],
    });
    await tab.next("ack");
    const once = { shown: 1, accepted: 0, dismissed: 0 };
    // Counts of rules the site no longer has (earlier tests') are dropped as well.
    await expect
      .poll(async () => Object.entries(await stats()).sort(([a], [b]) => a.localeCompare(b)))
      .toEqual([
        ["__proto__", once],
        ["constructor", once],
        ["manual", { ...once, shown: manualBefore + 1 }],
      ]);
    await tab.close();
  });

  it("forget the oldest invitations past the cap, in storage too", async () => {
    const lamps = rule();
    await putRules([lamps]);
    const visitor = newVisitor();
    const tab = await connectVisitor(relay, visitor);
    await tab.next("welcome");
    const ids = Array.from({ length: INVITATIONS_KEPT + 1 }, () => newId("invitation"));
    for (let i = 0; i < ids.length; i += EVENTS_PER_FRAME) {
      const shown = ids
        .slice(i, i + EVENTS_PER_FRAME)
        .map((id) => invitationEvent(id, "shown", lamps.id));
      tab.send({ type: "track", events: shown });
      await tab.next("ack");
    }
    // A reply to the forgotten first invitation is an ordinary message; one to the last starts from it.
    tab.send({
      type: "track",
      events: [
        chatEvents.message("About the first?", { invitationId: ids[0] }),
        chatEvents.message("About the last?", { invitationId: ids.at(-1) }),
      ],
    });
    await tab.next("ack");
    const texts = [];
    for (let i = 0; i < 3; i++) {
      texts.push(((await tab.next("chat:message")).message as { text: string }).text);
    }
    expect(texts).toEqual([
      "About the first?",
      "Invitation from the team: Questions about lamps?",
      "About the last?",
    ]);
    await expect
      .poll(async () => (await stats())[lamps.id])
      .toEqual({ shown: INVITATIONS_KEPT + 1, accepted: 1, dismissed: 0 });
    await tab.close();

    expect(await restartCountingKeys(relay, `visitor/${visitor.id}`, "invitation:")).toBe(
      INVITATIONS_KEPT,
    );
    admin = await login(relay);
  });

  it("refuse an invitation event without its text", async () => {
    const tab = await connectVisitor(relay, newVisitor());
    await tab.next("welcome");
    const event = { ...invitationEvent(newId("invitation"), "shown"), text: "" };
    tab.send({ type: "track", events: [event] });
    const ack = await tab.next("ack");
    expect(ack.rejected).toEqual([
      expect.objectContaining({ id: event.id, code: "invalid_event" }),
    ]);
    await tab.close();
  });
});

describe("an agent's invitation", () => {
  it("reaches every open tab of the visitor, from the agent, and is acknowledged", async () => {
    const agent = await connectAgent(relay, ana.token);
    await agent.next("hello");
    const visitor = newVisitor();
    const tabs = [await connectVisitor(relay, visitor), await connectVisitor(relay, visitor)];
    for (const tab of tabs) await tab.next("welcome");
    const id = newId("invitation");
    agent.send({ type: "visitor:invite", visitorId: visitor.id, id, text: "Hi! Need a hand?" });
    expect((await agent.next("ack")).ids).toEqual([id]);
    for (const tab of tabs) {
      expect((await tab.next("invite")).invitation).toEqual({
        id,
        text: "Hi! Need a hand?",
        sender: "Ana",
      });
    }
    for (const tab of tabs) await tab.close();
    await agent.close();
  });

  it("is refused for a visitor without an open page, and for an empty text", async () => {
    const agent = await connectAgent(relay, ana.token);
    await agent.next("hello");
    agent.send({ type: "visitor:invite", visitorId: newId("nobody"), id: newId("i"), text: "Hi" });
    expect((await agent.next("error")).code).toBe("not_found");
    agent.send({ type: "visitor:invite", visitorId: newId("nobody"), id: newId("i"), text: " " });
    expect((await agent.next("error")).code).toBe("bad_frame");
    await agent.close();
  });
});
