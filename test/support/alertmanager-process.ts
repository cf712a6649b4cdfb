/**
 * A real Alertmanager (Debian `prometheus-alertmanager`) on loopback for end-to-end tests: clustering off,
 * storage in a temporary directory, one webhook receiver. Its output is kept so a failing test can show it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../src/platform/index.js';

export const alertmanagerBinary = '/usr/bin/prometheus-alertmanager';
export const prometheusBinary = '/usr/bin/prometheus';

export function hasBinary(path: string): boolean {
  return existsSync(path);
}

export interface LoopbackProcess {
  readonly url: string;
  readonly pid: number | undefined;
  /** What the process wrote to stdout and stderr so far (the last 20,000 characters). */
  output(): string;
  /** SIGTERM by pid, SIGKILL after 5 s; removes the temporary directory. */
  stop(): Promise<void>;
}

/** Start `binary` with `args(port, dir)`, and wait (bounded) until `GET <url><readyPath>` answers 200. */
async function startLoopbackProcess(
  binary: string,
  args: (port: number, dir: string) => string[],
  files: (dir: string) => Record<string, string>,
  readyPath: string,
  timeoutMs: number,
): Promise<LoopbackProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'aegis-e2e-'));
  for (const [name, text] of Object.entries(files(dir))) await writeFile(join(dir, name), text);
  const port = await findFreePort('127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(binary, args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  const handle: LoopbackProcess = {
    url,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => {
          if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
        }, 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await handle.stop();
      throw new Error(`${binary} exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${binary} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
}

/** Alertmanager sending every group to `webhookUrl` at once (group_wait 0s) and again each second. */
export async function startAlertmanager(webhookUrl: string, timeoutMs = 30_000): Promise<LoopbackProcess> {
  const config = [
    'global:',
    '  resolve_timeout: 5s',
    'route:',
    '  receiver: aegis',
    '  group_by: [alertname, node]',
    '  group_wait: 0s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: aegis',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(webhookUrl)}`,
    '        send_resolved: true',
    '',
  ].join('\n');
  return await startLoopbackProcess(
    alertmanagerBinary,
    (port, dir) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    () => ({ 'alertmanager.yml': config }),
    '/-/ready',
    timeoutMs,
  );
}

/** Prometheus evaluating one always-firing rule each second and sending it to `alertmanagerUrl`. */
export async function startPrometheus(alertmanagerUrl: string, timeoutMs = 30_000): Promise<LoopbackProcess> {
  const target = new URL(alertmanagerUrl).host;
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'rule_files: [rules.yml]',
    'alerting:',
    '  alertmanagers:',
    '    - static_configs:',
    `        - targets: [${JSON.stringify(target)}]`,
    '',
  ].join('\n');
  const rules = [
    'groups:',
    '  - name: aegis-e2e',
    '    interval: 1s',
    '    rules:',
    '      - alert: GpuXidError',
    '        expr: vector(1)',
    '        for: 0s',
    '        labels: { node: gpu-7, severity: critical }',
    '        annotations: { description: "XID 79 on gpu-7" }',
    '',
  ].join('\n');
  return await startLoopbackProcess(
    prometheusBinary,
    (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The notifier learns of Alertmanager only after discovery's first 5 s update; alerts sent before that
      // are dropped and by default resent only after a minute.
      '--rules.alert.resend-delay=1s',
      '--log.level=debug',
    ],
    () => ({ 'prometheus.yml': config, 'rules.yml': rules }),
    '/-/ready',
    timeoutMs,
  );
}
