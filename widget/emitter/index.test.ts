import { describe, expect, it, vi } from "vitest";
import { createEmitter } from "./index.ts";

describe("createEmitter", () => {
  it("calls listeners in order with the arguments, until removed", () => {
    const events = createEmitter<{ unread: [count: number] }>();
    const seen: string[] = [];
    const first = (count: number) => seen.push(`first ${count}`);
    const stop = events.on("unread", (count) => seen.push(`second ${count}`));
    events.on("unread", first);
    events.emit("unread", 1);
    stop();
    events.off("unread", first);
    events.emit("unread", 2);
    expect(seen).toEqual(["second 1", "first 1"]);
  });

  it("reports a throwing listener once and calls the others", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const events = createEmitter<{ open: [] }>();
    const after = vi.fn();
    events.on("open", () => {
      throw new Error("emitter test: boom");
    });
    events.on("open", after);
    events.emit("open");
    events.emit("open");
    expect(after).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("emitter test: boom"));
  });
});
