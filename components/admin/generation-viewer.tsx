"use client";

import { ModelViewer } from "@/components/viewer/model-viewer";

export function GenerationViewer({ url, label }: { url: string; label: string }) {
  return (
    <div className="viewer-backdrop relative h-80 overflow-hidden rounded-lg">
      <ModelViewer url={url} label={label} viewerId="admin" testId="generation-viewer" className="absolute inset-0" />
    </div>
  );
}
