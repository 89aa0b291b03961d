let context: AudioContext | undefined;

const audio = (): AudioContext | undefined => {
  try {
    // Browsers let a page start audio only after the visitor has interacted with it.
    const active = (navigator as { userActivation?: { hasBeenActive: boolean } }).userActivation;
    if (!context && active?.hasBeenActive !== false) context = new AudioContext();
    if (context?.state === "suspended") void context.resume().catch(() => {});
  } catch {
    // No Web Audio (old or locked-down browsers): the widget stays silent.
  }
  return context;
};

/** Prepares sound during a visitor's gesture (a click on the launcher), when browsers allow it. */
export const unlockSound = (): void => void audio();

/**
 * A short soft two-tone chime for a new message, made with Web Audio (nothing to download,
 * nothing a Content-Security-Policy blocks). Silent where the browser does not allow sound yet.
 */
export function chime(): void {
  const ctx = audio();
  if (ctx?.state !== "running") return;
  try {
    const start = ctx.currentTime;
    for (const [offset, frequency] of [
      [0, 660],
      [0.12, 880],
    ] as const) {
      const tone = ctx.createOscillator();
      const volume = ctx.createGain();
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.12, start + offset);
      volume.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.2);
      tone.connect(volume).connect(ctx.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.2);
    }
  } catch {
    // A sound is a nicety: never let it break the chat.
  }
}
