import type { GalleryItem } from "@/lib/leaderboard/model-profile";
import { formatChamfer } from "@/components/ui/format";

const TRACK_LABEL = { text: "Text", image: "Image" } as const;

/** Why some outputs are missing: shown whenever the gallery leaves blind outputs out. */
function BlindNote({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p className="text-sm text-arena-muted" data-testid="gallery-blind-note" data-count={count}>
      {count.toLocaleString("en-US")} {count === 1 ? "output is" : "outputs are"} still in blind voting and not shown here, so that
      nobody can recognise {count === 1 ? "it" : "them"} in a battle. Outputs you have voted on appear here after the reveal.
    </p>
  );
}

/** Benchmark view Image_005 of each output (the runner's render), newest first. */
export function ModelGallery({ items, blindOutputs }: { items: GalleryItem[]; blindOutputs: number }) {
  if (items.length === 0) {
    return blindOutputs > 0 ? <BlindNote count={blindOutputs} /> : <p className="text-sm text-arena-muted">No finished outputs yet.</p>;
  }
  return (
    <>
    <BlindNote count={blindOutputs} />
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="model-gallery">
      {items.map((g) => (
        <li key={g.id} className="overflow-hidden rounded-xl border border-arena-border bg-arena-panel" data-testid="gallery-item" data-status={g.execStatus ?? "pending"}>
          <div className="flex aspect-square items-center justify-center bg-[radial-gradient(circle_at_50%_40%,#222a3b,#10141c)]">
            {g.imageUrl ? (
              // Plain img: renders are small PNGs served by our own asset route.
              <img src={g.imageUrl} alt={`${g.category}, ${TRACK_LABEL[g.track]} track`} loading="lazy" className="h-full w-full object-contain" />
            ) : (
              <span className="px-2 text-center font-mono text-xs text-arena-danger">{g.execStatus ?? "pending"}</span>
            )}
          </div>
          <div className="px-2.5 py-2 text-xs">
            <div className="truncate font-medium" title={g.category}>
              {g.category}
            </div>
            <div className="mt-0.5 flex justify-between text-arena-muted">
              <span>{TRACK_LABEL[g.track]}</span>
              <span className="tabular" title="Chamfer distance to the reference">
                {g.execStatus === "OK" ? `CD ${formatChamfer(g.chamfer)}` : g.execStatus}
              </span>
            </div>
            {g.faces !== null && (
              <div className="mt-0.5 text-arena-muted tabular">
                {g.faces.toLocaleString("en-US")} faces · {g.parts} {g.parts === 1 ? "part" : "parts"}
              </div>
            )}
          </div>
        </li>
      ))}
    </ul>
    </>
  );
}
