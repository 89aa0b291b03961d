import { describe, expect, it } from "vitest";
import { hoursFieldLabel, nameRefusedField, ruleFieldLabel, siteFieldLabel } from "./index.ts";

describe("nameRefusedField", () => {
  it("names business hours' fields as the form labels them", () => {
    expect(
      nameRefusedField("businessHours.days.mon.0: a range ends after it starts", hoursFieldLabel),
    ).toBe("Monday: a range ends after it starts");
    expect(
      nameRefusedField(
        "businessHours.days.sun.1.to: a time is HH:MM, 00:00 to 24:00",
        hoursFieldLabel,
      ),
    ).toBe("Sunday: a time is HH:MM, 00:00 to 24:00");
    expect(
      nameRefusedField(
        "businessHours.timeZone: an IANA time zone, e.g. Europe/Lisbon",
        hoursFieldLabel,
      ),
    ).toBe("Time zone: an IANA time zone, e.g. Europe/Lisbon");
  });

  it("names a rule by its place in the editor, and its field", () => {
    expect(
      nameRefusedField(
        "invitations.0.conditions.url: the URL pattern is not a valid regular expression",
        ruleFieldLabel,
      ),
    ).toBe("Rule 1, URL pattern: the URL pattern is not a valid regular expression");
    expect(
      nameRefusedField("invitations.2.message: an invitation needs a message", ruleFieldLabel),
    ).toBe("Rule 3, Message: an invitation needs a message");
    expect(
      nameRefusedField("invitations.1.conditions.scrollDepth: Invalid value", ruleFieldLabel),
    ).toBe("Rule 2, Scrolled down the page, % at least: Invalid value");
    expect(nameRefusedField("invitations: a site has at most 20 rules", ruleFieldLabel)).toBe(
      "Invitation rules: a site has at most 20 rules",
    );
  });

  it("names the site's name, and an allowed origin by its line", () => {
    const problem = "an origin is scheme://host[:port] with no path";
    expect(nameRefusedField(`allowedOrigins.1: ${problem}`, siteFieldLabel)).toBe(
      `Allowed origins, line 2: ${problem}`,
    );
    expect(nameRefusedField("allowedOrigins: at most 100", siteFieldLabel)).toBe(
      "Allowed origins: at most 100",
    );
    expect(nameRefusedField("name: a name is 1 to 80 characters", siteFieldLabel)).toBe(
      "Site name: a name is 1 to 80 characters",
    );
    expect(nameRefusedField("widget.color: x", siteFieldLabel)).toBe("widget.color: x");
  });

  it("never shows a path: an unknown field of the form is named by the form's part", () => {
    expect(nameRefusedField("businessHours.days.funday: Invalid key", hoursFieldLabel)).toBe(
      "Business hours: Invalid key",
    );
    expect(nameRefusedField("businessHours.days.constructor: x", hoursFieldLabel)).toBe(
      "Business hours: x",
    );
    expect(nameRefusedField("invitations.4.toString: x", ruleFieldLabel)).toBe("Rule 5: x");
  });

  it("leaves other messages as the relay or the form put them", () => {
    expect(nameRefusedField("Only admins can do that.", hoursFieldLabel)).toBe(
      "Only admins can do that.",
    );
    expect(nameRefusedField("widget.color: a colour is #rrggbb", ruleFieldLabel)).toBe(
      "widget.color: a colour is #rrggbb",
    );
    expect(
      nameRefusedField('Monday: "9-17" is not a range such as 09:00-17:00.', hoursFieldLabel),
    ).toBe('Monday: "9-17" is not a range such as 09:00-17:00.');
  });
});
