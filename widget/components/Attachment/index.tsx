import type { ChatFile } from "../../../protocol/chat.ts";
import { isWebUrl } from "../../../protocol/links.ts";

/** A size in bytes for people: "834 KB", "2.4 MB". */
export const fileSize = (bytes: number): string =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A file in a message: an image inline (it opens full size), any other file as a download. */
export function Attachment({ file }: { file: ChatFile }) {
  if (!isWebUrl(file.url)) return <span class="file">{file.name}</span>;
  return file.image ? (
    <a class="image" href={file.url} target="_blank" rel="noopener noreferrer">
      <img src={file.url} alt={file.name} loading="lazy" />
    </a>
  ) : (
    <a class="file" href={file.url} target="_blank" rel="noopener noreferrer" download={file.name}>
      {file.name} <span class="size">({fileSize(file.size)})</span>
    </a>
  );
}
