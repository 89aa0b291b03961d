import type { VisitorChatMessageFrame } from "../protocol/index.ts";
import { connectVisitor, PIXEL_PNG, visitorGot } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

const isMessage = (frame: { type: string }): frame is VisitorChatMessageFrame =>
  frame.type === "chat:message";

test("an agent takes a request, watches the visitor type, answers with text, emoji and an image, and sees it read", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const visitor = await connectVisitor(relay.url, "visitor-conv-0001");
  // Once the site knows the visitor's page, the request carries it.
  await expect(page.getByTestId("visitor-page-url")).toContainText("/demo/products/");
  await visitor.say("Hi, where is my order?");

  // Every online agent hears of a new request: the header's badge and a toast.
  await expect(page.getByTestId("requests-badge")).toHaveText("1");
  const toast = page.getByTestId("toast");
  await expect(toast).toHaveAttribute("data-kind", "request");
  await expect(toast.getByTestId("toast-text")).toHaveText("Hi, where is my order?");
  await expect(toast.getByTestId("toast-url")).toContainText("/demo/products/");

  await page.getByTestId("nav-chats").click();
  const row = page.getByTestId("chat-row");
  await expect(row).toHaveAttribute("data-chat-id", visitor.id);
  await expect(row.getByTestId("chat-row-last")).toHaveText("Hi, where is my order?");
  await expect(row.getByTestId("chat-row-channel")).toHaveText("Web");
  await expect(row.getByTestId("chat-row-unread")).toHaveText("1");

  await row.getByRole("button").first().click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("message-text")).toHaveText(["Hi, where is my order?"]);
  await conversation.getByTestId("conversation-accept").click();
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");
  await expect(page.getByTestId("requests-badge")).toHaveCount(0);
  await expect(page.getByTestId("toast")).toHaveCount(0);
  await expect(page.getByTestId("chat-tab-active")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("chat-row")).toHaveAttribute("data-status", "active");

  // The visitor's text shows before it is sent, and goes once it is.
  visitor.typing("It was order 12");
  await expect(page.getByTestId("visitor-typing")).toHaveText("Visitor is typing: It was order 12");
  await visitor.say("It was order 1234");
  await expect(page.getByTestId("visitor-typing")).toHaveCount(0);
  await expect(conversation.getByTestId("message-text").last()).toHaveText("It was order 1234");

  // Shift+Enter breaks the line, the picker adds an emoji at the caret, Enter sends.
  const input = page.getByTestId("composer-input");
  await input.click();
  await input.pressSequentially("Let me check");
  await input.press("Shift+Enter");
  await input.pressSequentially("one moment ");
  await page.getByTestId("composer-emoji").click();
  await page.getByTestId("emoji-option").filter({ hasText: "👍" }).click();
  await expect(input).toHaveValue("Let me check\none moment 👍");
  await input.press("Enter");
  await expect(input).toHaveValue("");

  const reply = await visitor.waitFor(visitorGot("Let me check\none moment 👍"));
  expect(visitor.frames.some((f) => f.type === "chat:typing" && "agent" in f && f.typing)).toBe(
    true,
  );
  const mine = conversation.locator('[data-testid="message"][data-author="agent"]');
  await expect(mine.getByTestId("message-status")).toHaveAttribute("data-state", "delivered");
  if (!isMessage(reply)) throw new Error("not a message");
  visitor.read(reply.message.seq);
  await expect(mine.getByTestId("message-status")).toHaveAttribute("data-state", "read");

  // An image goes up, then into the chat, shown inline on both sides.
  await page.getByTestId("composer-file").setInputFiles({
    name: "receipt.png",
    mimeType: "image/png",
    buffer: PIXEL_PNG,
  });
  await expect(conversation.getByTestId("message-image")).toHaveAttribute("alt", "receipt.png");
  const image = await visitor.waitFor(
    (frame) => frame.type === "chat:message" && frame.message.file?.name === "receipt.png",
  );
  expect(isMessage(image) && image.message.file?.image).toBe(true);
  const src = await conversation.getByTestId("message-image").getAttribute("src");
  expect(src && (await fetch(src)).headers.get("content-type")).toBe("image/png");

  // Resolved, the chat moves to Resolved; the visitor's next message makes it a request again.
  await conversation.getByTestId("conversation-resolve").click();
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Resolved");
  await page.getByTestId("chat-tab-resolved").click();
  await expect(page.getByTestId("chat-row")).toHaveAttribute("data-status", "resolved");
  await visitor.say("One more thing");
  await expect(page.getByTestId("requests-badge")).toHaveText("1");
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Waiting");

  // The visitor's profile leads to the chat.
  await page.getByTestId("nav-visitors").click();
  await page.getByTestId("visitor-row").click();
  await page.getByTestId("profile-open-chat").click();
  await expect(page.getByTestId("conversation")).toHaveAttribute("data-chat-id", visitor.id);
  await expect(page.getByTestId("chat-tab-requests")).toHaveAttribute("aria-selected", "true");
  visitor.close();
});

test("drafts stay with their conversation when switching, and across a reload", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const anna = await connectVisitor(relay.url, "visitor-draft-anna");
  const ben = await connectVisitor(relay.url, "visitor-draft-ben0");
  await anna.say("Question from Anna");
  await ben.say("Question from Ben");
  await page.getByTestId("nav-chats").click();
  const rowOf = (id: string) =>
    page.locator(`[data-testid="chat-row"][data-chat-id="${id}"]`).getByRole("button").first();
  const input = page.getByTestId("composer-input");

  await rowOf(anna.id).click();
  await input.fill("Half an answer for Anna");
  await rowOf(ben.id).click();
  await expect(input).toHaveValue("");
  await input.fill("Something for Ben");
  await rowOf(anna.id).click();
  await expect(input).toHaveValue("Half an answer for Anna");

  await page.reload();
  await page.getByTestId("nav-chats").click();
  await rowOf(ben.id).click();
  await expect(input).toHaveValue("Something for Ben");
  anna.close();
  ben.close();
});

test("a reply written while the relay is down waits as pending, then is delivered once", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const first = await connectVisitor(relay.url, "visitor-outage-01");
  await first.say("Are you there?");
  await page.getByTestId("nav-chats").click();
  await page.getByTestId("chat-row-accept").click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");

  await relay.crash();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "reconnecting");
  const input = page.getByTestId("composer-input");
  await input.fill("Yes, sorry for the wait");
  await input.press("Enter");
  const mine = conversation.locator('[data-testid="message"][data-author="agent"]').last();
  await expect(mine.getByTestId("message-status")).toHaveAttribute("data-state", "pending");
  await expect(mine.getByTestId("message-status")).toHaveText("Sending…");

  await relay.restart();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", {
    timeout: 20_000,
  });
  await expect(mine.getByTestId("message-status")).toHaveAttribute("data-state", "delivered");

  // The visitor comes back and finds the reply in the conversation, exactly once.
  const back = await connectVisitor(relay.url, "visitor-outage-01");
  const state = await back.waitFor((frame) => frame.type === "chat:state" && !!frame.messages);
  const texts = state.type === "chat:state" ? (state.messages ?? []).map((m) => m.text) : [];
  expect(texts.filter((text) => text === "Yes, sorry for the wait")).toHaveLength(1);
  await expect(
    conversation.getByTestId("message-text").filter({ hasText: "Yes, sorry for the wait" }),
  ).toHaveCount(1);
  back.close();
});
