// The load generator's own process (forked by load.ts): autocannon drives the connections, and
// this script records each response's status and latency itself — autocannon's histogram keeps
// whole milliseconds, too coarse for the sub-millisecond p50/p99 the latency benchmarks compare.
// Plain JavaScript, so the fork starts without tsx. Protocol: one `options` message in, one
// `{ ok, result | error }` message out.
import autocannon from 'autocannon';

process.once('message', (opts) => {
  const samples = new Float64Array(opts.maxSamples);
  let done = 0;
  let failure;
  const instance = autocannon(
    {
      url: new URL(opts.path, opts.url).href,
      method: opts.method,
      headers: opts.headers,
      body: opts.body,
      connections: opts.concurrency,
      pipelining: 1,
      duration: opts.durationMs !== undefined ? opts.durationMs / 1000 : undefined,
      amount: opts.requests,
      timeout: 30,
      // A socket error or timeout is a failure like a wrong status (autocannon would reconnect and go on).
      bailout: 1,
    },
    () => {},
  );
  const started = performance.now();
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode !== opts.expectStatus) {
      failure ??= `${opts.method} ${opts.path}: expected ${opts.expectStatus}, got ${statusCode}`;
      instance.stop();
      return;
    }
    if (done < samples.length) samples[done] = responseTime;
    done++;
  });
  instance.on('reqError', (err) => (failure ??= `${opts.method} ${opts.path}: ${err?.code ?? ''} ${err?.message ?? err}`));
  instance.on('done', () => {
    const elapsed = performance.now() - started;
    if (failure) return void process.send({ ok: false, error: failure }, () => process.exit(0));
    const sorted = samples.subarray(0, Math.min(done, samples.length)).sort();
    const quantile = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);
    const result = { requests: done, durationMs: elapsed, rps: (done / elapsed) * 1000, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) };
    process.send({ ok: true, result }, () => process.exit(0));
  });
});
