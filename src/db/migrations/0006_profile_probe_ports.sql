ALTER TABLE `scan_profiles` ADD `snmp_port` integer DEFAULT 161 NOT NULL;--> statement-breakpoint
ALTER TABLE `scan_profiles` ADD `ssh_port` integer;