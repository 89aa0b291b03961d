/**
 * `npm run site -- --id shop --name "My shop" --origin https://shop.example --email me@shop.example`
 * creates a site and its first admin in the relay's database (PARLEY_DB), with the relay
 * stopped, and prints the admin's password and the site's snippet; `npm run site -- --delete
 * --id shop` deletes a site. With `--relay URL` it asks the running relay at URL instead (a node
 * relay or the Cloudflare host), signing a site token with PARLEY_SECRET, or with the secret in
 * PARLEY_DB when that is not set.
 */
import { parseArgs } from "node:util";
import { snippet } from "../../../protocol/snippet.ts";
import { configureLog } from "../../log.ts";
import { databasePath } from "./paths.ts";
import {
  createSite,
  createSiteOnRelay,
  deleteSite,
  deleteSiteOnRelay,
  SiteCommandError,
  storedRelaySecret,
} from "./sites.ts";

const usage = `Usage: npm run site -- --id SITE_ID --name "Site name" --origin https://your.site \\
         [--origin https://www.your.site ...] --email you@your.site [--admin "Your name"] \\
         [--relay https://your.relay]
       npm run site -- --delete --id SITE_ID [--relay https://your.relay]

Creates a site and its first admin in the relay's database (PARLEY_DB), with the relay stopped;
or, with --relay, through the relay running at that URL, signing with PARLEY_SECRET (by default
the secret a node relay keeps in PARLEY_DB). With --delete, deletes the site for good: its
agents' accounts, settings and visitors' data; its id is never given to a new site.`;

// The command says itself what it refused; the rooms' log lines would only repeat it.
configureLog({ level: "error" });

try {
  const { values } = parseArgs({
    options: {
      id: { type: "string" },
      name: { type: "string" },
      origin: { type: "string", multiple: true },
      email: { type: "string" },
      admin: { type: "string" },
      relay: { type: "string" },
      delete: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (values.relay && !/^https?:\/\/[^/?#]+\/?$/.test(values.relay)) {
    throw new SiteCommandError(
      `--relay takes the relay's origin, such as https://chat.your.site, not ${values.relay}`,
    );
  }
  if (values.delete) {
    if (!values.id) throw new SiteCommandError(`--id missing\n\n${usage}`);
    await (values.relay
      ? deleteSiteOnRelay(values.relay, relaySecret(), values.id)
      : deleteSite(databasePath(), values.id));
    console.log(`Deleted the site "${values.id}": its agents are signed out and its visitors refused.
Its visitors' data is being deleted by the relay${values.relay ? "" : " once it runs (npm start)"}.`);
  } else {
    const { id, name, origin, email } = values;
    if (!id || !name || !origin || !email) {
      const missing = Object.entries({ id, name, origin, email })
        .filter(([, value]) => !value)
        .map(([option]) => `--${option}`);
      throw new SiteCommandError(`${missing.join(", ")} missing\n\n${usage}`);
    }
    const site = {
      id,
      name,
      allowedOrigins: origin,
      admin: { email, name: values.admin ?? "Admin" },
    };
    const { password } = values.relay
      ? await createSiteOnRelay(values.relay, relaySecret(), site)
      : await createSite(databasePath(), site);
    // The relay's public origin when it is known; else a placeholder for the site owner to fill.
    const relayOrigin =
      (values.relay && new URL(values.relay).origin) ||
      process.env.PARLEY_PUBLIC_URL?.replace(/\/$/, "") ||
      "https://RELAY_HOST";
    console.log(`Created the site "${id}" (${name}) for ${origin.join(", ")}.

  Admin login  ${email} / ${password}
               (shown only now: change it in the console, your name at the top right)
  Snippet      ${snippet(id, relayOrigin)}

${values.relay ? "Sign in" : "Start the relay (npm start) and sign in"} to the agent console at /agent/.`);
  }
} catch (error) {
  const known =
    error instanceof SiteCommandError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  const action = process.argv.includes("--delete") ? "delete" : "create";
  console.error(`Parley could not ${action} the site: ${known ? (error as Error).message : error}`);
  process.exit(1);
}

/** What `--relay` signs with: PARLEY_SECRET, else the secret of the node relay on PARLEY_DB. */
function relaySecret(): string {
  const secret = process.env.PARLEY_SECRET || storedRelaySecret(databasePath());
  if (!secret) {
    throw new SiteCommandError(
      `Set PARLEY_SECRET to the relay's secret (a node relay keeps it in ${databasePath()}, which has none)`,
    );
  }
  return secret;
}
