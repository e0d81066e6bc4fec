/** What a viewer shows instead of (or over) the model: download progress and a readable failure. */

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `loadedBytes` is null once the download is done and the model is being parsed and drawn. */
export function LoadingOverlay({ loadedBytes, totalBytes }: { loadedBytes: number | null; totalBytes: number | null }) {
  const fraction = loadedBytes !== null && totalBytes ? Math.min(loadedBytes / totalBytes, 1) : null;
  const caption =
    loadedBytes === null
      ? "Preparing model…"
      : fraction !== null
        ? `Loading model… ${Math.round(fraction * 100)}% · ${formatBytes(loadedBytes)} of ${formatBytes(totalBytes!)}`
        : loadedBytes > 0
          ? `Loading model… ${formatBytes(loadedBytes)}`
          : "Loading model…";
  return (
    <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center gap-3" data-testid="viewer-loading">
      <div
        className="h-1.5 w-40 overflow-hidden rounded-full bg-white/10"
        role="progressbar"
        aria-label="Model download"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction !== null ? Math.round(fraction * 100) : undefined}
      >
        {fraction !== null ? (
          <div className="h-full rounded-full bg-arena-accent transition-[width] duration-150" style={{ width: `${fraction * 100}%` }} />
        ) : (
          <div className="animate-indeterminate h-full w-2/5 rounded-full bg-arena-accent/80" />
        )}
      </div>
      <p className="text-xs text-arena-muted tabular">{caption}</p>
    </div>
  );
}

export function ErrorOverlay({ message }: { message: string | null }) {
  return (
    <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 px-6 text-center" data-testid="viewer-error">
      <svg viewBox="0 0 24 24" className="h-8 w-8 text-arena-danger/90" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
        <path d="M12 3 21 19H3z" strokeLinejoin="round" />
        <path d="M12 10v4M12 16.5v.5" strokeLinecap="round" />
      </svg>
      <p className="text-sm font-medium">This model could not be displayed</p>
      {message && <p className="max-w-xs text-xs break-words text-arena-muted">{message}</p>}
    </div>
  );
}
