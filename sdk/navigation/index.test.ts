import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakePage } from "../testing/index.ts";
import { watchNavigation } from "./index.ts";

const setup = () => {
  const page = fakePage("https://shop.test/app.html");
  const seen: [string, string, string][] = [];
  const lifetime = new AbortController();
  watchNavigation(
    (url, previous) => seen.push([url, previous, page.document.title]),
    lifetime.signal,
  );
  return { page, seen, lifetime, settle: () => vi.advanceTimersByTime(100) };
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("watchNavigation", () => {
  it("reports pushState navigations with the title the app sets afterwards", () => {
    const { page, seen, settle } = setup();
    history.pushState({}, "", "/app.html/shipping");
    page.document.title = "Shipping";
    settle();
    expect(seen).toEqual([
      ["https://shop.test/app.html/shipping", "https://shop.test/app.html", "Shipping"],
    ]);
  });

  it("still calls the page's own history methods", () => {
    const { page } = setup();
    history.pushState({ tab: 1 }, "", "/x");
    history.replaceState({ tab: 2 }, "");
    expect(page.historyCalls).toEqual([
      ["pushState", { tab: 1 }],
      ["replaceState", { tab: 2 }],
    ]);
    expect(page.location.pathname).toBe("/x");
  });

  it("ignores a replaceState that leaves the URL as it was", () => {
    const { seen, settle } = setup();
    history.replaceState({ scroll: 10 }, "");
    history.replaceState({ scroll: 20 }, "", "/app.html");
    settle();
    expect(seen).toEqual([]);
  });

  it("counts a replaceState that changes the URL", () => {
    const { seen, settle } = setup();
    history.replaceState({}, "", "/app.html?tab=returns");
    settle();
    expect(seen.map(([url]) => url)).toEqual(["https://shop.test/app.html?tab=returns"]);
  });

  it("counts a push followed by a redirecting replace once, at the final URL", () => {
    const { seen, settle } = setup();
    history.pushState({}, "", "/old");
    history.replaceState({}, "", "/new");
    settle();
    expect(seen.map(([url]) => url)).toEqual(["https://shop.test/new"]);
  });

  it("reports back/forward and hash changes", () => {
    const { page, seen, settle } = setup();
    page.back("https://shop.test/app.html#returns");
    settle();
    page.location.hash = "#shipping";
    page.window.dispatchEvent(new Event("hashchange"));
    settle();
    expect(seen.map(([url]) => url)).toEqual([
      "https://shop.test/app.html#returns",
      "https://shop.test/app.html#shipping",
    ]);
  });

  it("stops reporting once its signal aborts", () => {
    const { page, seen, lifetime, settle } = setup();
    lifetime.abort();
    history.pushState({}, "", "/later");
    page.back("https://shop.test/app.html");
    settle();
    expect(seen).toEqual([]);
  });
});
