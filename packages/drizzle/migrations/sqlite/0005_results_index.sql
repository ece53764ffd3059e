DROP INDEX `creators_job_id_excluded_seq_idx`;--> statement-breakpoint
CREATE INDEX `creators_job_id_excluded_known_seq_idx` ON `creators` (`job_id`,`excluded`,`known`,`seq`);