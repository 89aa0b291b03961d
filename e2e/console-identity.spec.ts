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
