import WebSocket from "ws";
import { DEMO } from "../relay/demo-site.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

const VISITORS = 300;

/** A visitor speaking the wire protocol: connects, records a visit and one page view. */
async function trackedVisitor(relayUrl: string, n: number): Promise<WebSocket> {
  const id = `scale-visitor-${String(n).padStart(4, "0")}`;
  const ws = new WebSocket(
    `${relayUrl.replace("http", "ws")}/parties/visitor/${id}?site=${DEMO.siteId}&secret=scale-secret-0123456789`,
    { origin: relayUrl },
  );
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const at = Date.now();
  const url = `${relayUrl}/demo/products/item-${n}.html`;
  ws.send(
    JSON.stringify({
      type: "track",
      events: [
        { kind: "visit", id: `${id}-v`, at, visitId: `${id}-visit`, number: 1, landingUrl: url },
        {
          kind: "pageview",
          id: `${id}-p`,
          at,
          visitId: `${id}-visit`,
          url,
          title: `Item ${n}`,
        },
      ],
    }),
  );
  return ws;
}

test("the live list renders only the rows in view, however many visitors there are", async ({
  page,
  relay,
}) => {
  const sockets = await Promise.all(
    Array.from({ length: VISITORS }, (_, n) => trackedVisitor(relay.url, n)),
  );
  await signInToConsole(page, relay.url);

  await expect(page.getByTestId("visitor-count")).toHaveText(`${VISITORS} of ${VISITORS} visitors`);
  const rows = page.getByTestId("visitor-row");
  const rendered = await rows.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);

  // Scrolling to the end brings the last rows in, still only a window of them.
  const list = page.getByTestId("visitor-list");
  await list.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  await expect(rows.last()).toHaveAttribute("aria-posinset", String(VISITORS));
  expect(await rows.count()).toBeLessThan(60);

  for (const ws of sockets) ws.close();
});
