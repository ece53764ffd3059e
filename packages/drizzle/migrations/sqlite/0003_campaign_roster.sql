CREATE TABLE `campaign_creator_keys` (
	`campaign_id` text NOT NULL,
	`key` text NOT NULL,
	`entry_seq` integer NOT NULL,
	`kind` text NOT NULL,
	PRIMARY KEY(`campaign_id`, `key`, `entry_seq`, `kind`),
	FOREIGN KEY (`entry_seq`) REFERENCES `campaign_creators`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaign_creator_keys_entry_seq_idx` ON `campaign_creator_keys` (`entry_seq`);--> statement-breakpoint
CREATE TABLE `campaign_creators` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` text NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`creator_id` text NOT NULL,
	`handle` text NOT NULL,
	`name` text,
	`followers` integer,
	`data` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`notes` text,
	`tags` text NOT NULL,
	`found_by` text NOT NULL,
	`first_job_id` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_creators_campaign_id_platform_creator_id_uq` ON `campaign_creators` (`campaign_id`,`platform`,`creator_id`);--> statement-breakpoint
CREATE INDEX `campaign_creators_campaign_id_seq_idx` ON `campaign_creators` (`campaign_id`,`seq`);--> statement-breakpoint
CREATE INDEX `campaign_creators_campaign_id_status_seq_idx` ON `campaign_creators` (`campaign_id`,`status`,`seq`);--> statement-breakpoint
ALTER TABLE `creators` ADD `known` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `search_jobs` ADD `skipped_known` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: every creator a campaign's jobs admitted enters its roster once, as `new`, with the
-- latest record's figures and the jobs that found it, in the order the campaign first found them.
INSERT INTO `campaign_creators` (`campaign_id`, `user_id`, `platform`, `creator_id`, `handle`, `name`, `followers`, `data`, `status`, `notes`, `tags`, `found_by`, `first_job_id`, `first_seen_at`, `updated_at`)
SELECT campaign_id, user_id, platform, creator_id, handle, json_extract(data, '$.name'), followers,
  json_set(data, '$.posts', json('[]'), '$.matchedKeywords', json('[]')), 'new', NULL, '[]',
  (SELECT json_group_array(json_object('jobId', s.job_id, 'inputs', json(s.matched_keywords), 'at', s.first_seen_at))
   FROM (SELECT c2.`job_id` AS job_id, c2.`matched_keywords` AS matched_keywords, c2.`first_seen_at` AS first_seen_at
         FROM `creators` c2 JOIN `search_jobs` j2 ON j2.`id` = c2.`job_id`
         WHERE j2.`campaign_id` = found.campaign_id AND c2.`platform` = found.platform AND c2.`creator_id` = found.creator_id AND c2.`excluded` = 0
         ORDER BY c2.`first_seen_at`, c2.`job_id`) AS s),
  first_job_id, first_seen, last_seen
FROM (
  SELECT j.`campaign_id` AS campaign_id, j.`user_id` AS user_id, c.`platform` AS platform, c.`creator_id` AS creator_id,
    c.`handle` AS handle, c.`followers` AS followers, c.`data` AS data,
    row_number() OVER (PARTITION BY j.`campaign_id`, c.`platform`, c.`creator_id` ORDER BY c.`seq` DESC) AS latest,
    first_value(c.`job_id`) OVER (PARTITION BY j.`campaign_id`, c.`platform`, c.`creator_id` ORDER BY c.`first_seen_at`, c.`seq`) AS first_job_id,
    min(c.`first_seen_at`) OVER (PARTITION BY j.`campaign_id`, c.`platform`, c.`creator_id`) AS first_seen,
    max(c.`first_seen_at`) OVER (PARTITION BY j.`campaign_id`, c.`platform`, c.`creator_id`) AS last_seen,
    min(c.`seq`) OVER (PARTITION BY j.`campaign_id`, c.`platform`, c.`creator_id`) AS first_seq
  FROM `creators` c JOIN `search_jobs` j ON j.`id` = c.`job_id`
  WHERE c.`excluded` = 0
) AS found WHERE latest = 1
ORDER BY first_seq;
--> statement-breakpoint
INSERT OR IGNORE INTO `campaign_creator_keys` (`campaign_id`, `key`, `entry_seq`, `kind`)
SELECT `campaign_id`, `platform` || ':@' || lower(`handle`), `seq`, 'self' FROM `campaign_creators`
UNION ALL
SELECT `campaign_id`, `platform` || ':#' || `creator_id`, `seq`, 'self' FROM `campaign_creators`
UNION ALL
SELECT e.`campaign_id`, json_extract(l.value, '$.platform') || ':@' || lower(json_extract(l.value, '$.handle')), e.`seq`, 'link'
FROM `campaign_creators` e, json_each(e.`data`, '$.links') l WHERE json_extract(l.value, '$.handle') IS NOT NULL
UNION ALL
SELECT e.`campaign_id`, json_extract(l.value, '$.platform') || ':#' || json_extract(l.value, '$.id'), e.`seq`, 'link'
FROM `campaign_creators` e, json_each(e.`data`, '$.links') l WHERE json_extract(l.value, '$.id') IS NOT NULL;
