ALTER TABLE `creators` ADD `excluded` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `search_jobs` ADD `filtered` integer DEFAULT 0 NOT NULL;