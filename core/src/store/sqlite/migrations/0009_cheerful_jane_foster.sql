CREATE TABLE `plugin_versions` (
	`plugin_id` text NOT NULL,
	`version` text NOT NULL,
	`vendor_id` text NOT NULL,
	`manifest` text NOT NULL,
	`bundle` text NOT NULL,
	`sha256` text NOT NULL,
	`readme` text,
	`categories` text NOT NULL,
	`permissions` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`submitted_at` integer NOT NULL,
	`reviewed_at` integer,
	`reviewed_by` text,
	PRIMARY KEY(`plugin_id`, `version`),
	CONSTRAINT "plugin_versions_status_check" CHECK("plugin_versions"."status" in ('submitted', 'approved', 'rejected', 'yanked')),
	CONSTRAINT "plugin_versions_manifest_check" CHECK(json_valid("plugin_versions"."manifest") and json_type("plugin_versions"."manifest") = 'object'),
	CONSTRAINT "plugin_versions_categories_check" CHECK(json_valid("plugin_versions"."categories") and json_type("plugin_versions"."categories") = 'array'),
	CONSTRAINT "plugin_versions_permissions_check" CHECK(json_valid("plugin_versions"."permissions") and json_type("plugin_versions"."permissions") = 'array')
);
--> statement-breakpoint
CREATE INDEX `plugin_versions_vendor_idx` ON `plugin_versions` (`vendor_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `plugin_versions_status_idx` ON `plugin_versions` (`status`,`submitted_at`);