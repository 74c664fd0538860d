// Progress notifications of a tool call only ever increase (MCP requires it): a value reported
// again, or a smaller one, is not sent. runContextOf is what every tool call's progress goes through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runContextOf } from '../../src/mcp/server.ts';

describe('tool progress notifications', () => {
  it('sends a value only when it is larger than the last one sent', async () => {
    const sent: number[] = [];
    const extra = { signal: new AbortController().signal, sendNotification: async (n: { params: { progress: number } }) => void sent.push(n.params.progress) };
    const rc = runContextOf('token-1', extra as never);
    for (const v of [0, 1, 2, 2, 1, 3, 3]) await rc.progress!(v, 3);
    assert.deepEqual(sent, [0, 1, 2, 3]);
  });

  it('has no progress callback when the client sent no progress token', () => {
    const rc = runContextOf(undefined, { signal: new AbortController().signal, sendNotification: async () => undefined } as never);
    assert.equal(rc.progress, undefined);
  });
});
