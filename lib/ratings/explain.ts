/** What is missing before a model is rated, in words (leaderboard, model pages, reveal). */
import type { UnidentifiedReason } from "@/lib/ratings/identification";

export interface Missing {
  reason: UnidentifiedReason;
  votes: number;
  /** Display names of the models it has met. */
  opponents: string[];
  minVotes: number;
}

function names(opponents: string[]): string {
  if (opponents.length === 0) return "no one";
  if (opponents.length <= 3) return opponents.join(", ");
  return `${opponents.slice(0, 2).join(", ")} and ${opponents.length - 2} more`;
}

export function missingText(m: Missing): string {
  switch (m.reason) {
    case "no-loss":
      return "no loss yet";
    case "no-win":
      return "no win yet";
    case "one-way":
      return `results only one way (compared only with ${names(m.opponents)})`;
    case "few-votes":
      return `only ${m.votes === 1 ? "1 vote" : `${m.votes} votes`} linking it to the others; a rating needs ${m.minVotes}`;
    case "no-interval":
      return "only draws so far: nothing measures its spread yet";
  }
}

/** Why a scope with votes ranks nobody yet. */
export function notEnoughDataText(votes: number, minVotes: number): string {
  return (
    `Not enough data: ${votes === 1 ? "1 vote" : `${votes.toLocaleString("en-US")} votes`} so far, and no group of models ` +
    `has yet both won and lost against each other with ${minVotes} votes each. Models are listed below with what they still need.`
  );
}
