/**
 * Issue 10, item 5: against a real cluster (a kubeconfig or in-cluster target) `aegis serve` does not start with
 * unauthenticated webhooks unless AEGIS_WEBHOOK_AUTH=none says so; the sandbox quick start needs nothing (the
 * other serve tests start it without any webhook setting).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { webhookAuthRequirement } from '../src/webhooks/index.js';

describe('aegis serve against a real cluster', () => {
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aegis-auth-'));
    kubeconfig = join(dir, 'config');
    // Never contacted: serve refuses before it connects to anything.
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n',
    );
  });
  afterAll(async () => await rm(dir, { recursive: true, force: true }));

  it('refuses to start without webhook authentication, saying what to set', async () => {
    const config = loadConfig({
      KUBECONFIG: kubeconfig,
      AEGIS_STATE_DIR: dir,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    await expect(startServe(config, { logger: silentLogger, print: () => undefined })).rejects.toThrow(
      /alert webhooks have no authentication and this is a real cluster: set AEGIS_WEBHOOK_TOKEN .* or AEGIS_WEBHOOK_AUTH=none/,
    );
  });

  it('starts with a token or an HMAC secret, and with AEGIS_WEBHOOK_AUTH=none only with a warning', () => {
    expect(webhookAuthRequirement({ configured: true, mode: 'required', sandbox: false })).toEqual({
      ok: true,
    });
    expect(webhookAuthRequirement({ configured: false, mode: 'required', sandbox: true })).toEqual({
      ok: true,
    });
    const none = webhookAuthRequirement({ configured: false, mode: 'none', sandbox: false });
    expect(none.ok && none.warning).toContain('accept alerts from anyone who reaches the port');
    expect(loadConfig({}).webhookAuth).toBe('required');
    expect(() => loadConfig({ AEGIS_WEBHOOK_AUTH: 'off' })).toThrow(
      /AEGIS_WEBHOOK_AUTH.*expected one of required, none/,
    );
  });
});
