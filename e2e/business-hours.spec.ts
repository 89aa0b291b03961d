import { expect, signInToConsole, test } from "./fixtures.ts";
import { NO_PRECHAT, setWidgetSettings, watchWidget } from "./widget-page.ts";

test("outside business hours the widget shows the offline form though an agent is online", async ({
  browser,
  relay,
}) => {
  await setWidgetSettings(relay.url, { prechat: NO_PRECHAT });
  const admin = await (await browser.newContext()).newPage();
  await signInToConsole(admin, relay.url);
  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${relay.url}/demo/`);
  await widget.open();
  await expect(widget.composer).toBeVisible();
  await expect(widget.window.getByTestId("offline-form")).toHaveCount(0);

  // The admin turns business hours on with every day closed.
  await admin.getByTestId("nav-settings").click();
  const hours = admin.getByTestId("hours-form");
  await hours.getByTestId("hours-enabled").check();
  await hours.getByTestId("hours-time-zone").fill("Europe/Lisbon");
  for (const day of ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) {
    await hours.getByTestId(`hours-${day}`).fill("");
  }
  await hours.getByTestId("hours-save").click();
  await expect(admin.getByTestId("hours-saved")).toBeVisible();
  await expect(admin.getByTestId("hours-closed")).toHaveText("Outside business hours");

  // The visitor's open window switches to the form, and a new visitor gets it at once.
  await expect(widget.window.getByTestId("offline-form")).toBeVisible();
  const later = await watchWidget(await (await browser.newContext()).newPage());
  await later.page.goto(`${relay.url}/demo/`);
  await later.open();
  await expect(later.window.getByTestId("offline-form")).toBeVisible();

  // A typo is refused with a clear message; turning hours off opens the chat again.
  await hours.getByTestId("hours-mon").fill("9-17");
  await hours.getByTestId("hours-save").click();
  await expect(admin.getByTestId("hours-error")).toContainText('Monday: "9-17"');
  await hours.getByTestId("hours-mon").fill("09:00-17:00");
  await hours.getByTestId("hours-enabled").uncheck();
  await hours.getByTestId("hours-save").click();
  await expect(later.window.getByTestId("offline-form")).toHaveCount(0);
  await expect(later.composer).toBeVisible();
  await expect(admin.getByTestId("hours-closed")).toHaveCount(0);
});
