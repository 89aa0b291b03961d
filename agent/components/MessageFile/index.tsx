import type { ChatFile } from "../../../protocol/chat.ts";
import { formatFileSize, httpUrl } from "../../format/index.ts";

/** A file in a message: an image inline, anything else as a download link. */
export function MessageFile({ file }: { file: ChatFile }) {
  const href = httpUrl(file.url);
  const label = `${file.name} (${formatFileSize(file.size)})`;
  if (!href) return <span class="message-file">{label}</span>;
  if (file.image) {
    return (
      <a class="message-image" href={href} target="_blank" rel="noopener noreferrer">
        <img src={href} alt={file.name} loading="lazy" data-testid="message-image" />
      </a>
    );
  }
  return (
    <a
      class="message-file"
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      download={file.name}
      data-testid="message-file"
    >
      📎 {label}
    </a>
  );
}
