// Signing against the independent implementation, the secret format rules, the action → event
// mapping, and the dependency-free verifier printed in docs/webhooks.md (extracted from the doc
// itself, so the doc cannot drift from what rackd sends).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { eventForAction, EVENT_TYPE_NAMES } from '../../src/services/events/catalogue.ts';
import { generateWebhookSecret, webhookSecretProblem } from '../../src/services/webhooks/secrets.ts';
import { signWebhook, webhookHeaders } from '../../src/webhooks/signing.ts';
import { ROOT } from '../helpers/server.ts';

describe('webhook signing', () => {
  it('signs exactly as the standardwebhooks library does', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ id: 'evt', type: 'device.created', data: { after: { name: 'é ✓' } } });
    const ts = Math.floor(Date.now() / 1000);
    assert.equal(signWebhook(secret, 'evt', ts, body), new Webhook(secret).sign('evt', new Date(ts * 1000), body));
    const headers = webhookHeaders(secret, 'evt', body, new Date());
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, headers), /No matching signature/);
    assert.throws(() => new Webhook(secret).verify(body.replace('device', 'network'), headers), /No matching signature/);
  });

  it('accepts only Standard Webhooks secrets of 24 to 64 bytes', () => {
    assert.equal(webhookSecretProblem(generateWebhookSecret()), undefined);
    assert.equal(webhookSecretProblem(`whsec_${randomBytes(24).toString('base64')}`), undefined);
    assert.equal(webhookSecretProblem(`whsec_${randomBytes(64).toString('base64')}`), undefined);
    assert.match(webhookSecretProblem('plain-secret')!, /must start with whsec_/);
    assert.match(webhookSecretProblem(`whsec_${randomBytes(16).toString('base64')}`)!, /24 to 64 bytes/);
    assert.match(webhookSecretProblem(`whsec_${randomBytes(65).toString('base64')}`)!, /24 to 64 bytes/);
    assert.match(webhookSecretProblem('whsec_not base64!')!, /base64/);
  });

  it('maps audit actions to catalogued event types; reads map to nothing', () => {
    const cases: Record<string, string | undefined> = {
      'device.create': 'device.created',
      'network.update': 'network.updated',
      'user.delete': 'user.deleted',
      'apikey.create': 'apikey.created',
      'relationship.create': 'relationship.created',
      'reservation.release': 'reservation.released',
      'device.bulk_update': 'device.updated',
      'role.grant': 'user.role_granted',
      'pool.allocate': 'ip.allocated',
      'scan_profile.update': 'scan_profile.updated',
      'discovery.complete': 'discovery.completed',
      'device.read': undefined,
      'device.list': undefined,
      'audit.export': undefined,
      'auth.login': undefined,
      'webhook.ping': undefined,
    };
    for (const [action, type] of Object.entries(cases)) {
      assert.equal(eventForAction(action)?.type, type, action);
      if (type) assert.ok(EVENT_TYPE_NAMES.has(type), `${type} is catalogued`);
    }
    assert.equal(eventForAction('pool.allocate')!.skip!({ after: { idempotent_replay: true } }), true);
  });

  it('the dependency-free verifier in docs/webhooks.md accepts rackd requests and rejects forgeries', async () => {
    const doc = readFileSync(join(ROOT, 'docs/webhooks.md'), 'utf8');
    const m = /```js\n(import \{ createHmac, timingSafeEqual \} from 'node:crypto';[\s\S]*?)```/.exec(doc);
    assert.ok(m, 'snippet found');
    const mod = await import(`data:text/javascript,${encodeURIComponent(m[1]!)}`);
    const secret = generateWebhookSecret();
    const body = '{"id":"x","type":"device.created"}';
    const headers = webhookHeaders(secret, 'x', body, new Date());
    assert.equal(mod.verifyRackdWebhook(secret, headers, body), true);
    assert.equal(mod.verifyRackdWebhook(secret, headers, body + ' '), false);
    assert.equal(mod.verifyRackdWebhook(generateWebhookSecret(), headers, body), false);
    const old = webhookHeaders(secret, 'x', body, new Date(Date.now() - 600_000));
    assert.equal(mod.verifyRackdWebhook(secret, old, body), false);
  });
});
