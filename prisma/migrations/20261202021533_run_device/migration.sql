-- AlterTable
ALTER TABLE "run" ADD COLUMN     "device" VARCHAR(256);
