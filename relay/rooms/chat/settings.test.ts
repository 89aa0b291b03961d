import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoginResponse, SiteSettingsResponse } from "../../../protocol/index.ts";
import {
  addAgent,
  api,
  connectVisitor,
  login,
  newVisitor,
  startTestRelay,
  type TestRelay,
} from "../testing.ts";
import { DEFAULT_WIDGET } from "./settings.ts";

let relay: TestRelay;
let admin: LoginResponse;
let agent: LoginResponse;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
  agent = await addAgent(relay, admin.token, "Ana");
});

afterAll(async () => {
  await relay?.close();
});

describe("chat settings", () => {
  it("start with manual routing and the default widget, sent to visitors in welcome", async () => {
    const site = (await api(relay, "GET", "/api/site", { token: agent.token }))
      .body as SiteSettingsResponse;
    expect(site).toMatchObject({
      routing: "manual",
      widget: {
        color: "#2563eb",
        position: "right",
        launcherText: "Chat with us",
        greeting: "Hi! How can we help?",
        prechat: { name: "optional", email: "optional", phone: "off" },
        whenOffline: "form",
      },
    });
    const tab = await connectVisitor(relay, newVisitor());
    expect((await tab.next("welcome")).settings).toEqual(site.widget);
    await tab.close();
  });

  it("change field by field for admins only, and reach new visitors", async () => {
    const forbidden = await api(relay, "PUT", "/api/site", {
      token: agent.token,
      body: { routing: "auto" },
    });
    expect(forbidden).toMatchObject({ status: 403, body: { error: "forbidden" } });

    const updated = await api(relay, "PUT", "/api/site", {
      token: admin.token,
      body: { routing: "auto", widget: { color: "#10b981", position: "left" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      routing: "auto",
      widget: { ...DEFAULT_WIDGET, color: "#10b981", position: "left" },
      identitySecret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const tab = await connectVisitor(relay, newVisitor());
    expect((await tab.next("welcome")).settings).toMatchObject({
      color: "#10b981",
      position: "left",
      greeting: DEFAULT_WIDGET.greeting,
    });
    await tab.close();

    const bad = await api(relay, "PUT", "/api/site", {
      token: admin.token,
      body: { widget: { color: "green", prechat: { name: "always" } } },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "bad_body" } });
    await api(relay, "PUT", "/api/site", {
      token: admin.token,
      body: { routing: "manual", widget: DEFAULT_WIDGET },
    });
  });

  it("keep the identity secret across restarts", async () => {
    const before = (await api(relay, "GET", "/api/site", { token: admin.token }))
      .body as SiteSettingsResponse;
    await relay.restart();
    const after = (await api(relay, "GET", "/api/site", { token: admin.token }))
      .body as SiteSettingsResponse;
    expect(after.identitySecret).toBe(before.identitySecret);
  });
});

describe("canned responses", () => {
  it("are read by agents and written by admins", async () => {
    expect(await api(relay, "GET", "/api/canned", { token: agent.token })).toEqual({
      status: 200,
      body: { canned: [] },
    });
    const canned = [
      { shortcut: "hi", text: "Hi! How can I help?" },
      { shortcut: "ship-eu", text: "We ship to every EU country in 3 to 5 days." },
    ];
    expect(
      await api(relay, "PUT", "/api/canned", { token: agent.token, body: { canned } }),
    ).toMatchObject({ status: 403 });
    expect(
      await api(relay, "PUT", "/api/canned", { token: admin.token, body: { canned } }),
    ).toEqual({
      status: 200,
      body: { canned },
    });
    expect(await api(relay, "GET", "/api/canned", { token: agent.token })).toEqual({
      status: 200,
      body: { canned },
    });
    expect((await api(relay, "GET", "/api/canned")).status).toBe(401);
  });

  it("refuse bad and repeated shortcuts", async () => {
    const bad = await api(relay, "PUT", "/api/canned", {
      token: admin.token,
      body: { canned: [{ shortcut: "Hello There", text: "Hi" }] },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "bad_body" } });
    const twice = await api(relay, "PUT", "/api/canned", {
      token: admin.token,
      body: {
        canned: [
          { shortcut: "hi", text: "Hi" },
          { shortcut: "hi", text: "Hello" },
        ],
      },
    });
    expect(twice).toMatchObject({ status: 400, body: { message: expect.stringContaining("/hi") } });
  });
});
