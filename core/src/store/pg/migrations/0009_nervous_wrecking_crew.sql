CREATE TABLE "plugin_versions" (
	"plugin_id" text NOT NULL,
	"version" text NOT NULL,
	"vendor_id" text NOT NULL,
	"manifest" text NOT NULL,
	"bundle" text NOT NULL,
	"sha256" text NOT NULL,
	"readme" text,
	"categories" text NOT NULL,
	"permissions" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"submitted_at" bigint NOT NULL,
	"reviewed_at" bigint,
	"reviewed_by" text,
	CONSTRAINT "plugin_versions_pk" PRIMARY KEY("plugin_id","version"),
	CONSTRAINT "plugin_versions_status_check" CHECK ("plugin_versions"."status" in ('submitted', 'approved', 'rejected', 'yanked')),
	CONSTRAINT "plugin_versions_manifest_check" CHECK (jsonb_typeof("plugin_versions"."manifest"::jsonb) = 'object'),
	CONSTRAINT "plugin_versions_categories_check" CHECK (jsonb_typeof("plugin_versions"."categories"::jsonb) = 'array'),
	CONSTRAINT "plugin_versions_permissions_check" CHECK (jsonb_typeof("plugin_versions"."permissions"::jsonb) = 'array')
);
--> statement-breakpoint
CREATE INDEX "plugin_versions_vendor_idx" ON "plugin_versions" USING btree ("vendor_id","submitted_at");--> statement-breakpoint
CREATE INDEX "plugin_versions_status_idx" ON "plugin_versions" USING btree ("status","submitted_at");