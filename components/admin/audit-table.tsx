import type { AuditEntry } from "@/lib/moderation/audit-log";
import { formatUtc } from "@/components/ui/format";

function targetHref(e: AuditEntry): string | null {
  if (!e.targetId) return null;
  if (e.targetType === "sweep") return `/admin/sweeps/${e.targetId}`;
  if (e.targetType === "generation") return `/admin/generations/${e.targetId}`;
  if (e.targetType === "contestant") return `/admin/models/${e.targetId}`;
  return null;
}

/** Details as "key: value" pairs, the way people read them (the full JSON stays in the tooltip). */
function readableDetails(details: unknown): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object" || Array.isArray(details)) return JSON.stringify(details);
  const parts = Object.entries(details as Record<string, unknown>).map(([k, v]) => {
    const value = typeof v === "string" ? v : JSON.stringify(v);
    return `${k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}: ${value.length > 80 ? `${value.slice(0, 79)}…` : value}`;
  });
  return parts.join(" · ");
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-arena-muted">No admin actions recorded yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="audit-table">
        <thead className="text-left text-xs text-arena-muted">
          <tr>
            <th className="py-1 pr-3 font-medium">When</th>
            <th className="py-1 pr-3 font-medium">Who</th>
            <th className="py-1 pr-3 font-medium">Action</th>
            <th className="py-1 pr-3 font-medium">Target</th>
            <th className="py-1 font-medium">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const href = targetHref(e);
            const details = JSON.stringify(e.details);
            return (
              <tr key={e.id} className="border-t border-arena-border/60 align-top" data-testid="audit-row" data-action={e.action}>
                <td className="py-1.5 pr-3 whitespace-nowrap text-arena-muted tabular">{formatUtc(e.createdAt)}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">{e.actor ?? "—"}</td>
                <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">{e.action}</td>
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  {e.targetType}{" "}
                  {e.targetId &&
                    (href ? (
                      <a href={href} className="font-mono text-xs text-arena-accent hover:underline">
                        {e.targetId.slice(0, 12)}
                      </a>
                    ) : (
                      <span className="font-mono text-xs">{e.targetId}</span>
                    ))}
                </td>
                <td className="max-w-md py-1.5 text-xs break-words text-arena-muted" title={details} data-testid="audit-details">
                  {readableDetails(e.details)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
