import type { Metadata } from "next";
import { db } from "@/lib/db";
import { PageHeader } from "@/components/admin/panel";
import { ImportForm } from "@/components/admin/import-form";

export const metadata: Metadata = { title: "Import · Admin" };
export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const models = await db().contestant.findMany({ where: { kind: "llm" }, orderBy: { slug: "asc" }, select: { slug: true, displayName: true } });
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
