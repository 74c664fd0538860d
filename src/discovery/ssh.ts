// SSH facts through ssh2: log in with a password or a private key, read the host name,
// /etc/os-release and the kernel version. Host keys are trusted on first use and pinned per
// host:port; a different key later stops the connection before any authentication is sent, so
// a credential is never offered to an impostor. Secrets stay in memory and out of every message.
import { createHash } from 'node:crypto';
import ssh2, { type ConnectConfig } from 'ssh2';
import { AppError } from '../platform/errors.ts';
import type { HostKeyStore, ProbeCredentials, SshFacts } from './types.ts';

/** Output kept from the remote command: os-release and a host name are a few hundred bytes. */
const MAX_OUTPUT = 64 * 1024;
const MARK = '__rackd_probe__';
// One exec, no shell features beyond `;`, nothing the user supplies is interpolated.
const COMMAND = `hostname; echo ${MARK}; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null; echo ${MARK}; uname -r`;

/** OpenSSH-style fingerprint (SHA256:base64 without padding) and the key type named in the blob. */
export function describeHostKey(key: Buffer): { keyType: string; fingerprint: string } {
  const len = key.length >= 4 ? key.readUInt32BE(0) : 0;
  const keyType = len > 0 && len < 64 && key.length >= 4 + len ? key.subarray(4, 4 + len).toString('ascii') : 'unknown';
  return { keyType, fingerprint: 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '') };
}

export function parseOsRelease(textIn: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of textIn.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v.replace(/\\(["'$`\\])/g, '$1');
  }
  return out;
}

function factsFrom(output: string): SshFacts {
  const [host = '', osRelease = '', kernel = ''] = output.split(`${MARK}\n`);
  const os = parseOsRelease(osRelease);
  return {
    hostname: host.trim(),
    os_pretty_name: os.PRETTY_NAME ?? '',
    os_id: os.ID ?? '',
    os_version: os.VERSION_ID ?? '',
    kernel: kernel.trim(),
  };
}

class HostKeyMismatch extends AppError {
  constructor(hostPort: string, expected: { keyType: string; fingerprint: string }, got: { keyType: string; fingerprint: string }) {
    super(
      'CONFLICT',
      `SSH host key of ${hostPort} changed (trusted ${expected.keyType} ${expected.fingerprint}, offered ${got.keyType} ${got.fingerprint}); ` +
        'refusing to log in: the host may be impersonated',
      { details: [{ field: 'host_key', message: `mismatch for ${hostPort}` }] },
    );
  }
}

/**
 * Logs in over SSH and reads hostname, /etc/os-release and the kernel version. The host key is
 * trusted on first use (pinned in `hostKeys`, which the service layer backs with the database); a
 * different key later is refused (AppError CONFLICT) before any authentication is attempted.
 * Resolves undefined when the host is unreachable or login fails.
 */
export async function sshProbe(
  ip: string,
  cred: NonNullable<ProbeCredentials['ssh']>,
  opts: { port?: number; timeoutMs: number; hostKeys: HostKeyStore },
): Promise<SshFacts | undefined> {
  const port = opts.port ?? 22;
  const hostPort = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
  const trusted = await opts.hostKeys.get(hostPort);
  let mismatch: HostKeyMismatch | undefined;

  const client = new ssh2.Client(); // ssh2 is CommonJS: named imports are not all visible to ESM
  const config: ConnectConfig = {
    host: ip,
    port,
    username: cred.username,
    readyTimeout: opts.timeoutMs,
    keepaliveInterval: 0,
    tryKeyboard: false,
    agent: undefined,
    // Verified before the client sends any authentication request.
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      const seen = describeHostKey(key);
      const check = async (): Promise<boolean> => {
        if (trusted) {
          if (trusted.fingerprint === seen.fingerprint) return true;
          mismatch = new HostKeyMismatch(hostPort, trusted, seen);
          return false;
        }
        // First contact: pin it. A concurrent probe may have pinned another key meanwhile; the
        // store keeps the first, so read it back and hold this connection to it.
        await opts.hostKeys.set(hostPort, seen);
        const pinned = await opts.hostKeys.get(hostPort);
        if (pinned && pinned.fingerprint !== seen.fingerprint) {
          mismatch = new HostKeyMismatch(hostPort, pinned, seen);
          return false;
        }
        return true;
      };
      check().then(verify, () => verify(false));
    },
  };
  if (cred.privateKey) config.privateKey = cred.privateKey;
  if (cred.password) config.password = cred.password;

  const ceiling = Math.max(opts.timeoutMs * 3, 5_000);
  const result = await new Promise<SshFacts | undefined>((resolve) => {
    let settled = false;
    const finish = (v: SshFacts | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), ceiling);
    client.on('error', () => finish(undefined)); // refused, timeout, auth failure, host key rejected
    client.on('close', () => finish(undefined));
    client.on('ready', () => {
      client.exec(COMMAND, (err, stream) => {
        if (err) return finish(undefined);
        let out = '';
        stream.on('data', (chunk: Buffer) => {
          if (out.length < MAX_OUTPUT) out += chunk.toString('utf8');
        });
        stream.stderr.on('data', () => undefined);
        stream.on('close', () => finish(factsFrom(out.slice(0, MAX_OUTPUT))));
      });
    });
    try {
      client.connect(config);
    } catch {
      finish(undefined); // e.g. a private key ssh2 cannot parse
    }
  });
  if (mismatch) throw mismatch;
  return result;
}
