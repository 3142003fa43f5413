CREATE TABLE "contact_sends" (
	"tenant_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"key" text NOT NULL,
	"sent_at" bigint NOT NULL,
	CONSTRAINT "contact_sends_pk" PRIMARY KEY("tenant_id","contact_id","key")
);
--> statement-breakpoint
CREATE INDEX "contact_sends_contact_sent_idx" ON "contact_sends" USING btree ("tenant_id","contact_id","sent_at");--> statement-breakpoint
CREATE INDEX "contact_sends_sent_idx" ON "contact_sends" USING btree ("sent_at");