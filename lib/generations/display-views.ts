/**
 * Which pictures people look at (issue 15 part 5): the display views where a run or reference has
 * them (framed, exposure-normalised, neutral background: blender-runner/harness/arena/display.py),
 * else the benchmark's views, which stay what the metrics and the Image->3D models use.
 */
// Rows from before the columns existed hold NULL lists: treated as "none".
export function shownRenderKeys(g: { displayRenderKeys: string[] | null; renderKeys: string[] }): string[] {
  return g.displayRenderKeys?.length ? g.displayRenderKeys : g.renderKeys;
}

/** The reference as voters and visitors see it; the Image->3D input stays referenceImageKeys. */
export function shownReferenceKeys(c: { displayImageKeys: string[] | null; referenceImageKeys: string[] }): string[] {
  return c.displayImageKeys?.length ? c.displayImageKeys : c.referenceImageKeys;
}
