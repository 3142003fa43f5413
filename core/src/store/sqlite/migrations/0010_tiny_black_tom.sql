CREATE TABLE `catalog_revision` (
	`id` integer PRIMARY KEY NOT NULL,
	`revision` integer NOT NULL,
	CONSTRAINT "catalog_revision_one_row" CHECK("catalog_revision"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `installs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`version` text NOT NULL,
	`grants` text NOT NULL,
	`config` text NOT NULL,
	`webhook_secret` text,
	`wecom_app` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`uninstalled_at` integer,
	`retain_until` integer,
	CONSTRAINT "installs_status_check" CHECK("installs"."status" in ('active', 'uninstalled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installs_active_plugin_unique` ON `installs` (`tenant_id`,`plugin_id`) WHERE "installs"."status" = 'active';--> statement-breakpoint
CREATE INDEX `installs_plugin_idx` ON `installs` (`plugin_id`,`status`);--> statement-breakpoint
CREATE INDEX `installs_retain_idx` ON `installs` (`retain_until`) WHERE "installs"."retain_until" is not null;--> statement-breakpoint
CREATE TABLE `suite_tickets` (
	`suite_id` text PRIMARY KEY NOT NULL,
	`ticket` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenant_apps` (
	`tenant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`agent_id` integer,
	`secret` text,
	`token` text NOT NULL,
	`encoding_aes_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `app_id`)
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`corp_id` text NOT NULL,
	`timezone` text NOT NULL,
	`contact_quota` text,
	`origin` text NOT NULL,
	`suite_id` text,
	`permanent_code` text,
	`suite_agent_id` integer,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`disabled_at` integer,
	`purge_after` integer,
	CONSTRAINT "tenants_origin_check" CHECK("tenants"."origin" in ('api', 'suite')),
	CONSTRAINT "tenants_status_check" CHECK("tenants"."status" in ('active', 'disabled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_corp_unique` ON `tenants` (`corp_id`);--> statement-breakpoint
CREATE INDEX `tenants_purge_idx` ON `tenants` (`purge_after`) WHERE "tenants"."purge_after" is not null;--> statement-breakpoint
CREATE TABLE `usage_counters` (
	`tenant_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`install_id` text NOT NULL,
	`month` text NOT NULL,
	`invocations` integer NOT NULL,
	`cpu_ms` integer NOT NULL,
	`wecom_calls` integer NOT NULL,
	`effects` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `plugin_id`, `install_id`, `month`)
);
--> statement-breakpoint
CREATE INDEX `usage_counters_plugin_idx` ON `usage_counters` (`plugin_id`,`month`);--> statement-breakpoint
CREATE INDEX `usage_counters_install_idx` ON `usage_counters` (`install_id`,`month`);--> statement-breakpoint
CREATE TABLE `usage_subjects` (
	`tenant_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`install_id` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `plugin_id`, `install_id`, `month`, `kind`, `subject`),
	CONSTRAINT "usage_subjects_kind_check" CHECK("usage_subjects"."kind" in ('staff', 'contact'))
);
--> statement-breakpoint
CREATE INDEX `usage_subjects_install_idx` ON `usage_subjects` (`install_id`,`month`);