/**
 * The initials of a name, at most two ("Anna Lee" → "AL"), for an avatar.
 * @example initials("anna maria lee") // "AM"
 */
export const initials = (name: string): string =>
  name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => [...word][0]?.toUpperCase() ?? "")
    .join("");

/** An agent's avatar: their initials in a circle (decorative: the name is shown beside it). */
export function Avatar({ name }: { name: string }) {
  return (
    <span class="avatar" aria-hidden="true">
      {initials(name) || "?"}
    </span>
  );
}
