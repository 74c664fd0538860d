-- Search tables, second version. search_index is re-created with prefix indexes for 2- and
-- 3-character prefixes (a query word is a prefix: "db" or "web" used to merge every matching
-- term's doclist on each query, twice the cost of reading one). search_names holds only the name
-- of each search_docs row, under the same rowid: search ranks "name starts with the query" and
-- "every word in the name" above matches in other fields, and a column filter on search_index
-- would walk every document holding the words in any column. Both start empty: the server
-- rebuilds them from the objects at start-up (src/services/search/rebuild.ts, keyed by
-- app_state 'search.index_version'), so search_docs is emptied here too.
DROP TABLE `search_index`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(name, body, content='', contentless_delete=1, prefix='2 3', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_names` USING fts5(name, content='', contentless_delete=1, prefix='2 3', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
DELETE FROM `search_docs`;
