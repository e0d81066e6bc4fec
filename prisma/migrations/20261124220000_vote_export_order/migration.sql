-- The vote export pages through votes by (createdAt, id); the composite index serves that order
-- and every query the createdAt-only index served.
-- DropIndex
DROP INDEX "Vote_createdAt_idx";

-- CreateIndex
CREATE INDEX "Vote_createdAt_id_idx" ON "Vote"("createdAt", "id");
