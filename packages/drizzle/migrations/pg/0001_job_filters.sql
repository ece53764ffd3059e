ALTER TABLE "creators" ADD COLUMN "excluded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "search_jobs" ADD COLUMN "filtered" integer DEFAULT 0 NOT NULL;