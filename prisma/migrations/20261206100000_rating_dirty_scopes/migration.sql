-- Reliability (issue 12): the scopes whose counts changed and whose snapshot is not yet written.
-- The fold marks them in the same transaction that consumes the vote log, and a recompute clears
-- a mark only after the scope's snapshot is published, so a ratings worker killed between the two
-- leaves the work visible to the next recompute instead of losing it.

-- CreateTable
CREATE TABLE "RatingDirtyScope" (
    "scope" TEXT NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RatingDirtyScope_pkey" PRIMARY KEY ("scope")
);
