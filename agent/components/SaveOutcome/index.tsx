import { type FieldLabeler, nameRefusedField } from "../../settings-fields/index.ts";

/**
 * What became of a settings form's last save: the relay's refusal, with the field it names
 * labelled as the form labels it (`fieldLabel`), or "Saved.". Test ids are `${testId}-error`
 * and `${testId}-saved`.
 */
export function SaveOutcome({
  state,
  testId,
  fieldLabel,
}: {
  state: { error: string | null; saved: boolean };
  testId: string;
  fieldLabel?: FieldLabeler;
}) {
  return (
    <>
      {state.error && (
        <p class="form-error" role="alert" data-testid={`${testId}-error`}>
          {fieldLabel ? nameRefusedField(state.error, fieldLabel) : state.error}
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
