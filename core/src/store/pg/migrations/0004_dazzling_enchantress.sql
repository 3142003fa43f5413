CREATE TABLE "run_lanes" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"next_vtime" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_steps" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "run_steps_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"step_path" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"input" text,
	"output" text,
	"failure" text,
	"started_at" bigint NOT NULL,
	"finished_at" bigint NOT NULL,
	CONSTRAINT "run_steps_status_check" CHECK ("run_steps"."status" in ('completed', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"trigger_key" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"cursor" text,
	"wake_at" bigint,
	"lease_owner" text,
	"lease_until" bigint,
	"failure" text,
	"vtime" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"finished_at" bigint,
	CONSTRAINT "runs_status_check" CHECK ("runs"."status" in ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "routed_at" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "run_steps_attempt_unique" ON "run_steps" USING btree ("run_id","step_path","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_trigger_unique" ON "runs" USING btree ("tenant_id","workflow_id","trigger_key");--> statement-breakpoint
CREATE INDEX "runs_status_vtime_idx" ON "runs" USING btree ("status","vtime","id");--> statement-breakpoint
CREATE INDEX "runs_status_wake_idx" ON "runs" USING btree ("status","wake_at");--> statement-breakpoint
CREATE INDEX "runs_status_lease_idx" ON "runs" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "runs_tenant_created_idx" ON "runs" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runs_workflow_created_idx" ON "runs" USING btree ("tenant_id","workflow_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runs_finished_idx" ON "runs" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "events_unrouted_idx" ON "events" USING btree ("received_at","id") WHERE "events"."routed_at" is null;