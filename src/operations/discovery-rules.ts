import { DeletedSchema } from '../../schemas/common.ts';
import { DiscoveryRulePageSchema, DiscoveryRuleSchema, ListDiscoveryRulesInputSchema, SaveDiscoveryRuleInputSchema } from '../../schemas/schedules.ts';
import { deleteDiscoveryRule } from '../services/discovery-rules/delete.ts';
import { getDiscoveryRule } from '../services/discovery-rules/get.ts';
import { listDiscoveryRules } from '../services/discovery-rules/list.ts';
import { saveDiscoveryRule } from '../services/discovery-rules/save.ts';
import { crud } from './crud.ts';

const c = crud({ entity: 'discovery_rule', permission: 'discovery', path: '/api/discovery/rules', toolset: 'discovery' });

export const discoveryRuleOperations = [
  c.list({
    title: 'List discovery rules',
    description: 'List discovery rules (one per network: scan it every interval_hours), newest first. Filter by network_id.',
    input: ListDiscoveryRulesInputSchema,
    output: DiscoveryRulePageSchema,
    run: listDiscoveryRules,
  }),
  c.get({
    title: 'Get a discovery rule',
    description: 'Get one discovery rule by id, with last_run_at and next_run_at.',
    output: DiscoveryRuleSchema,
    run: getDiscoveryRule,
  }),
  c.save({
    title: 'Create or update a discovery rule',
    description:
      'Create a discovery rule (omit id; network_id required — a network that already has a rule gets it updated) or update one (give id; only the fields sent change). The server scans the network every interval_hours (default 24) with profile_id, or scan_type when no profile is set, skipping exclude_ips.',
    input: SaveDiscoveryRuleInputSchema,
    output: DiscoveryRuleSchema,
    run: saveDiscoveryRule,
  }),
  c.remove({
    title: 'Delete a discovery rule',
    description: 'Delete a discovery rule; the network is no longer scanned automatically.',
    output: DeletedSchema,
    run: deleteDiscoveryRule,
  }),
];
