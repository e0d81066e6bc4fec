-- Issue 15 part 5: display views (thumbnails and galleries) stored next to the benchmark views,
-- which stay the Image->3D input and the metric input. Older rows keep empty lists and fall back
-- to the benchmark views.
ALTER TABLE "Category" ADD COLUMN "displayImageKeys" TEXT[],
ADD COLUMN "displayProfile" TEXT;

ALTER TABLE "Generation" ADD COLUMN "displayRenderKeys" TEXT[],
ADD COLUMN "displayProfile" TEXT,
ADD COLUMN "displayRenderer" JSONB;
