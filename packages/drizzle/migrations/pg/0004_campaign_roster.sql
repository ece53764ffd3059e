CREATE TABLE "campaign_creator_keys" (
	"campaign_id" text NOT NULL,
	"key" text NOT NULL,
	"entry_seq" bigint NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "campaign_creator_keys_campaign_id_key_entry_seq_kind_pk" PRIMARY KEY("campaign_id","key","entry_seq","kind")
);
--> statement-breakpoint
CREATE TABLE "campaign_creators" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_creators_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" text NOT NULL,
	"user_id" text NOT NULL,
	"platform" text NOT NULL,
	"creator_id" text NOT NULL,
	"handle" text NOT NULL,
	"name" text,
	"followers" bigint,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"notes" text,
	"tags" jsonb NOT NULL,
	"found_by" jsonb NOT NULL,
	"first_job_id" text NOT NULL,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "creators" ADD COLUMN "known" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "search_jobs" ADD COLUMN "skipped_known" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_creator_keys" ADD CONSTRAINT "campaign_creator_keys_entry_seq_campaign_creators_seq_fk" FOREIGN KEY ("entry_seq") REFERENCES "public"."campaign_creators"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_creators" ADD CONSTRAINT "campaign_creators_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_creator_keys_entry_seq_idx" ON "campaign_creator_keys" USING btree ("entry_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_creators_campaign_id_platform_creator_id_uq" ON "campaign_creators" USING btree ("campaign_id","platform","creator_id");--> statement-breakpoint
CREATE INDEX "campaign_creators_campaign_id_seq_idx" ON "campaign_creators" USING btree ("campaign_id","seq");--> statement-breakpoint
CREATE INDEX "campaign_creators_campaign_id_status_seq_idx" ON "campaign_creators" USING btree ("campaign_id","status","seq");--> statement-breakpoint
-- Backfill: every creator a campaign's jobs admitted enters its roster once, as `new`, with the
-- latest record's figures and the jobs that found it, in the order the campaign first found them.
INSERT INTO "campaign_creators" ("campaign_id", "user_id", "platform", "creator_id", "handle", "name", "followers", "data", "status", "notes", "tags", "found_by", "first_job_id", "first_seen_at", "updated_at")
SELECT campaign_id, user_id, platform, creator_id, handle, data->>'name', followers,
  data || '{"posts": [], "matchedKeywords": []}'::jsonb, 'new', NULL, '[]'::jsonb,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('jobId', c2."job_id", 'inputs', c2."matched_keywords", 'at', floor(extract(epoch FROM c2."first_seen_at") * 1000)::bigint)
                   ORDER BY c2."first_seen_at", c2."job_id"), '[]'::jsonb)
   FROM "creators" c2 JOIN "search_jobs" j2 ON j2."id" = c2."job_id"
   WHERE j2."campaign_id" = found.campaign_id AND c2."platform" = found.platform AND c2."creator_id" = found.creator_id AND NOT c2."excluded"),
  first_job_id, first_seen, last_seen
FROM (
  SELECT j."campaign_id" AS campaign_id, j."user_id" AS user_id, c."platform" AS platform, c."creator_id" AS creator_id,
    c."handle" AS handle, c."followers" AS followers, c."data" AS data,
    row_number() OVER (PARTITION BY j."campaign_id", c."platform", c."creator_id" ORDER BY c."seq" DESC) AS latest,
    first_value(c."job_id") OVER (PARTITION BY j."campaign_id", c."platform", c."creator_id" ORDER BY c."first_seen_at", c."seq") AS first_job_id,
    min(c."first_seen_at") OVER (PARTITION BY j."campaign_id", c."platform", c."creator_id") AS first_seen,
    max(c."first_seen_at") OVER (PARTITION BY j."campaign_id", c."platform", c."creator_id") AS last_seen,
    min(c."seq") OVER (PARTITION BY j."campaign_id", c."platform", c."creator_id") AS first_seq
  FROM "creators" c JOIN "search_jobs" j ON j."id" = c."job_id"
  WHERE NOT c."excluded"
) AS found
WHERE latest = 1
ORDER BY first_seq;
--> statement-breakpoint
INSERT INTO "campaign_creator_keys" ("campaign_id", "key", "entry_seq", "kind")
SELECT "campaign_id", "platform" || ':@' || lower("handle"), "seq", 'self' FROM "campaign_creators"
UNION ALL
SELECT "campaign_id", "platform" || ':#' || "creator_id", "seq", 'self' FROM "campaign_creators"
UNION ALL
SELECT e."campaign_id", (l.value->>'platform') || ':@' || lower(l.value->>'handle'), e."seq", 'link'
FROM "campaign_creators" e, jsonb_array_elements(coalesce(e."data"->'links', '[]'::jsonb)) l WHERE l.value->>'handle' IS NOT NULL
UNION ALL
SELECT e."campaign_id", (l.value->>'platform') || ':#' || (l.value->>'id'), e."seq", 'link'
FROM "campaign_creators" e, jsonb_array_elements(coalesce(e."data"->'links', '[]'::jsonb)) l WHERE l.value->>'id' IS NOT NULL
ON CONFLICT DO NOTHING;
