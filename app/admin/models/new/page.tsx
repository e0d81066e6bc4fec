import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/panel";
import { ModelForm } from "@/components/admin/model-form";

export const metadata: Metadata = { title: "Register a model · Admin" };

export default function NewModelPage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Register a model">An LLM contestant: which API to call, how to prompt it, and what it costs.</PageHeader>
      <ModelForm />
    </div>
  );
}
