CREATE TABLE "workflows" (
	"tenant_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "workflows_pk" PRIMARY KEY("tenant_id","workflow_id","version")
);
