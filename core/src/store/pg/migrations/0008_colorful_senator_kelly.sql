CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"tenant_id" text,
	"vendor_id" text,
	"label" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "api_tokens_role_check" CHECK ("api_tokens"."role" in ('platform', 'vendor', 'tenant')),
	CONSTRAINT "api_tokens_tenant_check" CHECK ("api_tokens"."role" <> 'tenant' or "api_tokens"."tenant_id" is not null),
	CONSTRAINT "api_tokens_vendor_check" CHECK ("api_tokens"."role" <> 'vendor' or "api_tokens"."vendor_id" is not null)
);
--> statement-breakpoint
CREATE INDEX "api_tokens_tenant_created_idx" ON "api_tokens" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "api_tokens_vendor_created_idx" ON "api_tokens" USING btree ("vendor_id","created_at","id");