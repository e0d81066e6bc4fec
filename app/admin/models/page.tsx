import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import Link from "next/link";
import { listModels } from "@/lib/contestants/admin";
import { listKeys } from "@/lib/providers/keys-admin";
import { PageHeader, Panel, BUTTON } from "@/components/admin/panel";
import { KeysPanel } from "@/components/admin/keys-panel";
import { StatusBadge } from "@/components/admin/status-badge";

export const metadata: Metadata = { title: "Models · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminModelsPage() {
  const access = await pageAccess("admin", "/admin/models");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const [models, keys] = await Promise.all([listModels(), listKeys().catch(() => [])]);
  return (
    <div className="flex flex-col gap-6" data-testid="admin-models">
      <PageHeader
        title="Models"
        actions={
          <Link href="/admin/models/new" className={BUTTON} data-testid="model-new">
            Register a model
          </Link>
        }
      >
        Every contestant: provider, harness, prices (USD per 1M tokens) and how much it has been used.
      </PageHeader>
      <Panel title={`${models.length} models`}>
        <div className="overflow-x-auto">
          <table className="w-full text-sm tabular" data-testid="models-table">
            <thead className="text-left text-xs text-arena-muted">
              <tr>
                <th className="py-1 pr-3 font-medium">Model</th>
                <th className="py-1 pr-3 font-medium">Status</th>
                <th className="py-1 pr-3 font-medium">Provider · model id</th>
                <th className="py-1 pr-3 font-medium">Harness</th>
                <th className="py-1 pr-3 text-right font-medium">In / cached / out</th>
                <th className="py-1 pr-3 text-right font-medium">Outputs</th>
                <th className="py-1 text-right font-medium">Votes</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} className="border-t border-arena-border/60" data-testid="model-row" data-slug={m.slug}>
                  <td className="py-1.5 pr-3">
                    <Link href={`/admin/models/${m.id}`} className="font-medium hover:underline">
                      {m.displayName}
                    </Link>
                    <div className="font-mono text-xs text-arena-muted">{m.slug}</div>
                  </td>
                  <td className="py-1.5 pr-3">
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="py-1.5 pr-3">
                    {m.provider} · <span className="font-mono text-xs">{m.providerModelId}</span>
                  </td>
                  <td className="py-1.5 pr-3">{m.harness}</td>
                  <td className="py-1.5 pr-3 text-right">
                    {m.kind === "llm" ? `$${m.prices.input} / $${m.prices.cached} / $${m.prices.output}` : "—"}
                  </td>
                  <td className="py-1.5 pr-3 text-right">{m.outputs}</td>
                  <td className="py-1.5 text-right">{m.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <KeysPanel keys={keys} />
    </div>
  );
}
