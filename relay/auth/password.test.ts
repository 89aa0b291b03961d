import { describe, expect, it } from "vitest";
import { hashPassword, PASSWORD_ITERATIONS, verifyNoPassword, verifyPassword } from "./index.ts";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PASSWORD_ITERATIONS}\\$`));
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batter", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same", 1000), hashPassword("same", 1000)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("keeps verifying hashes made with other rounds", async () => {
    const hash = await hashPassword("pässwörd ✓", 1000);
    expect(hash.split("$")[1]).toBe("1000");
    expect(await verifyPassword("pässwörd ✓", hash)).toBe(true);
  });

  it("refuses rounds beyond what Workers allow", async () => {
    await expect(hashPassword("x", PASSWORD_ITERATIONS + 1)).rejects.toThrow(RangeError);
  });

  it("never matches a malformed or tampered hash", async () => {
    const hash = await hashPassword("secret-pw", 1000);
    const [scheme, rounds, salt, digest] = hash.split("$");
    const flipped = `${digest?.[0] === "A" ? "B" : "A"}${digest?.slice(1)}`;
    for (const stored of [
      "",
      "plain",
      `${scheme}$${rounds}$${salt}$${flipped}`,
      `${scheme}$2000$${salt}$${digest}`,
      `${scheme}$999999999$${salt}$${digest}`,
      `sha1$${rounds}$${salt}$${digest}`,
      `${hash}$extra`,
      `${scheme}$${rounds}$${salt}$not base64!`,
    ]) {
      expect(await verifyPassword("secret-pw", stored)).toBe(false);
    }
  });

  it("spends a check's time on accounts that do not exist", async () => {
    expect(await verifyNoPassword("anything")).toBe(false);
  });
});
