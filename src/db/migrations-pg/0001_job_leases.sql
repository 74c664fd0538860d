CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"lease_until" text NOT NULL,
	"last_started_at" text NOT NULL
);
