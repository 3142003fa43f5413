CREATE TABLE `schedule_ticks` (
	`install_id` text NOT NULL,
	`trigger_id` text NOT NULL,
	`tick_at` integer NOT NULL,
	`claimed_by` text NOT NULL,
	`claimed_until` integer NOT NULL,
	`done_at` integer,
	`failure` text,
	PRIMARY KEY(`install_id`, `trigger_id`, `tick_at`)
);
--> statement-breakpoint
CREATE INDEX `schedule_ticks_open_idx` ON `schedule_ticks` (`claimed_until`) WHERE "schedule_ticks"."done_at" IS NULL;