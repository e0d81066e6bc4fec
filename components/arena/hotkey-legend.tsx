/** The keyboard shortcuts, spelled out next to the vote bar; hidden where there is no keyboard. */
const KEYS: [string, string][] = [
  ["A", "A better"],
  ["B", "B better"],
  ["T", "tie"],
  ["X", "both bad"],
  ["S", "skip"],
  ["V", "next view"],
  ["N", "next battle"],
];

export function HotkeyLegend() {
  return (
    <ul
      aria-label="Keyboard shortcuts"
      data-testid="hotkey-legend"
      className="hidden flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-arena-muted pointer-fine:flex"
    >
      {KEYS.map(([key, label]) => (
        <li key={key} className="inline-flex items-center gap-1 whitespace-nowrap">
          <kbd className="inline-flex min-w-[1.3rem] items-center justify-center rounded border border-white/15 bg-white/5 px-1 font-mono text-[10px] leading-[1.1rem] text-arena-text/80">
            {key}
          </kbd>
          {label}
        </li>
      ))}
    </ul>
  );
}
