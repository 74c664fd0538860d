-- Full-text search over devices, networks and datacenters. search_docs maps each indexed object
-- to a rowid; search_index (FTS5, contentless with delete support) holds the text, written by
-- the service layer in the same transaction as the change.
CREATE TABLE `search_docs` (
	`rowid` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_ref` ON `search_docs` (`kind`, `ref_id`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(name, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
