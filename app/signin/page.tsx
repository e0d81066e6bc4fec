import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { oauthProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only paths on this site: anything else (`//evil.example`, `/\evil.example`) would be an open redirect.
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-12">
      <SignInForm providers={oauthProviders()} callbackUrl={callbackUrl} error={typeof params.error === "string" ? params.error : null} />
    </div>
  );
}
