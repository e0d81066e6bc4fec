-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "execDevice" TEXT;
