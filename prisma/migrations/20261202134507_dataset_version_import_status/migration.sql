-- CreateEnum
CREATE TYPE "DatasetVersionStatus" AS ENUM ('IMPORTING', 'READY', 'FAILED');

-- AlterTable
ALTER TABLE "dataset_version" ADD COLUMN     "import_error" JSONB,
ADD COLUMN     "import_heartbeat_at" TIMESTAMPTZ(3),
ADD COLUMN     "import_progress" DOUBLE PRECISION NOT NULL DEFAULT 1,
ADD COLUMN     "import_request" JSONB,
ADD COLUMN     "status" "DatasetVersionStatus" NOT NULL DEFAULT 'READY',
ADD COLUMN     "upload_id" UUID,
ALTER COLUMN "content_sha256" DROP NOT NULL,
ALTER COLUMN "size_bytes" SET DEFAULT 0,
ALTER COLUMN "example_count" SET DEFAULT 0,
ALTER COLUMN "storage_uri" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "dataset_version_upload_id_idx" ON "dataset_version"("upload_id");

-- CreateIndex
CREATE INDEX "upload_created_at_idx" ON "upload"("created_at");

-- AddForeignKey
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;
