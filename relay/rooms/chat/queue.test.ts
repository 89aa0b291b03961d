import { describe, expect, it } from "vitest";
import type { ChatAuthor, ChatMessage } from "../../../protocol/index.ts";
import {
  accept,
  agentsReadSeq,
  decline,
  ESCALATION_ROUNDS,
  expire,
  ignore,
  invite,
  join,
  markRead,
  newChat,
  pickAssignee,
  type QueueContext,
  type QueuedChat,
  REQUEST_ROUND_MS,
  receiveVisitorMessages,
  recordMessages,
  removeAgent,
  resolve,
  send,
  summaryFor,
  type Transition,
  transfer,
  unreadFor,
  viewersOf,
} from "./queue.ts";

const names: Record<string, string> = { ana: "Ana", ben: "Ben", cy: "Cy" };

function ctx(fields: Partial<QueueContext> = {}): QueueContext {
  return {
    now: 1_000_000,
    routing: "manual",
    available: ["ana", "ben", "cy"],
    connected: ["ana", "ben", "cy"],
    lastAssigned: null,
    nameOf: (id) => names[id] ?? id,
    ...fields,
  };
}

let seq = 0;
function message(author: ChatAuthor, fields: Partial<ChatMessage> = {}): ChatMessage {
  seq += 1;
  return { id: `msg-${seq}`, chatId: "visitor-1", seq, at: seq, author, text: "Hi!", ...fields };
}
const visitorMessage = (text = "Hello?") => message({ kind: "visitor" }, { text });
const agentMessage = (agentId: string, fields: Partial<ChatMessage> = {}) =>
  message({ kind: "agent", agentId, name: names[agentId] ?? agentId }, fields);
const systemMessage = (text: string, fields: Partial<ChatMessage> = {}) =>
  message({ kind: "system" }, { text, ...fields });

/** The chat of a successful transition; fails the test on a refusal. */
function ok(step: Transition | null): Extract<Transition, { ok: true }> {
  if (!step?.ok) throw new Error(`expected a transition, got ${JSON.stringify(step)}`);
  return step;
}

function requested(context = ctx()): QueuedChat {
  return ok(
    receiveVisitorMessages(newChat("visitor-1", "Visitor 7", 0), [visitorMessage()], context),
  ).chat;
}

function activeWith(agentId: string): QueuedChat {
  return ok(accept(requested(), agentId, ctx())).chat;
}

describe("a visitor's first message", () => {
  it("in manual routing, offers the request to every available agent without a sound", () => {
    const step = ok(
      receiveVisitorMessages(
        newChat("visitor-1", "Visitor 7", 0),
        [visitorMessage("Do you ship to Spain?")],
        ctx({ available: ["ana", "cy"] }),
      ),
    );
    expect(step.chat).toMatchObject({
      status: "requested",
      round: 1,
      roundEndsAt: 1_000_000 + REQUEST_ROUND_MS,
      assigneeId: null,
      lastMessage: { text: "Do you ship to Spain?", author: "visitor" },
    });
    expect(step.stateChanged).toBe(true);
    expect(step.notices).toEqual([
      { to: ["ana", "cy"], kind: "request", sound: false, text: "Do you ship to Spain?" },
    ]);
  });

  it("in auto routing, is assigned at once to the agent whose turn it is, with a sound", () => {
    const step = ok(
      receiveVisitorMessages(
        newChat("visitor-1", "Visitor 7", 0),
        [visitorMessage()],
        ctx({ routing: "auto", lastAssigned: "ana" }),
      ),
    );
    expect(step.chat).toMatchObject({ status: "active", assigneeId: "ben", participants: ["ben"] });
    expect(step.assigned).toBe("ben");
    expect(step.system).toEqual(["Ben joined the chat"]);
    expect(step.notices).toEqual([{ to: ["ben"], kind: "assigned", sound: true, text: "Hello?" }]);
  });

  it("on an open chat only counts as unread", () => {
    const chat = activeWith("ana");
    const step = ok(receiveVisitorMessages(chat, [visitorMessage()], ctx()));
    expect(step.chat.status).toBe("active");
    expect(step.notices).toEqual([]);
    expect(unreadFor(step.chat, "ana")).toBe(2);
  });

  it("takes the visitor room's system line before the reply, but no line it has seen", () => {
    const invitation = systemMessage("Invitation from Ana: Need a hand?");
    const reply = visitorMessage("Is it dimmable?");
    const step = ok(
      receiveVisitorMessages(newChat("visitor-1", "Visitor 7", 0), [invitation, reply], ctx()),
    );
    expect(step.chat).toMatchObject({
      status: "requested",
      lastSeq: reply.seq,
      lastMessage: { text: "Is it dimmable?", author: "visitor" },
    });
    expect(step.notices[0]).toMatchObject({ kind: "request", text: "Is it dimmable?" });

    // The site room's own lines come back with later visitor messages: already seen, they
    // change nothing, and without a visitor message a resolved chat stays resolved.
    const resolved = ok(resolve(step.chat, "ana", ctx())).chat;
    const echoed = systemMessage("Ana joined the chat", { seq: resolved.lastSeq });
    const again = ok(receiveVisitorMessages(resolved, [echoed], ctx()));
    expect(again.chat).toEqual(resolved);
    expect(again.stateChanged).toBe(false);
    const late = ok(
      receiveVisitorMessages(resolved, [systemMessage("Invitation from the team")], ctx()),
    );
    expect(late.chat.status).toBe("resolved");
    expect(late.notices).toEqual([]);
  });

  it("after a resolve makes a new request in round 1", () => {
    const resolved = ok(resolve(activeWith("ana"), "ana", ctx())).chat;
    const step = ok(receiveVisitorMessages(resolved, [visitorMessage("Me again")], ctx()));
    expect(step.chat).toMatchObject({ status: "requested", round: 1, participants: [] });
    expect(step.stateChanged).toBe(true);
  });
});

describe("round robin", () => {
  it("takes turns and skips agents who are away", () => {
    expect(pickAssignee(["ana", "ben", "cy"], null)).toBe("ana");
    expect(pickAssignee(["ana", "ben", "cy"], "ana")).toBe("ben");
    expect(pickAssignee(["ana", "ben", "cy"], "cy")).toBe("ana");
    // Ben is away: he is not in the available list, so Cy follows Ana.
    expect(pickAssignee(["ana", "cy"], "ana")).toBe("cy");
    expect(pickAssignee([], "ana")).toBeNull();
  });

  it("leaves a request for everyone when nobody is available", () => {
    const step = ok(
      receiveVisitorMessages(
        newChat("visitor-1", "Visitor 7", 0),
        [visitorMessage()],
        ctx({ routing: "auto", available: [] }),
      ),
    );
    expect(step.chat.status).toBe("requested");
    expect(step.assigned).toBeUndefined();
  });
});

describe("accepting and replying", () => {
  it("gives a request to the first agent who accepts and refuses the second", () => {
    const first = ok(accept(requested(), "ana", ctx()));
    expect(first.chat).toMatchObject({ status: "active", assigneeId: "ana", roundEndsAt: null });
    expect(first.system).toEqual(["Ana joined the chat"]);
    expect(accept(first.chat, "ben", ctx())).toEqual({
      ok: false,
      code: "not_allowed",
      message: "Ana has this chat",
    });
  });

  it("lets a reply take a request, and only participants write in an active chat", () => {
    const taken = ok(send(requested(), "ben", false, ctx()));
    expect(taken.chat).toMatchObject({ status: "active", assigneeId: "ben" });
    expect(send(taken.chat, "ana", false, ctx())).toMatchObject({ ok: false, code: "not_allowed" });
    expect(send(taken.chat, "ana", true, ctx())).toMatchObject({ ok: false, code: "not_allowed" });
    expect(ok(send(taken.chat, "ben", false, ctx())).chat).toBe(taken.chat);
  });

  it("opens a resolved or missed chat again as the replying agent's", () => {
    const resolved = ok(resolve(activeWith("ana"), "ana", ctx())).chat;
    const step = ok(send(resolved, "ben", false, ctx()));
    expect(step.chat).toMatchObject({ status: "active", assigneeId: "ben", participants: ["ben"] });
    expect(step.system).toEqual(["Ben joined the chat"]);
    expect(ok(send(resolved, "ben", true, ctx())).chat).toBe(resolved);
  });

  it("does not let a note take a request", () => {
    const chat = requested();
    expect(ok(send(chat, "ana", true, ctx())).chat).toBe(chat);
  });

  it("stops the escalation of an auto-assigned chat once its assignee answers", () => {
    const assigned = ok(
      receiveVisitorMessages(
        newChat("visitor-1", "V", 0),
        [visitorMessage()],
        ctx({ routing: "auto" }),
      ),
    ).chat;
    expect(assigned.roundEndsAt).not.toBeNull();
    expect(ok(send(assigned, "ana", false, ctx())).chat.roundEndsAt).toBeNull();
  });
});

describe("escalation", () => {
  it("goes through every round on ignores and ends missed", () => {
    let chat = requested();
    for (let round = 2; round <= ESCALATION_ROUNDS; round++) {
      const step = ok(ignore(chat, "ana", undefined, ctx()));
      chat = step.chat;
      expect(chat).toMatchObject({ status: "requested", round });
      expect(step.notices).toEqual([
        { to: ["ana", "ben", "cy"], kind: "request", sound: true, text: "Hello?" },
      ]);
    }
    const last = ok(ignore(chat, "ben", undefined, ctx()));
    expect(last.chat).toMatchObject({ status: "missed", roundEndsAt: null });
    expect(last.stateChanged).toBe(true);
    expect(ignore(last.chat, "ben", undefined, ctx())).toMatchObject({ ok: false });
  });

  it("ends a round only when its time is up", () => {
    const chat = requested(ctx({ now: 0 }));
    expect(expire(chat, ctx({ now: REQUEST_ROUND_MS - 1 }))).toBeNull();
    expect(ok(expire(chat, ctx({ now: REQUEST_ROUND_MS }))).chat.round).toBe(2);
    expect(expire(ok(accept(chat, "ana", ctx())).chat, ctx({ now: REQUEST_ROUND_MS }))).toBeNull();
  });

  it("makes an unanswered auto-assigned chat a request for everyone in round 2", () => {
    const assigned = ok(
      receiveVisitorMessages(
        newChat("visitor-1", "V", 0),
        [visitorMessage()],
        ctx({ routing: "auto" }),
      ),
    ).chat;
    expect(ignore(assigned, "ben", undefined, ctx({ routing: "auto" }))).toMatchObject({
      ok: false,
    });
    const step = ok(ignore(assigned, "ana", undefined, ctx({ routing: "auto" })));
    expect(step.chat).toMatchObject({
      status: "requested",
      round: 2,
      assigneeId: null,
      participants: [],
    });
    expect(step.notices[0]).toMatchObject({ to: ["ana", "ben", "cy"], kind: "request" });
    expect(step.stateChanged).toBe(true);
  });

  it("drops an ignore for a round that is over", () => {
    const chat = ok(ignore(requested(), "ana", 1, ctx())).chat;
    expect(ok(ignore(chat, "ana", 1, ctx())).chat).toBe(chat);
    expect(ok(ignore(chat, "ana", 2, ctx())).chat.round).toBe(3);
  });

  it("lets anyone close a request but only participants an active chat", () => {
    expect(ok(resolve(requested(), "cy", ctx())).chat.status).toBe("resolved");
    const chat = activeWith("ana");
    expect(resolve(chat, "cy", ctx())).toMatchObject({ ok: false, code: "not_allowed" });
    const resolved = ok(resolve(chat, "ana", ctx()));
    expect(resolved.chat).toMatchObject({ status: "resolved", participants: ["ana"] });
    expect(resolved.stateChanged).toBe(true);
  });
});

describe("transfers and invitations", () => {
  it("moves a transferred chat when the target joins, and the previous assignee leaves", () => {
    const chat = activeWith("ana");
    const offered = ok(transfer(chat, "ana", "ben", "Knows shipping", ctx()));
    expect(offered.chat.offer).toEqual({
      kind: "transfer",
      from: "ana",
      to: "ben",
      note: "Knows shipping",
    });
    expect(offered.notices).toEqual([
      {
        to: ["ben"],
        kind: "transfer",
        sound: true,
        text: "Ana transfers a chat to you: Knows shipping",
      },
    ]);
    expect(join(offered.chat, "cy", ctx())).toMatchObject({ ok: false });
    const joined = ok(join(offered.chat, "ben", ctx()));
    expect(joined.chat).toMatchObject({ assigneeId: "ben", participants: ["ben"], offer: null });
    expect(joined.system).toEqual(["The chat was transferred to Ben"]);
    expect(joined.stateChanged).toBe(true);
  });

  it("refuses transfers by others than the assignee, and to offline agents", () => {
    const chat = activeWith("ana");
    expect(transfer(chat, "ben", "cy", undefined, ctx())).toMatchObject({ ok: false });
    expect(
      transfer(chat, "ana", "cy", undefined, ctx({ connected: ["ana", "ben"] })),
    ).toMatchObject({
      ok: false,
      message: "Cy is offline",
    });
  });

  it("adds an invited agent beside the others, and a decline clears the offer", () => {
    const chat = activeWith("ana");
    const offered = ok(invite(chat, "ana", "cy", ctx()));
    expect(offered.notices[0]).toMatchObject({ to: ["cy"], kind: "invite", sound: true });
    const declined = ok(decline(offered.chat, "cy", ctx()));
    expect(declined.chat.offer).toBeNull();
    const joined = ok(join(ok(invite(chat, "ana", "cy", ctx())).chat, "cy", ctx()));
    expect(joined.chat).toMatchObject({ assigneeId: "ana", participants: ["ana", "cy"] });
    expect(joined.system).toEqual(["Cy joined the chat"]);
    expect(invite(joined.chat, "ana", "cy", ctx())).toMatchObject({ ok: false });
  });
});

describe("an agent removed from the site", () => {
  const without = (id: string, fields: Partial<QueueContext> = {}) =>
    ctx({ available: ["ana", "ben", "cy"].filter((other) => other !== id), ...fields });

  it("puts a chat they had alone back in the queue, told to the visitor", () => {
    const step = ok(removeAgent(activeWith("ana"), "ana", without("ana")));
    expect(step.chat).toMatchObject({ status: "requested", assigneeId: null, participants: [] });
    expect(step.chat.round).toBe(1);
    expect(step.stateChanged).toBe(true);
    expect(step.system).toEqual(["Ana left the chat"]);
    expect(step.notices).toEqual([
      { to: ["ben", "cy"], kind: "request", sound: false, text: "Hello?" },
    ]);
  });

  it("in auto routing, hands such a chat to the agent whose turn it is", () => {
    const step = ok(removeAgent(activeWith("ana"), "ana", without("ana", { routing: "auto" })));
    expect(step.chat).toMatchObject({ status: "active", assigneeId: "ben", participants: ["ben"] });
    expect(step.system).toEqual(["Ana left the chat", "Ben joined the chat"]);
  });

  it("leaves a shared chat with the colleagues in it, the first one its assignee", () => {
    const shared = ok(join(ok(invite(activeWith("ana"), "ana", "cy", ctx())).chat, "cy", ctx()));
    const assigneeGone = ok(removeAgent(shared.chat, "ana", without("ana")));
    expect(assigneeGone.chat).toMatchObject({ assigneeId: "cy", participants: ["cy"] });
    expect(assigneeGone.system).toEqual(["Ana left the chat"]);
    const inviteeGone = ok(removeAgent(shared.chat, "cy", without("cy")));
    expect(inviteeGone.chat).toMatchObject({ assigneeId: "ana", participants: ["ana"] });
  });

  it("withdraws an offer to them, and leaves chats without them alone", () => {
    const offered = ok(transfer(activeWith("ana"), "ana", "ben", undefined, ctx())).chat;
    const step = ok(removeAgent(offered, "ben", without("ben")));
    expect(step.chat).toMatchObject({ assigneeId: "ana", offer: null });
    expect(step.stateChanged).toBe(false);
    expect(removeAgent(activeWith("cy"), "ben", without("ben"))).toBeNull();
    expect(removeAgent(ok(resolve(activeWith("ben"), "ben", ctx())).chat, "ben", ctx())).toBeNull();
  });
});

describe("unread counts and read marks", () => {
  it("counts visitor messages per agent until each reads them", () => {
    let chat = activeWith("ana");
    chat = recordMessages(chat, [visitorMessage(), visitorMessage()]);
    const lastSeq = chat.lastSeq;
    expect(unreadFor(chat, "ana")).toBe(3);
    expect(unreadFor(chat, "ben")).toBe(3);
    chat = markRead(chat, "ana", lastSeq);
    expect(unreadFor(chat, "ana")).toBe(0);
    expect(unreadFor(chat, "ben")).toBe(3);
    expect(summaryFor(chat, "ben").unread).toBe(3);
    expect(agentsReadSeq(chat)).toBe(lastSeq);
  });

  it("takes a visitor message that reaches the site room after an agent's later reply", () => {
    let chat = recordMessages(activeWith("ana"), [visitorMessage("First")]);
    // Stored in the visitor's room in this order; the reply reached the site room first.
    const late = visitorMessage("Second");
    const reply = agentMessage("ana", { text: "Hi!" });
    chat = recordMessages(chat, [reply]);
    const step = receiveVisitorMessages(chat, [late], ctx());
    expect(step).toMatchObject({ ok: true });
    if (!step.ok) return;
    expect(step.chat.visitorSeqs.at(-1)).toBe(late.seq);
    expect(step.chat.lastSeq).toBe(reply.seq);
    expect(step.chat.lastMessage?.text).toBe("Hi!");
    // Sent again, it is not taken twice.
    const again = receiveVisitorMessages(step.chat, [late], ctx());
    expect(again.ok && again.chat.visitorSeqs.filter((seq) => seq === late.seq)).toHaveLength(1);
  });

  it("never moves a read mark back or past the last message", () => {
    const chat = recordMessages(activeWith("ana"), [visitorMessage()]);
    const read = markRead(chat, "ben", chat.lastSeq + 50);
    expect(read.readSeqs.ben).toBe(chat.lastSeq);
    expect(markRead(read, "ben", 1)).toBe(read);
  });

  it("treats an agent's own message as read up to it, and keeps notes out of the preview", () => {
    let chat = recordMessages(activeWith("ana"), [visitorMessage("Where is my order?")]);
    chat = recordMessages(chat, [agentMessage("ana", { text: "Checking", note: true })]);
    expect(chat.lastMessage?.text).toBe("Where is my order?");
    expect(unreadFor(chat, "ana")).toBe(0);
  });
});

describe("who sees a chat", () => {
  it("shows requests to everyone and active chats to their agents and watchers", () => {
    const connected = ["ana", "ben", "cy"];
    expect(viewersOf(requested(), connected)).toEqual(new Set(connected));
    const chat = activeWith("ana");
    expect(viewersOf(chat, connected)).toEqual(new Set(["ana"]));
    expect(viewersOf(chat, connected, new Set(["cy"]))).toEqual(new Set(["ana", "cy"]));
    const offered = ok(invite(chat, "ana", "ben", ctx())).chat;
    expect(viewersOf(offered, connected)).toEqual(new Set(["ana", "ben"]));
  });
});
