import { connectVisitor, visitorGot } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

test("an admin writes canned responses; an agent inserts one by typing / in a chat", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  const editor = page.getByTestId("canned-editor");
  const returns = "You can return any item within 30 days, free of charge.";
  const hello = "Hello! How can I help you today?";
  for (const [shortcut, text] of [
    ["returns", returns],
    ["hello", hello],
  ] as const) {
    await editor.getByTestId("canned-add").click();
    await editor.getByTestId("canned-shortcut").last().fill(shortcut);
    await editor.getByTestId("canned-text").last().fill(text);
  }
  await editor.getByTestId("canned-save").click();
  await expect(page.getByTestId("canned-saved")).toBeVisible();

  const visitor = await connectVisitor(relay.url, "visitor-canned-001");
  await visitor.say("Can I send the shoes back?");
  await page.getByTestId("nav-chats").click();
  await page.getByTestId("chat-row-accept").click();

  // "/re" lists the matching response; Enter inserts it, the next Enter sends it.
  const input = page.getByTestId("composer-input");
  await input.click();
  await input.pressSequentially("/re");
  const picker = page.getByTestId("canned-picker");
  await expect(picker.getByTestId("canned-option")).toHaveCount(1);
  await expect(picker.getByTestId("canned-option")).toHaveAttribute("data-shortcut", "returns");
  await input.press("Enter");
  await expect(input).toHaveValue(returns);
  await expect(picker).toHaveCount(0);
  await input.press("Enter");
  await visitor.waitFor(visitorGot(returns));

  // A click inserts too, after text already typed.
  await input.pressSequentially("Sure. /");
  await expect(picker.getByTestId("canned-option")).toHaveCount(2);
  await picker.locator('[data-shortcut="hello"]').click();
  await expect(input).toHaveValue(`Sure. ${hello}`);
  visitor.close();
});

test("an admin changes routing and the widget in Settings, and they stay changed", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("settings-routing").selectOption("auto");
  await page.getByTestId("settings-greeting").fill("Welcome to the shop!");
  await page.getByTestId("settings-prechat-email").selectOption("required");
  await page.getByTestId("settings-when-offline").selectOption("hide");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-saved")).toBeVisible();

  await page.reload();
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("settings-routing")).toHaveValue("auto");
  await expect(page.getByTestId("settings-greeting")).toHaveValue("Welcome to the shop!");
  await expect(page.getByTestId("settings-prechat-email")).toHaveValue("required");
  await expect(page.getByTestId("settings-when-offline")).toHaveValue("hide");
});
