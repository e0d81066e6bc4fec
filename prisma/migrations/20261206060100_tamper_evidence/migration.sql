-- Results a script cannot forge (issue 10 B): runs whose script reached for the harness (audit
-- hook, forged report records) are marked for admins; the status stays what the evidence says.

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN "tamperSuspected" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "tamperEvidence" JSONB;
