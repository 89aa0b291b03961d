import { describe, expect, it } from "vitest";
import { createBeeper } from "./index.ts";

/** An AudioContext stand-in that records the tones started (tests only). */
function fakeAudio(initial: AudioContextState) {
  const started: number[] = [];
  const node = () => ({
    connect: (next: unknown) => next,
    frequency: { setValueAtTime: () => {} },
    gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} },
    start: (at: number) => started.push(at),
    stop: () => {},
  });
  const Api = class {
    state = initial;
    currentTime = 0;
    destination = {};
    createOscillator = node;
    createGain = node;
    async resume() {
      this.state = "running";
    }
  } as unknown as typeof AudioContext;
  return { Api, started };
}

describe("createBeeper", () => {
  it("stays silent until a user gesture unlocks audio, then beeps", async () => {
    const audio = fakeAudio("suspended");
    const beeper = createBeeper(() => audio.Api);
    expect(beeper.beep()).toBe(false);
    beeper.unlock();
    await Promise.resolve();
    expect(beeper.beep()).toBe(true);
    expect(audio.started).toHaveLength(1);
  });

  it("does nothing where WebAudio is missing or refuses", () => {
    expect(createBeeper(() => undefined).beep()).toBe(false);
    const refusing = createBeeper(() => {
      throw new Error("blocked");
    });
    refusing.unlock();
    expect(refusing.beep()).toBe(false);
  });
});
