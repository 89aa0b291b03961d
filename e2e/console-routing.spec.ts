import type { Page } from "@playwright/test";
import { addAgent, connectVisitor, visitorGot } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

/** The row of a chat in the current tab of `page`. */
const rowOf = (page: Page, chatId: string) =>
  page.locator(`[data-testid="chat-row"][data-chat-id="${chatId}"]`);

test("manual routing: both agents see a request, the first to accept takes it, a quick reply takes another", async ({
  browser,
  relay,
}) => {
  const benAccount = await addAgent(relay.url, "Ben");
  const admin = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  await signInToConsole(admin, relay.url);
  await signInToConsole(ben, relay.url, benAccount);

  const visitor = await connectVisitor(relay.url, "visitor-route-0001");
  await visitor.say("Do you ship to Norway?");
  for (const agent of [admin, ben]) {
    await expect(agent.getByTestId("requests-badge")).toHaveText("1");
    await expect(agent.getByTestId("toast").getByTestId("toast-text")).toHaveText(
      "Do you ship to Norway?",
    );
    await agent.getByTestId("nav-chats").click();
    await expect(rowOf(agent, visitor.id)).toBeVisible();
  }

  await rowOf(ben, visitor.id).getByTestId("chat-row-accept").click();
  await expect(ben.getByTestId("chat-tab-active")).toHaveAttribute("aria-selected", "true");
  await expect(rowOf(ben, visitor.id)).toHaveAttribute("data-status", "active");
  // It leaves the admin's Requests, badge and toast; it is Ben's, not the admin's.
  await expect(rowOf(admin, visitor.id)).toHaveCount(0);
  await expect(admin.getByTestId("requests-badge")).toHaveCount(0);
  await expect(admin.getByTestId("toast")).toHaveCount(0);
  await admin.getByTestId("chat-tab-active").click();
  await expect(rowOf(admin, visitor.id)).toHaveCount(0);
  await expect(visitor.waitFor(visitorGot("Ben joined the chat"))).resolves.toBeTruthy();

  // A quick reply from the toast answers a second request, and takes it.
  const second = await connectVisitor(relay.url, "visitor-route-0002");
  await second.say("Is the red one in stock?");
  const toast = admin.locator(`[data-testid="toast"][data-chat-id="${second.id}"]`);
  await toast.getByTestId("toast-quick-reply").click();
  await toast.getByTestId("toast-reply-input").fill("Yes, three left!");
  await toast.getByTestId("toast-reply-send").click();
  await second.waitFor(visitorGot("Yes, three left!"));
  await expect(toast).toHaveCount(0);
  await expect(rowOf(admin, second.id)).toHaveAttribute("data-status", "active");
  await expect(ben.getByTestId("requests-badge")).toHaveCount(0);
  await expect(ben.locator(`[data-testid="toast"][data-chat-id="${second.id}"]`)).toHaveCount(0);
  visitor.close();
  second.close();
});

test("a request ignored through three rounds becomes missed, and the visitor is told", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const visitor = await connectVisitor(relay.url, "visitor-ignored-01");
  await visitor.say("Hello? Anyone?");
  await page.getByTestId("nav-chats").click();
  const row = rowOf(page, visitor.id);
  const toast = page.getByTestId("toast");

  for (const round of [1, 2, 3]) {
    await expect(row).toHaveAttribute("data-round", String(round));
    await expect(toast).toHaveAttribute("data-kind", "request");
    await toast.getByTestId("toast-ignore").click();
  }
  await expect(page.getByTestId("requests-badge")).toHaveCount(0);
  await expect(page.getByTestId("chat-list-empty")).toBeVisible();
  await page.getByTestId("chat-tab-resolved").click();
  await expect(row).toHaveAttribute("data-status", "missed");
  await expect(row).toContainText("Missed");
  await visitor.waitFor((frame) => frame.type === "chat:state" && frame.status === "missed");
  visitor.close();
});

test("a transfer with a note moves the chat when the colleague accepts; pickers show who is away", async ({
  browser,
  relay,
}) => {
  const benAccount = await addAgent(relay.url, "Ben");
  await addAgent(relay.url, "Cleo");
  const admin = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  await signInToConsole(admin, relay.url);
  await signInToConsole(ben, relay.url, benAccount);

  const visitor = await connectVisitor(relay.url, "visitor-transfer-1");
  await visitor.say("I need a refund for order 42");
  await admin.getByTestId("nav-chats").click();
  await rowOf(admin, visitor.id).getByTestId("chat-row-accept").click();
  const conversation = admin.getByTestId("conversation");
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");

  // Ben steps away: the picker says so; Cleo never signed in: offline, not pickable.
  await ben.getByTestId("agent-status").click();
  await expect(ben.getByTestId("agent-status")).toHaveAttribute("data-status", "away");
  await conversation.getByTestId("conversation-transfer").click();
  const picker = admin.getByTestId("agent-picker");
  const benOption = picker.locator(
    `[data-testid="agent-option"][data-agent-id="${benAccount.profile.id}"]`,
  );
  await expect(benOption).toHaveAttribute("data-status", "away");
  await expect(picker.getByTestId("agent-option").filter({ hasText: "Cleo" })).toHaveAttribute(
    "data-status",
    "offline",
  );
  await expect(
    picker.getByTestId("agent-option").filter({ hasText: "Cleo" }).getByRole("radio"),
  ).toBeDisabled();
  await ben.getByTestId("agent-status").click();
  await expect(benOption).toHaveAttribute("data-status", "online");

  await benOption.getByRole("radio").check();
  await picker.getByTestId("agent-picker-note").fill("VIP customer, refund approved");
  await picker.getByTestId("agent-picker-submit").click();
  await expect(conversation.getByTestId("conversation-offer-pending")).toContainText("Ben");

  // Ben is told, with the note, and accepts from the conversation's banner.
  const toast = ben.getByTestId("toast");
  await expect(toast).toHaveAttribute("data-kind", "transfer");
  await expect(toast.getByTestId("toast-text")).toContainText("VIP customer, refund approved");
  await ben.getByTestId("nav-chats").click();
  await rowOf(ben, visitor.id).getByRole("button").first().click();
  const banner = ben.getByTestId("offer-banner");
  await expect(banner.getByTestId("offer-note")).toContainText("VIP customer, refund approved");
  await banner.getByTestId("offer-accept").click();

  await expect(ben.getByTestId("chat-tab-active")).toHaveAttribute("aria-selected", "true");
  await expect(rowOf(ben, visitor.id)).toHaveAttribute("data-status", "active");
  await expect(ben.getByTestId("composer-input")).toBeVisible();
  await admin.getByTestId("chat-tab-active").click();
  await expect(rowOf(admin, visitor.id)).toHaveCount(0);
  await expect(admin.getByTestId("conversation-readonly")).toBeVisible();
  await visitor.waitFor(visitorGot("The chat was transferred to Ben"));
  visitor.close();
});
