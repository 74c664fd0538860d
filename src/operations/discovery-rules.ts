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
    description: 'Discovery rules (one per network, scanned every interval_hours), newest first; filter by network_id.',
    input: ListDiscoveryRulesInputSchema,
    output: DiscoveryRulePageSchema,
    run: listDiscoveryRules,
  }),
  c.get({
    title: 'Get a discovery rule',
    description: 'One discovery rule with last_run_at and next_run_at.',
    output: DiscoveryRuleSchema,
    run: getDiscoveryRule,
  }),
  c.save({
    title: 'Create or update a discovery rule',
    description: 'Create (network_id required; a network with a rule gets it updated) or update a discovery rule: scan every interval_hours (default 24) with profile_id or scan_type, skipping exclude_ips.',
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
