import type { ComponentChildren } from "preact";
import type { RosterEntry, VisitorContact } from "../../../protocol/agent.ts";
import { mailtoHref, telHref } from "../../format/index.ts";

/** The email a visitor gave, as a `mailto:` link (the relay checked it is an address). */
function EmailLink({ email, testId }: { email: string; testId: string }) {
  return (
    <a href={mailtoHref(email)} data-testid={testId}>
      {email}
    </a>
  );
}

/** The phone a visitor gave: a `tel:` link when it is a number, else the text as typed. */
function PhoneText({ phone, testId }: { phone: string; testId: string }) {
  const href = telHref(phone);
  if (!href) return <span data-testid={testId}>{phone}</span>;
  return (
    <a href={href} data-testid={testId}>
      {phone}
    </a>
  );
}

/**
 * The host's user id with whether the host vouched for it: anyone can call `identify` with
 * any user id, so only one signed with the site's identity secret may be trusted.
 */
function UserId({
  userId,
  verified,
  testId,
}: {
  userId: string;
  verified: boolean;
  testId: string;
}) {
  return (
    <span class="user-id" data-testid={testId} data-verified={verified}>
      {userId}
      <span
        class={`status-badge identity-mark ${verified ? "status-online" : "status-idle"}`}
        title={
          verified
            ? "Your site signed this user id with its identity secret"
            : "Not signed by your site: the visitor's own claim"
        }
      >
        {verified ? "Verified" : "Unverified"}
      </span>
    </span>
  );
}

/** One row of a facts list. */
function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * What the visitor told about itself (`identify`, the pre-chat form) as rows of a facts list:
 * email, phone and user id, each when given. Test ids are `${testId}-email`, `-phone` and
 * `-user-id`.
 */
export function ContactFacts({ contact, testId }: { contact?: VisitorContact; testId: string }) {
  if (!contact) return null;
  const { email, phone, userId, verified = false } = contact;
  return (
    <>
      {email && (
        <Fact label="Email">
          <EmailLink email={email} testId={`${testId}-email`} />
        </Fact>
      )}
      {phone && (
        <Fact label="Phone">
          <PhoneText phone={phone} testId={`${testId}-phone`} />
        </Fact>
      )}
      {userId && (
        <Fact label="User id">
          <UserId userId={userId} verified={verified} testId={`${testId}-user-id`} />
        </Fact>
      )}
    </>
  );
}

/**
 * The same contact on one line, for the conversation's header where the agent reads it while
 * answering. Test ids as {@link ContactFacts}.
 */
export function ContactLine({ contact, testId }: { contact?: VisitorContact; testId: string }) {
  if (!contact || !(contact.email || contact.phone || contact.userId)) return null;
  const { email, phone, userId, verified = false } = contact;
  return (
    <p class="contact-line" data-testid={testId}>
      {email && <EmailLink email={email} testId={`${testId}-email`} />}
      {phone && <PhoneText phone={phone} testId={`${testId}-phone`} />}
      {userId && (
        <span>
          <span class="muted">User id</span>{" "}
          <UserId userId={userId} verified={verified} testId={`${testId}-user-id`} />
        </span>
      )}
    </p>
  );
}

/**
 * The page's `setCustomData` values, keys and values as text (the page's visitor can set them
 * too), or nothing when there are none.
 */
export function CustomDataList({
  data,
  testId,
}: {
  data: RosterEntry["customData"];
  testId: string;
}) {
  const entries = Object.entries(data ?? {});
  if (entries.length === 0) return null;
  return (
    <dl class="facts custom-data" data-testid={testId}>
      {entries.map(([key, value]) => (
        <Fact key={key} label={key}>
          {String(value)}
        </Fact>
      ))}
    </dl>
  );
}
