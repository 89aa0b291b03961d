import { useStore } from "@nanostores/preact";
import { useEffect } from "preact/hooks";
import { $canned, loadCanned } from "../../stores/canned/index.ts";
import { $siteSettings, loadSiteSettings } from "../../stores/site-settings/index.ts";
import { $team, loadTeam } from "../../stores/team/index.ts";
import { BusinessHoursForm } from "../BusinessHoursForm/index.tsx";
import { CannedEditor } from "../CannedEditor/index.tsx";
import { DeleteSite } from "../DeleteSite/index.tsx";
import { IdentitySecretForm } from "../IdentitySecretForm/index.tsx";
import { InvitationRulesEditor } from "../InvitationRulesEditor/index.tsx";
import { SiteForm } from "../SiteForm/index.tsx";
import { SiteSnippet } from "../SiteSnippet/index.tsx";
import { WidgetSettingsForm } from "../WidgetSettingsForm/index.tsx";

/**
 * Admins only: the site's name, allowed origins and snippet, routing and the widget, business
 * hours, invitation rules, canned responses, the identity secret, and deleting the site.
 */
export function SettingsView() {
  const site = useStore($siteSettings);
  const canned = useStore($canned);
  const team = useStore($team);
  useEffect(() => {
    void loadSiteSettings();
    void loadCanned();
    void loadTeam();
  }, []);
  return (
    <main class="settings-view">
      {site.settings && (
        <section class="card" aria-labelledby="site-title">
          <h2 id="site-title">Site</h2>
          <p class="muted">
            The widget connects only from pages served from these origins (scheme, host and port,
            such as https://shop.example).
          </p>
          <SiteForm
            key={JSON.stringify([site.settings.name, site.settings.allowedOrigins])}
            settings={site.settings}
            state={site}
          />
          <SiteSnippet siteId={site.settings.id} />
        </section>
      )}
      <section class="card" aria-labelledby="widget-settings-title">
        <h2 id="widget-settings-title">Chat and widget</h2>
        {site.settings ? (
          <WidgetSettingsForm
            key={JSON.stringify(site.settings)}
            settings={site.settings}
            state={site}
          />
        ) : site.error ? (
          <p class="form-error" role="alert" data-testid="settings-error">
            {site.error}
          </p>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
      {site.settings && (
        <section class="card" aria-labelledby="hours-title">
          <h2 id="hours-title">Business hours</h2>
          <p class="muted">
            Outside these hours visitors get the offline form (or no widget), even while agents are
            online.
          </p>
          <BusinessHoursForm
            key={JSON.stringify(site.settings.businessHours)}
            settings={site.settings}
            state={site}
          />
        </section>
      )}
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Invitations</h2>
        <p class="muted">
          The widget invites visitors to chat when every condition of a rule holds: at most once per
          visit, never during a chat, and only while an agent is online unless the rule offers the
          offline form.
        </p>
        {site.settings && (
          <InvitationRulesEditor
            key={JSON.stringify([site.settings.invitations, site.settings.invitationStats])}
            rules={site.settings.invitations}
            stats={site.settings.invitationStats ?? {}}
            agents={team.agents}
            state={site}
          />
        )}
      </section>
      <section class="card" aria-labelledby="canned-title">
        <h2 id="canned-title">Canned responses</h2>
        <p class="muted">Agents type / and the shortcut in a chat to insert the text.</p>
        {canned.loaded ? (
          <CannedEditor key={JSON.stringify(canned.responses)} state={canned} />
        ) : canned.error ? (
          <p class="form-error" role="alert" data-testid="canned-error">
            {canned.error}
          </p>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
      {site.settings?.identitySecret !== undefined && (
        <section class="card" aria-labelledby="identity-title">
          <h2 id="identity-title">Identity verification</h2>
          <p class="muted">
            Your server signs a signed-in user's id with this secret (hex HMAC-SHA256) and the page
            passes it to{" "}
            <code>
              parley('identify', {"{"}userId, userHash{"}"})
            </code>
            : agents then see the user as verified. Keep it on your server.
          </p>
          <IdentitySecretForm settings={site.settings} state={site} />
        </section>
      )}
      {site.settings && (
        <section class="card danger-zone" aria-labelledby="delete-site-title">
          <h2 id="delete-site-title">Delete the site</h2>
          <DeleteSite siteId={site.settings.id} />
        </section>
      )}
    </main>
  );
}
