-- Events stored before runs existed are history: marking them routed keeps the router from starting runs for them.
UPDATE "events" SET "routed_at" = "received_at" WHERE "routed_at" IS NULL;