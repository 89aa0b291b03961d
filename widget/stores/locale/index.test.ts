import { afterEach, describe, expect, it, vi } from "vitest";
import { $locale, $strings, pickLocale, setLocale } from "./index.ts";

afterEach(() => vi.restoreAllMocks());

describe("locale store", () => {
  it("picks the first language the widget speaks, by primary language, else English", () => {
    expect(pickLocale(undefined, "pt-BR", "es")).toBe("pt");
    expect(pickLocale("RU", "en")).toBe("ru");
    expect(pickLocale("de-DE", "fr")).toBe("en");
    expect(pickLocale()).toBe("en");
  });

  it("loads a language's strings on demand and switches to them", async () => {
    await setLocale("es-MX");
    expect($locale.get()).toBe("es");
    expect($strings.get().send).toBe("Enviar");
    expect($strings.get().unread(3)).toBe("3 mensajes sin leer");
    await setLocale("ru");
    expect($strings.get().unread(2)).toBe("2 непрочитанных сообщения");
    expect($strings.get().unread(5)).toBe("5 непрочитанных сообщений");
    await setLocale("en");
    expect($strings.get().send).toBe("Send");
  });

  it("keeps the last language asked for when loads finish out of order", async () => {
    const slow = setLocale("ru");
    const fast = setLocale("en");
    await Promise.all([slow, fast]);
    expect($locale.get()).toBe("en");
  });

  it("ignores a language it does not speak, with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await setLocale("pt");
    await setLocale("klingon");
    await setLocale(42);
    expect($locale.get()).toBe("pt");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("setLocale takes a language"));
  });
});
