import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { notFound } from "next/navigation";
import { ApiError } from "@/lib/api/errors";
import { sweepLive } from "@/lib/sweeps/live";
import { SweepLiveView } from "@/components/admin/sweep-live";

export const metadata: Metadata = { title: "Sweep · Admin" };
export const dynamic = "force-dynamic";

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await pageAccess("admin", `/admin/sweeps/${id}`);
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const live = await sweepLive(id).catch((err) => {
    if (err instanceof ApiError && err.code === "not_found") return null;
    throw err;
  });
  if (!live) notFound();
  return <SweepLiveView initial={live} />;
}
