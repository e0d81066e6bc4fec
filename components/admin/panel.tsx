import type { ReactNode } from "react";

export function Panel({ title, children, testId, actions }: { title: string; children: ReactNode; testId?: string; actions?: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 rounded-xl border border-arena-border bg-arena-panel p-4" data-testid={testId}>
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold tracking-tight">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function PageHeader({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {children && <p className="mt-1 text-sm text-arena-muted">{children}</p>}
      </div>
      {actions}
    </header>
  );
}

export const BUTTON = "rounded-md bg-arena-accent/20 px-3 py-1.5 text-sm font-medium text-arena-accent hover:bg-arena-accent/30 disabled:opacity-50";
export const BUTTON_QUIET = "rounded-md border border-arena-border px-3 py-1.5 text-sm text-arena-muted hover:text-arena-text disabled:opacity-50";
export const BUTTON_DANGER = "rounded-md bg-arena-danger/20 px-3 py-1.5 text-sm font-medium text-arena-danger hover:bg-arena-danger/30 disabled:opacity-50";
export const INPUT = "rounded-md border border-arena-border bg-arena-bg px-2.5 py-1.5 text-sm text-arena-text placeholder:text-arena-muted/60 focus:border-arena-accent focus:outline-none";
