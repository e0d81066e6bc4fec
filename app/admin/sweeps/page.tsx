import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import Link from "next/link";
import { listSweeps } from "@/lib/sweeps/live";
import { PageHeader, Panel, BUTTON } from "@/components/admin/panel";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { SweepSummary } from "@/components/admin/sweep-summary";

export const metadata: Metadata = { title: "Sweeps · Admin" };
export const dynamic = "force-dynamic";

export default async function SweepsPage() {
  const access = await pageAccess("admin", "/admin/sweeps");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const sweeps = await listSweeps();
  return (
    <div className="flex flex-col gap-6" data-testid="admin-sweeps">
      <PageHeader
        title="Sweeps"
        actions={
          <div className="flex items-center gap-3">
            <AutoRefresh intervalMs={5000} />
            <Link prefetch={false} href="/admin/sweeps/new" className={BUTTON} data-testid="sweep-new">
              New sweep
            </Link>
          </div>
        }
      >
        Every run of models over categories and tracks, newest first.
      </PageHeader>
      <Panel title={`${sweeps.length} sweeps`}>
        {sweeps.length === 0 ? (
          <p className="text-sm text-arena-muted">No sweeps yet.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-arena-border/60">
            {sweeps.map((s) => (
              <li key={s.id} className="flex flex-col gap-2 py-3" data-testid="sweep-row" data-id={s.id}>
                <SweepSummary s={s} detailed />
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
