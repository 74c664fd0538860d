// Creates a credential (no id) or updates one partially: non-secret fields not sent keep their
// value, secrets not sent stay sealed as they were. Changing the type needs the new type's
// secrets. Secrets are sealed before they touch the database and never appear in the result or
// the audit entry (which get has_* flags only).
import { and, eq, ne } from 'drizzle-orm';
import ssh2 from 'ssh2';
import { SaveCredentialInputSchema, type Credential, type CredentialType, type SaveCredentialInput } from '../../../schemas/credentials.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { credentials } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertDatacenterExists } from '../networks/internal.ts';
import {
  getCredentialOrThrow,
  parseOptions,
  REQUIRED_SECRETS,
  sealCredentialSecrets,
  toCredential,
  unsealCredentialSecrets,
  type CredentialOptions,
  type CredentialSecrets,
} from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Input field of each sealed field, for messages. */
const INPUT_FIELD: Record<keyof CredentialSecrets, keyof SaveCredentialInput> = {
  community: 'snmp_community',
  user: 'snmp_v3_user',
  auth_key: 'snmp_v3_auth_key',
  priv_key: 'snmp_v3_priv_key',
  password: 'ssh_password',
  private_key: 'ssh_private_key',
};

/** Type-specific input fields; sending one that does not belong to the type is an error, not ignored. */
const TYPE_FIELDS: Record<CredentialType, readonly (keyof SaveCredentialInput)[]> = {
  snmp_v2c: ['snmp_community'],
  snmp_v3: ['snmp_v3_user', 'snmp_v3_auth_key', 'snmp_v3_priv_key', 'snmp_v3_auth_protocol', 'snmp_v3_priv_protocol'],
  ssh_password: ['ssh_username', 'ssh_password'],
  ssh_key: ['ssh_username', 'ssh_private_key'],
};
const ALL_TYPE_FIELDS = new Set(Object.values(TYPE_FIELDS).flat());

const isSsh = (t: string) => t === 'ssh_password' || t === 'ssh_key';

function givenSecrets(input: SaveCredentialInput): CredentialSecrets {
  const out: CredentialSecrets = {};
  for (const [field, key] of Object.entries(INPUT_FIELD) as [keyof CredentialSecrets, keyof SaveCredentialInput][]) {
    const v = input[key];
    if (typeof v === 'string') out[field] = v;
  }
  return out;
}

/** ssh2 must be able to use the key at scan time; an encrypted key would need a passphrase we do not store. */
function checkPrivateKey(pem: string): void {
  const parsed = ssh2.utils.parseKey(pem);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw validationError(
      'ssh_private_key',
      encrypted ? 'encrypted private keys are not supported; give the key without a passphrase' : 'is not a private key in OpenSSH or PEM format',
    );
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) throw validationError('ssh_private_key', 'is a public key; give the private key');
}

export async function saveCredential(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Credential> {
  const rawId = (raw as { id?: unknown })?.id;
  const action = typeof rawId === 'string' ? 'credential.update' : 'credential.create';
  return audited(env, ctx, { action, resource: 'credential', resourceId: typeof rawId === 'string' ? rawId : undefined }, (audit) => {
    requirePermission(ctx, action === 'credential.update' ? 'credential:update' : 'credential:create');
    const input = SaveCredentialInputSchema.parse(raw);
    if (input.ssh_private_key !== undefined) checkPrivateKey(input.ssh_private_key);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const before = input.id === undefined ? undefined : getCredentialOrThrow(tx, input.id);
        const type = (input.type ?? before?.type) as CredentialType | undefined;
        if (!type) throw validationError('type', 'is required');
        const name = input.name ?? before?.name;
        if (!name) throw validationError('name', 'is required');
        for (const field of ALL_TYPE_FIELDS) {
          if (input[field] !== undefined && !TYPE_FIELDS[type].includes(field)) throw validationError(field, `does not apply to a ${type} credential`);
        }
        const typeChanged = before !== undefined && before.type !== type;
        const given = givenSecrets(input);
        const required = REQUIRED_SECRETS[type];
        // Unseal the stored secrets only when some are kept (a full replacement works even if the old value cannot be read).
        const kept = before && !typeChanged && required.some((f) => given[f] === undefined) ? unsealCredentialSecrets(env.keys, before) : {};
        const secrets: CredentialSecrets = {};
        for (const f of required) {
          const v = given[f] ?? kept[f];
          if (!v) throw validationError(INPUT_FIELD[f], `is required for a ${type} credential${typeChanged ? ' when changing its type' : ''}`);
          secrets[f] = v;
        }
        const sshUsername = isSsh(type) ? (input.ssh_username ?? (before && isSsh(before.type) ? before.sshUsername : '')) : '';
        if (isSsh(type) && !sshUsername) throw validationError('ssh_username', `is required for a ${type} credential`);
        const oldOptions: CredentialOptions = before?.type === 'snmp_v3' ? parseOptions(before) : {};
        const options: CredentialOptions =
          type === 'snmp_v3'
            ? { auth_protocol: input.snmp_v3_auth_protocol ?? oldOptions.auth_protocol ?? 'sha', priv_protocol: input.snmp_v3_priv_protocol ?? oldOptions.priv_protocol ?? 'aes' }
            : {};
        if (input.datacenter_id) assertDatacenterExists(tx, input.datacenter_id);
        const id = before?.id ?? newId();
        const clash = tx
          .select({ id: credentials.id })
          .from(credentials)
          .where(and(eq(credentials.name, name), ne(credentials.id, id)))
          .get();
        if (clash) throw new AppError('ALREADY_EXISTS', `A credential named ${name} already exists`, { details: [{ field: 'name', message: 'already exists' }] });
        const row = {
          id,
          name,
          type,
          secret: sealCredentialSecrets(env.keys, id, secrets),
          sshUsername,
          options: JSON.stringify(options),
          datacenterId: input.datacenter_id === undefined ? (before?.datacenterId ?? null) : input.datacenter_id,
          description: input.description ?? before?.description ?? '',
          createdAt: before?.createdAt ?? now,
          updatedAt: now,
        };
        if (before) tx.update(credentials).set(row).where(eq(credentials.id, id)).run();
        else tx.insert(credentials).values(row).run();
        const out = toCredential(row);
        audit.record(tx, { resourceId: id, before: before ? toCredential(before) : undefined, after: out });
        return out;
      });
  });
}
