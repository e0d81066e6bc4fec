-- Admin console and model sweeps (issue 6): cache-write prices, sweep plans and estimates,
-- imported results with status mismatches, generation moderation, richer attempts, the audit
-- log and the encrypted provider key store.

-- AlterTable
ALTER TABLE "Contestant" ADD COLUMN "priceCacheWrite" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN "plannedCalls" INTEGER,
ADD COLUMN "estimatedCostUsd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN "importedStatus" TEXT,
ADD COLUMN "statusMismatch" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "reviewedById" TEXT,
ADD COLUMN "reviewedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "GenerationAttempt" ADD COLUMN "rawResponse" TEXT,
ADD COLUMN "parseTries" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "prompt" TEXT,
ADD COLUMN "renderKeys" TEXT[];

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "iv" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderKey_name_key" ON "ProviderKey"("name");

-- AddForeignKey
ALTER TABLE "Generation" ADD CONSTRAINT "Generation_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
