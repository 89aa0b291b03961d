import type { Weekday } from "../../protocol/business-hours.ts";
import type { InvitationConditions, InvitationRule } from "../../protocol/invitations.ts";

/*
 * The Settings forms' field labels, and the relay's refusals put in their words. The relay
 * says where a problem is with its validator's path ("businessHours.days.mon.0: a range ends
 * after it starts"); an admin knows the field by the label beside it ("Monday").
 */

/** A field's label from the relay's path (split at its dots), or null when it is not the form's. */
export type FieldLabeler = (path: readonly string[]) => string | null;

/** "path.to.field: problem", as the relay's validator words a refusal. */
const PATH_AND_PROBLEM = /^([\w$-]+(?:\.[\w$-]+)*): (.+)$/s;

/**
 * The relay's refusal with its path replaced by the field's label; as it came when it names no
 * path, or one the form does not know.
 *
 * @example nameRefusedField("businessHours.timeZone: an IANA time zone", hoursFieldLabel)
 *   // "Time zone: an IANA time zone"
 */
export function nameRefusedField(message: string, labelOf: FieldLabeler): string {
  const match = PATH_AND_PROBLEM.exec(message);
  const label = match?.[1] ? labelOf(match[1].split(".")) : null;
  return label ? `${label}: ${match?.[2]}` : message;
}

export const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** The label `labels` gives `key`, or null when `key` is none of its own. */
const labelIn = <K extends string>(labels: Readonly<Record<K, string>>, key: string | undefined) =>
  key !== undefined && Object.hasOwn(labels, key) ? labels[key as K] : null;

/**
 * Business hours' fields: "Time zone", or the day ("Monday") for anything about its ranges.
 * @example hoursFieldLabel(["businessHours", "days", "mon", "0"]) // "Monday"
 */
export const hoursFieldLabel: FieldLabeler = ([group, field, day]) => {
  if (group !== "businessHours") return null;
  if (field === "timeZone") return "Time zone";
  return (field === "days" && labelIn(DAY_NAMES, day)) || "Business hours";
};

/**
 * The site form's fields: "Site name", or the line of an allowed origin.
 * @example siteFieldLabel(["allowedOrigins", "1"]) // "Allowed origins, line 2"
 */
export const siteFieldLabel: FieldLabeler = ([field, index]) => {
  if (field === "name") return "Site name";
  if (field === "retentionDays") return "Keep visitors' data for (days)";
  if (field !== "allowedOrigins") return null;
  return index === undefined ? "Allowed origins" : `Allowed origins, line ${Number(index) + 1}`;
};

/** An invitation rule's own fields, as the rules editor labels them. */
export const RULE_FIELD_LABELS: Readonly<
  Record<Exclude<keyof InvitationRule, "id" | "conditions">, string>
> = {
  name: "Name",
  message: "Message",
  senderId: "Sender",
  dismissDays: "Quiet days after a dismissal",
  whenOffline: "When nobody is online",
  notOnMobile: "Not on phones",
  enabled: "Enabled",
};

/** A rule's conditions, as the rules editor labels them. */
export const CONDITION_LABELS: Readonly<Record<keyof InvitationConditions, string>> = {
  timeOnPage: "Seconds on the page, at least",
  engagedTime: "Engaged seconds on the site this visit, at least",
  pagesViewed: "Pages viewed this visit, at least",
  scrollDepth: "Scrolled down the page, % at least",
  url: "URL pattern",
  visit: "Visit",
  device: "Device",
  exitIntent: "Only when about to leave (exit intent)",
  utmSource: "UTM source",
  utmMedium: "UTM medium",
  utmCampaign: "UTM campaign",
  referrer: "Referrer domain, search engine, or “search”",
  language: "Browser language (e.g. es)",
};

/**
 * The rules' fields, each with its rule's place in the editor (1 is the first).
 * @example ruleFieldLabel(["invitations", "0", "conditions", "url"]) // "Rule 1, URL pattern"
 */
export const ruleFieldLabel: FieldLabeler = ([group, index, field, condition]) => {
  if (group !== "invitations") return null;
  if (index === undefined || !/^\d+$/.test(index)) return "Invitation rules";
  const rule = `Rule ${Number(index) + 1}`;
  const label =
    field === "conditions"
      ? labelIn(CONDITION_LABELS, condition)
      : labelIn(RULE_FIELD_LABELS, field);
  return label ? `${rule}, ${label}` : rule;
};
