import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { AgentProfile } from "../../../protocol/agent.ts";
import type {
  InvitationConditions,
  InvitationCounts,
  InvitationRule,
  InvitationStats,
} from "../../../protocol/invitations.ts";
import {
  INVITATION_TEXT_LENGTH,
  MAX_DISMISS_DAYS,
  MAX_INVITATION_RULES,
  URL_PATTERN_LENGTH,
} from "../../../protocol/limits.ts";
import { newId } from "../../ids/index.ts";
import {
  CONDITION_LABELS,
  RULE_FIELD_LABELS,
  ruleFieldLabel,
} from "../../settings-fields/index.ts";
import { type SiteSettingsState, saveSiteSettings } from "../../stores/site-settings/index.ts";
import { SaveOutcome } from "../SaveOutcome/index.tsx";

/** Number conditions with their largest value. */
const NUMBER_CONDITIONS = [
  ["timeOnPage", 86400],
  ["engagedTime", 86400],
  ["pagesViewed", 1000],
  ["scrollDepth", 100],
] as const;

const TEXT_CONDITIONS = ["utmSource", "utmMedium", "utmCampaign", "referrer", "language"] as const;

const newRule = (): InvitationRule => ({
  id: newId(),
  name: "New rule",
  enabled: true,
  conditions: { timeOnPage: 30 },
  message: "Hi! Can we help you?",
  senderId: null,
  whenOffline: "skip",
  dismissDays: 7,
  notOnMobile: false,
});

/** A condition set, or removed when the field is emptied. */
function withCondition<K extends keyof InvitationConditions>(
  conditions: InvitationConditions,
  key: K,
  value: InvitationConditions[K] | undefined,
): InvitationConditions {
  const next = { ...conditions };
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
}

const count = (counts: InvitationCounts | undefined) =>
  `Shown ${counts?.shown ?? 0} · accepted ${counts?.accepted ?? 0} · dismissed ${counts?.dismissed ?? 0}`;

/**
 * Admins write the site's invitation rules here (every condition given must hold) and see
 * what visitors did with each rule's invitations; the list is saved as a whole.
 */
export function InvitationRulesEditor({
  rules: saved,
  stats,
  agents,
  state,
}: {
  rules: InvitationRule[];
  stats: InvitationStats;
  agents: AgentProfile[];
  state: SiteSettingsState;
}) {
  const [rules, setRules] = useState(saved);
  const change = (index: number, edit: Partial<InvitationRule>) =>
    setRules(rules.map((rule, i) => (i === index ? { ...rule, ...edit } : rule)));
  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void saveSiteSettings({ invitations: rules }, "rules");
  };
  return (
    <form class="rules-editor" onSubmit={onSubmit} data-testid="rules-editor">
      <p class="muted" data-testid="manual-stats">
        Invitations sent by agents or by the page: {count(stats.manual)}
      </p>
      {rules.length === 0 && <p class="muted">No rules yet.</p>}
      {rules.map((rule, index) => {
        const c = rule.conditions;
        const set = <K extends keyof InvitationConditions>(
          key: K,
          value: InvitationConditions[K] | undefined,
        ) => change(index, { conditions: withCondition(c, key, value) });
        const field = (name: string) => `rule-${index}-${name}`;
        return (
          <fieldset class="rule" key={rule.id} data-testid="rule">
            <legend>{rule.name}</legend>
            <p class="rule-stats" data-testid="rule-stats">
              {count(stats[rule.id])}
            </p>
            <div class="rule-grid">
              <label for={field("name")}>{RULE_FIELD_LABELS.name}</label>
              <input
                id={field("name")}
                required
                maxLength={80}
                value={rule.name}
                onInput={(event) => change(index, { name: event.currentTarget.value })}
                data-testid="rule-name"
              />
              <label for={field("message")}>{RULE_FIELD_LABELS.message}</label>
              <textarea
                id={field("message")}
                required
                rows={2}
                maxLength={INVITATION_TEXT_LENGTH}
                value={rule.message}
                onInput={(event) => change(index, { message: event.currentTarget.value })}
                data-testid="rule-message"
              />
              <label for={field("sender")}>{RULE_FIELD_LABELS.senderId}</label>
              <select
                id={field("sender")}
                onChange={(event) => change(index, { senderId: event.currentTarget.value || null })}
              >
                <option value="" selected={rule.senderId === null}>
                  Any online agent (shown as the team)
                </option>
                {agents.map((agent) => (
                  <option key={agent.id} value={agent.id} selected={rule.senderId === agent.id}>
                    {agent.name}
                  </option>
                ))}
              </select>
              {NUMBER_CONDITIONS.map(([key, max]) => (
                <>
                  <label for={field(key)}>{CONDITION_LABELS[key]}</label>
                  <input
                    id={field(key)}
                    type="number"
                    min={key === "timeOnPage" || key === "engagedTime" ? 0 : 1}
                    max={max}
                    value={c[key] ?? ""}
                    onInput={(event) => {
                      const value = event.currentTarget.value;
                      set(key, value === "" ? undefined : Number(value));
                    }}
                    data-testid={`rule-${key}`}
                  />
                </>
              ))}
              <label for={field("url-match")}>Page URL</label>
              <span class="rule-url">
                <select
                  id={field("url-match")}
                  aria-label="How the URL is matched"
                  onChange={(event) => {
                    const match = event.currentTarget.value;
                    set(
                      "url",
                      match === "wildcard" || match === "regex"
                        ? { match, pattern: c.url?.pattern ?? "*" }
                        : undefined,
                    );
                  }}
                >
                  <option value="" selected={!c.url}>
                    Any page
                  </option>
                  <option value="wildcard" selected={c.url?.match === "wildcard"}>
                    Wildcard (*)
                  </option>
                  <option value="regex" selected={c.url?.match === "regex"}>
                    Regular expression
                  </option>
                </select>
                {c.url && (
                  <input
                    aria-label={CONDITION_LABELS.url}
                    required
                    maxLength={URL_PATTERN_LENGTH}
                    value={c.url.pattern}
                    onInput={(event) =>
                      c.url && set("url", { ...c.url, pattern: event.currentTarget.value })
                    }
                    data-testid="rule-url-pattern"
                  />
                )}
              </span>
              <label for={field("visit")}>{CONDITION_LABELS.visit}</label>
              <select
                id={field("visit")}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  set("visit", value === "first" || value === "returning" ? value : undefined);
                }}
              >
                <option value="" selected={!c.visit}>
                  Any
                </option>
                <option value="first" selected={c.visit === "first"}>
                  First visit
                </option>
                <option value="returning" selected={c.visit === "returning"}>
                  Returning visitor
                </option>
              </select>
              <label for={field("device")}>{CONDITION_LABELS.device}</label>
              <select
                id={field("device")}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  set(
                    "device",
                    value === "desktop" || value === "tablet" || value === "mobile"
                      ? value
                      : undefined,
                  );
                }}
              >
                <option value="" selected={!c.device}>
                  Any
                </option>
                {(["desktop", "tablet", "mobile"] as const).map((device) => (
                  <option key={device} value={device} selected={c.device === device}>
                    {device[0]?.toUpperCase() + device.slice(1)}
                  </option>
                ))}
              </select>
              {TEXT_CONDITIONS.map((key) => (
                <>
                  <label for={field(key)}>{CONDITION_LABELS[key]}</label>
                  <input
                    id={field(key)}
                    maxLength={key === "language" ? 35 : 256}
                    value={c[key] ?? ""}
                    onInput={(event) => set(key, event.currentTarget.value.trim() || undefined)}
                    data-testid={`rule-${key}`}
                  />
                </>
              ))}
              <label for={field("dismiss-days")}>{RULE_FIELD_LABELS.dismissDays}</label>
              <input
                id={field("dismiss-days")}
                type="number"
                min={0}
                max={MAX_DISMISS_DAYS}
                required
                value={rule.dismissDays}
                onInput={(event) =>
                  change(index, { dismissDays: Number(event.currentTarget.value) || 0 })
                }
              />
              <label for={field("offline")}>{RULE_FIELD_LABELS.whenOffline}</label>
              <select
                id={field("offline")}
                onChange={(event) =>
                  change(index, {
                    whenOffline: event.currentTarget.value === "form" ? "form" : "skip",
                  })
                }
              >
                <option value="skip" selected={rule.whenOffline === "skip"}>
                  Do not invite
                </option>
                <option value="form" selected={rule.whenOffline === "form"}>
                  Invite to the offline form
                </option>
              </select>
            </div>
            <div class="rule-checks">
              <label>
                <input
                  type="checkbox"
                  checked={c.exitIntent === true}
                  onChange={(event) =>
                    set("exitIntent", event.currentTarget.checked ? true : undefined)
                  }
                />{" "}
                {CONDITION_LABELS.exitIntent}
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={rule.notOnMobile}
                  onChange={(event) => change(index, { notOnMobile: event.currentTarget.checked })}
                />{" "}
                {RULE_FIELD_LABELS.notOnMobile}
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={rule.enabled}
                  onChange={(event) => change(index, { enabled: event.currentTarget.checked })}
                  data-testid="rule-enabled"
                />{" "}
                {RULE_FIELD_LABELS.enabled}
              </label>
              <button
                type="button"
                class="quiet"
                onClick={() => setRules(rules.filter((_, i) => i !== index))}
                data-testid="rule-remove"
              >
                Remove rule
              </button>
            </div>
          </fieldset>
        );
      })}
      <div class="canned-actions">
        <button
          type="button"
          disabled={rules.length >= MAX_INVITATION_RULES}
          onClick={() => setRules([...rules, newRule()])}
          data-testid="rule-add"
        >
          Add a rule
        </button>
        <button type="submit" class="primary" disabled={state.saving} data-testid="rules-save">
          {state.saving ? "Saving…" : "Save rules"}
        </button>
      </div>
      {state.form === "rules" && (
        <SaveOutcome state={state} testId="rules" fieldLabel={ruleFieldLabel} />
      )}
    </form>
  );
}
