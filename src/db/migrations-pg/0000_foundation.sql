CREATE TABLE "permissions" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"resource" text NOT NULL,
	"action" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "permissions_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"role_id" text NOT NULL,
	"permission_id" text NOT NULL,
	CONSTRAINT "role_permissions_role_id_permission_id_pk" PRIMARY KEY("role_id","permission_id")
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"user_id" text NOT NULL,
	"role_id" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "user_roles_user_id_role_id_pk" PRIMARY KEY("user_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"email" text NOT NULL,
	"full_name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"last_login_at" text,
	"password_changed_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"key_hash" text NOT NULL,
	"start" text NOT NULL,
	"user_id" text,
	"created_at" text NOT NULL,
	"last_used_at" text,
	"expires_at" text,
	"scopes" text,
	"created_by" text,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"ip_address" text DEFAULT '' NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"timestamp" text NOT NULL,
	"action" text NOT NULL,
	"resource" text NOT NULL,
	"resource_id" text DEFAULT '' NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"ip_address" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"error" text DEFAULT '' NOT NULL,
	"error_code" text DEFAULT '' NOT NULL,
	"changes" text DEFAULT '' NOT NULL,
	"request_id" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "addresses" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"ip" text NOT NULL,
	"family" integer NOT NULL,
	"ip_hex" text NOT NULL,
	"type" text DEFAULT 'ipv4' NOT NULL,
	"port" integer,
	"label" text DEFAULT '' NOT NULL,
	"network_id" text,
	"pool_id" text,
	"switch_port" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datacenters" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_domains" (
	"device_id" text NOT NULL,
	"domain" text NOT NULL,
	CONSTRAINT "device_domains_device_id_domain_pk" PRIMARY KEY("device_id","domain")
);
--> statement-breakpoint
CREATE TABLE "device_relationships" (
	"parent_id" text NOT NULL,
	"child_id" text NOT NULL,
	"type" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "device_relationships_parent_id_child_id_type_pk" PRIMARY KEY("parent_id","child_id","type"),
	CONSTRAINT "device_relationships_not_self" CHECK ("device_relationships"."parent_id" <> "device_relationships"."child_id")
);
--> statement-breakpoint
CREATE TABLE "device_tags" (
	"device_id" text NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "device_tags_device_id_tag_pk" PRIMARY KEY("device_id","tag")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hostname" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"make_model" text DEFAULT '' NOT NULL,
	"os" text DEFAULT '' NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"datacenter_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"status_changed_at" text,
	"status_changed_by" text,
	"decommission_date" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ip_allocations" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"idempotency_key" text,
	"ip" text NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" text NOT NULL,
	"device_id" text,
	"created_by" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "network_pools" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"name" text NOT NULL,
	"family" integer NOT NULL,
	"start_ip" text NOT NULL,
	"end_ip" text NOT NULL,
	"start_hex" text NOT NULL,
	"end_hex" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "networks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"subnet" text NOT NULL,
	"family" integer NOT NULL,
	"prefix" integer NOT NULL,
	"start_hex" text NOT NULL,
	"end_hex" text NOT NULL,
	"vlan_id" integer,
	"datacenter_id" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "networks_vlan_range" CHECK ("networks"."vlan_id" IS NULL OR ("networks"."vlan_id" BETWEEN 1 AND 4094))
);
--> statement-breakpoint
CREATE TABLE "pool_claims" (
	"pool_id" text NOT NULL,
	"ip_hex" text NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" text NOT NULL,
	CONSTRAINT "pool_claims_pool_id_ip_hex_pk" PRIMARY KEY("pool_id","ip_hex")
);
--> statement-breakpoint
CREATE TABLE "pool_free_ranges" (
	"pool_id" text NOT NULL,
	"start_hex" text NOT NULL,
	"end_hex" text NOT NULL,
	CONSTRAINT "pool_free_ranges_pool_id_start_hex_pk" PRIMARY KEY("pool_id","start_hex")
);
--> statement-breakpoint
CREATE TABLE "pool_tags" (
	"pool_id" text NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "pool_tags_pool_id_tag_pk" PRIMARY KEY("pool_id","tag")
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"ip_address" text NOT NULL,
	"ip_hex" text NOT NULL,
	"hostname" text DEFAULT '' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"reserved_by" text NOT NULL,
	"reserved_at" text NOT NULL,
	"expires_at" text,
	"status" text DEFAULT 'active' NOT NULL,
	"released_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"redirect_uris" jsonb NOT NULL,
	"grant_types" jsonb NOT NULL,
	"response_types" jsonb NOT NULL,
	"token_endpoint_auth_method" text NOT NULL,
	"scope" text,
	"client_uri" text,
	"logo_uri" text,
	"application_type" text,
	"secret_hash" text,
	"owner_user_id" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"last_used_at" text,
	CONSTRAINT "oauth_clients_client_id_unique" UNIQUE("client_id")
);
--> statement-breakpoint
CREATE TABLE "oauth_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"user_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"scope" text NOT NULL,
	"resource" text NOT NULL,
	"code_challenge" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text
);
--> statement-breakpoint
CREATE TABLE "oauth_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"user_id" text NOT NULL,
	"grant_type" text NOT NULL,
	"scope" text NOT NULL,
	"resource" text NOT NULL,
	"created_at" text NOT NULL,
	"last_used_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"revoked_at" text,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "oauth_refresh_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"grant_id" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"rotated_at" text,
	CONSTRAINT "oauth_refresh_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"secret" text NOT NULL,
	"ssh_username" text DEFAULT '' NOT NULL,
	"options" text DEFAULT '{}' NOT NULL,
	"datacenter_id" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovered_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"ip" text NOT NULL,
	"ip_hex" text NOT NULL,
	"mac_address" text DEFAULT '' NOT NULL,
	"hostname" text DEFAULT '' NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"os_guess" text DEFAULT '' NOT NULL,
	"device_type" text DEFAULT '' NOT NULL,
	"confidence" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'online' NOT NULL,
	"open_ports" text DEFAULT '[]' NOT NULL,
	"services" text DEFAULT '[]' NOT NULL,
	"facts" text DEFAULT '{}' NOT NULL,
	"last_scan_id" text,
	"first_seen" text NOT NULL,
	"last_seen" text NOT NULL,
	"promoted_to_device_id" text,
	"promoted_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovery_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"scan_type" text DEFAULT 'quick' NOT NULL,
	"profile_id" text,
	"interval_hours" integer DEFAULT 24 NOT NULL,
	"exclude_ips" text DEFAULT '[]' NOT NULL,
	"last_run_at" text,
	"next_run_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "discovery_rules_network_id_unique" UNIQUE("network_id")
);
--> statement-breakpoint
CREATE TABLE "discovery_scans" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"profile_id" text,
	"status" text NOT NULL,
	"scan_type" text NOT NULL,
	"total_hosts" integer DEFAULT 0 NOT NULL,
	"scanned_hosts" integer DEFAULT 0 NOT NULL,
	"found_hosts" integer DEFAULT 0 NOT NULL,
	"progress_percent" double precision DEFAULT 0 NOT NULL,
	"error_message" text DEFAULT '' NOT NULL,
	"exclude" text DEFAULT '[]' NOT NULL,
	"ports" text DEFAULT '[]' NOT NULL,
	"started_by" text DEFAULT '' NOT NULL,
	"owner_id" text,
	"heartbeat_at" text,
	"started_at" text,
	"completed_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scan_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scan_type" text NOT NULL,
	"ports" text DEFAULT '[]' NOT NULL,
	"enable_snmp" boolean DEFAULT false NOT NULL,
	"enable_ssh" boolean DEFAULT false NOT NULL,
	"snmp_credential_id" text,
	"ssh_credential_id" text,
	"snmp_port" integer DEFAULT 161 NOT NULL,
	"ssh_port" integer,
	"timeout_sec" integer DEFAULT 2 NOT NULL,
	"max_workers" integer DEFAULT 64 NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_builtin" boolean DEFAULT false NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "scan_profiles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "scheduled_scans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"network_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"cron_expression" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"last_run_at" text,
	"last_scan_id" text,
	"next_run_at" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ssh_host_keys" (
	"host" text PRIMARY KEY NOT NULL,
	"key_type" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" text NOT NULL,
	"payload" text NOT NULL,
	"dispatched_at" text,
	CONSTRAINT "events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"duration_ms" integer NOT NULL,
	"error" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" text,
	"last_status_code" integer,
	"last_error" text DEFAULT '' NOT NULL,
	"lease_until" text,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"completed_at" text
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"secret" text DEFAULT '' NOT NULL,
	"events" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_permission_id_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "public"."permissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_domains" ADD CONSTRAINT "device_domains_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_relationships" ADD CONSTRAINT "device_relationships_parent_id_devices_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_relationships" ADD CONSTRAINT "device_relationships_child_id_devices_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_tags" ADD CONSTRAINT "device_tags_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_datacenter_id_datacenters_id_fk" FOREIGN KEY ("datacenter_id") REFERENCES "public"."datacenters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ip_allocations" ADD CONSTRAINT "ip_allocations_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ip_allocations" ADD CONSTRAINT "ip_allocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_pools" ADD CONSTRAINT "network_pools_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "networks" ADD CONSTRAINT "networks_datacenter_id_datacenters_id_fk" FOREIGN KEY ("datacenter_id") REFERENCES "public"."datacenters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_claims" ADD CONSTRAINT "pool_claims_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_free_ranges" ADD CONSTRAINT "pool_free_ranges_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_tags" ADD CONSTRAINT "pool_tags_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_pool_id_network_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."network_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_client_id_oauth_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_grants" ADD CONSTRAINT "oauth_grants_client_id_oauth_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_grants" ADD CONSTRAINT "oauth_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_refresh_tokens" ADD CONSTRAINT "oauth_refresh_tokens_grant_id_oauth_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."oauth_grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovered_devices" ADD CONSTRAINT "discovered_devices_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovered_devices" ADD CONSTRAINT "discovered_devices_promoted_to_device_id_devices_id_fk" FOREIGN KEY ("promoted_to_device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_rules" ADD CONSTRAINT "discovery_rules_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_rules" ADD CONSTRAINT "discovery_rules_profile_id_scan_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."scan_profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_scans" ADD CONSTRAINT "discovery_scans_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_scans" ADD CONSTRAINT "discovery_scans_profile_id_scan_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."scan_profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_profiles" ADD CONSTRAINT "scan_profiles_snmp_credential_id_credentials_id_fk" FOREIGN KEY ("snmp_credential_id") REFERENCES "public"."credentials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_profiles" ADD CONSTRAINT "scan_profiles_ssh_credential_id_credentials_id_fk" FOREIGN KEY ("ssh_credential_id") REFERENCES "public"."credentials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_scans" ADD CONSTRAINT "scheduled_scans_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_scans" ADD CONSTRAINT "scheduled_scans_profile_id_scan_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."scan_profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "role_permissions_permission" ON "role_permissions" USING btree ("permission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_name_unique" ON "roles" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "user_roles_role" ON "user_roles" USING btree ("role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_unique" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "api_keys_user" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "audit_logs_timestamp" ON "audit_logs" USING btree ("timestamp","id");--> statement-breakpoint
CREATE INDEX "audit_logs_resource" ON "audit_logs" USING btree ("resource","resource_id");--> statement-breakpoint
CREATE INDEX "audit_logs_user" ON "audit_logs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_logs_action" ON "audit_logs" USING btree ("action");--> statement-breakpoint
CREATE INDEX "addresses_device" ON "addresses" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "addresses_ip" ON "addresses" USING btree ("family","ip_hex");--> statement-breakpoint
CREATE INDEX "addresses_network" ON "addresses" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "addresses_pool" ON "addresses" USING btree ("pool_id");--> statement-breakpoint
CREATE INDEX "datacenters_name" ON "datacenters" USING btree ("name");--> statement-breakpoint
CREATE INDEX "device_domains_domain" ON "device_domains" USING btree ("domain");--> statement-breakpoint
CREATE INDEX "device_relationships_child" ON "device_relationships" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "device_tags_tag" ON "device_tags" USING btree ("tag");--> statement-breakpoint
CREATE INDEX "devices_name" ON "devices" USING btree ("name");--> statement-breakpoint
CREATE INDEX "devices_datacenter" ON "devices" USING btree ("datacenter_id");--> statement-breakpoint
CREATE INDEX "devices_status" ON "devices" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "ip_allocations_key" ON "ip_allocations" USING btree ("pool_id","idempotency_key") WHERE "ip_allocations"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "network_pools_network" ON "network_pools" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "network_pools_range" ON "network_pools" USING btree ("family","start_hex","end_hex");--> statement-breakpoint
CREATE INDEX "networks_name" ON "networks" USING btree ("name");--> statement-breakpoint
CREATE INDEX "networks_range" ON "networks" USING btree ("family","start_hex","end_hex");--> statement-breakpoint
CREATE INDEX "networks_datacenter" ON "networks" USING btree ("datacenter_id");--> statement-breakpoint
CREATE INDEX "networks_vlan" ON "networks" USING btree ("vlan_id");--> statement-breakpoint
CREATE INDEX "pool_claims_owner" ON "pool_claims" USING btree ("owner_kind","owner_id");--> statement-breakpoint
CREATE INDEX "pool_tags_tag" ON "pool_tags" USING btree ("tag");--> statement-breakpoint
CREATE UNIQUE INDEX "reservations_active_ip" ON "reservations" USING btree ("pool_id","ip_hex") WHERE "reservations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "reservations_status_expiry" ON "reservations" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "reservations_reserved_by" ON "reservations" USING btree ("reserved_by");--> statement-breakpoint
CREATE INDEX "oauth_clients_owner" ON "oauth_clients" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "oauth_clients_kind_used" ON "oauth_clients" USING btree ("kind","last_used_at");--> statement-breakpoint
CREATE INDEX "oauth_codes_expires" ON "oauth_codes" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oauth_grants_user_client" ON "oauth_grants" USING btree ("user_id","client_id");--> statement-breakpoint
CREATE INDEX "oauth_grants_client" ON "oauth_grants" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "oauth_grants_expires" ON "oauth_grants" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oauth_refresh_tokens_grant" ON "oauth_refresh_tokens" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oauth_refresh_tokens_expires" ON "oauth_refresh_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_name" ON "credentials" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "discovered_devices_network_ip" ON "discovered_devices" USING btree ("network_id","ip_hex");--> statement-breakpoint
CREATE INDEX "discovered_devices_last_seen" ON "discovered_devices" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "discovered_devices_promoted" ON "discovered_devices" USING btree ("promoted_to_device_id");--> statement-breakpoint
CREATE INDEX "discovery_scans_network" ON "discovery_scans" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "discovery_scans_status" ON "discovery_scans" USING btree ("status");--> statement-breakpoint
CREATE INDEX "scheduled_scans_due" ON "scheduled_scans" USING btree ("enabled","next_run_at");--> statement-breakpoint
CREATE INDEX "events_undispatched" ON "events" USING btree ("dispatched_at","seq");--> statement-breakpoint
CREATE INDEX "events_type" ON "events" USING btree ("type");--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery" ON "webhook_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "webhook_attempts_webhook" ON "webhook_attempts" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_webhook" ON "webhook_deliveries" USING btree ("event_id","webhook_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook" ON "webhook_deliveries" USING btree ("webhook_id","created_at");