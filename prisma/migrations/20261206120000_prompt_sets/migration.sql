-- Issue 14 (prompt sets): which prompt set an attempt was asked with (arena-default or
-- 3dcodebench[+api]:<checkout>) and a digest of its wording; what the attempt's run left (mesh
-- objects, views), which the benchmark's multi-turn feedback template shows.
ALTER TABLE "GenerationAttempt" ADD COLUMN "promptSet" TEXT,
ADD COLUMN "promptSetDigest" TEXT,
ADD COLUMN "meshObjects" INTEGER,
ADD COLUMN "viewsRendered" INTEGER;
