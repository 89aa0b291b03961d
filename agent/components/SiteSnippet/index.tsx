import { useRef, useState } from "preact/hooks";
import { snippet } from "../../../protocol/snippet.ts";

/**
 * The site's snippet, from the relay this console is served by, to paste before `</body>` of
 * every page, and a button that copies it; where the browser does not let the page write the
 * clipboard (a console on plain http), the snippet is selected for the admin to copy.
 */
export function SiteSnippet({ siteId }: { siteId: string }) {
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const text = snippet(siteId, location.origin);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      field.current?.select();
      setCopied("select");
    }
  };
  return (
    <div class="settings-form site-snippet">
      <label for="site-snippet">Snippet</label>
      <input
        id="site-snippet"
        ref={field}
        class="code"
        readOnly
        value={text}
        onFocus={(event) => event.currentTarget.select()}
        data-testid="site-snippet"
      />
      <p class="muted">Paste it before &lt;/body&gt; of every page of the site.</p>
      {copied && (
        <p class="form-success" role="status" data-testid="site-snippet-copied">
          {copied === "yes" ? "Copied." : "Selected: press Ctrl+C (⌘C on a Mac) to copy."}
        </p>
      )}
      <button type="button" onClick={copy} data-testid="site-snippet-copy">
        Copy the snippet
      </button>
    </div>
  );
}
