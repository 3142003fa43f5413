CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`app_id` text,
	`suite_id` text,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`dedup_key` text NOT NULL,
	`data` text NOT NULL,
	`raw` text NOT NULL,
	`inbox_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_dedup_key_unique` ON `events` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `events_tenant_type_received_idx` ON `events` (`tenant_id`,`type`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_received_idx` ON `events` (`received_at`,`id`);--> statement-breakpoint
CREATE TABLE `inbox` (
	`id` text PRIMARY KEY NOT NULL,
	`route` text NOT NULL,
	`tenant_id` text,
	`app_id` text,
	`suite_id` text,
	`msg_signature` text NOT NULL,
	`timestamp` text NOT NULL,
	`nonce` text NOT NULL,
	`encrypt` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`error_code` text,
	`error_message` text,
	`event_id` text,
	`processed_at` integer,
	CONSTRAINT "inbox_route_check" CHECK("inbox"."route" in ('app', 'suite')),
	CONSTRAINT "inbox_status_check" CHECK("inbox"."status" in ('pending', 'done', 'dead'))
);
--> statement-breakpoint
CREATE INDEX `inbox_status_received_idx` ON `inbox` (`status`,`received_at`,`id`);