import { afterEach, describe, expect, it } from "vitest";
import { localStore } from "../../storage/index.ts";
import { $login, $session, expireSession, renewToken } from "./index.ts";

const session = {
  token: "first-token",
  agent: { id: "agent-01", email: "ann@parley.test", name: "Ann", role: "agent" as const },
  site: { id: "demo", name: "Demo" },
};

afterEach(() => {
  $session.set(null);
  localStore.remove("parley.agent.session");
});

describe("a session the relay refuses", () => {
  it("ends, back to the login page", () => {
    $session.set(session);
    expireSession();
    expect($session.get()).toBeNull();
    expect($login.get().error).toBe("Your session has ended. Sign in again.");
  });

  it("says why, in the relay's words, when it said", () => {
    $session.set(session);
    expireSession('The site "demo" was deleted');
    expect($session.get()).toBeNull();
    expect($login.get().error).toBe('The site "demo" was deleted.');
  });

  it("goes on with the token another tab of the console renewed (a password change)", () => {
    $session.set(session);
    // The other tab renewed the session; this tab still holds the old token.
    renewToken("renewed-token");
    $session.set(session);
    expireSession();
    expect($session.get()?.token).toBe("renewed-token");
  });
});
