-- Issue 14 part 6: reference views rendered with the reference profile (REFERENCE_PROFILE, default
-- benchmark), recorded with the exact Blender version; preparation progress for the admin view.
ALTER TABLE "Category" ADD COLUMN "referenceViewsFromSet" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "referenceProfile" TEXT,
ADD COLUMN "referenceBlenderVersion" TEXT,
ADD COLUMN "referenceRenderer" JSONB,
ADD COLUMN "referenceQueuedAt" TIMESTAMP(3),
ADD COLUMN "referenceStartedAt" TIMESTAMP(3),
ADD COLUMN "referencePreparedAt" TIMESTAMP(3);

-- Views a set shipped were stored under categories/<instance>/reference/ (lib/categories/import.ts).
UPDATE "Category" SET "referenceViewsFromSet" = true
WHERE EXISTS (SELECT 1 FROM unnest("referenceImageKeys") AS k WHERE k LIKE 'categories/%/reference/%');
