CREATE TABLE `addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`ip` text NOT NULL,
	`family` integer NOT NULL,
	`ip_hex` text NOT NULL,
	`type` text DEFAULT 'ipv4' NOT NULL,
	`port` integer,
	`label` text DEFAULT '' NOT NULL,
	`network_id` text,
	`pool_id` text,
	`switch_port` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `addresses_device` ON `addresses` (`device_id`);--> statement-breakpoint
CREATE INDEX `addresses_ip` ON `addresses` (`family`,`ip_hex`);--> statement-breakpoint
CREATE INDEX `addresses_network` ON `addresses` (`network_id`);--> statement-breakpoint
CREATE INDEX `addresses_pool` ON `addresses` (`pool_id`);--> statement-breakpoint
CREATE TABLE `datacenters` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `datacenters_name` ON `datacenters` (`name`);--> statement-breakpoint
CREATE TABLE `device_domains` (
	`device_id` text NOT NULL,
	`domain` text NOT NULL,
	PRIMARY KEY(`device_id`, `domain`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `device_domains_domain` ON `device_domains` (`domain`);--> statement-breakpoint
CREATE TABLE `device_relationships` (
	`parent_id` text NOT NULL,
	`child_id` text NOT NULL,
	`type` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`parent_id`, `child_id`, `type`),
	FOREIGN KEY (`parent_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`child_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "device_relationships_not_self" CHECK("device_relationships"."parent_id" <> "device_relationships"."child_id")
);
--> statement-breakpoint
CREATE INDEX `device_relationships_child` ON `device_relationships` (`child_id`);--> statement-breakpoint
CREATE TABLE `device_tags` (
	`device_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`device_id`, `tag`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `device_tags_tag` ON `device_tags` (`tag`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hostname` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`make_model` text DEFAULT '' NOT NULL,
	`os` text DEFAULT '' NOT NULL,
	`username` text DEFAULT '' NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`datacenter_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`status_changed_at` text,
	`status_changed_by` text,
	`decommission_date` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`datacenter_id`) REFERENCES `datacenters`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `devices_name` ON `devices` (`name`);--> statement-breakpoint
CREATE INDEX `devices_datacenter` ON `devices` (`datacenter_id`);--> statement-breakpoint
CREATE INDEX `devices_status` ON `devices` (`status`);--> statement-breakpoint
CREATE TABLE `ip_allocations` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`idempotency_key` text,
	`ip` text NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`device_id` text,
	`created_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ip_allocations_key` ON `ip_allocations` (`pool_id`,`idempotency_key`) WHERE "ip_allocations"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `network_pools` (
	`id` text PRIMARY KEY NOT NULL,
	`network_id` text NOT NULL,
	`name` text NOT NULL,
	`family` integer NOT NULL,
	`start_ip` text NOT NULL,
	`end_ip` text NOT NULL,
	`start_hex` text NOT NULL,
	`end_hex` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`network_id`) REFERENCES `networks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `network_pools_network` ON `network_pools` (`network_id`);--> statement-breakpoint
CREATE INDEX `network_pools_range` ON `network_pools` (`family`,`start_hex`,`end_hex`);--> statement-breakpoint
CREATE TABLE `networks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`subnet` text NOT NULL,
	`family` integer NOT NULL,
	`prefix` integer NOT NULL,
	`start_hex` text NOT NULL,
	`end_hex` text NOT NULL,
	`vlan_id` integer,
	`datacenter_id` text,
	`description` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`datacenter_id`) REFERENCES `datacenters`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "networks_vlan_range" CHECK("networks"."vlan_id" IS NULL OR ("networks"."vlan_id" BETWEEN 1 AND 4094))
);
--> statement-breakpoint
CREATE INDEX `networks_name` ON `networks` (`name`);--> statement-breakpoint
CREATE INDEX `networks_range` ON `networks` (`family`,`start_hex`,`end_hex`);--> statement-breakpoint
CREATE INDEX `networks_datacenter` ON `networks` (`datacenter_id`);--> statement-breakpoint
CREATE INDEX `networks_vlan` ON `networks` (`vlan_id`);--> statement-breakpoint
CREATE TABLE `pool_claims` (
	`pool_id` text NOT NULL,
	`ip_hex` text NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	PRIMARY KEY(`pool_id`, `ip_hex`),
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pool_claims_owner` ON `pool_claims` (`owner_kind`,`owner_id`);--> statement-breakpoint
CREATE TABLE `pool_free_ranges` (
	`pool_id` text NOT NULL,
	`start_hex` text NOT NULL,
	`end_hex` text NOT NULL,
	PRIMARY KEY(`pool_id`, `start_hex`),
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pool_tags` (
	`pool_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`pool_id`, `tag`),
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pool_tags_tag` ON `pool_tags` (`tag`);--> statement-breakpoint
CREATE TABLE `reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`ip_address` text NOT NULL,
	`ip_hex` text NOT NULL,
	`hostname` text DEFAULT '' NOT NULL,
	`purpose` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`reserved_by` text NOT NULL,
	`reserved_at` text NOT NULL,
	`expires_at` text,
	`status` text DEFAULT 'active' NOT NULL,
	`released_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `network_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_active_ip` ON `reservations` (`pool_id`,`ip_hex`) WHERE "reservations"."status" = 'active';--> statement-breakpoint
CREATE INDEX `reservations_status_expiry` ON `reservations` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `reservations_reserved_by` ON `reservations` (`reserved_by`);--> statement-breakpoint
DROP INDEX `audit_logs_timestamp`;--> statement-breakpoint
CREATE INDEX `audit_logs_timestamp` ON `audit_logs` (`timestamp`,`id`);