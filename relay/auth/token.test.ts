import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url, utf8 } from "./bytes.ts";
import { randomId, type SessionClaims, signToken, verifyToken } from "./index.ts";

const secret = "test-secret-for-tokens";
const now = 1_700_000_000_000;
const claims: SessionClaims = {
  agentId: "agent-1",
  siteId: "demo",
  exp: now + 60_000,
  jti: randomId(),
};

describe("session tokens", () => {
  it("round-trips the claims", async () => {
    const token = await signToken(secret, claims);
    expect(await verifyToken(secret, token, now)).toEqual({ ok: true, claims });
  });

  it("expires at exp", async () => {
    const token = await signToken(secret, claims);
    expect(await verifyToken(secret, token, claims.exp - 1)).toMatchObject({ ok: true });
    expect(await verifyToken(secret, token, claims.exp)).toEqual({
      ok: false,
      problem: "expired",
    });
  });

  it("refuses a token signed with another secret", async () => {
    const token = await signToken("another-secret", claims);
    expect(await verifyToken(secret, token, now)).toEqual({ ok: false, problem: "bad_signature" });
  });

  it("refuses changed claims", async () => {
    const token = await signToken(secret, { ...claims, siteId: "demo" });
    const [, signature] = token.split(".");
    const moved = toBase64Url(utf8(JSON.stringify({ ...claims, siteId: "another-site" })));
    expect(await verifyToken(secret, `${moved}.${signature}`, now)).toEqual({
      ok: false,
      problem: "bad_signature",
    });
  });

  it("refuses a changed signature", async () => {
    const token = await signToken(secret, claims);
    const [payload, signature = ""] = token.split(".");
    const bytes = fromBase64Url(signature) ?? new Uint8Array();
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(await verifyToken(secret, `${payload}.${toBase64Url(bytes)}`, now)).toEqual({
      ok: false,
      problem: "bad_signature",
    });
  });

  it("refuses garbage", async () => {
    for (const token of ["", "abc", "a.b.c", "a.!!!", "..", `${"x".repeat(10)}.`]) {
      expect(await verifyToken(secret, token, now)).toMatchObject({ ok: false });
    }
  });

  it("refuses well-signed payloads that are not claims", async () => {
    for (const payload of ["not json", JSON.stringify({ agentId: "a" })]) {
      const body = toBase64Url(utf8(payload));
      const key = await crypto.subtle.importKey(
        "raw",
        utf8(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(body)));
      expect(await verifyToken(secret, `${body}.${toBase64Url(signature)}`, now)).toEqual({
        ok: false,
        problem: "malformed",
      });
    }
  });

  it("gives every token its own id", () => {
    expect(randomId()).not.toBe(randomId());
    expect(randomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
