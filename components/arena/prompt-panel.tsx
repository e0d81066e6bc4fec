"use client";

import { useId, useState } from "react";
import type { BattleResponse } from "@/lib/contracts";
import { ReferenceGallery } from "./reference-gallery";

export function PromptPanel({ battle }: { battle: BattleResponse }) {
  const { name, prompt } = battle.category;
  const isImage = battle.track === "image";
  return (
    <section aria-label="Prompt" className="rounded-2xl border border-arena-border bg-arena-panel px-4 py-3 sm:px-5 sm:py-4">
      <div className={isImage ? "flex flex-col gap-3 lg:flex-row lg:items-center lg:gap-6" : ""}>
        <div className="min-w-0 flex-1">
          <div className="mb-1.5 flex items-center gap-2">
            <span className="text-[11px] font-semibold tracking-wider text-arena-muted uppercase">
              {isImage ? "Reference views" : "Prompt"}
            </span>
            <span className="rounded-md bg-arena-raised px-1.5 py-0.5 text-[11px] text-arena-text/80" data-testid="prompt-category">
              {name}
            </span>
          </div>
          <PromptText text={prompt.text} />
          {!isImage && prompt.instruction && <Instruction text={prompt.instruction} />}
        </div>
        {isImage && <ReferenceGallery images={prompt.images ?? []} />}
      </div>
    </section>
  );
}

/** Phones show the first two lines with "More", so both models still fit on the first screen. */
function PromptText({ text }: { text: string }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <>
      <p
        data-testid="prompt-text"
        className={`text-sm leading-relaxed text-arena-text/95 sm:line-clamp-none sm:text-[15px] ${expanded ? "" : "line-clamp-2"}`}
      >
        {text}
      </p>
      {!expanded && text.length > 80 && (
        <button
          type="button"
          onClick={() => setExpanded(true)}
          data-testid="prompt-more"
          className="mt-0.5 text-xs font-medium text-arena-accent hover:underline sm:hidden"
        >
          More
        </button>
      )}
    </>
  );
}

function Instruction({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="mt-2">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        data-testid="prompt-instruction-toggle"
        className="inline-flex items-center gap-1 text-xs font-medium text-arena-accent hover:underline"
      >
        {open ? "Hide" : "Show"} the structured instruction
        <svg viewBox="0 0 12 12" className={`h-3 w-3 transition-transform ${open ? "rotate-180" : ""}`} aria-hidden="true">
          <path d="M3 4.5 6 7.5 9 4.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      {open && (
        <div
          id={id}
          data-testid="prompt-instruction"
          className="mt-2 max-h-60 overflow-auto rounded-lg border border-arena-border bg-arena-bg/60 px-3 py-2 text-[13px] leading-relaxed whitespace-pre-wrap text-arena-text/85"
        >
          {text}
        </div>
      )}
    </div>
  );
}
