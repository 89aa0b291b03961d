/**
 * loader.js, the script of the snippet
 * `<script async src="https://HOST/loader.js" data-site="SITE"></script>`
 * (optional: `nonce`, `data-lang`, `data-color`, `data-position`).
 *
 * Tiny and framework-free, a classic script: it defines the command queue
 * `window.parley(command, ...args)` at once, so the page can call it before anything loads,
 * shows a facade launcher at once (a fixed button in its own shadow root: the page does not
 * move), and loads `sdk.js` and `widget.js` from beside itself when the page is idle, the
 * pointer comes over the launcher or it is clicked, whichever comes first. A click before the
 * widget has loaded opens the chat once it has. It never throws into the host page.
 *
 * In the agent console's pointer frame (a frame named POINTER_FRAME_NAME) it does none of
 * that: no facade, no tracker, no widget. It tells the console it is there, and only when the
 * console answers from the relay's origin (the origin of this script) does it import the
 * picker, `pointer.js`, which has the relay check the console's token before it runs.
 */
import { POINTER_FRAME_NAME, type PointerMessage } from "../protocol/pointer-handshake.ts";
import type { Tracker } from "../sdk/tracker/index.ts";
import type { MountConfig } from "../widget/embed.ts";
import {
  adoptStyles,
  type FacadeLook,
  LAUNCHER_CSS,
  LAUNCHER_ICON,
  prefKey,
  textOn,
} from "./facade/index.ts";

type Command = [name: string, args: unknown[]];

/** `window.parley`: queues commands until the widget takes over the queue's `push`. */
type Parley = ((command: string, ...args: unknown[]) => void) & {
  q?: Command[];
  /** Set by the first loader on the page: a second snippet must not start a second widget. */
  loaded?: boolean;
};

const warn = (message: unknown) => console.warn("parley:", message);

try {
  const page = window as unknown as { parley?: Parley };
  const queue: Parley = (command, ...args) => {
    queue.q ??= [];
    queue.q.push([command, args]);
  };
  // A page (or an earlier snippet) may have defined the queue already: keep it and its commands.
  page.parley ??= queue;
  const parley = page.parley;
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset;
  const site = data?.site;
  if (!parley.loaded && script && site && window.name === POINTER_FRAME_NAME && parent !== window) {
    parley.loaded = true;
    const relay = new URL(script.src).origin;
    let greeted = false;
    addEventListener("message", (event: MessageEvent<PointerMessage | undefined>) => {
      const message = event.data;
      if (greeted || event.origin !== relay || event.source !== parent) return;
      if (message?.source !== "parley" || message.method !== "pointer:start") return;
      greeted = true;
      import(/* @vite-ignore */ new URL("pointer.js", script.src).href)
        .then((picker) =>
          picker.startPicker({ relay, site, token: message.token, nonce: script.nonce }),
        )
        .catch(warn);
    });
    parent.postMessage(
      { source: "parley", method: "pointer:ready" } satisfies PointerMessage,
      relay,
    );
  } else if (!parley.loaded && script && data && site) {
    parley.loaded = true;
    const src = new URL(script.src);
    parley.q ??= [];
    const commands = parley.q;
    const nonce = script.nonce;
    const element = document.createElement("parley-chat");
    const root = element.attachShadow({ mode: "open" });
    let loading = false;
    const load = () => {
      if (loading) return;
      loading = true;
      const module = (name: string) => import(/* @vite-ignore */ new URL(name, src).href);
      const tracker = module("sdk.js").then((sdk) => sdk.start({ site, host: src.host }));
      Promise.all([tracker, module("widget.js")])
        .then(([tracker, widget]: [Tracker | undefined, { mount(config: MountConfig): void }]) =>
          widget.mount({
            tracker,
            site,
            base: script.src,
            queue: commands,
            root,
            nonce,
            lang: data.lang,
            color: data.color,
            position: data.position,
          }),
        )
        .catch(warn);
    };

    try {
      let look: FacadeLook = {};
      try {
        look = JSON.parse(localStorage.getItem(prefKey(site, "facade")) ?? "{}");
      } catch {
        // Storage blocked: the snippet's attributes will do.
      }
      if (!look.off) {
        adoptStyles(root, LAUNCHER_CSS, nonce);
        root.innerHTML = `<button class="launcher" type="button">${LAUNCHER_ICON}</button>`;
        const button = root.firstChild as HTMLButtonElement;
        const color = [look.color, data.color].find((value) => /^#[\da-f]{6}$/i.test(value ?? ""));
        if (color) {
          button.style.setProperty("--c", color);
          button.style.setProperty("--on", textOn(color));
        }
        if ((look.position ?? data.position) === "left") button.classList.add("left");
        const text = document.createElement("span");
        text.className = "label";
        text.textContent = look.text ?? "";
        button.append(text);
        button.setAttribute(
          "aria-label",
          look.text || (/^ru/.test(data.lang ?? navigator.language) ? "Чат" : "Chat"),
        );
        // The page may have hidden the widget before it loads.
        for (const [name] of commands)
          if (name === "hide" || name === "show") button.hidden = name === "hide";
        button.onclick = () => {
          parley("open");
          load();
        };
        button.onpointerenter = load;
        button.onfocus = load;
      }
      const show = () => document.body.append(element);
      if (document.body) show();
      else document.addEventListener("DOMContentLoaded", show);
    } catch (error) {
      warn(error);
    }
    // The page's own work comes first; an idle callback waits at most 3 s for a quiet moment.
    if ("requestIdleCallback" in window) requestIdleCallback(load, { timeout: 3000 });
    else setTimeout(load, 1);
  } else if (!site) warn('the snippet needs data-site="your site id"');
} catch (error) {
  warn(error);
}
