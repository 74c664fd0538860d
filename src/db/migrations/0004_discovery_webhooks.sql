CREATE TABLE `credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`secret` text NOT NULL,
	`ssh_username` text DEFAULT '' NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`datacenter_id` text,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_name` ON `credentials` (`name`);--> statement-breakpoint
CREATE TABLE `discovered_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`ip` text NOT NULL,
	`ip_hex` text NOT NULL,
	`mac_address` text DEFAULT '' NOT NULL,
	`hostname` text DEFAULT '' NOT NULL,
	`vendor` text DEFAULT '' NOT NULL,
	`os_guess` text DEFAULT '' NOT NULL,
	`device_type` text DEFAULT '' NOT NULL,
	`confidence` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'online' NOT NULL,
	`open_ports` text DEFAULT '[]' NOT NULL,
	`services` text DEFAULT '[]' NOT NULL,
	`facts` text DEFAULT '{}' NOT NULL,
	`last_scan_id` text,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL,
	`promoted_to_device_id` text,
	`promoted_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`promoted_to_device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discovered_devices_network_ip` ON `discovered_devices` (`network_id`,`ip_hex`);--> statement-breakpoint
CREATE INDEX `discovered_devices_last_seen` ON `discovered_devices` (`last_seen`);--> statement-breakpoint
CREATE INDEX `discovered_devices_promoted` ON `discovered_devices` (`promoted_to_device_id`);--> statement-breakpoint
CREATE TABLE `discovery_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`scan_type` text DEFAULT 'quick' NOT NULL,
	`profile_id` text,
	`interval_hours` integer DEFAULT 24 NOT NULL,
	`exclude_ips` text DEFAULT '[]' NOT NULL,
	`last_run_at` text,
	`next_run_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `scan_profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discovery_rules_network_id_unique` ON `discovery_rules` (`network_id`);--> statement-breakpoint
CREATE TABLE `discovery_scans` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`profile_id` text,
	`status` text NOT NULL,
	`scan_type` text NOT NULL,
	`total_hosts` integer DEFAULT 0 NOT NULL,
	`scanned_hosts` integer DEFAULT 0 NOT NULL,
	`found_hosts` integer DEFAULT 0 NOT NULL,
	`progress_percent` real DEFAULT 0 NOT NULL,
	`error_message` text DEFAULT '' NOT NULL,
	`exclude` text DEFAULT '[]' NOT NULL,
	`started_by` text DEFAULT '' NOT NULL,
	`started_at` text,
	`completed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `scan_profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `discovery_scans_network` ON `discovery_scans` (`network_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `discovery_scans_status` ON `discovery_scans` (`status`);--> statement-breakpoint
CREATE TABLE `scan_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scan_type` text NOT NULL,
	`ports` text DEFAULT '[]' NOT NULL,
	`enable_snmp` integer DEFAULT false NOT NULL,
	`enable_ssh` integer DEFAULT false NOT NULL,
	`snmp_credential_id` text,
	`ssh_credential_id` text,
	`timeout_sec` integer DEFAULT 2 NOT NULL,
	`max_workers` integer DEFAULT 64 NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`is_builtin` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`snmp_credential_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`ssh_credential_id`) REFERENCES `credentials`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scan_profiles_name_unique` ON `scan_profiles` (`name`);--> statement-breakpoint
CREATE TABLE `scheduled_scans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`network_id` text NOT NULL,
	`profile_id` text NOT NULL,
	`cron_expression` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`last_run_at` text,
	`last_scan_id` text,
	`next_run_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `scan_profiles`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `scheduled_scans_due` ON `scheduled_scans` (`enabled`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `ssh_host_keys` (
	`host` text PRIMARY KEY NOT NULL,
	`key_type` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`occurred_at` text NOT NULL,
	`payload` text NOT NULL,
	`dispatched_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE INDEX `events_undispatched` ON `events` (`dispatched_at`,`seq`);--> statement-breakpoint
CREATE INDEX `events_type` ON `events` (`type`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery` ON `webhook_attempts` (`delivery_id`);--> statement-breakpoint
CREATE INDEX `webhook_attempts_webhook` ON `webhook_attempts` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_status_code` integer,
	`last_error` text DEFAULT '' NOT NULL,
	`lease_until` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_webhook` ON `webhook_deliveries` (`event_id`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook` ON `webhook_deliveries` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`secret` text DEFAULT '' NOT NULL,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
