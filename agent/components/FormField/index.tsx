import type { JSX } from "preact";

type FormFieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & { id: string; label: string };

/** A labelled input; the label is what screen readers and tests find it by. */
export function FormField({ id, label, ...input }: FormFieldProps) {
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} {...input} />
    </>
  );
}
