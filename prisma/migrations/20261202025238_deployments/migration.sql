-- CreateEnum
CREATE TYPE "AliasRollout" AS ENUM ('DIRECT', 'CANARY');

-- CreateEnum
CREATE TYPE "DeploymentEventKind" AS ENUM ('CREATED', 'CANARY_SET', 'CANARY_PROMOTED', 'ROLLED_BACK', 'ANALYSIS_PROMOTED', 'ANALYSIS_ROLLED_BACK', 'ALIAS_FOLLOWED', 'ALIAS_NOT_FOLLOWED', 'REVISION_READY', 'REVISION_FAILED', 'KEY_CREATED', 'KEY_REVOKED');

-- CreateTable
CREATE TABLE "deployment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "model_id" UUID NOT NULL,
    "follow_alias" VARCHAR(64),
    "alias_rollout" "AliasRollout" NOT NULL DEFAULT 'DIRECT',
    "alias_canary_weight" INTEGER,
    "alias_canary_analysis" JSONB,
    "stable_revision_id" UUID,
    "previous_revision_id" UUID,
    "canary_revision_id" UUID,
    "canary_weight" INTEGER NOT NULL DEFAULT 0,
    "canary_analysis" JSONB,
    "canary_started_at" TIMESTAMPTZ(3),
    "canary_last_analysis" JSONB,
    "canary_analyzed_at" TIMESTAMPTZ(3),
    "log_payloads" BOOLEAN NOT NULL DEFAULT false,
    "request_log_retention_hours" INTEGER NOT NULL DEFAULT 168,
    "revision_count" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_revision" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "model_version_id" UUID NOT NULL,
    "max_batch_size" INTEGER NOT NULL,
    "max_queue_delay_ms" INTEGER NOT NULL,
    "max_queue_size" INTEGER NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_ready_at" TIMESTAMPTZ(3),
    "first_failed_at" TIMESTAMPTZ(3),
    "failure" TEXT,

    CONSTRAINT "deployment_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deployment_id" UUID NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "deployment_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_event" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "kind" "DeploymentEventKind" NOT NULL,
    "revision_id" UUID,
    "actor_id" UUID,
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "serving_instance" (
    "id" UUID NOT NULL,
    "host" VARCHAR(255) NOT NULL,
    "pid" INTEGER NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loaded_revision_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "ready_revision_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "failed_revisions" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "serving_instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_request_stats" (
    "deployment_id" UUID NOT NULL,
    "revision_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "client_errors" INTEGER NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_buckets" INTEGER[],
    "batch_size_sum" BIGINT NOT NULL,

    CONSTRAINT "deployment_request_stats_pkey" PRIMARY KEY ("deployment_id","revision_id","bucket_start")
);

-- CreateTable
CREATE TABLE "deployment_request_sample" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "revision_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "status" INTEGER NOT NULL,
    "input_sha256" CHAR(64) NOT NULL,
    "instances" INTEGER NOT NULL,
    "payload" JSONB,
    "error" TEXT,

    CONSTRAINT "deployment_request_sample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "deployment_name_key" ON "deployment"("name");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_stable_revision_id_key" ON "deployment"("stable_revision_id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_canary_revision_id_key" ON "deployment"("canary_revision_id");

-- CreateIndex
CREATE INDEX "deployment_project_id_name_idx" ON "deployment"("project_id", "name");

-- CreateIndex
CREATE INDEX "deployment_model_id_follow_alias_idx" ON "deployment"("model_id", "follow_alias");

-- CreateIndex
CREATE INDEX "deployment_revision_model_version_id_idx" ON "deployment_revision"("model_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_revision_deployment_id_number_key" ON "deployment_revision"("deployment_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_key_key_hash_key" ON "deployment_key"("key_hash");

-- CreateIndex
CREATE INDEX "deployment_key_deployment_id_idx" ON "deployment_key"("deployment_id");

-- CreateIndex
CREATE INDEX "deployment_event_deployment_id_id_idx" ON "deployment_event"("deployment_id", "id");

-- CreateIndex
CREATE INDEX "serving_instance_heartbeat_at_idx" ON "serving_instance"("heartbeat_at");

-- CreateIndex
CREATE INDEX "deployment_request_stats_revision_id_bucket_start_idx" ON "deployment_request_stats"("revision_id", "bucket_start");

-- CreateIndex
CREATE INDEX "deployment_request_sample_deployment_id_id_idx" ON "deployment_request_sample"("deployment_id", "id");

-- CreateIndex
CREATE INDEX "deployment_request_sample_at_idx" ON "deployment_request_sample"("at");

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "registered_model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_stable_revision_id_fkey" FOREIGN KEY ("stable_revision_id") REFERENCES "deployment_revision"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_canary_revision_id_fkey" FOREIGN KEY ("canary_revision_id") REFERENCES "deployment_revision"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revision" ADD CONSTRAINT "deployment_revision_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revision" ADD CONSTRAINT "deployment_revision_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_revision" ADD CONSTRAINT "deployment_revision_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_key" ADD CONSTRAINT "deployment_key_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_key" ADD CONSTRAINT "deployment_key_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_event" ADD CONSTRAINT "deployment_event_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_event" ADD CONSTRAINT "deployment_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "user_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_request_stats" ADD CONSTRAINT "deployment_request_stats_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_request_stats" ADD CONSTRAINT "deployment_request_stats_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "deployment_revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_request_sample" ADD CONSTRAINT "deployment_request_sample_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
