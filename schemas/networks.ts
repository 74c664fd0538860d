// Wire contracts of networks (subnets) and their utilization. Leaf module: imports nothing from src/.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const NetworkSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Network name'),
    subnet: z.string().describe('Canonical CIDR of the network address, e.g. 10.0.0.0/24 or 2001:db8::/64'),
    family: z.union([z.literal(4), z.literal(6)]).describe('IP version of the subnet: 4 or 6'),
    vlan_id: z.number().int().nullable().describe('802.1Q VLAN id (1–4094), null when not set'),
    datacenter_id: IdSchema.nullable().describe('Datacenter the network belongs to, null when not set'),
    description: z.string().describe('Description'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A network (IPv4 or IPv6 subnet)');
export type Network = z.infer<typeof NetworkSchema>;

const Name = displayText().trim().min(1, 'is required').max(255).describe('Network name');
const Subnet = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .describe(
    'CIDR with prefix length, e.g. 10.0.0.0/24 (host bits cleared)',
  );
const VlanId = z.int().min(1).max(4094);
const Description = plainText().max(4096).describe('Description');

export const SaveNetworkInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    name: Name.optional(),
    subnet: Subnet.optional(),
    vlan_id: VlanId.nullable().optional().describe('VLAN id; null clears it'),
    datacenter_id: IdSchema.nullable().optional().describe('Datacenter; null clears it'),
    description: Description.optional(),
  })
  .strict();
export type SaveNetworkInput = z.infer<typeof SaveNetworkInputSchema>;

export const ListNetworksInputSchema = z
  .object({
    name: z.string().max(255).optional().describe('Substring of the name (case-insensitive)'),
    datacenter_id: IdSchema.optional().describe('Only networks of this datacenter'),
    vlan_id: VlanId.optional().describe('Only networks on this VLAN id'),
    ...PageInputShape,
  })
  .strict();
export const NetworkPageSchema = pageOutput(NetworkSchema);

export const NetworkUtilizationSchema = z
  .object({
    network_id: IdSchema,
    subnet: z.string().describe('Canonical CIDR'),
    total_ips: z
      .number()
      .describe('Usable host addresses: IPv4 size−2 for /30 and shorter prefixes, 2 for /31, 1 for /32; IPv6 the whole prefix (rounded above 2^53; see total_ips_exact)'),
    used_ips: z.number().int().describe('Distinct device addresses inside the usable range of the subnet'),
    available_ips: z.number().describe('total_ips − used_ips (rounded above 2^53; see available_ips_exact)'),
    utilization: z.number().describe('used_ips / total_ips × 100'),
    total_ips_exact: z.string().describe('total_ips as an exact decimal string (IPv6 prefixes exceed JSON number precision)'),
    available_ips_exact: z.string().describe('available_ips as an exact decimal string'),
  })
  .describe('Address utilization of a network, counted without enumerating the subnet');
export type NetworkUtilization = z.infer<typeof NetworkUtilizationSchema>;
