/**
 * A tab bar (WAI-ARIA tabs): role=tablist of role=tab buttons, only the selected one in the tab
 * order; ←/→ select the previous/next tab (wrapping), Home/End the first/last, and focus follows.
 * The caller draws the panel: role="tabpanel", id `panelId`, aria-labelledby `tabId(selected)`.
 */
import type { KeyboardEvent, ReactNode } from 'react';

export function Tabs<K extends string>({
  tabs,
  selected,
  onSelect,
  label,
  className,
  tabId,
  panelId,
}: {
  tabs: readonly { key: K; label: ReactNode }[];
  selected: K;
  onSelect: (key: K) => void;
  /** The tablist's accessible name. */
  label: string;
  className: string;
  tabId: (key: K) => string;
  panelId: string;
}) {
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.findIndex((t) => t.key === selected);
    let j: number;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    else return;
    e.preventDefault();
    const next = tabs[j]!.key;
    onSelect(next);
    // after the re-render (selecting may navigate)
    setTimeout(() => document.getElementById(tabId(next))?.focus(), 0);
  };
  return (
    <div role="tablist" aria-label={label} className={className}>
      {tabs.map((t) => (
        <button
          key={t.key}
          type="button"
          role="tab"
          id={tabId(t.key)}
          aria-selected={selected === t.key}
          aria-controls={panelId}
          tabIndex={selected === t.key ? 0 : -1}
          onClick={() => onSelect(t.key)}
          onKeyDown={onKey}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
