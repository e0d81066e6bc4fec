-- Anonymity until the vote (issue 10 C, F): battle GLBs are fetched through per-battle URLs whose
-- first download is recorded; decision time comes from the server's clock, the client's is kept.

-- AlterTable
ALTER TABLE "Battle" ADD COLUMN "aFetchedAt" TIMESTAMP(3),
ADD COLUMN "bFetchedAt" TIMESTAMP(3),
ADD COLUMN "repeatExposure" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Vote" ADD COLUMN "clientDecisionMs" INTEGER,
ADD COLUMN "bothFetched" BOOLEAN;
