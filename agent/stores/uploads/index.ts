import { atom } from "nanostores";
import { UPLOAD_BYTES } from "../../../protocol/limits.ts";
import { relayApi } from "../../api/index.ts";
import { formatFileSize } from "../../format/index.ts";
import { newId } from "../../ids/index.ts";
import { sendMessage } from "../outbox/index.ts";
import { $session, failureMessage } from "../session/index.ts";

/** A file on its way to a chat: uploading, or refused with the reason. */
export type Upload = { id: string; chatId: string; name: string; error: string | null };

/** Files being uploaded or refused, oldest first. */
export const $uploads = atom<readonly Upload[]>([]);

function setUpload(id: string, error: string | null): void {
  $uploads.set($uploads.get().map((upload) => (upload.id === id ? { ...upload, error } : upload)));
}

/**
 * Uploads a file and sends it to the chat as a message (or a private note). An image shows
 * inline, any other file as a link.
 */
export async function sendFile(
  chatId: string,
  file: File,
  options: { note?: boolean } = {},
): Promise<void> {
  const session = $session.get();
  if (!session) return;
  const upload: Upload = { id: newId(), chatId, name: file.name, error: null };
  $uploads.set([...$uploads.get(), upload]);
  if (file.size > UPLOAD_BYTES) {
    setUpload(upload.id, `Files up to ${formatFileSize(UPLOAD_BYTES)} can be sent.`);
    return;
  }
  const result = await relayApi.upload(session.token, file);
  if (!result.ok) {
    setUpload(upload.id, failureMessage(result));
    return;
  }
  dismissUpload(upload.id);
  sendMessage(chatId, { text: "", file: result.value, ...(options.note ? { note: true } : {}) });
}

/** Takes a refused upload off the screen. */
export function dismissUpload(id: string): void {
  $uploads.set($uploads.get().filter((upload) => upload.id !== id));
}

/** Forgets uploads of the last session. */
export function resetUploads(): void {
  $uploads.set([]);
}
