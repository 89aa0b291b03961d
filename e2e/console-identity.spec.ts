import { createHmac } from "node:crypto";
import { connectVisitor, failOnDialog } from "./console-chat.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

test("an admin reads the identity secret in Settings and makes a new one, asked twice", async ({
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  const secret = page.getByTestId("identity-secret");
  await expect(secret).toHaveValue(/^[0-9a-f]{64}$/);
  const before = await secret.inputValue();

  await page.getByTestId("identity-rotate").click();
  await expect(page.getByTestId("identity-confirm")).toContainText("within a day");
  await expect(secret).toHaveValue(before);
  await page.getByTestId("identity-rotate-confirm").click();
  await expect(secret).not.toHaveValue(before);
  await expect(secret).toHaveValue(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId("identity-previous")).toContainText("still verifies");
  await expect(page.getByTestId("identity-confirm")).toHaveCount(0);
  const after = await secret.inputValue();

  await page.reload();
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("identity-secret")).toHaveValue(after);
});

test("agents see what a visitor told about itself, a user id marked verified only when the site signed it", async ({
  page,
  relay,
}) => {
  const { dialogs } = failOnDialog(page);
  await signInToConsole(page, relay.url);
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("identity-secret")).toHaveValue(/^[0-9a-f]{64}$/);
  const secret = await page.getByTestId("identity-secret").inputValue();

  // The host's server signs Ann's user id; Bob's page only claims one.
  const ann = await connectVisitor(relay.url, "visitor-ann-identity-1");
  await ann.identify({
    name: "Ann Lee",
    email: "ann@example.com",
    phone: "+1 (555) 010-9999",
    userId: "user-42",
    userHash: createHmac("sha256", secret).update("user-42").digest("hex"),
  });
  await ann.setCustomData({
    plan: "pro",
    cartValue: 129.5,
    note: "<img src=x onerror=alert(1)>",
    link: "javascript:alert(2)",
  });
  const bob = await connectVisitor(relay.url, "visitor-bob-identity-1");
  await bob.identify({ name: "Bob Claims", phone: "call me after 5", userId: "user-7" });

  await page.getByTestId("nav-visitors").click();
  await page.getByTestId("visitor-row").filter({ hasText: "Ann Lee" }).click();
  const profile = page.getByTestId("visitor-profile");
  await expect(profile.getByTestId("profile-email")).toHaveText("ann@example.com");
  await expect(profile.getByTestId("profile-email")).toHaveAttribute(
    "href",
    "mailto:ann@example.com",
  );
  await expect(profile.getByTestId("profile-phone")).toHaveAttribute("href", "tel:+15550109999");
  await expect(profile.getByTestId("profile-user-id")).toContainText("user-42");
  await expect(profile.getByTestId("profile-user-id").locator(".identity-mark")).toHaveText(
    "Verified",
  );
  await expect(profile.getByTestId("profile-user-id")).toHaveAttribute("data-verified", "true");
  const custom = profile.getByTestId("profile-custom-data");
  await expect(custom.locator("dt")).toHaveText(["plan", "cartValue", "note", "link"]);
  await expect(custom.locator("dd")).toHaveText([
    "pro",
    "129.5",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(2)",
  ]);
  await expect(custom.locator("img, a")).toHaveCount(0);

  await page.getByTestId("visitor-row").filter({ hasText: "Bob Claims" }).click();
  await expect(profile.getByTestId("profile-user-id")).toContainText("user-7");
  await expect(profile.getByTestId("profile-user-id").locator(".identity-mark")).toHaveText(
    "Unverified",
  );
  await expect(profile.getByTestId("profile-user-id")).toHaveAttribute("data-verified", "false");
  // A phone that is no number stays text.
  await expect(profile.getByTestId("profile-phone")).toHaveText("call me after 5");
  await expect(profile.locator('[data-testid="profile-phone"][href]')).toHaveCount(0);
  await expect(profile.getByTestId("profile-custom-data")).toHaveCount(0);

  // Where the agent answers Ann, the same is at hand.
  await ann.say("Is my order on its way?");
  await page.getByTestId("nav-chats").click();
  await page.getByTestId("chat-row").getByRole("button").first().click();
  const conversation = page.getByTestId("conversation");
  await expect(conversation.getByTestId("conversation-contact-email")).toHaveAttribute(
    "href",
    "mailto:ann@example.com",
  );
  await expect(conversation.getByTestId("conversation-contact-phone")).toHaveText(
    "+1 (555) 010-9999",
  );
  await expect(conversation.getByTestId("conversation-contact-user-id")).toHaveAttribute(
    "data-verified",
    "true",
  );
  await conversation.getByTestId("conversation-custom-data-toggle").click();
  await expect(conversation.getByTestId("conversation-custom-data").locator("dd")).toHaveText([
    "pro",
    "129.5",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(2)",
  ]);
  expect(dialogs).toEqual([]);
});
