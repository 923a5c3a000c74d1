-- CreateTable
CREATE TABLE "scenario_demo" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "scenario" VARCHAR(16) NOT NULL,
    "demo" VARCHAR(64) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "steps" JSONB NOT NULL,
    "actor_token_id" UUID NOT NULL,
    "dataset_version_id" UUID,
    "run_id" UUID,
    "model_version_id" UUID,
    "evaluation_id" UUID,
    "deployment_id" UUID,
    "retraining" JSONB,
    "prepared_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scenario_demo_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scenario_demo_state_idx" ON "scenario_demo"("state");

-- CreateIndex
CREATE UNIQUE INDEX "scenario_demo_project_id_demo_key" ON "scenario_demo"("project_id", "demo");

-- AddForeignKey
ALTER TABLE "scenario_demo" ADD CONSTRAINT "scenario_demo_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
