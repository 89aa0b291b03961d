import { DEMO } from "../relay/demo-site.ts";
import { updateSite } from "./agent-client.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import { fillOfflineForm, watchWidget } from "./widget-page.ts";

const ALWAYS_CLOSED = {
  enabled: true,
  timeZone: "UTC",
  days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
};

test("agents see a new offline message live, open it (read for all), mark it done, and find it on the visitor's profile", async ({
  browser,
  relay,
}) => {
  // Closed: the visitor gets the form though agents are signed in.
  await updateSite(relay.url, { businessHours: ALWAYS_CLOSED });
  const agent = await (await browser.newContext()).newPage();
  const colleague = await (await browser.newContext()).newPage();
  await signInToConsole(agent, relay.url);
  await signInToConsole(colleague, relay.url);
  await agent.getByTestId("nav-offline").click();
  await colleague.getByTestId("nav-offline").click();

  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${relay.url}/demo/products.html`);
  await widget.open();
  await fillOfflineForm(widget, {
    name: "Ann <b>Lee</b>",
    email: "ann@example.com",
    phone: "+351 912 345 678",
    message: "Do you deliver to Lisbon?\nOn Saturdays?",
  });
  await widget.window.getByRole("button", { name: "Send message" }).click();
  await expect(widget.window.getByTestId("offline-sent")).toBeVisible();

  // Both consoles get it live, unread, with the badge.
  for (const page of [agent, colleague]) {
    await expect(page.getByTestId("offline-badge")).toHaveText("1");
    await expect(page.getByTestId("offline-row")).toHaveAttribute("data-status", "unread");
  }
  await expect(agent.getByTestId("offline-row-name")).toHaveText("Ann <b>Lee</b>");

  // Opening it marks it read for everyone.
  await agent.getByTestId("offline-row").getByRole("button").click();
  const card = agent.getByTestId("offline-card");
  await expect(card.getByTestId("offline-card-email")).toHaveText("ann@example.com");
  await expect(card.getByTestId("offline-card-phone")).toHaveText("+351 912 345 678");
  await expect(card.getByTestId("offline-card-page")).toContainText("/demo/products.html");
  await expect(card.getByTestId("message-text")).toHaveText(
    "Do you deliver to Lisbon?\nOn Saturdays?",
  );
  const reply = new URL((await card.getByTestId("offline-reply").getAttribute("href")) ?? "");
  expect(reply.protocol).toBe("mailto:");
  expect(reply.pathname).toBe("ann@example.com");
  expect(reply.searchParams.get("subject")).toBe(`Re: your message to ${DEMO.siteName}`);
  expect(reply.searchParams.get("body")).toContain("> Do you deliver to Lisbon?\n> On Saturdays?");
  await expect(colleague.getByTestId("offline-row")).toHaveAttribute("data-status", "read");
  for (const page of [agent, colleague]) {
    await expect(page.getByTestId("offline-badge")).toHaveCount(0);
  }

  // Done moves it to the Done list, for the colleague too; undo brings it back.
  await card.getByTestId("offline-done").click();
  await expect(agent.getByTestId("offline-row")).toHaveCount(0);
  await expect(colleague.getByTestId("offline-row")).toHaveCount(0);
  await colleague.getByTestId("offline-filter-done").click();
  await expect(colleague.getByTestId("offline-row")).toHaveAttribute("data-status", "done");
  await card.getByTestId("offline-undo").click();
  await expect(agent.getByTestId("offline-row")).toHaveAttribute("data-status", "read");
  await expect(colleague.getByTestId("offline-row")).toHaveCount(0);

  // The visitor's profile, reached from the message, lists it.
  await card.getByTestId("offline-card-visitor").click();
  const onProfile = agent.getByTestId("profile-offline-message");
  await expect(onProfile).toContainText("Do you deliver to Lisbon?");
  await expect(onProfile).toHaveAttribute("data-status", "read");
  await onProfile.click();
  await expect(agent.getByTestId("offline-card-name")).toHaveText("Ann <b>Lee</b>");
});
