CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"search_type" text NOT NULL,
	"status" text NOT NULL,
	"platforms" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"archived_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "creators" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "creators_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" text NOT NULL,
	"platform" text NOT NULL,
	"creator_id" text NOT NULL,
	"handle" text NOT NULL,
	"followers" bigint,
	"engagement_by_followers" double precision,
	"verified" boolean,
	"matched_keywords" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"first_seen_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_chains" (
	"job_id" text NOT NULL,
	"key" text NOT NULL,
	"input" text NOT NULL,
	"cursor" text,
	"step" integer DEFAULT 0 NOT NULL,
	"exhausted" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "search_chains_job_id_key_pk" PRIMARY KEY("job_id","key")
);
--> statement-breakpoint
CREATE TABLE "search_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"platform" text NOT NULL,
	"mode" text NOT NULL,
	"keywords" jsonb NOT NULL,
	"target_handle" text,
	"target_results" integer NOT NULL,
	"status" text NOT NULL,
	"processed_runs" integer DEFAULT 0 NOT NULL,
	"processed_results" integer DEFAULT 0 NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"api_calls" integer DEFAULT 0 NOT NULL,
	"dry_pages" integer DEFAULT 0 NOT NULL,
	"stop_reason" text,
	"error" text,
	"options" jsonb NOT NULL,
	"timeout_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"started_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "search_pages" (
	"job_id" text NOT NULL,
	"chain" text NOT NULL,
	"step" integer NOT NULL,
	"raw" jsonb,
	"fetched_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "search_pages_job_id_chain_step_pk" PRIMARY KEY("job_id","chain","step")
);
--> statement-breakpoint
ALTER TABLE "creators" ADD CONSTRAINT "creators_job_id_search_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."search_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_chains" ADD CONSTRAINT "search_chains_job_id_search_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."search_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_jobs" ADD CONSTRAINT "search_jobs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_pages" ADD CONSTRAINT "search_pages_job_id_search_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."search_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_user_id_created_at_idx" ON "campaigns" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "creators_job_id_platform_creator_id_uq" ON "creators" USING btree ("job_id","platform","creator_id");--> statement-breakpoint
CREATE INDEX "creators_job_id_seq_idx" ON "creators" USING btree ("job_id","seq");--> statement-breakpoint
CREATE INDEX "search_jobs_user_id_created_at_idx" ON "search_jobs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "search_jobs_campaign_id_idx" ON "search_jobs" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "search_jobs_status_created_at_idx" ON "search_jobs" USING btree ("status","created_at");