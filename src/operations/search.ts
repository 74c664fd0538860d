import { SearchInputSchema, SearchPageSchema } from '../../schemas/search.ts';
import { search } from '../services/search/search.ts';
import { defineOperation } from './types.ts';

export const searchOperations = [
  defineOperation({
    name: 'search',
    title: 'Search the inventory',
    description: 'Find devices, networks and datacenters by any words (names, hostnames, descriptions, IPs, subnets, tags …), each matched as a prefix. Ranked, names first; kinds you may not list are left out.',
    permission: ['device:list', 'network:list', 'datacenter:list'],
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: SearchInputSchema,
    output: SearchPageSchema,
    run: search,
    http: { method: 'GET', path: '/api/search', arrayQuery: ['types'], rename: { q: 'query' } },
    toolset: 'inventory',
  }),
];
