-- Issue 16: one row per (generation, metric, version) for every automated metric of the registry
-- (lib/metrics/registry.ts). Unavailable metrics write nothing.
CREATE TYPE "MetricScoreStatus" AS ENUM ('ok', 'failed');

CREATE TABLE "MetricScore" (
    "id" TEXT NOT NULL,
    "generationId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "status" "MetricScoreStatus" NOT NULL,
    "values" JSONB NOT NULL,
    "details" JSONB,
    "definition" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cpuMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MetricScore_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "MetricScore_generationId_metric_version_key" ON "MetricScore"("generationId", "metric", "version");
CREATE INDEX "MetricScore_metric_version_idx" ON "MetricScore"("metric", "version");

ALTER TABLE "MetricScore" ADD CONSTRAINT "MetricScore_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
