import { useStore } from "@nanostores/preact";
import { useEffect, useState } from "preact/hooks";
import { $lines, markRead } from "../stores/chat/index.ts";

/**
 * While the component is mounted (the window is open) and the tab is visible, every message
 * shown counts as read: the unread count clears and the agents see a read mark.
 */
export function useReadWhileOpen(): void {
  const lines = useStore($lines);
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  useEffect(() => {
    if (visible && lines.length) markRead();
  }, [visible, lines]);
}
