import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { auditTargetTypes, listAudit } from "@/lib/moderation/audit-log";
import { PageHeader, Panel, BUTTON, INPUT } from "@/components/admin/panel";
import { AuditTable } from "@/components/admin/audit-table";

export const metadata: Metadata = { title: "Audit log · Admin" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const access = await pageAccess("admin", "/admin/audit");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const sp = await searchParams;
  const filters = { action: one(sp.action), targetType: one(sp.targetType), actor: one(sp.actor), targetId: one(sp.targetId) };
  const [entries, types] = await Promise.all([listAudit({ ...filters, limit: 300 }), auditTargetTypes()]);
  return (
    <div className="flex flex-col gap-6" data-testid="admin-audit">
      <PageHeader title="Audit log">Every admin action: who did what to which model, sweep, generation or key, and when.</PageHeader>
      <form className="flex flex-wrap items-end gap-2 text-sm" method="get">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-arena-muted">Action contains</span>
          <input name="action" defaultValue={filters.action} placeholder="sweep." className={INPUT} data-testid="audit-filter-action" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-arena-muted">Target type</span>
          <select name="targetType" defaultValue={filters.targetType ?? ""} className={INPUT}>
            <option value="">any</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-arena-muted">Admin email contains</span>
          <input name="actor" defaultValue={filters.actor} className={INPUT} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-arena-muted">Target id</span>
          <input name="targetId" defaultValue={filters.targetId} className={INPUT} />
        </label>
        <button type="submit" className={BUTTON}>
          Filter
        </button>
      </form>
      <Panel title={`${entries.length} ${entries.length === 1 ? "entry" : "entries"}`}>
        <AuditTable entries={entries} />
      </Panel>
    </div>
  );
}
