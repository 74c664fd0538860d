-- Permissions that guard nothing in this version (Rackd's conflict, custom-field, circuit, NAT,
-- DNS and log features, plus apikey:update and search:read, which no code ever checked) leave the
-- catalogue. Their grants go from every role, built-in or custom; grants of every other
-- permission stay exactly as they are. The start-up sync (services/bootstrap.ts) would drop them
-- too, but a migration makes the change visible, ordered and testable on an existing database.
-- A later feature that brings one back adds it to src/auth/permissions.ts again.
CREATE TEMP TABLE `dead_permissions` (`name` text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO `dead_permissions` (`name`) VALUES
  ('conflict:list'),
  ('conflict:read'),
  ('conflict:resolve'),
  ('conflict:detect'),
  ('conflict:delete'),
  ('custom-fields:list'),
  ('custom-fields:read'),
  ('custom-fields:create'),
  ('custom-fields:update'),
  ('custom-fields:delete'),
  ('circuits:list'),
  ('circuits:read'),
  ('circuits:create'),
  ('circuits:update'),
  ('circuits:delete'),
  ('nat:list'),
  ('nat:read'),
  ('nat:create'),
  ('nat:update'),
  ('nat:delete'),
  ('dns-provider:list'),
  ('dns-provider:read'),
  ('dns-provider:create'),
  ('dns-provider:update'),
  ('dns-provider:delete'),
  ('dns-provider:test'),
  ('dns-zone:list'),
  ('dns-zone:read'),
  ('dns-zone:create'),
  ('dns-zone:update'),
  ('dns-zone:delete'),
  ('dns-zone:sync'),
  ('dns-zone:import'),
  ('dns:list'),
  ('dns:read'),
  ('dns:create'),
  ('dns:update'),
  ('dns:delete'),
  ('dns:sync'),
  ('dns:import'),
  ('logs:list'),
  ('logs:read'),
  ('logs:export'),
  ('apikey:update'),
  ('search:read');
--> statement-breakpoint
DELETE FROM `role_permissions` WHERE `permission_id` IN (SELECT `id` FROM `permissions` WHERE `name` IN (SELECT `name` FROM `dead_permissions`));
--> statement-breakpoint
DELETE FROM `permissions` WHERE `name` IN (SELECT `name` FROM `dead_permissions`);
--> statement-breakpoint
DROP TABLE `dead_permissions`;
