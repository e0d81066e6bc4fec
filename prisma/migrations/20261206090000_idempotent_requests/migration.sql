-- Idempotent battles and votes (issue 12): a retried "give me a battle" request with the same
-- Idempotency-Key gets the same battle back; a re-sent vote gets the answer it was given.

-- AlterTable
ALTER TABLE "Battle" ADD COLUMN "requestKey" TEXT;

-- AlterTable
ALTER TABLE "Vote" ADD COLUMN "reveal" JSONB;

-- CreateIndex
CREATE UNIQUE INDEX "Battle_voterId_requestKey_key" ON "Battle"("voterId", "requestKey");
