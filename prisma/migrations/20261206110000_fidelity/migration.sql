-- Issue 14 (fidelity): both Chamfer rotation searches, the export step's own status, the run's
-- deliberate differences from the benchmark, and imported run-folder facts.
ALTER TABLE "Generation" ADD COLUMN "chamferRotMin" DOUBLE PRECISION,
ADD COLUMN "chamferRotMinVertical" DOUBLE PRECISION,
ADD COLUMN "exportStatus" TEXT,
ADD COLUMN "runConditions" JSONB,
ADD COLUMN "importedRun" JSONB;

ALTER TABLE "GenerationAttempt" ADD COLUMN "importedStatus" TEXT;
