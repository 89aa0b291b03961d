import { offlineMessages } from "./agent-client.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";
import { fillOfflineForm, setWidgetSettings, watchWidget } from "./widget-page.ts";

test("a chat ignored through every escalation round is missed, and the visitor gets the offline form", async ({
  browser,
  relay,
}) => {
  await setWidgetSettings(relay.url, {
    prechat: { name: "off", email: "off", phone: "off" },
  });
  const agent = await (await browser.newContext()).newPage();
  await signInToConsole(agent, relay.url);
  await agent.getByTestId("nav-chats").click();

  const widget = await watchWidget(await (await browser.newContext()).newPage());
  await widget.page.goto(`${relay.url}/demo/`);
  await widget.open();
  await widget.send("Is anyone there?");
  await expect(widget.messages).toHaveCount(1);

  const toast = agent.getByTestId("toast");
  for (const round of ["1", "2", "3"]) {
    await expect(agent.getByTestId("chat-row")).toHaveAttribute("data-round", round);
    await toast.getByTestId("toast-ignore").click();
  }

  const form = widget.window.getByTestId("offline-form");
  await expect(form).toContainText("Sorry we missed you");
  await fillOfflineForm(widget, {
    name: "Bo Chen",
    email: "bo@example.com",
    message: "Please call me back about my order.",
  });
  await form.getByRole("button", { name: "Send message" }).click();
  await expect(widget.window.getByTestId("offline-sent")).toBeVisible();

  expect(await offlineMessages(relay.url)).toMatchObject([
    { email: "bo@example.com", text: "Please call me back about my order." },
  ]);
});
