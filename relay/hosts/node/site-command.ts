/**
 * `npm run site -- --id shop --name "My shop" --origin https://shop.example --email me@shop.example`
 * creates a site and its first admin in the relay's database (PARLEY_DB), with the relay
 * stopped, and prints the admin's password and the site's snippet.
 */
import { parseArgs } from "node:util";
import { snippet } from "../../../protocol/snippet.ts";
import { configureLog } from "../../log.ts";
import { createSite, SiteNotCreatedError } from "./create-site.ts";
import { databasePath } from "./paths.ts";

const usage = `Usage: npm run site -- --id SITE_ID --name "Site name" --origin https://your.site \\
         [--origin https://www.your.site ...] --email you@your.site [--admin "Your name"]

Creates a site and its first admin in the relay's database (PARLEY_DB); stop the relay first.`;

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
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const { id, name, origin, email } = values;
  if (!id || !name || !origin || !email) {
    const missing = Object.entries({ id, name, origin, email })
      .filter(([, value]) => !value)
      .map(([option]) => `--${option}`);
    throw new SiteNotCreatedError(`${missing.join(", ")} missing\n\n${usage}`);
  }
  // The relay's public origin when it is set; else a placeholder for the site owner to fill.
  const relayOrigin = process.env.PARLEY_PUBLIC_URL?.replace(/\/$/, "") || "https://RELAY_HOST";
  const { password } = await createSite(databasePath(), {
    id,
    name,
    allowedOrigins: origin,
    admin: { email, name: values.admin ?? "Admin" },
  });
  console.log(`Created the site "${id}" (${name}) for ${origin.join(", ")}.

  Admin login  ${email} / ${password}
               (shown only now: change it in the console, your name at the top right)
  Snippet      ${snippet(id, relayOrigin)}

Start the relay (npm start) and sign in to the agent console at /agent/.`);
} catch (error) {
  const known =
    error instanceof SiteNotCreatedError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(`Parley could not create the site: ${known ? (error as Error).message : error}`);
  process.exit(1);
}
