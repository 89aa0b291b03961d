/**
 * pointer.js, the picker: loader.js imports it in the agent console's frame of a site's page,
 * once the console has greeted the loader with a pointer token (see `protocol/pointer.ts`).
 * It has the relay check the token first, and runs only if the relay accepts it for this site;
 * then the agent hovers (an outline follows the pointer, or the focus) and clicks an element
 * (or presses Enter on it), which is described (`loader/target`) and posted to the console. Clicks pick instead of acting, so
 * links and buttons do nothing while the picker runs. Its styles are a constructable stylesheet
 * in its own shadow root, and it positions the outlines through the CSSOM, which a strict
 * Content-Security-Policy allows.
 */
import type { PointerMessage } from "../../protocol/pointer-handshake.ts";
import { adoptStyles } from "../facade/index.ts";
import { describeElement } from "../target/index.ts";

const PICKER_CSS =
  ":host{all:initial!important}" +
  ".box{position:fixed;z-index:2147483646;top:0;left:0;pointer-events:none;box-sizing:border-box;" +
  "border:2px dashed #2563eb;background:rgba(37,99,235,.08);border-radius:3px}" +
  ".box.picked{border:3px solid #dc2626;background:rgba(220,38,38,.08)}" +
  ".box[hidden]{display:none}" +
  ".hint{position:fixed;z-index:2147483647;top:8px;left:50%;transform:translateX(-50%);" +
  "pointer-events:none;padding:6px 12px;border-radius:6px;background:#111;color:#fff;" +
  "font:500 13px/1.3 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}";

/** Where the picker runs: the relay's origin (the console's), the snippet's site and nonce. */
export type PickerOptions = { relay: string; site: string; token: string; nonce?: string };

/**
 * Checks `token` with the relay, then lets the agent pick an element; every pick is posted to
 * the console (`pointer:picked`), a refused token too (`pointer:refused`).
 * @example startPicker({ relay: "https://relay.example", site: "demo", token })
 */
export async function startPicker({ relay, site, token, nonce }: PickerOptions): Promise<void> {
  const tell = (message: PointerMessage) => parent.postMessage(message, relay);
  const refused = (reason: string) => tell({ source: "parley", method: "pointer:refused", reason });
  let verified: Response;
  try {
    verified = await fetch(new URL("/api/pointer/verify", relay), {
      method: "POST",
      body: JSON.stringify({ token, site }),
    });
  } catch {
    return refused("The relay could not be asked, or does not allow this page's origin");
  }
  if (!verified.ok) {
    const body = (await verified.json().catch(() => ({}))) as { message?: string };
    return refused(body.message ?? `The relay refused the pointer token (${verified.status})`);
  }

  const host = document.createElement("parley-pointer");
  const root = host.attachShadow({ mode: "open" });
  adoptStyles(root, PICKER_CSS, nonce);
  const hover = document.createElement("div");
  hover.className = "box";
  hover.hidden = true;
  const picked = document.createElement("div");
  picked.className = "box picked";
  picked.hidden = true;
  const hint = document.createElement("div");
  hint.className = "hint";
  hint.textContent = "Click what you want to show the visitor (or Tab to it and press Enter)";
  root.append(hover, picked, hint);
  document.documentElement.append(host);

  let hovered: Element | null = null;
  let chosen: Element | null = null;
  const place = (box: HTMLElement, element: Element | null) => {
    box.hidden = !element;
    if (!element) return;
    const rect = element.getBoundingClientRect();
    box.style.transform = `translate(${rect.left}px,${rect.top}px)`;
    box.style.width = `${rect.width}px`;
    box.style.height = `${rect.height}px`;
  };
  const follow = () => {
    place(hover, hovered);
    place(picked, chosen);
  };
  const elementOf = (event: Event) =>
    event.target instanceof Element && event.target !== host ? event.target : null;

  // The outline follows the pointer, and the keyboard's focus: Enter on a link or button is a
  // click, which picks.
  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(
      type,
      (event) => {
        hovered = elementOf(event);
        follow();
      },
      true,
    );
  }
  // Clicks pick: the page's own handlers, links and forms must not act on them.
  for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "submit"]) {
    document.addEventListener(type, (event) => elementOf(event) && event.preventDefault(), true);
  }
  document.addEventListener(
    "click",
    (event) => {
      const element = elementOf(event);
      if (!element) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      chosen = element;
      follow();
      tell({ source: "parley", method: "pointer:picked", target: describeElement(element) });
    },
    true,
  );
  addEventListener("scroll", follow, { capture: true, passive: true });
  addEventListener("resize", follow);
}
