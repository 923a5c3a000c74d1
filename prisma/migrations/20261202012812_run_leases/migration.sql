-- DropIndex
DROP INDEX "run_status_idx";

-- AlterTable
ALTER TABLE "run" ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "lost_leases" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "run_status_lease_expires_at_idx" ON "run"("status", "lease_expires_at");

-- Training runs held by a worker before leases existed: their lease ends 30 s after their last
-- heartbeat, so the workers' reaper hands them to a live worker.
UPDATE "run" SET "lease_expires_at" = COALESCE("heartbeat_at", now()) + interval '30 seconds'
WHERE "kind" = 'TRAINING' AND "status" = 'RUNNING' AND "worker_id" IS NOT NULL;
