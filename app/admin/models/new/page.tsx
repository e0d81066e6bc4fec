import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { PageHeader } from "@/components/admin/panel";
import { ModelForm } from "@/components/admin/model-form";

export const metadata: Metadata = { title: "Register a model · Admin" };
export const dynamic = "force-dynamic";

export default async function NewModelPage() {
  const access = await pageAccess("admin", "/admin/models/new");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Register a model">An LLM contestant: which API to call, how to prompt it, and what it costs.</PageHeader>
      <ModelForm />
    </div>
  );
}
