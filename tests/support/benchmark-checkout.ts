/**
 * A real 3DCodeBench checkout for the prompt-set tests (its prompts/ folder is read, never copied):
 * BENCHMARK_SAMPLE_CHECKOUT, else the partial checkout shared on the development machines.
 */
import { existsSync } from "node:fs";

export const BENCHMARK_SAMPLE_CHECKOUT = process.env.BENCHMARK_SAMPLE_CHECKOUT || "/work/shared/benchmark-sample";

/** For `test(..., { skip })`: a reason when the checkout is not on this machine. */
export const NO_BENCHMARK_CHECKOUT = existsSync(`${BENCHMARK_SAMPLE_CHECKOUT}/prompts`) ? false : `no 3DCodeBench checkout at ${BENCHMARK_SAMPLE_CHECKOUT} (set BENCHMARK_SAMPLE_CHECKOUT)`;
