// Groups the operation catalogue into the web UI's resources by the tool naming convention:
// `<entity>_list`, `<entity>_get`, `<entity>_save` (or `_create`/`_update`), `<entity>_delete`,
// and any other `<entity>_<verb>` as an extra action. A module that follows the convention gets
// its list, detail and form pages (and its UI route) without UI code.
import type { Operation } from '../operations/types.ts';

export const CRUD_VERBS = ['list', 'get', 'save', 'create', 'update', 'delete'] as const;
export type CrudVerb = (typeof CRUD_VERBS)[number];

export interface UiResource {
  /** The entity part of the tool names, e.g. `scan_profile`. */
  name: string;
  /** URL segment of its pages, e.g. `scan-profiles` (/scan-profiles, /scan-profiles/:id). */
  slug: string;
  /** Plural display name, e.g. `Scan profiles`. */
  label: string;
  /** Operation names by CRUD verb. */
  operations: Partial<Record<CrudVerb, string>>;
  /** The entity's other operations (e.g. `webhook_ping`). */
  actions: string[];
}

const plural = (word: string): string => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`);

/** Every entity with a list operation; the longest matching entity name wins (`scan_profile_list` is scan_profile's). */
export function uiResources(ops: readonly Operation[]): UiResource[] {
  const names = new Set(ops.map((o) => o.name));
  const entities = ops.filter((o) => o.name.endsWith('_list')).map((o) => o.name.slice(0, -'_list'.length));
  const byLength = [...entities].sort((a, b) => b.length - a.length);
  const owner = (op: string): string | undefined => byLength.find((e) => op.startsWith(`${e}_`));
  return entities.map((name) => {
    const operations: UiResource['operations'] = {};
    for (const v of CRUD_VERBS) if (names.has(`${name}_${v}`) && owner(`${name}_${v}`) === name) operations[v] = `${name}_${v}`;
    const actions = ops.map((o) => o.name).filter((n) => owner(n) === name && !Object.values(operations).includes(n));
    const words = plural(name).split('_');
    return { name, slug: words.join('-'), label: `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}`, operations, actions };
  });
}
