/**
 * A short beep through WebAudio, wrapped once: `AudioContext` may be missing, and browsers
 * keep it suspended until the page gets a user gesture, so {@link Beeper.unlock} is called
 * from the first click or key. Any failure is silent; the toast still shows.
 */
export type Beeper = {
  /** Creates or resumes the audio context: call from a user gesture. */
  unlock(): void;
  /** Plays the notification beep; false when audio is unavailable or still locked. */
  beep(): boolean;
};

/**
 * A beeper over `api()`.
 *
 * @example const beeper = createBeeper(() => globalThis.AudioContext);
 */
export function createBeeper(api: () => typeof AudioContext | undefined): Beeper {
  let context: AudioContext | null = null;
  const open = (): AudioContext | null => {
    if (context) return context;
    try {
      const Api = api();
      context = Api ? new Api() : null;
    } catch {
      context = null;
    }
    return context;
  };
  return {
    unlock() {
      const audio = open();
      if (audio?.state === "suspended") audio.resume().catch(() => {});
    },
    beep() {
      const audio = open();
      if (audio?.state !== "running") return false;
      try {
        const start = audio.currentTime;
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.type = "sine";
        tone.frequency.setValueAtTime(880, start);
        tone.frequency.setValueAtTime(1320, start + 0.12);
        volume.gain.setValueAtTime(0.0001, start);
        volume.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
        volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
        tone.connect(volume).connect(audio.destination);
        tone.start(start);
        tone.stop(start + 0.32);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The page's beeper. */
export const beeper = createBeeper(() => globalThis.AudioContext);
