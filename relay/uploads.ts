/**
 * Chat uploads: which files are accepted (decided from their bytes, never from the client's
 * content type or file name), how they are stored in the {@link BlobStore}, and how they are
 * served back so that no upload can run as a page of the relay's origin.
 */
import { type ChatFile, LABEL_LENGTH } from "../protocol/index.ts";
import { randomId } from "./auth/index.ts";
import { httpError } from "./http.ts";
import type { BlobMeta, BlobStore } from "./party.ts";

/** A content type the relay accepts, as sniffed from the first bytes. */
export type SniffedType = { type: string; image: boolean };

/** Told to a client whose file is of another kind. */
export const UPLOAD_TYPES_MESSAGE =
  "Only images (PNG, JPEG, GIF, WebP), PDF documents and plain text files can be sent";

const signatures: { type: string; image: boolean; matches(bytes: Uint8Array): boolean }[] = [
  {
    type: "image/png",
    image: true,
    matches: (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { type: "image/jpeg", image: true, matches: (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]) },
  {
    type: "image/gif",
    image: true,
    matches: (bytes) => startsWithText(bytes, "GIF87a") || startsWithText(bytes, "GIF89a"),
  },
  {
    type: "image/webp",
    image: true,
    matches: (bytes) => startsWithText(bytes, "RIFF") && startsWithText(bytes.subarray(8), "WEBP"),
  },
  { type: "application/pdf", image: false, matches: (bytes) => startsWithText(bytes, "%PDF-") },
];

/**
 * The type of a file from its content: PNG, JPEG, GIF, WebP, PDF, or plain text (valid UTF-8
 * without control characters other than tab, line and page breaks); null for anything else.
 * @example sniffFileType(new TextEncoder().encode("hello")) // { type: "text/plain; charset=utf-8", image: false }
 */
export function sniffFileType(bytes: Uint8Array): SniffedType | null {
  if (bytes.length === 0) return null;
  for (const signature of signatures) {
    if (signature.matches(bytes)) return { type: signature.type, image: signature.image };
  }
  return isPlainText(bytes) ? { type: "text/plain; charset=utf-8", image: false } : null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, i) => bytes[i] === byte);
}

function startsWithText(bytes: Uint8Array, prefix: string): boolean {
  return startsWith(
    bytes,
    [...prefix].map((char) => char.charCodeAt(0)),
  );
}

function isPlainText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    // Tab, line feed, vertical tab, form feed and carriage return are text; other C0 controls
    // (NUL above all) and DEL mark a binary file.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d)) || byte === 0x7f) return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file name from an `x-file-name` header (UTF-8, percent-encoded as `encodeURIComponent`
 * makes it; a plain ASCII name works too): no folders, no control characters, at most
 * LABEL_LENGTH characters; "file" when there is nothing left.
 */
export function uploadFileName(header: string | null): string {
  let name = header ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: take it as it is.
  }
  name = name.split(/[/\\]/).at(-1) ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  name = name.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return name.slice(0, LABEL_LENGTH) || "file";
}

/** What an upload needs besides its bytes: who may attach it, and where it will be served. */
export type UploadTarget = {
  /** The site whose chats may attach the file. */
  siteId: string;
  /** The relay's origin as the uploader reached it, e.g. `https://relay.example`. */
  origin: string;
  /** The file name to offer (see {@link uploadFileName}). */
  name: string;
};

/**
 * Checks and stores an uploaded file: 400 when empty, 415 `bad_file_type` when its content is
 * not of an accepted kind, else the {@link ChatFile} to answer with (201).
 */
export async function storeUpload(
  blobs: BlobStore,
  bytes: Uint8Array<ArrayBuffer>,
  target: UploadTarget,
): Promise<{ ok: true; file: ChatFile } | { ok: false; response: Response }> {
  if (bytes.length === 0) {
    return { ok: false, response: httpError(400, "bad_body", "The file is empty") };
  }
  const sniffed = sniffFileType(bytes);
  if (!sniffed) {
    return { ok: false, response: httpError(415, "bad_file_type", UPLOAD_TYPES_MESSAGE) };
  }
  const id = randomId();
  const meta: BlobMeta = {
    type: sniffed.type,
    name: target.name,
    size: String(bytes.length),
    site: target.siteId,
    url: `${target.origin}/api/uploads/${id}`,
  };
  await blobs.put(
    id,
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    meta,
  );
  return { ok: true, file: chatFileOf(id, meta) };
}

/** A stored file as messages show it. */
export function chatFileOf(id: string, meta: BlobMeta): ChatFile {
  return {
    id,
    name: meta.name,
    size: Number(meta.size),
    type: meta.type,
    url: meta.url ?? `/api/uploads/${id}`,
    image: meta.type.startsWith("image/"),
  };
}

/**
 * The file of a site by its id, as a message attaches it; null when there is none (or it was
 * uploaded for another site).
 */
export async function attachableFile(
  blobs: BlobStore,
  siteId: string,
  fileId: string,
): Promise<ChatFile | null> {
  const meta = await blobs.head(fileId);
  return meta && meta.site === siteId ? chatFileOf(fileId, meta) : null;
}

/**
 * `GET /api/uploads/<id>`: anyone with the (unguessable) id may fetch the file. It is served
 * so that it can never act as a page of the relay: the checked type with `nosniff`, a
 * sandboxing CSP, and as a download unless it is an image. Ids never change content, so it
 * may be cached for good.
 */
export async function serveUpload(blobs: BlobStore, id: string): Promise<Response> {
  const blob = /^[A-Za-z0-9_-]{8,64}$/.test(id) ? await blobs.get(id) : null;
  if (!blob) return httpError(404, "not_found", "No such file");
  const { meta, bytes } = blob;
  const disposition = meta.type.startsWith("image/") ? "inline" : "attachment";
  return new Response(bytes, {
    headers: {
      "content-type": meta.type,
      "content-length": String(bytes.byteLength),
      "content-disposition": `${disposition}; ${dispositionFileName(meta.name)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
      "cross-origin-resource-policy": "cross-origin",
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}

/** `filename` for old clients (ASCII only) and `filename*` with the real name (RFC 6266). */
function dispositionFileName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
