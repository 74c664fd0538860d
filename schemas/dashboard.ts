import { z } from 'zod';
import { IdSchema } from './common.ts';

export const DashboardInputSchema = z
  .object({
    stale_days: z.int().min(1).max(365).default(7).describe('Days unchanged after which an active device is stale'),
    network_limit: z.int().min(1).max(1000).default(20).describe('How many of the fullest networks to list'),
    stale_limit: z.int().min(1).max(100).default(20).describe('How many stale devices to list'),
  })
  .strict();

const NetworkUse = z.object({
  network_id: IdSchema,
  network_name: z.string(),
  subnet: z.string(),
  total_ips: z.number().describe('Usable addresses (approximate above 2^53 for IPv6; see total_ips_exact)'),
  total_ips_exact: z.string().describe('Usable addresses as an exact decimal'),
  used_ips: z.number().int(),
  utilization: z.number().describe('Percent used, 0–100'),
});

export const DashboardSchema = z
  .object({
    total_devices: z.number().int(),
    total_networks: z.number().int(),
    total_pools: z.number().int(),
    total_datacenters: z.number().int(),
    total_reservations: z.number().int().describe('Active reservations'),
    device_status_counts: z.object({ planned: z.number().int(), active: z.number().int(), maintenance: z.number().int(), decommissioned: z.number().int() }),
    overall_utilization: z.number().describe('Percent of usable IPv4 addresses in use, over every IPv4 network'),
    ipv4_total_ips: z.number().int(),
    ipv4_used_ips: z.number().int(),
    network_utilization: z.array(NetworkUse).describe('The fullest networks first (network_limit of them), computed over all networks'),
    stale_threshold_days: z.number().int(),
    stale_devices: z.number().int().describe('Active devices unchanged for stale_threshold_days'),
    stale_device_list: z.array(z.object({ id: IdSchema, name: z.string(), hostname: z.string() })),
  })
  .describe('Inventory and IPAM totals; every figure is computed over all rows');
