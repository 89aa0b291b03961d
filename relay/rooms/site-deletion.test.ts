import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChatFile, LoginResponse } from "../../protocol/index.ts";
import { createSiteOnRelay, storedRelaySecret } from "../hosts/node/sites.ts";
import { openSqliteDatabase } from "../hosts/node/sqlite-storage.ts";
import { createSiteDeletion, DELETION_BATCH } from "./site-deletion.ts";
import {
  addAgent,
  api,
  chatEvents,
  connectAgent,
  connectVisitor,
  DEMO,
  events,
  login,
  newId,
  newVisitor,
  PNG_PIXEL,
  startTestRelay,
  storedKeys,
  type TestRelay,
  uploadAs,
} from "./testing.ts";

// A real relay and its SQLite file: the demo site is deleted here, so the file has its own.
let relay: TestRelay;
let admin: LoginResponse;

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await login(relay);
});

afterAll(async () => {
  await relay?.close();
});

const deleteSite = (body: unknown, token = admin.token) =>
  api(relay, "DELETE", "/api/site", { token, body });

describe("DELETE /api/site", () => {
  it("is for admins, with the site's id repeated", async () => {
    const ana = await addAgent(relay, admin.token, "Ana");
    expect(await deleteSite({ confirm: DEMO.siteId }, ana.token)).toMatchObject({
      status: 403,
      body: { error: "forbidden" },
    });
    expect(await deleteSite({ confirm: "dem" })).toMatchObject({
      status: 400,
      body: { error: "bad_body", message: expect.stringContaining('{"confirm": "demo"}') },
    });
    expect(await deleteSite({})).toMatchObject({ status: 400, body: { error: "bad_body" } });
    expect(await deleteSite({ confirm: DEMO.siteId }, "forged")).toMatchObject({ status: 401 });
    // Refused, it deleted nothing.
    expect((await api(relay, "GET", "/api/site", { token: ana.token })).status).toBe(200);
  });

  it("ends every session at once, refuses visitors, deletes every visitor's data and files in the background, and never gives the id again", async () => {
    const agentSocket = await connectAgent(relay, admin.token);
    // More visitors than one step deletes, one with a chat, a file and an offline message.
    const visitors = Array.from({ length: DELETION_BATCH + 5 }, newVisitor);
    const tabs = await Promise.all(visitors.map((visitor) => connectVisitor(relay, visitor)));
    await Promise.all(tabs.map((tab) => tab.next("welcome")));
    const [talker] = visitors as [ReturnType<typeof newVisitor>];
    const file = (await (await uploadAs(relay, talker)).json()) as ChatFile;
    // Files picked and never sent, by a visitor and by an agent, go with the site too.
    const unsent = (await (await uploadAs(relay, talker)).json()) as ChatFile;
    const agentUpload = await fetch(`${relay.url}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "x-file-name": "price-list.png" },
      body: PNG_PIXEL,
    });
    const agentFile = (await agentUpload.json()) as ChatFile;
    await Promise.all(
      tabs.map((tab, index) => {
        const visit = events.visit(newId("visit"));
        const chat =
          index === 0
            ? [chatEvents.message("Do you ship abroad?", { fileId: file.id }), chatEvents.offline()]
            : [];
        tab.send({ type: "track", events: [visit, events.pageview(visit.visitId), ...chat] });
        return tab.next("ack");
      }),
    );
    const [open, ...left] = tabs as [(typeof tabs)[number], ...typeof tabs];
    await Promise.all(left.map((tab) => tab.close()));
    expect(storedKeys(relay.dbPath, "visitor/%").length).toBeGreaterThan(visitors.length * 3);
    for (const stored of [file, unsent, agentFile])
      expect((await fetch(stored.url)).status).toBe(200);

    expect(await deleteSite({ confirm: DEMO.siteId })).toEqual({
      status: 202,
      body: { deleted: true },
    });

    // At once: the console is told and its socket closes; no one signs in; tokens are refused.
    expect(await agentSocket.next("error")).toMatchObject({
      code: "unauthorized",
      message: 'The site "demo" was deleted',
    });
    expect((await agentSocket.closed).code).toBe(1008);
    expect(
      (
        await api(relay, "POST", "/api/login", {
          body: { email: DEMO.email, password: DEMO.password },
        })
      ).status,
    ).toBe(401);
    expect(await api(relay, "GET", "/api/site", { token: admin.token })).toMatchObject({
      status: 401,
      body: { message: 'The site "demo" was deleted' },
    });
    const agentAgain = await connectAgent(relay, admin.token);
    expect(await agentAgain.next("error")).toMatchObject({ code: "unauthorized" });

    // The open tab closes as its visitor's data goes, and cannot connect again.
    await open.closed;
    const again = await connectVisitor(relay, talker);
    expect(await again.next("error")).toMatchObject({
      code: "unknown_site",
      message: 'The site "demo" was deleted',
    });

    // In the background: every visitor's data and file, then the rest; the mark stays.
    await vi.waitFor(
      () => expect(storedKeys(relay.dbPath, "site/demo")).toEqual(["site/demo deleted"]),
      {
        timeout: 20_000,
        interval: 100,
      },
    );
    expect(storedKeys(relay.dbPath, "visitor/%")).toEqual([]);
    for (const stored of [file, unsent, agentFile])
      expect((await fetch(stored.url)).status).toBe(404);
    expect(
      storedKeys(relay.dbPath, "directory/global").filter((key) => key.includes(" upload:")),
    ).toEqual([]);

    // The id is not given to a new site; the admin's email is free for one.
    const secret = storedRelaySecret(relay.dbPath) as string;
    const newSite = (id: string) => ({
      id,
      name: "Second Shop",
      allowedOrigins: ["https://second.example"],
      admin: { email: DEMO.email, name: "Dana" },
    });
    await expect(createSiteOnRelay(relay.url, secret, newSite(DEMO.siteId))).rejects.toThrow(
      'The site "demo" was deleted: choose another site id',
    );
    const { password } = await createSiteOnRelay(relay.url, secret, newSite("second"));
    expect((await login(relay, DEMO.email, password)).site.id).toBe("second");

    // The relay starts again without the demo site, which it does not make anew.
    await relay.restart();
    const refused = await connectVisitor(relay, newVisitor());
    expect(await refused.next("error")).toMatchObject({ code: "unknown_site" });
    expect(storedKeys(relay.dbPath, "site/demo")).toEqual(["site/demo deleted"]);
  });
});

describe("a site's deletion, step by step", () => {
  it("deletes the visitors a batch a step, then the rest; a failed visitor comes first in the next step, also after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-deletion-"));
    const db = openSqliteDatabase(join(dir, "site.sqlite"));
    try {
      const storage = db.storage("site/shop", () => {});
      const ids = Array.from({ length: DELETION_BATCH + 3 }, (_, i) => `visitor-${1000 + i}`);
      await storage.putMany(Object.fromEntries(ids.map((id, i) => [`visitor:${id}`, i + 1])));
      await storage.putMany({ site: { id: "shop" }, "agent:a1": { id: "a1" }, canned: [] });
      const failing = new Set(["visitor-1002"]);
      const forgotten: string[] = [];
      let filesForgotten = 0;
      const deletionOn = () =>
        createSiteDeletion({
          storage,
          visitorPrefix: "visitor:",
          async forget(id) {
            if (failing.has(id)) throw new Error("the visitor's room is locked");
            forgotten.push(id);
            await storage.delete(`visitor:${id}`);
          },
          async forgetFiles() {
            filesForgotten += 1;
          },
        });
      const deletion = deletionOn();
      await deletion.load();
      expect([deletion.deleted(), deletion.running()]).toEqual([false, false]);
      expect(await deletion.step()).toBe(false);

      await deletion.begin({ at: 5_000, by: "a1", alsoDelete: ["site", "agent:a1"] });
      expect([deletion.deleted(), deletion.running()]).toEqual([true, true]);
      expect(await storage.getMany(["site", "agent:a1", "canned"])).toEqual(
        new Map([["canned", []]]),
      );

      await expect(deletion.step()).rejects.toThrow("locked");
      expect(forgotten).toEqual(["visitor-1000", "visitor-1001"]);

      // Started again, it goes on where it stopped.
      failing.clear();
      const restarted = deletionOn();
      await restarted.load();
      expect(restarted.running()).toBe(true);
      expect(await restarted.step()).toBe(true);
      expect(forgotten).toEqual(ids.slice(0, DELETION_BATCH + 2));
      expect(await restarted.step()).toBe(true);
      expect(forgotten).toEqual(ids);
      expect((await storage.list()).size).toBeGreaterThan(1);
      expect(filesForgotten).toBe(0);
      expect(await restarted.step()).toBe(false);
      expect(filesForgotten).toBe(1);
      expect([...(await storage.list())]).toEqual([
        ["deleted", { at: 5_000, by: "a1", finished: true }],
      ]);
      expect([restarted.deleted(), restarted.running()]).toEqual([true, false]);
      expect(await restarted.step()).toBe(false);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
