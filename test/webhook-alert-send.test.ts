import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlert } from '../src/cli/alert-send.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { main } from '../src/main.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes, type AlertDelivery, type AlertIntake } from '../src/webhooks/index.js';

/** A recording fake of the AlertIntake port: these tests are about what the CLI sends and prints. */
function recordingIntake(): AlertIntake & { deliveries: AlertDelivery[] } {
  const deliveries: AlertDelivery[] = [];
  return {
    deliveries,
    accept: async (batch) => void deliveries.push(...(await Promise.resolve(batch))),
    depth: async () => await Promise.resolve(deliveries.length),
  };
}

async function aegis(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const examplesDir = join(import.meta.dirname, '..', 'examples', 'alerts');

describe('aegis alert send, against a running server', () => {
  let server: HttpServer;
  let url: string;
  let intake: ReturnType<typeof recordingIntake>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aegis-alert-send-'));
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    server = createHttpServer({ logger: silentLogger, metrics });
    intake = recordingIntake();
    registerWebhookRoutes(server.app, {
      intake,
      metrics,
      routePrefix: '/aegis',
      auth: { bearerTokens: ['cli-token'], hmacSecrets: ['cli-secret'] },
    });
    url = `${await server.listen({ host: '127.0.0.1', port: 0 })}/aegis`;
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts an alert built from flags and prints what was accepted', async () => {
    const result = await aegis([
      'alert',
      'send',
      '--url',
      url,
      '--token',
      'cli-token',
      '--type',
      'NodeHasEmergencyEvent',
      '--name',
      'dev1',
      '--detail',
      'reason=GpuFallenOff',
      '--detail',
      'gpu=3',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^202 Accepted from http:\/\/127\.0\.0\.1:\d+\/aegis\/default\/alert: 1 alert accepted/,
    );
    expect(result.stdout).toContain('NodeHasEmergencyEvent Firing fingerprint=obj-');
    const alert = intake.deliveries.at(-1)?.alert;
    expect(alert).toMatchObject({
      source: 'Default',
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev1' },
      details: { reason: 'GpuFallenOff', gpu: '3' },
    });
  });

  it('the same flags give the same fingerprint (a repeat raises the count of one alert)', async () => {
    const args = [
      'alert',
      'send',
      '--url',
      url,
      '--token',
      'cli-token',
      '--type',
      'T',
      '--name',
      'n',
      '--kind',
      'Cluster',
    ];
    expect((await aegis(args)).code).toBe(0);
    expect((await aegis([...args, '--status', 'Resolved'])).code).toBe(0);
    const [first, second] = intake.deliveries.slice(-2).map((delivery) => delivery.alert);
    expect(second?.fingerprint).toBe(first?.fingerprint);
    expect(second?.status).toBe('Resolved');
  });

  it('signs with --hmac-secret and can send the flags as an Alertmanager payload', async () => {
    const result = await aegis([
      'alert',
      'send',
      '--url',
      url,
      '--hmac-secret',
      'cli-secret',
      '--route',
      'alertmanager',
      '--type',
      'PodCrashLooping',
      '--kind',
      'Pod',
      '--name',
      'web-0',
      '--namespace',
      'prod',
      '--node',
      'dev2',
      '--fingerprint',
      'abcdef0123456789',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('/aegis/alertmanager/alert: 1 alert accepted');
    expect(intake.deliveries.at(-1)?.alert).toMatchObject({
      source: 'Alertmanager',
      fingerprint: 'abcdef0123456789',
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'prod', node: 'dev2' },
    });
  });

  it('posts every example payload with --file, guessing the route', async () => {
    // The Alertmanager and custom samples; the other formats need the AI route's recognisers, which this
    // server (webhooks only) does not have.
    const files = (await readdir(examplesDir)).filter(
      (file) => file.endsWith('.json') && (file.startsWith('alertmanager') || file.startsWith('custom')),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const result = await aegis([
        'alert',
        'send',
        '--url',
        url,
        '--token',
        'cli-token',
        '--file',
        join(examplesDir, file),
      ]);
      expect(result.code, `${file}: ${result.stdout}${result.stderr}`).toBe(0);
      const route = file.startsWith('alertmanager') ? 'alertmanager' : 'default';
      expect(result.stdout).toContain(`/aegis/${route}/alert:`);
    }
  });

  it('sends a text file to /ai/alert, and exits non-zero with the reason when it is refused', async () => {
    const file = join(dir, 'alert.txt');
    await writeFile(file, 'disk almost full on dev1');
    const result = await aegis(['alert', 'send', '--url', url, '--token', 'cli-token', '--file', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('422 Unprocessable Entity from');
    expect(result.stdout).toContain('/aegis/ai/alert');
    expect(result.stderr).toBe(
      'aegis: the server answered 422 Unprocessable Entity: no parser recognised this payload and no LLM is configured\n',
    );
  });

  it('prints the refused fields of a 422', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify([{ type: 'X', status: 'Maybe', involvedObject: { kind: 'Node', name: 'n' } }]),
    );
    const result = await aegis([
      'alert',
      'send',
      '--url',
      url,
      '--token',
      'cli-token',
      '--file',
      file,
      '--route',
      'default',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused \[0\] \[0\]\.status: /);
  });

  it('exits non-zero on 401 without echoing the token', async () => {
    const result = await aegis([
      'alert',
      'send',
      '--url',
      url,
      '--token',
      'wrong-token',
      '--type',
      'T',
      '--name',
      'n',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'aegis: the server answered 401 Unauthorized: the bearer token is not valid\n',
    );
    expect(result.stdout + result.stderr).not.toContain('wrong-token');
  });

  it('explains missing flags and an unreachable server', async () => {
    expect((await aegis(['alert', 'send', '--url', url, '--type', 'T'])).stderr).toContain('--name');
    expect((await aegis(['alert', 'send', '--route', 'nowhere'])).code).toBe(2);
    const mixed = await aegis(['alert', 'send', '--url', url, '--file', 'x.json', '--type', 'T']);
    expect(mixed.stderr).toContain('leave out --type');
    const down = await aegis(['alert', 'send', '--url', 'http://127.0.0.1:1', '--type', 'T', '--name', 'n']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^aegis: cannot reach http:\/\/127\.0\.0\.1:1\/default\/alert: fetch failed/);
  });

  it('takes the URL and credentials from its defaults (AEGIS_URL, AEGIS_WEBHOOK_TOKEN)', async () => {
    const printed: string[] = [];
    await sendAlert(
      { type: 'T', name: 'from-defaults' },
      { url: `${url}/`, token: 'cli-token' },
      {
        print: (text) => void printed.push(text),
      },
    );
    expect(printed.join('')).toContain('1 alert accepted');
    expect(intake.deliveries.at(-1)?.alert.involvedObject.name).toBe('from-defaults');
  });

  it('runs as the real command and exits 1 on a refusal', async () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'aegis.js');
    const run = promisify(execFile)(
      process.execPath,
      [bin, 'alert', 'send', '--url', url, '--type', 'T', '--name', 'n'],
      {
        timeout: 60_000,
      },
    );
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('401 Unauthorized') });
  }, 90_000);
});
