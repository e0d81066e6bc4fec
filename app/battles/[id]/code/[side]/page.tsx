import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { currentVoter } from "@/lib/battles/voter";
import { revealedCode } from "@/lib/battles/revealed-code";
import { PythonCode } from "@/components/ui/python-code";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Generated code", robots: { index: false } };

const ZParams = z.object({ id: z.string().min(1).max(64), side: z.enum(["a", "b"]) });

/** The Blender script one side of a battle ran, for the voter who voted on that battle (lib/battles/revealed-code.ts). */
export default async function BattleCodePage({ params }: { params: Promise<{ id: string; side: string }> }) {
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  const shown = await revealedCode(parsed.data.id, parsed.data.side, await currentVoter({ create: false }));
  if (!shown) notFound();
  const { model, side } = shown;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4 px-4 py-6 sm:px-6 sm:py-8">
      <header className="flex flex-col gap-1">
        <p className="text-xs font-semibold tracking-wide text-arena-muted uppercase">
          Model {side.toUpperCase()} · {shown.category} · {shown.track === "text" ? "Text → 3D" : "Image → 3D"}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="code-model">
          {model.displayName}
          <span className="ml-2 text-base font-normal text-arena-muted">{model.organisation}</span>
        </h1>
        <p className="text-sm text-arena-muted">
          The Blender Python script this model wrote for the battle you just voted on, exactly as it ran (read-only).{" "}
          <Link prefetch={false} href={`/models/${model.slug}`} className="font-medium text-arena-accent hover:underline" data-testid="code-model-link">
            {model.displayName}&apos;s model page
          </Link>{" "}
          ·{" "}
          <Link prefetch={false} href="/" className="font-medium text-arena-accent hover:underline">
            Back to the arena
          </Link>
        </p>
      </header>
      {shown.code === null ? (
        <p className="rounded-2xl border border-dashed border-arena-border px-6 py-10 text-center text-sm text-arena-muted">
          This output was imported without its script, so there is no code to show.
        </p>
      ) : (
        <>
          <PythonCode code={shown.code} testId="code-view" wrap />
          {shown.truncated && <p className="text-xs text-arena-warn">The script is longer than this page shows; the rest is cut off.</p>}
        </>
      )}
    </div>
  );
}
