import { useEffect } from "preact/hooks";
import { beeper } from "../sound/index.ts";

/** Unlocks the notification beep on the agent's first click or key (browsers require one). */
export function useUnlockSound(): void {
  useEffect(() => {
    const unlock = () => {
      beeper.unlock();
      document.removeEventListener("pointerdown", unlock, true);
      document.removeEventListener("keydown", unlock, true);
    };
    document.addEventListener("pointerdown", unlock, true);
    document.addEventListener("keydown", unlock, true);
    return unlock;
  }, []);
}
