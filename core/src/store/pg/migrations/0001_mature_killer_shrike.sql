CREATE TABLE "plugin_kv" (
	"install_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"bytes" integer NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "plugin_kv_pk" PRIMARY KEY("install_id","key")
);
