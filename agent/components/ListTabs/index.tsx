/**
 * Tabs over lists, each with how many entries it holds (Requests / Active / Resolved, Open /
 * Done). Test ids are `${name}-${tab}`.
 */
export function ListTabs<T extends string>({
  tabs,
  current,
  counts,
  onSelect,
  label,
  name,
}: {
  tabs: readonly (readonly [T, string])[];
  current: T;
  counts: Readonly<Record<T, number>>;
  onSelect: (tab: T) => void;
  label: string;
  name: string;
}) {
  return (
    <div class="chat-tabs" role="tablist" aria-label={label}>
      {tabs.map(([tab, text]) => (
        <button
          key={tab}
          type="button"
          role="tab"
          class="chat-tab"
          aria-selected={tab === current}
          onClick={() => onSelect(tab)}
          data-testid={`${name}-${tab}`}
        >
          {text} <span class="chat-tab-count">{counts[tab]}</span>
        </button>
      ))}
    </div>
  );
}
