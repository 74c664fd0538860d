// Banner grabbing on an open port: read at most 1 KiB for at most 1 s, then name the service and
// its version from what came back — ssh, ftp, smtp, pop3, imap, vnc, mysql, the HTTP Server
// header. On HTTP ports the client speaks first, so a HEAD request goes out at once; on other
// ports a silent service gets one after a short wait (HTTP on odd ports is common).
import type net from 'node:net';
import { HTTP_PORTS, serviceNameOf, TLS_PORTS } from './ports.ts';

export const BANNER_MAX_BYTES = 1024;
export const BANNER_TIMEOUT_MS = 1000;
/** How long a service may stay silent before it is asked with HEAD (greetings come at once). */
const SILENT_MS = 300;

export interface ServiceInfo {
  port: number;
  protocol: 'tcp' | 'udp';
  service: string;
  version: string;
  /** What the service said first, printable characters only (HTTP: status line and Server header). */
  banner: string;
}

/** Reads the banner and closes the socket. Never throws; an empty string means nothing was said. */
export function grabBanner(socket: net.Socket, host: string, port: number, timeoutMs = BANNER_TIMEOUT_MS): Promise<string> {
  if (TLS_PORTS.has(port)) {
    socket.destroy();
    return Promise.resolve('');
  }
  let http = HTTP_PORTS.has(port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks, size).subarray(0, BANNER_MAX_BYTES).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('error', finish);
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const text = Buffer.concat(chunks, size).toString('latin1');
      // A server-first protocol's greeting is one line; an HTTP answer's headers end with a blank line.
      if (size >= BANNER_MAX_BYTES || (http ? text.includes('\r\n\r\n') : text.includes('\n'))) finish();
    });
    const head = () => {
      http = true;
      if (!done) socket.write(`HEAD / HTTP/1.0\r\nHost: ${host.includes(':') ? `[${host}]` : host}\r\nUser-Agent: rackd-discovery\r\nConnection: close\r\n\r\n`);
    };
    if (http) head();
    else {
      const nudge = setTimeout(() => size === 0 && head(), Math.min(SILENT_MS, timeoutMs / 2));
      socket.once('close', () => clearTimeout(nudge));
    }
  });
}

const printable = (s: string, max = 256): string =>
  s
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, max);

const firstLine = (raw: string): string => raw.split(/\r?\n/, 1)[0] ?? '';

/** Names the service and version behind a banner; without one, the port's well-known name. */
export function parseBanner(port: number, raw: string): ServiceInfo {
  const line = printable(firstLine(raw));
  const base: ServiceInfo = { port, protocol: 'tcp', service: serviceNameOf(port), version: '', banner: line };
  // MySQL's greeting is binary: a length, a sequence byte, protocol 10, then the version.
  const mysql = /^[\s\S]{4}\n([0-9][\w.-]+)/.exec(raw);
  if (mysql) return { ...base, service: 'mysql', version: mysql[1]!, banner: mysql[1]! };
  if (!line) return base;
  let m = /^SSH-(\d+\.\d+)-(\S+)(?:\s+(.*))?$/.exec(line);
  if (m) return { ...base, service: 'ssh', version: [m[2], m[3]].filter(Boolean).join(' ') };
  if (/^HTTP\/\d(\.\d)?\s+\d{3}/.test(line)) {
    const server = /^server:[ \t]*(.*)$/im.exec(raw)?.[1];
    const version = server ? printable(server) : '';
    return { ...base, service: TLS_PORTS.has(port) ? 'https' : 'http', version, banner: version ? `${line} | Server: ${version}` : line };
  }
  m = /^220[ -](.*)$/.exec(line);
  if (m) {
    const text = m[1]!.trim();
    if (/\bE?SMTP\b/i.test(text) || port === 25 || port === 587) {
      const smtp = /^\S+\s+E?SMTP\s*(.*)$/i.exec(text);
      return { ...base, service: 'smtp', version: (smtp?.[1] ?? text).trim() };
    }
    const paren = /\(([^)]+)\)/.exec(text)?.[1];
    return { ...base, service: 'ftp', version: (paren ?? text).trim() };
  }
  if (/^\+OK\b/.test(line)) return { ...base, service: 'pop3', version: line.replace(/^\+OK\s*/, '') };
  if (/^\* OK\b/.test(line)) return { ...base, service: 'imap', version: line.replace(/^\* OK\s*(\[[^\]]*\]\s*)?/, '') };
  if (/^RFB \d{3}\.\d{3}/.test(line)) return { ...base, service: 'vnc', version: line.slice(4) };
  return base;
}
