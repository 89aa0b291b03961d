import { PASSWORD_LENGTH } from "../../../protocol/http.ts";
import { FormField } from "../FormField/index.tsx";

/** A password being set: the browser checks the relay's length rule before anything is sent. */
export function NewPasswordField(props: {
  id: string;
  label: string;
  name: string;
  "data-testid": string;
}) {
  return (
    <FormField
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_LENGTH.min}
      maxLength={PASSWORD_LENGTH.max}
      {...props}
    />
  );
}
