import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { InvitationRulesSchema, type VisitorInvitationRule } from "../../protocol/invitations.ts";
import {
  conditionsHold,
  type InvitationSituation,
  invitationAllowed,
  referrerMatches,
  urlMatches,
  type VisitorFacts,
} from "./evaluate.ts";

const facts: VisitorFacts = {
  url: "https://shop.test/products/lamp.html?color=red",
  secondsOnPage: 12,
  engagedSeconds: 40,
  pagesViewed: 3,
  visitNumber: 1,
  scrollDepth: 55,
  exitIntent: false,
  utm: { source: "newsletter", medium: "email", campaign: "Fall" },
  referrer: "news.example.com",
  device: "desktop",
  language: "es-MX",
};

describe("urlMatches", () => {
  const wildcard = (pattern: string, url = facts.url) =>
    urlMatches(url, { match: "wildcard", pattern });

  it("matches a wildcard against the whole URL", () => {
    expect(wildcard("https://shop.test/products/*")).toBe(true);
    expect(wildcard("https://shop.test/cart*")).toBe(false);
  });

  it("matches a wildcard starting with / against the path and query, whatever the case", () => {
    expect(wildcard("/products/*.html*")).toBe(true);
    expect(wildcard("/PRODUCTS/LAMP.HTML?color=red")).toBe(true);
    expect(wildcard("/products")).toBe(false);
  });

  it("takes every other character of a wildcard literally", () => {
    expect(wildcard("/products/lamp.html?color=red")).toBe(true);
    expect(wildcard("/products/lampxhtml?color=red")).toBe(false);
  });

  it("searches a regular expression anywhere in the URL", () => {
    expect(urlMatches(facts.url, { match: "regex", pattern: "lamp|chair" })).toBe(true);
    expect(urlMatches(facts.url, { match: "regex", pattern: "^/products" })).toBe(false);
  });

  it("matches nothing with a pattern that does not compile", () => {
    expect(urlMatches(facts.url, { match: "regex", pattern: "(" })).toBe(false);
  });
});

describe("referrerMatches", () => {
  it("takes a domain with its subdomains, not a longer name", () => {
    expect(referrerMatches("example.com", "news.example.com")).toBe(true);
    expect(referrerMatches("www.example.com", "example.com")).toBe(true);
    expect(referrerMatches("example.com", "notexample.com")).toBe(false);
  });

  it("takes a search engine by name, or any with `search`", () => {
    expect(referrerMatches("google", "google.co.uk")).toBe(true);
    expect(referrerMatches("search", "duckduckgo.com")).toBe(true);
    expect(referrerMatches("bing", "google.com")).toBe(false);
    expect(referrerMatches("search", "facebook.com")).toBe(false);
  });

  it("never matches a direct visit", () => {
    expect(referrerMatches("search", undefined)).toBe(false);
  });
});

describe("conditionsHold", () => {
  it("holds at once for a rule without conditions", () => {
    expect(conditionsHold({}, facts)).toBe(true);
  });

  it.each([
    [{ timeOnPage: 12 }, { timeOnPage: 13 }],
    [{ engagedTime: 40 }, { engagedTime: 41 }],
    [{ pagesViewed: 3 }, { pagesViewed: 4 }],
    [{ scrollDepth: 50 }, { scrollDepth: 60 }],
    [{ visit: "first" as const }, { visit: "returning" as const }],
    [{ utmCampaign: "fall" }, { utmCampaign: "spring" }],
    [{ utmSource: "Newsletter", utmMedium: "email" }, { utmMedium: "cpc" }],
    [{ referrer: "example.com" }, { referrer: "search" }],
    [{ device: "desktop" as const }, { device: "mobile" as const }],
    [{ language: "es" }, { language: "en" }],
    [{ url: { match: "wildcard" as const, pattern: "*lamp*" } }, { exitIntent: true as const }],
  ])("holds for %o and not for %o", (holding, failing) => {
    expect(conditionsHold(holding, facts)).toBe(true);
    expect(conditionsHold(failing, facts)).toBe(false);
  });

  it("needs every condition given", () => {
    expect(conditionsHold({ timeOnPage: 10, scrollDepth: 50 }, facts)).toBe(true);
    expect(conditionsHold({ timeOnPage: 10, scrollDepth: 90 }, facts)).toBe(false);
  });

  it("takes exit intent once the visitor showed it", () => {
    expect(conditionsHold({ exitIntent: true }, { ...facts, exitIntent: true })).toBe(true);
  });

  it("has no UTM campaign to match on a visit without one", () => {
    expect(conditionsHold({ utmCampaign: "fall" }, { ...facts, utm: {} })).toBe(false);
  });
});

describe("invitationAllowed", () => {
  const rule: VisitorInvitationRule = {
    id: "rule-0001",
    conditions: {},
    message: "Hi",
    sender: null,
    whenOffline: "skip",
    dismissDays: 7,
    notOnMobile: false,
  };
  const now = Date.UTC(2026, 0, 10);
  const day = 24 * 60 * 60 * 1000;
  const situation: InvitationSituation = {
    online: true,
    offlineForm: true,
    chatUnderWay: false,
    device: "desktop",
    visitId: "visit-0002",
    memory: {},
    now,
  };

  it("lets a rule show while an agent is online", () => {
    expect(invitationAllowed(rule, situation)).toBe(true);
  });

  it("never shows during a chat", () => {
    expect(invitationAllowed(rule, { ...situation, chatUnderWay: true })).toBe(false);
  });

  it("shows at most once per visit", () => {
    const memory = { shownInVisit: "visit-0002" };
    expect(invitationAllowed(rule, { ...situation, memory })).toBe(false);
    expect(invitationAllowed(rule, { ...situation, memory: { shownInVisit: "visit-0001" } })).toBe(
      true,
    );
  });

  it("stays quiet for the rule's days after a dismissal", () => {
    const within = { dismissedAt: now - 6 * day };
    const after = { dismissedAt: now - 8 * day };
    expect(invitationAllowed(rule, { ...situation, memory: within })).toBe(false);
    expect(invitationAllowed(rule, { ...situation, memory: after })).toBe(true);
    expect(invitationAllowed({ ...rule, dismissDays: 0 }, { ...situation, memory: within })).toBe(
      true,
    );
  });

  it("skips phones when the rule says so", () => {
    const phone = { ...situation, device: "mobile" as const };
    expect(invitationAllowed({ ...rule, notOnMobile: true }, phone)).toBe(false);
    expect(invitationAllowed(rule, phone)).toBe(true);
  });

  it("with nobody online, shows only a rule that offers the offline form, where the site has one", () => {
    const offline = { ...situation, online: false };
    const form = { ...rule, whenOffline: "form" as const };
    expect(invitationAllowed(rule, offline)).toBe(false);
    expect(invitationAllowed(form, offline)).toBe(true);
    expect(invitationAllowed(form, { ...offline, offlineForm: false })).toBe(false);
    expect(invitationAllowed(form, { ...situation, online: undefined })).toBe(false);
  });
});

describe("InvitationRulesSchema (checked by the relay)", () => {
  const valid = {
    id: "rule-0001",
    name: "Lamp shoppers",
    enabled: true,
    conditions: { url: { match: "regex", pattern: "lamp" } },
    message: "Questions about lamps?",
    senderId: null,
    whenOffline: "skip",
    dismissDays: 7,
    notOnMobile: false,
  };

  it("takes a valid rule", () => {
    expect(v.safeParse(InvitationRulesSchema, [valid]).success).toBe(true);
  });

  it("refuses a regular expression that does not compile, or is too long", () => {
    const broken = { ...valid, conditions: { url: { match: "regex", pattern: "([a-z]" } } };
    const long = { ...valid, conditions: { url: { match: "regex", pattern: "a".repeat(201) } } };
    expect(v.safeParse(InvitationRulesSchema, [broken]).success).toBe(false);
    expect(v.safeParse(InvitationRulesSchema, [long]).success).toBe(false);
  });

  it("refuses more than 20 rules, two with one id, and an empty message", () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...valid, id: `rule-${1000 + i}` }));
    expect(v.safeParse(InvitationRulesSchema, many).success).toBe(false);
    expect(v.safeParse(InvitationRulesSchema, [valid, valid]).success).toBe(false);
    expect(v.safeParse(InvitationRulesSchema, [{ ...valid, message: "  " }]).success).toBe(false);
  });
});
