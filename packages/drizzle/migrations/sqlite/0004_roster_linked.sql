ALTER TABLE `campaign_creators` ADD `linked` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Backfill: an entry stays marked only when another entry of its campaign shares one of its
-- keys with the other kind (one has it as its own account, the other links to it).
UPDATE `campaign_creators` SET `linked` = false
WHERE `seq` NOT IN (
  SELECT a.`entry_seq` FROM `campaign_creator_keys` a JOIN `campaign_creator_keys` b
    ON b.`campaign_id` = a.`campaign_id` AND b.`key` = a.`key` AND b.`kind` <> a.`kind` AND b.`entry_seq` <> a.`entry_seq`
);
