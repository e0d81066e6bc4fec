/**
 * The ratings worker's recompute runner (lib/ratings/schedule.ts): one recompute at a time
 * whoever starts it, a failed one does not block the next, and the reconcile timer runs only when
 * the database has work and nothing else ran or waits.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RecomputeRunner } from "@/lib/ratings/schedule";

const tick = () => new Promise((r) => setImmediate(r));

describe("RecomputeRunner", () => {
  test("runs recomputes one at a time, in order, and survives a failed one", async () => {
    const log: string[] = [];
    let active = 0;
    const runner = new RecomputeRunner(
      async (reason) => {
        active++;
        assert.equal(active, 1, "never two at once");
        log.push(`start ${reason}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${reason}`);
        active--;
        if (reason === "boom") throw new Error("fit failed");
      },
      async () => false,
    );
    const runs = [runner.run("startup"), runner.run("boom"), runner.run("vote")];
    const settled = await Promise.allSettled(runs);
    assert.deepEqual(
      settled.map((s) => s.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
    assert.deepEqual(log, ["start startup", "end startup", "start boom", "end boom", "start vote", "end vote"]);
    assert.ok(runner.last, "the last finished recompute is kept for the backoff");
  });

  test("reconcile runs only with work pending, nothing running and no recent recompute", async () => {
    let now = 100_000;
    let pending = true;
    const reasons: string[] = [];
    let release: (() => void) | null = null;
    const runner = new RecomputeRunner(
      async (reason) => {
        reasons.push(reason);
        if (reason === "slow") await new Promise<void>((r) => (release = r));
        now += 200;
      },
      async () => pending,
      () => now,
    );
    assert.equal(await runner.reconcile(5000), true, "a fresh worker with work pending catches up");
    assert.deepEqual(reasons, ["reconcile"]);

    now += 1000;
    assert.equal(await runner.reconcile(5000), false, "a recompute ended 1 s ago: the queue has it in hand");
    now += 5000;
    pending = false;
    assert.equal(await runner.reconcile(5000), false, "nothing to do");

    pending = true;
    const slow = runner.run("slow");
    await tick();
    assert.equal(await runner.reconcile(5000), false, "one is running");
    release!();
    await slow;
    now += 6000;
    assert.equal(await runner.reconcile(5000), true);
    assert.deepEqual(reasons, ["reconcile", "slow", "reconcile"]);
  });

  test("a debounced run waits the adaptive backoff; a direct one does not", async () => {
    const now = 50_000;
    const started: number[] = [];
    const runner = new RecomputeRunner(
      async () => {
        started.push(performance.now());
      },
      async () => false,
      () => now,
    );
    runner.last = { endedAt: now, durationMs: 60 };
    const t0 = performance.now();
    await runner.run("startup");
    assert.ok(started[0]! - t0 < 40, "direct: at once");
    runner.last = { endedAt: now, durationMs: 60 };
    const t1 = performance.now();
    await runner.run("vote", true);
    assert.ok(started[1]! - t1 >= 55, `debounced: waited ${started[1]! - t1} ms`);
  });

  test("under continuous voting, debounced recomputes start at most once per minimum interval", async () => {
    const starts: number[] = [];
    const runner = new RecomputeRunner(
      async () => {
        starts.push(performance.now());
      },
      async () => false,
      () => performance.now(),
      150,
    );
    // The queue hands the runner the next debounced job as soon as the last one ended.
    for (let i = 0; i < 4; i++) await runner.run("vote", true);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    assert.ok(gaps.every((g) => g >= 145), `gaps between recompute starts: ${gaps.map((g) => g.toFixed(0)).join(", ")} ms`);
    // A direct run (the worker's start) is never held back.
    const t0 = performance.now();
    await runner.run("startup");
    assert.ok(starts.at(-1)! - t0 < 40);
  });
});
