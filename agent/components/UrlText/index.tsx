import { httpUrl } from "../../format/index.ts";

/**
 * A URL from a visitor: a link that opens in a new tab if it is http(s), plain text if not.
 * The title carries it whole where the layout cuts it short.
 */
export function UrlText({ url, testId }: { url: string; testId?: string }) {
  const href = httpUrl(url);
  if (!href) {
    return (
      <span class="url" title={url} data-testid={testId}>
        {url}
      </span>
    );
  }
  return (
    <a
      class="url"
      href={href}
      title={url}
      target="_blank"
      rel="noopener noreferrer"
      data-testid={testId}
    >
      {url}
    </a>
  );
}
