import type { Metadata } from "next";
import { db } from "@/lib/db";
import { PROFILES } from "@/lib/pipeline/profiles";
import { PageHeader } from "@/components/admin/panel";
import { SweepForm } from "@/components/admin/sweep-form";

export const metadata: Metadata = { title: "New sweep · Admin" };
export const dynamic = "force-dynamic";

export default async function NewSweepPage() {
  const [models, categories] = await Promise.all([
    db().contestant.findMany({ where: { status: "active" }, orderBy: [{ kind: "desc" }, { slug: "asc" }], select: { slug: true, displayName: true, harness: true, kind: true } }),
    db().category.findMany({ orderBy: { instanceId: "asc" }, select: { instanceId: true, tags: true } }),
  ]);
  const tags = [...new Set(categories.flatMap((c) => c.tags))].sort();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="New sweep">Models × categories × tracks. The plan and cost estimate update as you choose.</PageHeader>
      <SweepForm options={{ models, tags, categories: categories.map((c) => c.instanceId), profiles: Object.keys(PROFILES) }} />
    </div>
  );
}
