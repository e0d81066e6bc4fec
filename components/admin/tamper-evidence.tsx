import type { TamperEvidence } from "@/blender-runner/client/types";

/**
 * "Tampering suspected": the script reached for the harness while it ran (audit hook, forged
 * report records; blender-runner/harness/arena/audit.py). For admins only; the run's status and
 * outputs came from a process that never ran model code, so they stand as they are.
 */
export function TamperBadge({ suspected }: { suspected: boolean }) {
  if (!suspected) return null;
  return (
    <span className="rounded-full border border-arena-warn/60 px-2 py-px text-xs text-arena-warn" data-testid="tamper-badge">
      tampering suspected
    </span>
  );
}

export function TamperEvidenceList({ evidence }: { evidence: TamperEvidence[] }) {
  if (evidence.length === 0) return null;
  return (
    <details className="text-xs" open data-testid="tamper-evidence">
      <summary className="cursor-pointer text-arena-warn">
        Tampering suspected: {evidence.length} {evidence.length === 1 ? "sign" : "signs"} (the status and outputs stand; they come from a process that never ran this code)
      </summary>
      <ul className="mt-1 flex flex-col gap-0.5 font-mono">
        {evidence.map((e, i) => (
          <li key={i} data-testid="tamper-evidence-item">
            <span className="text-arena-muted">{e.source}</span> {e.event}
            {e.site ? <span className="text-arena-muted"> at {e.site}</span> : null}
            {e.detail ? <span> · {e.detail}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
