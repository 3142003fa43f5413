CREATE TABLE "schedule_ticks" (
	"install_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"tick_at" bigint NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_until" bigint NOT NULL,
	"done_at" bigint,
	"failure" text,
	CONSTRAINT "schedule_ticks_pk" PRIMARY KEY("install_id","trigger_id","tick_at")
);
--> statement-breakpoint
CREATE INDEX "schedule_ticks_open_idx" ON "schedule_ticks" USING btree ("claimed_until") WHERE "schedule_ticks"."done_at" IS NULL;