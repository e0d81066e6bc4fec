-- Issue 12: the outputs each voter has seen revealed, kept as a set instead of read from the
-- voter's whole vote history on every battle served to them (that join was half of PostgreSQL's
-- statement time per request under load, and grew with every vote). A trigger on "Vote" inserts
-- keeps it, whoever inserts; rows stay when a vote is deleted (what was shown stays shown).

-- CreateTable
CREATE TABLE "RevealedOutput" (
    "voterId" TEXT NOT NULL,
    "generationId" TEXT NOT NULL,

    CONSTRAINT "RevealedOutput_pkey" PRIMARY KEY ("voterId","generationId")
);

-- CreateIndex
CREATE INDEX "RevealedOutput_generationId_idx" ON "RevealedOutput"("generationId");

-- AddForeignKey
ALTER TABLE "RevealedOutput" ADD CONSTRAINT "RevealedOutput_voterId_fkey" FOREIGN KEY ("voterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RevealedOutput" ADD CONSTRAINT "RevealedOutput_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Both outputs of the voted battle, for the voter it was served to. Rows already there cost an
-- index probe and no write.
CREATE FUNCTION "vote_revealed_outputs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RevealedOutput" ("voterId", "generationId")
  SELECT b."voterId", g.id
  FROM "Battle" b CROSS JOIN LATERAL unnest(ARRAY[b."generationAId", b."generationBId"]) AS g(id)
  WHERE b."id" = NEW."battleId"
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Vote_revealed_outputs" AFTER INSERT ON "Vote"
FOR EACH ROW EXECUTE FUNCTION "vote_revealed_outputs"();

-- The votes cast before this migration.
INSERT INTO "RevealedOutput" ("voterId", "generationId")
SELECT DISTINCT b."voterId", g.id
FROM "Vote" v
JOIN "Battle" b ON b."id" = v."battleId"
CROSS JOIN LATERAL unnest(ARRAY[b."generationAId", b."generationBId"]) AS g(id)
ON CONFLICT DO NOTHING;
