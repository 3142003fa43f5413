CREATE TABLE `run_lanes` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`next_vtime` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_steps` (
	`seq` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`step_path` text NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`failure` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	CONSTRAINT "run_steps_status_check" CHECK("run_steps"."status" in ('completed', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_steps_attempt_unique` ON `run_steps` (`run_id`,`step_path`,`attempt`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`trigger_key` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`cursor` text,
	`wake_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`failure` text,
	`vtime` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	CONSTRAINT "runs_status_check" CHECK("runs"."status" in ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_trigger_unique` ON `runs` (`tenant_id`,`workflow_id`,`trigger_key`);--> statement-breakpoint
CREATE INDEX `runs_status_vtime_idx` ON `runs` (`status`,`vtime`,`id`);--> statement-breakpoint
CREATE INDEX `runs_status_wake_idx` ON `runs` (`status`,`wake_at`);--> statement-breakpoint
CREATE INDEX `runs_status_lease_idx` ON `runs` (`status`,`lease_until`);--> statement-breakpoint
CREATE INDEX `runs_tenant_created_idx` ON `runs` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_workflow_created_idx` ON `runs` (`tenant_id`,`workflow_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_finished_idx` ON `runs` (`finished_at`);--> statement-breakpoint
ALTER TABLE `events` ADD `routed_at` integer;--> statement-breakpoint
CREATE INDEX `events_unrouted_idx` ON `events` (`received_at`,`id`) WHERE "events"."routed_at" is null;