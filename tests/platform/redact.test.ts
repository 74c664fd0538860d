// One redactor for stored copies (audit changes, event payloads: secret fields dropped) and log
// lines (masked): the same field names are secret to both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/platform/logger.ts';
import { isSecretField, redact, withoutSecrets } from '../../src/platform/redact.ts';

const SAMPLE = {
  name: 'kept',
  password: 'p',
  nested: { api_key: 'k', community: 'public', private_key: '-----BEGIN', authorization: 'Bearer x', keep: [{ token: 't', ok: 1 }] },
  has_secret: true,
  secret: null,
};

describe('the redactor', () => {
  it('names the secret fields once for both uses', () => {
    for (const f of ['password', 'old_password', 'secret', 'client_secret', 'token', 'refresh_token', 'authorization', 'cookie', 'api_key', 'apikey', 'key', 'key_hash', 'community', 'private_key', 'credential', 'secret_hash', 'encryption_key']) {
      assert.ok(isSecretField(f), f);
    }
    for (const f of ['name', 'keyType', 'description', 'id', 'prefix']) assert.ok(!isSecretField(f), f);
  });

  it('stored copies drop secret fields and keep facts about them', () => {
    assert.deepEqual(withoutSecrets(SAMPLE), { name: 'kept', nested: { keep: [{ ok: 1 }] }, has_secret: true });
  });

  it('log lines mask the same fields, showing that they were there', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
    log.info('x', SAMPLE);
    const rec = JSON.parse(lines[0]!);
    assert.equal(rec.password, '[redacted]');
    assert.equal(rec.nested.api_key, '[redacted]');
    assert.equal(rec.nested.private_key, '[redacted]');
    assert.equal(rec.nested.authorization, '[redacted]');
    assert.equal(rec.nested.keep[0].token, '[redacted]');
    assert.equal(rec.secret, null);
    assert.equal(rec.has_secret, true);
    assert.deepEqual(redact(new Error('boom'), { mode: 'drop' }), { name: 'Error', message: 'boom' }, 'a stored copy never carries a stack');
  });
});
