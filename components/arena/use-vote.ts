"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { BattleResponse, Outcome, VoteResponse } from "@/lib/contracts";
import { ArenaApiError, castVote, isRateLimited, isRetryableVoteError, rateLimitDelayMs, type VoteRequest } from "./arena-api";

export type VoteState =
  | { kind: "idle" }
  | { kind: "submitting"; outcome: Outcome }
  /** 429: the vote is held and resent by itself at `retryAt`. */
  | { kind: "limited"; outcome: Outcome; message: string; retryAt: number }
  /**
   * `elsewhere`: this battle already had a vote (cast in another tab) and this one was refused;
   * `outcome` and `reveal` are the recorded vote's. `tooFast`: sooner than the server's minimum.
   */
  | { kind: "voted"; outcome: Outcome; reveal: VoteResponse["reveal"]; tooFast: boolean; elsewhere: boolean }
  | { kind: "failed"; outcome: Outcome; error: ArenaApiError; retryable: boolean };

/** Quality signals read at the moment of the vote (see ZVoteBody). */
export interface VoteSignals {
  decisionMs?: number;
  bothLoaded: boolean;
  interacted: boolean;
}

/**
 * Sends one battle's vote. A 429 is not a failure the voter should have to handle: the same vote
 * (same signals, same token) is resent once the server's Retry-After has passed; a lost answer or
 * a brief 503 is resent by castVote itself. That is safe: a vote that did land answers 200 with
 * the reveal it was given.
 */
export function useVote(battle: BattleResponse, readSignals: () => VoteSignals) {
  const [vote, setVote] = useState<VoteState>({ kind: "idle" });
  // The arena keeps this hook across battles: a new battle starts idle, and an answer that comes
  // back for the previous battle is ignored.
  const [forBattle, setForBattle] = useState(battle.id);
  if (forBattle !== battle.id) {
    setForBattle(battle.id);
    setVote({ kind: "idle" });
  }
  const current = useRef(battle.id);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    current.current = battle.id;
    return () => clearTimeout(retryTimer.current);
  }, [battle.id]);

  const send = useCallback(
    async (request: VoteRequest) => {
      const stale = () => current.current !== battle.id;
      setVote({ kind: "submitting", outcome: request.outcome });
      try {
        const res = await castVote(battle.id, request);
        if (stale()) return;
        setVote({ kind: "voted", outcome: request.outcome, reveal: res.reveal, tooFast: res.tooFast === true, elsewhere: false });
      } catch (err) {
        if (stale()) return;
        if (isRateLimited(err)) {
          const delay = rateLimitDelayMs(err);
          setVote({ kind: "limited", outcome: request.outcome, message: err.message, retryAt: Date.now() + delay });
          retryTimer.current = setTimeout(() => void send(request), delay);
          return;
        }
        if (err instanceof ArenaApiError && err.code === "already_voted" && err.recorded) {
          const { outcome, reveal } = err.recorded;
          setVote({ kind: "voted", outcome, reveal, tooFast: false, elsewhere: true });
          return;
        }
        const error = err instanceof ArenaApiError ? err : new ArenaApiError(0, "unknown", "The vote could not be sent.");
        setVote({ kind: "failed", outcome: request.outcome, error, retryable: isRetryableVoteError(error) });
      }
    },
    [battle.id],
  );

  const submit = useCallback(
    (outcome: Outcome) => {
      void send({ token: battle.token, outcome, ...readSignals() });
    },
    [battle.token, readSignals, send],
  );

  return { vote, submit };
}
