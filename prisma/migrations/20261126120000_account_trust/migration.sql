-- Accounts and roles (issue 10 E): blocking an account, and a session version that lets an admin
-- sign an account out everywhere (sessions carry the version they were issued under).

-- AlterTable
ALTER TABLE "User" ADD COLUMN "blockedAt" TIMESTAMP(3),
ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
