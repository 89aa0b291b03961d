import { useStore } from "@nanostores/preact";
import { isWebUrl } from "../../../protocol/links.ts";
import type { PointerTarget } from "../../../protocol/pointer.ts";
import { warnOnce } from "../../../sdk/guard/index.ts";
import type { Strings } from "../../locales/en.ts";
import { $pointerProblems, showPointer } from "../../stores/pointer/index.ts";

type PointerActionsProps = {
  messageId: string;
  target: PointerTarget;
  comment: string;
  t: Strings;
};

/**
 * Under an agent's pointer message: **Show**, and when it cannot be shown, why: a link to the
 * page it is about, or that the element is gone.
 */
export function PointerActions({ messageId, target, comment, t }: PointerActionsProps) {
  const problem = useStore($pointerProblems)[messageId];
  return (
    <div class="pointer">
      <button
        type="button"
        class="primary"
        onClick={(event) =>
          void showPointer(messageId, target, comment, event.currentTarget).catch(warnOnce)
        }
        data-testid="pointer-show"
      >
        {t.pointerShow}
      </button>
      {problem && (
        <p class="alert" role="status" data-testid="pointer-problem" data-problem={problem.kind}>
          {problem.kind === "gone" ? (
            t.pointerGone
          ) : (
            <>
              {t.pointerOtherPage}{" "}
              {isWebUrl(problem.url) ? <a href={problem.url}>{problem.url}</a> : problem.url}
            </>
          )}
        </p>
      )}
    </div>
  );
}
