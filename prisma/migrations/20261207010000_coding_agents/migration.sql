-- Coding-agent contestants (issue 14 part 5): a contestant kind, and the agent run's facts on its generation.
ALTER TYPE "ContestantKind" ADD VALUE 'agent';

ALTER TABLE "Generation" ADD COLUMN "agentRun" JSONB;
