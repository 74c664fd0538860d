// Device-type and OS guesses from what a scan saw: open ports, banners, the MAC vendor and, when
// a profile had credentials, SNMP sysDescr/sysObjectID and SSH os-release. Each clue adds weight to
// a candidate; the result names the winner, a confidence (0–100) and the clues behind it, so a
// person or an assistant can judge the guess rather than take it on faith.
import type { ServiceInfo } from './banner.ts';

export const DEVICE_TYPES = [
  'server', 'workstation', 'router', 'switch', 'firewall', 'printer', 'iot', 'mobile', 'nas', 'access_point', 'phone', 'camera',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface Guess {
  value: string;
  /** 0–100: how strongly the clues point at this value. */
  confidence: number;
  reasons: string[];
}

export interface Classification {
  deviceType: Guess;
  os: Guess;
}

export interface Evidence {
  openPorts: readonly number[];
  services: readonly ServiceInfo[];
  vendor: string;
  snmp?: { sysDescr: string; sysObjectID: string };
  ssh?: { os_pretty_name: string; os_id: string };
}

class Tally {
  private readonly scores = new Map<string, { score: number; reasons: string[] }>();
  add(value: string, score: number, reason: string): void {
    const s = this.scores.get(value) ?? { score: 0, reasons: [] };
    s.score += score;
    s.reasons.push(reason);
    this.scores.set(value, s);
  }
  best(): Guess {
    const ranked = [...this.scores.entries()].sort((a, b) => b[1].score - a[1].score);
    const [top, second] = ranked;
    if (!top) return { value: '', confidence: 0, reasons: [] };
    // A clear winner is worth more than a narrow one: subtract part of the runner-up's weight.
    const margin = top[1].score - (second ? second[1].score / 2 : 0);
    return { value: top[0], confidence: Math.max(5, Math.min(95, Math.round(margin))), reasons: top[1].reasons };
  }
}

const VENDOR_TYPES: [RegExp, DeviceType, number][] = [
  [/cisco|juniper|arista|mikrotik|routerboard|extreme networks|brocade/i, 'router', 25],
  [/fortinet|palo alto|sonicwall|watchguard|check point|barracuda/i, 'firewall', 40],
  [/ubiquiti|aruba|ruckus|cambium|engenius/i, 'access_point', 30],
  [/hikvision|dahua|axis communications|hanwha|vivotek|reolink/i, 'camera', 45],
  [/polycom|yealink|grandstream|snom|avaya|mitel/i, 'phone', 45],
  [/synology|qnap|western digital|netapp|buffalo/i, 'nas', 45],
  [/espressif|tuya|shelly|sonoff|raspberry pi|particle|nest labs|philips lighting|signify|amazon technologies|google/i, 'iot', 30],
  [/brother|canon|epson|lexmark|xerox|kyocera|ricoh|konica|hewlett packard|\bhp inc/i, 'printer', 20],
  [/apple|samsung electronics|xiaomi|huawei device|oneplus|motorola mobility/i, 'mobile', 15],
  [/dell|supermicro|super micro|lenovo|intel corporate|vmware|proxmox|xensource|microsoft/i, 'server', 15],
];

const PORT_TYPES: [number[], DeviceType, number, string][] = [
  [[9100, 515, 631], 'printer', 40, 'printing port'],
  [[554], 'camera', 35, 'RTSP'],
  [[5060], 'phone', 35, 'SIP'],
  [[179], 'router', 40, 'BGP'],
  [[23, 161], 'switch', 10, 'telnet/SNMP management'],
  [[548, 2049], 'nas', 25, 'file service (AFP/NFS)'],
  [[3306, 5432, 1433, 6379, 25, 110, 143, 53], 'server', 30, 'server daemon'],
  [[3389, 5900], 'workstation', 20, 'remote desktop'],
  [[1883], 'iot', 30, 'MQTT'],
];

function deviceType(e: Evidence, os: Guess): Guess {
  const t = new Tally();
  const open = new Set(e.openPorts);
  for (const [ports, type, score, what] of PORT_TYPES) {
    const hit = ports.filter((p) => open.has(p));
    if (hit.length) t.add(type, score, `${what} open (${hit.join(', ')})`);
  }
  if (open.has(22) && (open.has(80) || open.has(443))) t.add('server', 25, 'ssh and web open');
  else if (open.has(22)) t.add('server', 15, 'ssh open');
  else if (open.has(80) || open.has(443)) t.add('server', 5, 'web open');
  if (open.has(135) || open.has(139) || open.has(445)) t.add('workstation', 15, 'Windows file sharing open');
  for (const [re, type, score] of VENDOR_TYPES) if (re.test(e.vendor)) t.add(type, score, `MAC vendor ${e.vendor}`);
  const descr = e.snmp?.sysDescr ?? '';
  if (/\b(ios|nx-os|junos|routeros|eos|vyos|edgeos)\b/i.test(descr)) t.add('router', 50, 'SNMP sysDescr names a network OS');
  if (/switch|catalyst|procurve/i.test(descr)) t.add('switch', 55, 'SNMP sysDescr names a switch');
  if (/fortigate|pan-os|asa\b|pfsense|opnsense/i.test(descr)) t.add('firewall', 55, 'SNMP sysDescr names a firewall');
  if (/printer|laserjet|jetdirect/i.test(descr)) t.add('printer', 55, 'SNMP sysDescr names a printer');
  if (/linux|freebsd|windows/i.test(descr) && !/router|switch/i.test(descr)) t.add('server', 20, 'SNMP sysDescr names a server OS');
  if (e.ssh) t.add('server', 30, 'SSH login succeeded');
  if (/windows/i.test(os.value) && (open.has(3389) || open.has(445))) t.add('workstation', 10, 'Windows host');
  return t.best();
}

function osGuess(e: Evidence): Guess {
  const t = new Tally();
  if (e.ssh?.os_pretty_name) t.add(e.ssh.os_pretty_name, 95, 'os-release over SSH');
  const descr = e.snmp?.sysDescr ?? '';
  const snmpOs: [RegExp, string][] = [
    [/cisco ios/i, 'Cisco IOS'], [/nx-os/i, 'Cisco NX-OS'], [/junos/i, 'Juniper Junos'], [/routeros/i, 'MikroTik RouterOS'],
    [/windows/i, 'Windows'], [/freebsd/i, 'FreeBSD'], [/linux/i, 'Linux'], [/darwin/i, 'macOS'],
  ];
  const fromSnmp = snmpOs.find(([re]) => re.test(descr));
  if (fromSnmp) t.add(fromSnmp[1], 85, 'SNMP sysDescr');
  const ssh = e.services.find((s) => s.service === 'ssh')?.version ?? '';
  const sshOs: [RegExp, string][] = [
    [/ubuntu/i, 'Ubuntu Linux'], [/debian|raspbian/i, 'Debian Linux'], [/freebsd/i, 'FreeBSD'], [/for_windows|windows/i, 'Windows'],
    [/cisco/i, 'Cisco IOS'], [/dropbear/i, 'Linux (embedded)'], [/rosssh/i, 'MikroTik RouterOS'],
  ];
  const fromSsh = sshOs.find(([re]) => re.test(ssh));
  if (fromSsh) t.add(fromSsh[1], 60, `SSH banner ${ssh}`);
  const server = e.services.map((s) => (s.service === 'http' || s.service === 'https' ? s.version : '')).join(' ');
  if (/microsoft-iis|win32|win64/i.test(server)) t.add('Windows', 50, 'HTTP Server header');
  if (/ubuntu/i.test(server)) t.add('Ubuntu Linux', 40, 'HTTP Server header');
  else if (/debian/i.test(server)) t.add('Debian Linux', 40, 'HTTP Server header');
  const open = new Set(e.openPorts);
  if (open.has(3389) || open.has(135)) t.add('Windows', 40, 'RDP/MSRPC open');
  else if (open.has(445) || open.has(139)) t.add('Windows', 20, 'SMB open');
  if (open.has(22) && !open.has(3389) && !open.has(135)) t.add('Linux/Unix', 20, 'ssh open');
  if (/apple/i.test(e.vendor)) t.add('macOS/iOS', 25, `MAC vendor ${e.vendor}`);
  return t.best();
}

const NO_GUESS: Guess = Object.freeze({ value: '', confidence: 0, reasons: Object.freeze([]) as unknown as string[] });
const NOTHING: Classification = Object.freeze({ deviceType: NO_GUESS, os: NO_GUESS });

/** A service named by its banner counts like its standard port (ssh on 2222 is still ssh). */
const STANDARD_PORT: Record<string, number> = { ssh: 22, http: 80, https: 443, ftp: 21, smtp: 25, pop3: 110, imap: 143, mysql: 3306, vnc: 5900 };

export function classify(e: Evidence): Classification {
  // Most hosts of a big scan only refused: nothing to weigh, and nothing to allocate.
  if (e.openPorts.length === 0 && !e.vendor && !e.snmp && !e.ssh) return NOTHING;
  const ports = new Set(e.openPorts);
  for (const s of e.services) if (STANDARD_PORT[s.service] !== undefined) ports.add(STANDARD_PORT[s.service]!);
  const evidence = { ...e, openPorts: [...ports] };
  const os = osGuess(evidence);
  return { os, deviceType: deviceType(evidence, os) };
}
