/**
 * What became of a settings form's last save: the relay's refusal, or "Saved.". Test ids are
 * `${name}-error` and `${name}-saved`.
 */
export function SaveOutcome({
  error,
  saved,
  name,
}: {
  error: string | null;
  saved: boolean;
  name: string;
}) {
  if (error) {
    return (
      <p class="form-error" role="alert" data-testid={`${name}-error`}>
        {error}
      </p>
    );
  }
  if (!saved) return null;
  return (
    <p class="form-success" role="status" data-testid={`${name}-saved`}>
      Saved.
    </p>
  );
}
