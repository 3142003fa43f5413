CREATE TABLE `effects` (
	`key` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`effect` text NOT NULL,
	`result` text NOT NULL,
	`recorded_at` integer NOT NULL
);
