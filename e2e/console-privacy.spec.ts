import { connectVisitor, failOnDialog, visitorGot } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

test("a private note is shown to agents only and never reaches the visitor's socket", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  const visitor = await connectVisitor(relay.url, "visitor-note-00001");
  await visitor.say("My parcel arrived broken");
  await page.getByTestId("nav-chats").click();
  await page.getByTestId("chat-row-accept").click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("conversation-status")).toHaveText("Active");

  const agentStartedTyping = () =>
    visitor.frames.filter((frame) => frame.type === "chat:typing" && frame.typing).length;
  await page.getByTestId("composer-note-toggle").click();
  await expect(page.getByTestId("composer-note-label")).toHaveText(
    "Private note: only agents see this",
  );
  const input = page.getByTestId("composer-input");
  await input.pressSequentially("Secret: customer is a repeat refunder");
  await input.press("Enter");
  const note = conversation.locator('[data-testid="message"][data-note="true"]');
  await expect(note.getByTestId("message-text")).toHaveText(
    "Secret: customer is a repeat refunder",
  );
  await expect(note.getByTestId("message-note-label")).toHaveText("Only agents see this");
  await expect(note).toHaveCount(1);

  // A reply after the note reaches the visitor, with "typing" before it; the note, and
  // typing it, never did.
  await page.getByTestId("composer-note-toggle").click();
  await input.pressSequentially("We will send a new one today.");
  await input.press("Enter");
  await visitor.waitFor(visitorGot("We will send a new one today."));
  expect(visitor.raw.some((frame) => frame.includes("repeat refunder"))).toBe(false);
  expect(agentStartedTyping()).toBe(1);

  // It is kept: after a reload the history still has it, still marked.
  await page.reload();
  await page.getByTestId("nav-chats").click();
  await page.getByTestId("chat-tab-active").click();
  await page.getByTestId("chat-row").getByRole("button").first().click();
  await expect(note.getByTestId("message-note-label")).toBeVisible();
  visitor.close();
});

test("markup and script URLs from a visitor are shown as text in the console", async ({
  page,
  relay,
}) => {
  const { dialogs } = failOnDialog(page);
  await signInToConsole(page, relay.url);
  const visitor = await connectVisitor(relay.url, "visitor-xss-000001");
  const name = `<img src=x onerror="alert('name')">`;
  const payloads = [
    `<script>alert("script")</script>`,
    `<img src=x onerror=alert("img")>`,
    `javascript:alert(document.domain)`,
    `[click me](javascript:alert("md"))`,
    `see https://shop.example/help for help`,
  ];
  await visitor.identify({ name });
  for (const text of payloads) await visitor.say(text);

  // The toast shows them as text.
  await expect(page.getByTestId("toast").getByTestId("toast-visitor")).toHaveText(name);
  await page.getByTestId("nav-chats").click();
  await expect(page.getByTestId("chat-row-name")).toHaveText(name);
  await page.getByTestId("chat-row").getByRole("button").first().click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("message-text")).toHaveText(payloads);
  visitor.typing(`<svg onload=alert("typing")>`);
  await expect(page.getByTestId("visitor-typing-text")).toHaveText(`<svg onload=alert("typing")>`);
  await expect(conversation.getByTestId("conversation-visitor")).toHaveText(name);

  // Only the http(s) URL is a link; nothing points at javascript:.
  await expect(conversation.getByTestId("message-link")).toHaveText(["https://shop.example/help"]);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await expect(page.locator("img[src='x'], script:not([src]), svg[onload]")).toHaveCount(0);
  await page.getByTestId("message-text").filter({ hasText: "javascript:" }).first().click();
  expect(dialogs).toEqual([]);
  visitor.close();
});
