import type { Outcome } from "@/lib/contracts";

export type JudgeMode = "image" | "code";
export const JUDGE_MODES: readonly JudgeMode[] = ["image", "code"];
export type Verdict = Outcome;
