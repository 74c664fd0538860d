ALTER TABLE `discovery_scans` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `discovery_scans` ADD `heartbeat_at` text;