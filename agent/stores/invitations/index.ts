import { atom } from "nanostores";
import type { AckFrame } from "../../../protocol/visitor.ts";
import { newId } from "../../ids/index.ts";
import { sendFrame } from "../connection/index.ts";

/** The last invitation this agent sent a visitor: on its way, reached the visitor's pages, or refused. */
export type ManualInvitation = {
  id: string;
  visitorId: string;
  state: "sending" | "sent" | "failed";
  error?: string;
};

export const $manualInvitation = atom<ManualInvitation | null>(null);

/**
 * Sends `visitorId` an invitation to chat with `text`, shown as from this agent on every page
 * the visitor has open.
 * @example inviteVisitor(visitor.id, "Can I help you find the right size?")
 */
export function inviteVisitor(visitorId: string, text: string): void {
  const id = newId();
  if (!sendFrame({ type: "visitor:invite", visitorId, id, text })) return;
  $manualInvitation.set({ id, visitorId, state: "sending" });
}

/** The relay sent the invitation to the visitor's pages. */
export function settleInvitation(frame: AckFrame): void {
  const current = $manualInvitation.get();
  if (current?.state === "sending" && frame.ids.includes(current.id))
    $manualInvitation.set({ ...current, state: "sent" });
}

/** An error while an invitation is on its way is its refusal; true when it was taken as one. */
export function failInvitation(message: string): boolean {
  const current = $manualInvitation.get();
  if (current?.state !== "sending") return false;
  $manualInvitation.set({ ...current, state: "failed", error: message });
  return true;
}

/** Forgets the last session's invitation. */
export function resetInvitations(): void {
  $manualInvitation.set(null);
}
