import { DeletedSchema, IdInputSchema } from '../../schemas/datacenters.ts';
import { DiscoveryRulePageSchema, DiscoveryRuleSchema, ListDiscoveryRulesInputSchema, SaveDiscoveryRuleInputSchema } from '../../schemas/schedules.ts';
import { deleteDiscoveryRule } from '../services/discovery-rules/delete.ts';
import { getDiscoveryRule } from '../services/discovery-rules/get.ts';
import { listDiscoveryRules } from '../services/discovery-rules/list.ts';
import { saveDiscoveryRule } from '../services/discovery-rules/save.ts';
import { defineOperation } from './types.ts';

export const discoveryRuleOperations = [
  defineOperation({
    name: 'discovery_rule_list',
    title: 'List discovery rules',
    description: 'List discovery rules (one per network: scan it every interval_hours), newest first. Filter by network_id.',
    permission: 'discovery:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListDiscoveryRulesInputSchema,
    output: DiscoveryRulePageSchema,
    run: (env, ctx, input) => listDiscoveryRules(env, ctx, input),
    http: { method: 'GET', path: '/api/discovery/rules', response: 'items' },
  }),
  defineOperation({
    name: 'discovery_rule_get',
    title: 'Get a discovery rule',
    description: 'Get one discovery rule by id, with last_run_at and next_run_at.',
    permission: 'discovery:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: DiscoveryRuleSchema,
    run: (env, ctx, input) => getDiscoveryRule(env, ctx, input.id),
    http: { method: 'GET', path: '/api/discovery/rules/:id' },
  }),
  defineOperation({
    name: 'discovery_rule_save',
    title: 'Create or update a discovery rule',
    description:
      'Create a discovery rule (omit id; network_id required — a network that already has a rule gets it updated) or update one (give id; only the fields sent change). The server scans the network every interval_hours (default 24) with profile_id, or scan_type when no profile is set, skipping exclude_ips.',
    permission: ['discovery:create', 'discovery:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveDiscoveryRuleInputSchema,
    output: DiscoveryRuleSchema,
    run: (env, ctx, input) => saveDiscoveryRule(env, ctx, input),
    http: [
      { method: 'POST', path: '/api/discovery/rules', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/discovery/rules/:id' },
    ],
  }),
  defineOperation({
    name: 'discovery_rule_delete',
    title: 'Delete a discovery rule',
    description: 'Delete a discovery rule; the network is no longer scanned automatically.',
    permission: 'discovery:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: (env, ctx, input) => deleteDiscoveryRule(env, ctx, input.id),
    http: { method: 'DELETE', path: '/api/discovery/rules/:id', status: 204 },
  }),
];
