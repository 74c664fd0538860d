-- Names on their own: search_names (FTS5, contentless with delete support) holds only the name of
-- each search_docs row, under the same rowid as search_index. Search ranks "name starts with the
-- query" and "every word in the name" above matches in other fields; a column filter on
-- search_index costs as much as every document holding the words in any column, this table only
-- as much as the names that hold them. Filled here from the objects themselves.
CREATE VIRTUAL TABLE `search_names` USING fts5(name, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_names` (rowid, name)
  SELECT d.rowid, x.name FROM `search_docs` d JOIN `devices` x ON d.kind = 'device' AND x.id = d.ref_id;
--> statement-breakpoint
INSERT INTO `search_names` (rowid, name)
  SELECT d.rowid, x.name FROM `search_docs` d JOIN `networks` x ON d.kind = 'network' AND x.id = d.ref_id;
--> statement-breakpoint
INSERT INTO `search_names` (rowid, name)
  SELECT d.rowid, x.name FROM `search_docs` d JOIN `datacenters` x ON d.kind = 'datacenter' AND x.id = d.ref_id;
