// Wire contracts of discovery credentials. Secrets go in (create/update) and never come out:
// responses carry only has_* booleans. Leaf module: imports nothing from src/.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const CREDENTIAL_TYPES = ['snmp_v2c', 'snmp_v3', 'ssh_key', 'ssh_password'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];
export const SNMP_AUTH_PROTOCOLS = ['sha', 'sha256', 'md5'] as const;
export const SNMP_PRIV_PROTOCOLS = ['aes', 'des'] as const;

const CredentialTypeSchema = z
  .enum(CREDENTIAL_TYPES)
  .describe('snmp_v2c (community), snmp_v3 (user + auth key + privacy key, authPriv), ssh_password (username + password), ssh_key (username + private key)');

export const CredentialSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Unique name of the credential'),
    type: CredentialTypeSchema,
    ssh_username: z.string().describe('Login name for ssh_password / ssh_key credentials ("" for SNMP)'),
    snmp_v3_auth_protocol: z.enum(SNMP_AUTH_PROTOCOLS).nullable().describe('SNMPv3 authentication protocol (null for other types)'),
    snmp_v3_priv_protocol: z.enum(SNMP_PRIV_PROTOCOLS).nullable().describe('SNMPv3 privacy protocol (null for other types)'),
    datacenter_id: IdSchema.nullable().describe('Datacenter this credential is meant for, null when not set'),
    description: z.string().describe('Description'),
    has_secret: z.boolean().describe('True when the credential holds its secret (the secret itself is never returned)'),
    has_community: z.boolean().describe('snmp_v2c: a community string is stored'),
    has_snmp_v3_user: z.boolean().describe('snmp_v3: a user name is stored'),
    has_auth_key: z.boolean().describe('snmp_v3: an authentication key is stored'),
    has_priv_key: z.boolean().describe('snmp_v3: a privacy key is stored'),
    has_password: z.boolean().describe('ssh_password: a password is stored'),
    has_private_key: z.boolean().describe('ssh_key: a private key is stored'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A discovery credential (secrets redacted)');
export type Credential = z.infer<typeof CredentialSchema>;

const Secret = (what: string, min = 1) => z.string().min(min, min > 1 ? `must be at least ${min} characters` : 'must not be empty').max(16_384).describe(what);

export const SaveCredentialInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update (secrets not sent are kept); omit to create'),
    name: displayText().trim().min(1, 'is required').max(255).optional().describe('Unique name (required on create)'),
    type: CredentialTypeSchema.optional().describe('Credential type (required on create; a change needs the new type\'s secrets)'),
    snmp_community: Secret('snmp_v2c: the community string (write-only)').optional(),
    snmp_v3_user: z.string().min(1).max(255).optional().describe('snmp_v3: the USM user name (write-only)'),
    snmp_v3_auth_key: Secret('snmp_v3: the authentication passphrase, at least 8 characters (write-only)', 8).optional(),
    snmp_v3_priv_key: Secret('snmp_v3: the privacy passphrase, at least 8 characters (write-only)', 8).optional(),
    snmp_v3_auth_protocol: z.enum(SNMP_AUTH_PROTOCOLS).optional().describe('snmp_v3: authentication protocol (default sha)'),
    snmp_v3_priv_protocol: z.enum(SNMP_PRIV_PROTOCOLS).optional().describe('snmp_v3: privacy protocol (default aes)'),
    ssh_username: displayText().trim().min(1).max(255).optional().describe('ssh_password / ssh_key: login name'),
    ssh_password: Secret('ssh_password: the password (write-only)').optional(),
    ssh_private_key: Secret('ssh_key: an unencrypted private key in OpenSSH or PEM format (write-only)').optional(),
    datacenter_id: IdSchema.nullable().optional().describe('Datacenter; null clears it'),
    description: plainText().max(4096).optional().describe('Description'),
  })
  .strict();
export type SaveCredentialInput = z.infer<typeof SaveCredentialInputSchema>;

export const ListCredentialsInputSchema = z
  .object({
    type: CredentialTypeSchema.optional().describe('Only credentials of this type'),
    datacenter_id: IdSchema.optional().describe('Only credentials of this datacenter'),
    ...PageInputShape,
  })
  .strict();
export const CredentialPageSchema = pageOutput(CredentialSchema);
