import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { importFormModels } from "@/lib/runs/admin";
import { PageHeader } from "@/components/admin/panel";
import { ImportForm } from "@/components/admin/import-form";

export const metadata: Metadata = { title: "Import · Admin" };
export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const access = await pageAccess("admin", "/admin/import");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const models = await importFormModels();
  return (
    <div className="flex flex-col gap-6" data-testid="admin-import">
      <PageHeader title="Import results">
        Bring in a run made elsewhere, laid out like the benchmark&apos;s results tree. Each script is executed again here; where our status differs from
        the recorded one, the sweep page lists the mismatch.
      </PageHeader>
      <ImportForm models={models} />
    </div>
  );
}
