import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { flaggedVotes, openReports, recentlyHidden } from "@/lib/moderation/moderation";
import { hasRole } from "@/lib/auth/session";
import { FlaggedVotes } from "@/components/moderation/flagged-votes";
import { ReportQueue } from "@/components/moderation/report-queue";

export const metadata: Metadata = { title: "Moderation" };
export const dynamic = "force-dynamic";

export default async function ModerationPage() {
  const access = await pageAccess("maintainer", "/moderation");
  if (!access.allowed) return <StaffOnly access={access} testId="moderation-forbidden" />;
  const [votes, reports, hidden] = await Promise.all([flaggedVotes(), openReports(), recentlyHidden()]);
  return (
    <div className="mx-auto flex max-w-7xl min-w-0 flex-col gap-8 px-4 py-6 sm:px-6 sm:py-8" data-testid="moderation-page">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Moderation</h1>
        <p className="mt-1 text-sm text-arena-muted">
          Reported outputs and the votes fraud detection excluded. Every decision is in the audit log with your account; a hide
          can be undone here for a day, a vote decision is final for the fraud worker.
        </p>
      </header>
      <ReportQueue items={reports} hidden={hidden} isAdmin={hasRole(access.user, "admin")} />
      <FlaggedVotes votes={votes.votes} total={votes.total} />
    </div>
  );
}
