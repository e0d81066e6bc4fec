/** The ip-burst rule of lib/moderation/fraud/detect.ts. */
import type { AuditVote } from "@/lib/moderation/fraud/detect";

/**
 * Vote id -> reason for every vote of one IP (the caller groups by ipHash and skips null) that lies in
 * a window of fewer than `burstWindowMs` ms holding more than `burstMax` votes. Two pointers over the
 * votes in time order, O(n log n) for the sort and O(n) after it. Votes without a finite timestamp
 * are never in a burst.
 */
export function ipBursts(votes: readonly AuditVote[], o: { burstWindowMs: number; burstMax: number }): Map<string, string> {
  const timed = votes.filter((v) => Number.isFinite(v.createdAt));
  // Stable sort: equal timestamps keep the canonical order.
  timed.sort((x, y) => x.createdAt - y.createdAt);
  const marked = new Uint8Array(timed.length);
  const endingHere = new Int32Array(timed.length); // size of the longest window ending at each vote
  let start = 0;
  let markedTo = -1;
  for (let end = 0; end < timed.length; end++) {
    while (timed[end]!.createdAt - timed[start]!.createdAt >= o.burstWindowMs) start++;
    const count = end - start + 1;
    endingHere[end] = count;
    if (count <= o.burstMax) continue;
    // [start, markedTo] is already marked (an earlier window started no later), so this is O(n) overall.
    for (let i = Math.max(start, markedTo + 1); i <= end; i++) marked[i] = 1;
    markedTo = end;
  }
  const out = new Map<string, string>();
  // Overlapping over-limit windows form one episode (a maximal run of marked votes), one reason each.
  for (let i = 0; i < timed.length; ) {
    if (!marked[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < timed.length && marked[j + 1]) j++;
    // Every over-limit window lies inside one run, so its largest window ends inside it too.
    let peak = 0;
    for (let k = i; k <= j; k++) peak = Math.max(peak, endingHere[k]!);
    const seconds = (timed[j]!.createdAt - timed[i]!.createdAt) / 1000;
    const reason =
      `IP cast ${j - i + 1} votes in ${seconds.toFixed(1)} s with up to ${peak} inside one ` +
      `${(o.burstWindowMs / 1000).toFixed(0)} s window (limit ${o.burstMax})`;
    for (let k = i; k <= j; k++) out.set(timed[k]!.id, reason);
    i = j + 1;
  }
  return out;
}
