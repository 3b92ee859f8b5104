/**
 * export onprem when the connection to the DC drops, or the DC stops answering, in the middle of
 * the search: a TCP relay between idrecon and a real DC cuts or stalls the connection after the
 * first pages (the bytes are TLS: the relay cannot see them, only count them). The export starts
 * over and completes, or gives up after its retries with one line and no file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../export/run-cli';
import { tempDir } from '../helpers';
import { BASE_DN, type Dc, SVC_BIND, SVC_PASSWORD, startDc } from './samba';

const IP = '127.0.0.24';

let dc: Dc;
beforeAll(async () => {
  dc = await startDc(IP, join(__dirname, 'users.ldif'));
}, 120_000);
afterAll(() => dc?.stop());

/** The DC sends about 1,500 bytes for the TLS handshake and the bind, then 600-800 per page of two users (measured): this is mid-search. */
const MID_SEARCH_BYTES = 3500;

interface Relay {
  port: number;
  connections: number;
  close(): Promise<void>;
}

/**
 * Relays 127.0.0.24:PORT to the DC's LDAPS port. Connections listed in `faulty` (1 = the first)
 * go wrong once the DC has sent MID_SEARCH_BYTES: 'cut' closes both sides, 'stall' stops
 * passing the DC's bytes on.
 */
async function relay(fault: 'cut' | 'stall', faulty: (n: number) => boolean): Promise<Relay> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((client) => {
    const n = ++state.connections;
    const upstream = connect({ host: IP, port: 636 });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => upstream.write(d));
    let sent = 0;
    upstream.on('data', (d) => {
      sent += d.length;
      if (faulty(n) && sent > MID_SEARCH_BYTES) {
        if (fault === 'cut') {
          client.destroy();
          upstream.destroy();
        }
        return;
      }
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, IP, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const exportVia = (port: number, out: string, more: string[]) =>
  runCli(['export', 'onprem', '--ldap-url', `ldaps://${IP}:${port}`, '--ca-file', dc.caFile, '--bind-dn', SVC_BIND, '--base-dn', BASE_DN, '--out', out, '--page-size', '2', ...more], {
    IDRECON_LDAP_PASSWORD: SVC_PASSWORD,
  });

test('a connection cut in the middle of the search: the export starts over and completes', async () => {
  const r = relay('cut', (n) => n === 1);
  const proxy = await r;
  const dir = tempDir();
  const out = join(dir, 'onprem.csv');
  try {
    const result = await exportVia(proxy.port, out, []);
    expect(result.stderr).toBe(
      `idrecon: ldaps://${IP}:${proxy.port}: Connection closed before message response was received. Message type: SearchRequest (0x63); starting the export over, retry 1 of 3 in 1.0 s\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`exported 13 users in 7 pages from ldaps://${IP}:${proxy.port} to ${out} (1 retry; 1 continuation reference not followed)`);
    expect(proxy.connections).toBe(2);
    // Every user once: the rows of the cut attempt were discarded with its file.
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines.length).toBe(14);
    expect(new Set(lines).size).toBe(14);
    expect(readdirSync(dir)).toEqual(['onprem.csv']);
  } finally {
    await proxy.close();
  }
}, 30_000);

test('a DC that stops answering mid-search: --timeout, the retries, then one line, exit 4 and no file', async () => {
  const proxy = await relay('stall', () => true);
  const dir = tempDir();
  try {
    const result = await exportVia(proxy.port, join(dir, 'onprem.csv'), ['--timeout', '1', '--max-retries', '1']);
    expect(result).toEqual({
      code: 4,
      stdout: '',
      stderr:
        `idrecon: ldaps://${IP}:${proxy.port}: SearchRequest: Operation timed out; starting the export over, retry 1 of 1 in 1.0 s\n` +
        `idrecon: ldaps://${IP}:${proxy.port}: SearchRequest: Operation timed out (given up after 1 retry)\n`,
    });
    expect(proxy.connections).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    await proxy.close();
  }
}, 30_000);
