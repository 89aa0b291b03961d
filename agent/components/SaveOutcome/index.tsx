/**
 * What became of a settings form's last save: the relay's refusal, or "Saved.". Test ids are
 * `${testId}-error` and `${testId}-saved`.
 */
export function SaveOutcome({
  state,
  testId,
}: {
  state: { error: string | null; saved: boolean };
  testId: string;
}) {
  return (
    <>
      {state.error && (
        <p class="form-error" role="alert" data-testid={`${testId}-error`}>
          {state.error}
        </p>
      )}
      {state.saved && (
        <p class="form-success" role="status" data-testid={`${testId}-saved`}>
          Saved.
        </p>
      )}
    </>
  );
}
