import { runCli } from '../export/run-cli';
import { SECRET, csvFile, serve, tempDir } from './harness';

const SEED = ['id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail', 'fc89aecb-01f8-5eda-b459-7cb174e6fb37,carol.clark@contoso.com,"Clark, Carol",,,'];

describe('idrecon tenant serve refuses to start', () => {
  it('refuses to start without an app credential to check', async () => {
    const seed = csvFile(tempDir(), 'seed.csv', ...SEED);
    const result = await runCli(['tenant', 'serve', '--users', seed], { IDRECON_CLIENT_SECRET: undefined });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'idrecon: no app credential to accept: set a secret in the environment variable IDRECON_CLIENT_SECRET, or give --certificate\n',
    });
  });

  it.each([
    [['--fault-unavailable', '1.5'], '--fault-unavailable: expected a fraction 0..1, got 1.5'],
    [['--port', '70000'], '--port: expected 0..65535, got 70000'],
  ])('checks its options: %j', async (more, message) => {
    const seed = csvFile(tempDir(), 'seed.csv', ...SEED);
    const result = await runCli(['tenant', 'serve', '--users', seed, ...more], { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 2, stderr: `idrecon: ${message}\n` });
  });

  it('wants --tls-cert and --tls-key together, and says which file it cannot read', async () => {
    const dir = tempDir();
    const seed = csvFile(dir, 'seed.csv', ...SEED);
    expect(await runCli(['tenant', 'serve', '--users', seed, '--tls-cert', 'cert.pem'], { IDRECON_CLIENT_SECRET: SECRET })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'idrecon: give --tls-cert and --tls-key together, or neither\n',
    });
    const missing = `${dir}/nope.pem`;
    const result = await runCli(['tenant', 'serve', '--users', seed, '--tls-cert', missing, '--tls-key', missing], { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read the file (ENOENT)') });
  });

  it('says so when the port is taken', async () => {
    const dir = tempDir();
    const busy = await serve({ users: [] });
    try {
      const port = new URL(busy.url).port;
      const result = await runCli(['tenant', 'serve', '--users', csvFile(dir, 'seed.csv', ...SEED), '--port', port], { IDRECON_CLIENT_SECRET: SECRET });
      expect(result).toEqual({ code: 2, stdout: '', stderr: `idrecon: cannot listen on 127.0.0.1:${port} (EADDRINUSE); choose another --port\n` });
    } finally {
      await busy.close();
    }
  });

  it('names the subcommand it expects', async () => {
    const result = await runCli(['tenant', 'start', '--users', 'x.csv'], { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 2, stderr: "idrecon: <what>: expected 'serve' (idrecon tenant serve), got 'start'; see idrecon tenant --help\n" });
  });
});
