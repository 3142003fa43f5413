CREATE TABLE "catalog_revision" (
	"id" integer PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL,
	CONSTRAINT "catalog_revision_one_row" CHECK ("catalog_revision"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "installs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"version" text NOT NULL,
	"grants" text NOT NULL,
	"config" text NOT NULL,
	"webhook_secret" text,
	"wecom_app" text,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"uninstalled_at" bigint,
	"retain_until" bigint,
	CONSTRAINT "installs_status_check" CHECK ("installs"."status" in ('active', 'uninstalled'))
);
--> statement-breakpoint
CREATE TABLE "suite_tickets" (
	"suite_id" text PRIMARY KEY NOT NULL,
	"ticket" text NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_apps" (
	"tenant_id" text NOT NULL,
	"app_id" text NOT NULL,
	"agent_id" integer,
	"secret" text,
	"token" text NOT NULL,
	"encoding_aes_key" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "tenant_apps_pk" PRIMARY KEY("tenant_id","app_id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"corp_id" text NOT NULL,
	"timezone" text NOT NULL,
	"contact_quota" text,
	"origin" text NOT NULL,
	"suite_id" text,
	"permanent_code" text,
	"suite_agent_id" integer,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"disabled_at" bigint,
	"purge_after" bigint,
	CONSTRAINT "tenants_origin_check" CHECK ("tenants"."origin" in ('api', 'suite')),
	CONSTRAINT "tenants_status_check" CHECK ("tenants"."status" in ('active', 'disabled'))
);
--> statement-breakpoint
CREATE TABLE "usage_counters" (
	"tenant_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"install_id" text NOT NULL,
	"month" text NOT NULL,
	"invocations" bigint NOT NULL,
	"cpu_ms" bigint NOT NULL,
	"wecom_calls" bigint NOT NULL,
	"effects" bigint NOT NULL,
	CONSTRAINT "usage_counters_pk" PRIMARY KEY("tenant_id","plugin_id","install_id","month")
);
--> statement-breakpoint
CREATE TABLE "usage_subjects" (
	"tenant_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"install_id" text NOT NULL,
	"month" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	CONSTRAINT "usage_subjects_pk" PRIMARY KEY("tenant_id","plugin_id","install_id","month","kind","subject"),
	CONSTRAINT "usage_subjects_kind_check" CHECK ("usage_subjects"."kind" in ('staff', 'contact'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "installs_active_plugin_unique" ON "installs" USING btree ("tenant_id","plugin_id") WHERE "installs"."status" = 'active';--> statement-breakpoint
CREATE INDEX "installs_plugin_idx" ON "installs" USING btree ("plugin_id","status");--> statement-breakpoint
CREATE INDEX "installs_retain_idx" ON "installs" USING btree ("retain_until") WHERE "installs"."retain_until" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_corp_unique" ON "tenants" USING btree ("corp_id");--> statement-breakpoint
CREATE INDEX "tenants_purge_idx" ON "tenants" USING btree ("purge_after") WHERE "tenants"."purge_after" is not null;--> statement-breakpoint
CREATE INDEX "usage_counters_plugin_idx" ON "usage_counters" USING btree ("plugin_id","month");--> statement-breakpoint
CREATE INDEX "usage_counters_install_idx" ON "usage_counters" USING btree ("install_id","month");--> statement-breakpoint
CREATE INDEX "usage_subjects_install_idx" ON "usage_subjects" USING btree ("install_id","month");