import type { Metadata } from "next";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";

export const metadata: Metadata = { title: "Confirm your email", robots: { index: false } };
export const dynamic = "force-dynamic";

/**
 * Where verification links land. Nothing happens on GET (mail scanners open links); the person
 * confirms with the account's password, which also settles it (lib/auth/verification.ts).
 */
export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-12">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Confirm your email</h1>
        <p className="mt-1 text-sm text-arena-muted">
          Enter the password for this account. If someone else registered your address, choose a new password here: it replaces theirs
          and signs every session of the account out.
        </p>
      </div>
      {typeof token === "string" && token ? (
        <VerifyEmailForm token={token} />
      ) : (
        <p className="text-sm text-arena-danger" data-testid="verify-missing">
          This link is incomplete. Open the whole link from the mail, or ask an admin for a new one.
        </p>
      )}
    </div>
  );
}
