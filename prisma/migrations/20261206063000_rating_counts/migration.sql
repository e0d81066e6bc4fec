-- Ratings at scale (issue 11): rating counts kept in step with votes, and rank confidence per entry.
-- Every change to what a vote counts for (cast, flagged, restored, outcome or voter kind changed,
-- deleted) appends a signed row to "VoteCountDelta" in the same transaction, whoever makes it (the
-- API, the fraud audit, moderation, or SQL by hand). Appending never touches a shared row, so votes
-- do not queue behind each other or deadlock with a batch of flag changes. The ratings worker
-- folds the log into per-scope counts (lib/services/rating-counts.ts); no "RatingCountState" row
-- yet means it first rebuilds them from the votes.

-- AlterTable
ALTER TABLE "RatingEntry" ADD COLUMN "board" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "boardVotes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "orderProbability" DOUBLE PRECISION,
ADD COLUMN "votesToSettle" INTEGER;

-- CreateTable
CREATE TABLE "VoteCountDelta" (
    "id" BIGSERIAL NOT NULL,
    "track" "Track" NOT NULL,
    "categoryId" TEXT NOT NULL,
    "generationAId" TEXT NOT NULL,
    "generationBId" TEXT NOT NULL,
    "contestantAId" TEXT NOT NULL,
    "contestantBId" TEXT NOT NULL,
    "outcome" "VoteOutcome" NOT NULL,
    "signedIn" BOOLEAN NOT NULL,
    "valid" BOOLEAN NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "VoteCountDelta_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScopePairCount" (
    "scope" TEXT NOT NULL,
    "contestantLoId" TEXT NOT NULL,
    "contestantHiId" TEXT NOT NULL,
    "winsLo" INTEGER NOT NULL DEFAULT 0,
    "winsHi" INTEGER NOT NULL DEFAULT 0,
    "ties" INTEGER NOT NULL DEFAULT 0,
    "bothBad" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScopePairCount_pkey" PRIMARY KEY ("scope","contestantLoId","contestantHiId")
);

-- CreateTable
CREATE TABLE "ScopeOutputCount" (
    "scope" TEXT NOT NULL,
    "generationLoId" TEXT NOT NULL,
    "generationHiId" TEXT NOT NULL,
    "contestantLoId" TEXT NOT NULL,
    "contestantHiId" TEXT NOT NULL,
    "winsLo" INTEGER NOT NULL DEFAULT 0,
    "winsHi" INTEGER NOT NULL DEFAULT 0,
    "ties" INTEGER NOT NULL DEFAULT 0,
    "bothBad" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScopeOutputCount_pkey" PRIMARY KEY ("scope","generationLoId","generationHiId")
);

-- CreateTable
CREATE TABLE "RatingCountState" (
    "id" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RatingCountState_pkey" PRIMARY KEY ("id")
);

-- The trigger: one signed row per side of a change (the old values stop counting, the new start).
CREATE FUNCTION "vote_count_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO "VoteCountDelta" ("track", "categoryId", "generationAId", "generationBId", "contestantAId", "contestantBId", "outcome", "signedIn", "valid", "delta")
    SELECT b."track", b."categoryId", b."generationAId", b."generationBId", ga."contestantId", gb."contestantId",
           OLD."outcome", OLD."voterSignedIn", OLD."valid", -1
    FROM "Battle" b
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    WHERE b."id" = OLD."battleId";
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO "VoteCountDelta" ("track", "categoryId", "generationAId", "generationBId", "contestantAId", "contestantBId", "outcome", "signedIn", "valid", "delta")
    SELECT b."track", b."categoryId", b."generationAId", b."generationBId", ga."contestantId", gb."contestantId",
           NEW."outcome", NEW."voterSignedIn", NEW."valid", 1
    FROM "Battle" b
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    WHERE b."id" = NEW."battleId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Vote_count_delta" AFTER INSERT OR DELETE ON "Vote"
FOR EACH ROW EXECUTE FUNCTION "vote_count_delta"();

CREATE TRIGGER "Vote_count_delta_update" AFTER UPDATE OF "outcome", "valid", "voterSignedIn", "battleId" ON "Vote"
FOR EACH ROW
WHEN (OLD."outcome" IS DISTINCT FROM NEW."outcome" OR OLD."valid" IS DISTINCT FROM NEW."valid"
      OR OLD."voterSignedIn" IS DISTINCT FROM NEW."voterSignedIn" OR OLD."battleId" IS DISTINCT FROM NEW."battleId")
EXECUTE FUNCTION "vote_count_delta"();
