import { atom } from "nanostores";
import type { ChatFile } from "../../../protocol/chat.ts";
import { UPLOAD_BYTES } from "../../../protocol/limits.ts";
import { randomId } from "../../../sdk/random/index.ts";
import { sendMessage } from "../chat/index.ts";
import { $session } from "../session/index.ts";

/**
 * A file on its way: `progress` from 0 to 1; `error` when it cannot be sent: `too_large` (over
 * the 10 MB limit, refused before uploading), or the relay's (or the network's) explanation.
 */
export type Upload = { id: string; name: string; progress: number; error?: string };

/** Files being uploaded, and the ones that failed until dismissed. */
export const $uploads = atom<Upload[]>([]);

const update = (id: string, change: Partial<Upload>) =>
  $uploads.set(
    $uploads.get().map((upload) => (upload.id === id ? { ...upload, ...change } : upload)),
  );

/** Forgets an upload (a dismissed error, or a finished one). */
export function dismissUpload(id: string): void {
  $uploads.set($uploads.get().filter((upload) => upload.id !== id));
}

const relayError = (request: XMLHttpRequest) => {
  try {
    const { message } = JSON.parse(request.responseText) as { message?: unknown };
    if (typeof message === "string" && message) return message;
  } catch {
    // Not the relay's JSON (a proxy's page): the status says enough.
  }
  return `${request.status} ${request.statusText}`.trim();
};

/**
 * Uploads `file` to the relay (`POST /api/uploads`, with progress), then sends it as a message.
 * Files over 10 MB are refused at once, without uploading.
 *
 * @example uploadFile(input.files[0])
 */
export function uploadFile(file: File): void {
  const upload: Upload = { id: randomId(), name: file.name, progress: 0 };
  $uploads.set([...$uploads.get(), upload]);
  const session = $session.get();
  const { visitorId, secret } = session?.channel ?? {};
  if (file.size > UPLOAD_BYTES) {
    update(upload.id, { error: "too_large" });
    return;
  }
  if (!session || !visitorId || !secret) {
    update(upload.id, { error: "not connected" });
    return;
  }
  const request = new XMLHttpRequest();
  request.open("POST", new URL("/api/uploads", session.relay));
  // Header values must be ISO-8859-1: the relay decodes the name.
  request.setRequestHeader("x-file-name", encodeURIComponent(file.name));
  request.setRequestHeader("content-type", file.type || "application/octet-stream");
  request.setRequestHeader("x-parley-visitor", visitorId);
  request.setRequestHeader("x-parley-secret", secret);
  request.setRequestHeader("x-parley-site", session.site);
  request.upload.onprogress = (event) => {
    if (event.lengthComputable) update(upload.id, { progress: event.loaded / event.total });
  };
  request.onload = () => {
    if (request.status === 201) {
      dismissUpload(upload.id);
      sendMessage("", JSON.parse(request.responseText) as ChatFile);
    } else update(upload.id, { error: relayError(request) });
  };
  request.onerror = () => update(upload.id, { error: "network error" });
  request.send(file);
}
