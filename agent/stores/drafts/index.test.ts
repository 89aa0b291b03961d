import { afterEach, describe, expect, it } from "vitest";
import { createKeyValueStore } from "../../storage/index.ts";
import { memoryStorage } from "../../storage/memory.ts";
import { $drafts, draftOf, loadDrafts, resetDrafts, setDraft } from "./index.ts";

const memory = () => {
  const storage = memoryStorage();
  return createKeyValueStore(() => storage);
};

afterEach(resetDrafts);

describe("drafts", () => {
  it("keeps one draft per chat while switching between them", () => {
    setDraft("chat-a", "Your order ships");
    setDraft("chat-b", "Let me check");
    expect(draftOf($drafts.get(), "chat-a")).toBe("Your order ships");
    expect(draftOf($drafts.get(), "chat-b")).toBe("Let me check");
    setDraft("chat-a", "");
    expect($drafts.get()).toEqual({ "chat-b": "Let me check" });
  });

  it("survives a reload for the same agent only", () => {
    const storage = memory();
    loadDrafts("agent-a", storage);
    setDraft("chat-a", "half-written");
    resetDrafts();
    expect(draftOf($drafts.get(), "chat-a")).toBe("");
    loadDrafts("agent-a", storage);
    expect(draftOf($drafts.get(), "chat-a")).toBe("half-written");
    loadDrafts("agent-b", storage);
    expect($drafts.get()).toEqual({});
  });

  it("ignores a corrupt stored entry", () => {
    const storage = memory();
    storage.set("parley.agent.drafts.agent-a", "{not json");
    loadDrafts("agent-a", storage);
    expect($drafts.get()).toEqual({});
  });
});
