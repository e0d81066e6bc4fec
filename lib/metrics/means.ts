/**
 * Conditional and penalised means of a plugin score (benchmark-compat §5), from per-model
 * aggregates of its MetricScore rows:
 *   conditional = mean over outputs that have a value for the score and were scored on all their
 *                 views (a row whose details say complete: false is left out, as the benchmark does);
 *   penalised   = mean over every scored output (ok or failed), an output without a value counting
 *                 0 ("zero" penalty: missing views, failures), or none ("excluded" penalty).
 * Outputs the metric has not been run on yet (no row) are in neither: `outputs` vs `scored` says how
 * complete the figure is instead of counting work not done as a failure.
 */
export interface ScoreAggregate {
  /** MetricScore rows of this metric version (ok + failed) for the model's finished outputs. */
  scored: number;
  /** Rows with a finite value for this score, and the sum of those values. */
  withValue: number;
  sum: number;
  /** The same over complete rows only (details.complete not false); defaults to withValue/sum. */
  completeWithValue?: number;
  completeSum?: number;
}

export interface ScoreMeans {
  conditional: number | null;
  penalised: number | null;
  /** Outputs with a value / rows / finished outputs of the model in the scope. */
  withValue: number;
  scored: number;
  outputs: number;
}

export function scoreMeans(agg: ScoreAggregate, penalty: "zero" | "excluded", outputs: number): ScoreMeans {
  return {
    conditional: (agg.completeWithValue ?? agg.withValue) > 0 ? (agg.completeSum ?? agg.sum) / (agg.completeWithValue ?? agg.withValue) : null,
    penalised: penalty === "zero" && agg.scored > 0 ? agg.sum / agg.scored : null,
    withValue: agg.withValue,
    scored: agg.scored,
    outputs,
  };
}
