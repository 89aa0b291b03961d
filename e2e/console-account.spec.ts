import type { Page } from "@playwright/test";
import { DEMO } from "../relay/demo-site.ts";
import { expect, signInToConsole, test } from "./fixtures.ts";

/** An admin's console adds an agent in Team (and stays there). */
async function addAgentInTeam(
  page: Page,
  agent: { email: string; name: string; password: string },
): Promise<void> {
  await page.getByTestId("nav-team").click();
  await page.getByTestId("new-agent-email").fill(agent.email);
  await page.getByTestId("new-agent-name").fill(agent.name);
  await page.getByTestId("new-agent-password").fill(agent.password);
  await page.getByTestId("new-agent-submit").click();
  await expect(page.getByTestId("new-agent-added")).toHaveText(`Added ${agent.name}.`);
}

test("an agent changes their password in Account: their other sessions end, this one goes on, the old password no longer signs in", async ({
  browser,
  page,
  relay,
}) => {
  const elsewhere = await (await browser.newContext()).newPage();
  await signInToConsole(elsewhere, relay.url);
  await signInToConsole(page, relay.url);

  await page.getByTestId("agent-name").click();
  const change = async (current: string, next: string, repeat = next) => {
    await page.getByLabel("Current").fill(current);
    await page.getByLabel("New", { exact: true }).fill(next);
    await page.getByLabel("New, again").fill(repeat);
    await page.getByTestId("password-submit").click();
  };
  await change("not-the-password", "a-new-password");
  await expect(page.getByTestId("password-error")).toHaveText("The current password is not right.");
  await change(DEMO.password, "a-new-password", "a-new-passwort");
  await expect(page.getByTestId("password-error")).toHaveText("The new passwords differ.");
  await change(DEMO.password, "a-new-password");
  await expect(page.getByTestId("password-saved")).toBeVisible();

  // The other console is signed out; this one stays live, and its next request is accepted.
  await expect(elsewhere.getByTestId("login-submit")).toBeVisible();
  await expect(
    page.locator('[data-testid="connection-status"][data-state="connected"]'),
  ).toBeVisible();
  await page.getByTestId("nav-visitors").click();
  await page.reload();
  await expect(page.getByTestId("agent-name")).toHaveText(DEMO.name);
  await expect(
    page.locator('[data-testid="connection-status"][data-state="connected"]'),
  ).toBeVisible();

  await page.getByTestId("logout").click();
  await page.getByTestId("login-email").fill(DEMO.email);
  await page.getByTestId("login-password").fill(DEMO.password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await signInToConsole(page, relay.url, { email: DEMO.email, password: "a-new-password" });
  await expect(page.getByTestId("agent-name")).toHaveText(DEMO.name);
});

test("an admin adds an agent in Team, then sets their password: the agent's open console signs out, the new password signs in", async ({
  browser,
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await addAgentInTeam(page, { email: "ana@parley.test", name: "Ana", password: "first-password" });
  await expect(page.getByTestId("team-agent")).toHaveCount(2);

  const ana = await (await browser.newContext()).newPage();
  await signInToConsole(ana, relay.url, { email: "ana@parley.test", password: "first-password" });

  await page.getByTestId("agent-password-agent").selectOption({ label: "Ana (ana@parley.test)" });
  await page.getByTestId("agent-password-new").fill("set-by-admin");
  await page.getByTestId("agent-password-submit").click();
  await expect(page.getByTestId("agent-password-saved")).toBeVisible();

  await expect(ana.getByTestId("login-submit")).toBeVisible();
  await signInToConsole(ana, relay.url, { email: "ana@parley.test", password: "set-by-admin" });
  await expect(ana.getByTestId("agent-name")).toHaveText("Ana");
});

test("an admin makes an agent an admin in Team and back: the agent's open console follows without signing in again", async ({
  browser,
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await addAgentInTeam(page, { email: "bo@parley.test", name: "Bo", password: "bo-password" });

  const bo = await (await browser.newContext()).newPage();
  await signInToConsole(bo, relay.url, { email: "bo@parley.test", password: "bo-password" });
  await expect(bo.getByTestId("nav-team")).toHaveCount(0);

  const role = page.getByLabel("Role of Bo");
  await role.selectOption("admin");
  await expect(bo.getByTestId("nav-team")).toBeVisible();
  // Bo's token was signed when Bo was an agent: the relay goes by the role stored now.
  await bo.getByTestId("nav-team").click();
  await expect(bo.getByTestId("team-agent")).toHaveCount(2);
  await expect(bo.getByLabel("Role of Demo Admin")).toHaveValue("admin");

  await role.selectOption("agent");
  await expect(bo.getByTestId("nav-team")).toHaveCount(0);
  await expect(bo.getByTestId("visitor-list")).toBeVisible();
  // Reloaded, the Team page lists what the relay stored.
  await page.reload();
  await page.getByTestId("nav-team").click();
  await expect(page.getByLabel("Role of Bo")).toHaveValue("agent");
  await expect(page.getByTestId("team-error")).toHaveCount(0);
});

test("an admin removes an agent in Team, confirmed first: the agent's open console signs out and their password no longer signs in", async ({
  browser,
  page,
  relay,
}) => {
  await signInToConsole(page, relay.url);
  await addAgentInTeam(page, { email: "cy@parley.test", name: "Cy", password: "cy-password" });
  const cy = await (await browser.newContext()).newPage();
  await signInToConsole(cy, relay.url, { email: "cy@parley.test", password: "cy-password" });

  await page.getByTestId("remove-agent-agent").selectOption({ label: "Cy (cy@parley.test)" });
  await page.getByTestId("remove-agent-submit").click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("team-agent")).toHaveCount(2);
  await page.getByTestId("remove-agent-submit").click();
  await page.getByTestId("remove-agent-confirm").click();
  await expect(page.getByTestId("remove-agent-removed")).toHaveText("Removed Cy.");
  await expect(page.getByTestId("team-agent")).toHaveCount(1);

  await expect(cy.getByTestId("login-submit")).toBeVisible();
  await cy.getByTestId("login-email").fill("cy@parley.test");
  await cy.getByTestId("login-password").fill("cy-password");
  await cy.getByTestId("login-submit").click();
  await expect(cy.getByTestId("login-error")).toHaveText("Wrong email or password.");
});
