import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { sweepFormOptions } from "@/lib/sweeps/plan";
import { PageHeader } from "@/components/admin/panel";
import { SweepForm } from "@/components/admin/sweep-form";

export const metadata: Metadata = { title: "New sweep · Admin" };
export const dynamic = "force-dynamic";

export default async function NewSweepPage() {
  const access = await pageAccess("admin", "/admin/sweeps/new");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="New sweep">Models × categories × tracks. The plan and cost estimate update as you choose.</PageHeader>
      <SweepForm options={await sweepFormOptions()} />
    </div>
  );
}
