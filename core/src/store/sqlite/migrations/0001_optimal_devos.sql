CREATE TABLE `plugin_kv` (
	`install_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`bytes` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`install_id`, `key`)
);
