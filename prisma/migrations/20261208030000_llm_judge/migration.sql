-- Issue 16 part 4: the LLM judge (lib/judge, docs/judge.md): runs over human-voted battles and one
-- verdict per (battle, judge model, mode, prompt version).
CREATE TYPE "JudgeMode" AS ENUM ('image', 'code');

CREATE TYPE "JudgeRunStatus" AS ENUM ('running', 'completed', 'budget_stopped', 'cancelled');

CREATE TYPE "JudgeVerdictStatus" AS ENUM ('pending', 'done', 'invalid', 'failed', 'skipped');

CREATE TABLE "JudgeRun" (
    "id" TEXT NOT NULL,
    "judgeContestantId" TEXT NOT NULL,
    "mode" "JudgeMode" NOT NULL,
    "track" "Track" NOT NULL,
    "promptSet" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "budgetUsd" DOUBLE PRECISION NOT NULL,
    "estimatedCostUsd" DOUBLE PRECISION NOT NULL,
    "worstCaseCostUsd" DOUBLE PRECISION NOT NULL,
    "battles" INTEGER NOT NULL,
    "reused" INTEGER NOT NULL DEFAULT 0,
    "status" "JudgeRunStatus" NOT NULL DEFAULT 'running',
    "spentUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "reservedUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JudgeRun_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "JudgeVerdict" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "battleId" TEXT NOT NULL,
    "judgeContestantId" TEXT NOT NULL,
    "mode" "JudgeMode" NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "status" "JudgeVerdictStatus" NOT NULL DEFAULT 'pending',
    "swapped" BOOLEAN NOT NULL,
    "verdictShown" "VoteOutcome",
    "verdict" "VoteOutcome",
    "reasoning" TEXT,
    "rawAnswer" TEXT,
    "error" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "cachedTokens" INTEGER NOT NULL DEFAULT 0,
    "cacheWriteTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "thinkingTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JudgeVerdict_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "JudgeRun_createdAt_idx" ON "JudgeRun"("createdAt");

CREATE INDEX "JudgeVerdict_runId_status_idx" ON "JudgeVerdict"("runId", "status");

CREATE INDEX "JudgeVerdict_judgeContestantId_mode_status_idx" ON "JudgeVerdict"("judgeContestantId", "mode", "status");

CREATE UNIQUE INDEX "JudgeVerdict_battleId_judgeContestantId_mode_promptVersion_key" ON "JudgeVerdict"("battleId", "judgeContestantId", "mode", "promptVersion");

ALTER TABLE "JudgeRun" ADD CONSTRAINT "JudgeRun_judgeContestantId_fkey" FOREIGN KEY ("judgeContestantId") REFERENCES "Contestant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "JudgeRun" ADD CONSTRAINT "JudgeRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "JudgeVerdict" ADD CONSTRAINT "JudgeVerdict_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JudgeRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "JudgeVerdict" ADD CONSTRAINT "JudgeVerdict_battleId_fkey" FOREIGN KEY ("battleId") REFERENCES "Battle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "JudgeVerdict" ADD CONSTRAINT "JudgeVerdict_judgeContestantId_fkey" FOREIGN KEY ("judgeContestantId") REFERENCES "Contestant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
