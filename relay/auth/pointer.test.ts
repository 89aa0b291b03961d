import { describe, expect, it } from "vitest";
import { POINTER_TOKEN_MS } from "../../protocol/index.ts";
import { randomId, signPointerToken, signToken, verifyPointerToken, verifyToken } from "./index.ts";

const secret = "test-secret-for-pointers";
const now = 1_700_000_000_000;
const claims = { siteId: "demo", visitorId: "visitor-0001", agentId: "agent-1" };

describe("pointer tokens", () => {
  it("round-trip the site, visitor and agent, and work for a few minutes", async () => {
    const { token, expiresAt } = await signPointerToken(secret, claims, now);
    expect(expiresAt).toBe(now + POINTER_TOKEN_MS);
    expect(await verifyPointerToken(secret, token, now)).toEqual({
      ok: true,
      claims: { ...claims, exp: expiresAt },
    });
    expect(await verifyPointerToken(secret, token, expiresAt)).toEqual({
      ok: false,
      problem: "expired",
    });
  });

  it("are refused under another secret", async () => {
    const { token } = await signPointerToken("another-secret", claims, now);
    expect(await verifyPointerToken(secret, token, now)).toEqual({
      ok: false,
      problem: "bad_signature",
    });
  });

  it("never pass for a session token, nor a session token for a pointer token", async () => {
    const pointer = await signPointerToken(secret, claims, now);
    expect(await verifyToken(secret, pointer.token, now)).toMatchObject({ ok: false });
    const session = await signToken(secret, {
      ...claims,
      exp: now + 60_000,
      jti: randomId(),
    });
    expect(await verifyPointerToken(secret, session, now)).toEqual({
      ok: false,
      problem: "bad_signature",
    });
  });
});
