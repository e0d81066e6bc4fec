import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { notFound } from "next/navigation";
import { getModel } from "@/lib/contestants/admin";
import { PageHeader, Panel } from "@/components/admin/panel";
import { ModelForm } from "@/components/admin/model-form";
import { ModelActions } from "@/components/admin/model-actions";
import { StatusBadge } from "@/components/admin/status-badge";

export const metadata: Metadata = { title: "Model · Admin" };
export const dynamic = "force-dynamic";

export default async function EditModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await pageAccess("admin", `/admin/models/${id}`);
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const m = await getModel(id);
  if (!m) notFound();
  const llm = m.kind === "llm";
  const editable = llm || m.kind === "agent";
  return (
    <div className="flex flex-col gap-6" data-testid="admin-model" data-slug={m.slug}>
      <PageHeader title={m.displayName} actions={<StatusBadge status={m.status} testId="model-status" />}>
        <span className="font-mono">{m.slug}</span> · {m.provider} · {m.providerModelId} · {m.harness}
      </PageHeader>
      <Panel title="Connection and visibility">
        <ModelActions id={m.id} status={m.status} llm={llm} />
      </Panel>
      {editable ? (
        <Panel title="Edit">
          <ModelForm
            initial={{
              id: m.id,
              slug: m.slug,
              displayName: m.displayName,
              organisation: m.organisation,
              provider: m.provider,
              providerModelId: m.providerModelId,
              harness: m.harness,
              description: m.description,
              settings: (m.settings ?? {}) as Record<string, unknown>,
              priceInput: m.priceInput,
              priceCached: m.priceCached,
              priceOutput: m.priceOutput,
              priceCacheWrite: m.priceCacheWrite,
            }}
          />
        </Panel>
      ) : (
        <p className="text-sm text-arena-muted">{m.description} Built-in contestants cannot be edited.</p>
      )}
    </div>
  );
}
