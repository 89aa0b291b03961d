import { describe, expect, it } from "vitest";
import { createRelayApi } from "./index.ts";

/** A fetch that records requests and answers with `respond`. */
function fakeFetch(respond: () => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const fetch: typeof globalThis.fetch = async (url, init) => {
    requests.push({ url: String(url), init });
    return respond();
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("createRelayApi", () => {
  it("logs in with a JSON body and returns the session", async () => {
    const session = {
      token: "t",
      agent: { id: "a", email: "a@x.test", name: "A", role: "admin" },
      site: { id: "s", name: "S" },
    };
    const relay = fakeFetch(() => json(200, session));
    const result = await createRelayApi(relay).login({ email: "a@x.test", password: "pw" });
    expect(result).toEqual({ ok: true, value: session });
    expect(relay.requests[0]?.url).toBe("/api/login");
    expect(relay.requests[0]?.init?.method).toBe("POST");
    expect(relay.requests[0]?.init?.body).toBe('{"email":"a@x.test","password":"pw"}');
  });

  it("sends the token as a bearer and unwraps the agent list", async () => {
    const agents = [{ id: "a", email: "a@x.test", name: "A", role: "agent" }];
    const relay = fakeFetch(() => json(200, { agents }));
    expect(await createRelayApi(relay).listAgents("secret-token")).toEqual({
      ok: true,
      value: agents,
    });
    const headers = relay.requests[0]?.init?.headers as Record<string, string>;
    expect(headers.authorization).toBe("Bearer secret-token");
  });

  it("passes on the relay's message and status when it refuses", async () => {
    const relay = fakeFetch(() => json(409, { error: "email_taken", message: "Email taken" }));
    const result = await createRelayApi(relay).addAgent("t", {
      email: "b@x.test",
      name: "B",
      password: "password123",
      role: "agent",
    });
    expect(result).toEqual({ ok: false, status: 409, message: "Email taken" });
  });

  it("explains a refusal without a readable body", async () => {
    const relay = fakeFetch(() => new Response("<html>", { status: 401 }));
    expect(await createRelayApi(relay).listAgents("t")).toEqual({
      ok: false,
      status: 401,
      message: "Your session has ended. Sign in again.",
    });
  });

  it("reports an unreachable relay as status 0", async () => {
    const relay = fakeFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const result = await createRelayApi(relay).logout("t");
    expect(result).toMatchObject({ ok: false, status: 0 });
  });

  it("uploads a file as the raw body with its name in a header", async () => {
    const stored = { id: "file-0001", name: "my plan.pdf", size: 3, type: "application/pdf" };
    const relay = fakeFetch(() => json(201, stored));
    const file = new File(["abc"], "my plan.pdf", { type: "application/pdf" });
    expect(await createRelayApi(relay).upload("t", file)).toEqual({ ok: true, value: stored });
    const init = relay.requests[0]?.init;
    const headers = init?.headers as Record<string, string>;
    expect(relay.requests[0]?.url).toBe("/api/uploads");
    expect(init?.body).toBe(file);
    expect(headers.authorization).toBe("Bearer t");
    expect(headers["content-type"]).toBe("application/pdf");
    expect(decodeURIComponent(headers["x-file-name"] ?? "")).toBe("my plan.pdf");
  });

  it("puts the canned responses in one body and unwraps the answer", async () => {
    const canned = [{ shortcut: "hi", text: "Hello!" }];
    const relay = fakeFetch(() => json(200, { canned }));
    expect(await createRelayApi(relay).saveCanned("t", canned)).toEqual({
      ok: true,
      value: canned,
    });
    expect(relay.requests[0]?.init?.method).toBe("PUT");
    expect(relay.requests[0]?.init?.body).toBe(JSON.stringify({ canned }));
  });
});
