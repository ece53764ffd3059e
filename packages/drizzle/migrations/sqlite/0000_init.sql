CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`search_type` text NOT NULL,
	`status` text NOT NULL,
	`platforms` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE INDEX `campaigns_user_id_created_at_idx` ON `campaigns` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `creators` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`platform` text NOT NULL,
	`creator_id` text NOT NULL,
	`handle` text NOT NULL,
	`followers` integer,
	`engagement_by_followers` real,
	`verified` integer,
	`matched_keywords` text NOT NULL,
	`data` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `search_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `creators_job_id_platform_creator_id_uq` ON `creators` (`job_id`,`platform`,`creator_id`);--> statement-breakpoint
CREATE INDEX `creators_job_id_seq_idx` ON `creators` (`job_id`,`seq`);--> statement-breakpoint
CREATE TABLE `search_chains` (
	`job_id` text NOT NULL,
	`key` text NOT NULL,
	`input` text NOT NULL,
	`cursor` text,
	`step` integer DEFAULT 0 NOT NULL,
	`exhausted` integer DEFAULT false NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`job_id`, `key`),
	FOREIGN KEY (`job_id`) REFERENCES `search_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `search_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`platform` text NOT NULL,
	`mode` text NOT NULL,
	`keywords` text NOT NULL,
	`target_handle` text,
	`target_results` integer NOT NULL,
	`status` text NOT NULL,
	`processed_runs` integer DEFAULT 0 NOT NULL,
	`processed_results` integer DEFAULT 0 NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`dry_pages` integer DEFAULT 0 NOT NULL,
	`stop_reason` text,
	`error` text,
	`options` text NOT NULL,
	`timeout_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `search_jobs_user_id_created_at_idx` ON `search_jobs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `search_jobs_campaign_id_idx` ON `search_jobs` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `search_jobs_status_created_at_idx` ON `search_jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `search_pages` (
	`job_id` text NOT NULL,
	`chain` text NOT NULL,
	`step` integer NOT NULL,
	`raw` text,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`job_id`, `chain`, `step`),
	FOREIGN KEY (`job_id`) REFERENCES `search_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
