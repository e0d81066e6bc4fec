import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import Link from "next/link";
import { adminDashboard } from "@/lib/sweeps/dashboard";
import { PageHeader, Panel } from "@/components/admin/panel";
import { QueueTable } from "@/components/admin/queue-table";
import { AuditTable } from "@/components/admin/audit-table";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { SweepSummary } from "@/components/admin/sweep-summary";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminDashboardPage() {
  const access = await pageAccess("admin", "/admin");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const d = await adminDashboard();
  const stats: [string, number | string, string][] = [
    ["Active models", d.counts.models, "/admin/models"],
    ["LLM models", d.counts.llmModels, "/admin/models"],
    ["Sweeps", d.counts.sweeps, "/admin/sweeps"],
    ["Ready outputs", d.counts.ready, "/admin/sweeps"],
    ["Failed outputs", d.counts.failed, "/admin/sweeps"],
    ["Votes", d.counts.votes, "/leaderboard"],
    [d.references.busy ? `References (${d.references.busy} in progress)` : "References prepared", `${d.references.prepared}/${d.references.total}`, "/admin/categories"],
  ];
  return (
    <div className="flex flex-col gap-6" data-testid="admin-dashboard">
      <PageHeader title="Admin console">Register models, run and watch sweeps, import results, and review what every admin did.</PageHeader>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {stats.map(([label, value, href]) => (
          <Link prefetch={false} key={label} href={href} className="rounded-xl border border-arena-border bg-arena-panel p-3 hover:border-arena-accent/50">
            <div className="text-xs text-arena-muted">{label}</div>
            <div className="text-xl font-semibold tabular">{value}</div>
          </Link>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <Panel title="Running and paused sweeps" testId="dashboard-sweeps" actions={<Link prefetch={false} href="/admin/sweeps/new" className="text-sm text-arena-accent hover:underline">New sweep</Link>}>
          {d.running.length === 0 ? (
            <p className="text-sm text-arena-muted">No sweep is running.</p>
          ) : (
            <ul className="flex flex-col gap-4">
              {d.running.map((s) => (
                <li key={s.id} className="flex flex-col gap-1.5">
                  <SweepSummary s={s} />
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Queue health">
          <QueueTable queues={d.queues} />
        </Panel>
      </div>
      <Panel title="Recent admin actions" actions={<Link prefetch={false} href="/admin/audit" className="text-sm text-arena-accent hover:underline">Full audit log</Link>}>
        <AuditTable entries={d.audit} />
      </Panel>
      <AutoRefresh intervalMs={5000} />
    </div>
  );
}
