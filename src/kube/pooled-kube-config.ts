import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { RequestContext } from '@kubernetes/client-node';

/**
 * client-node 1.4 builds a fresh `http(s).Agent` without keep-alive for every request, so every API call opens
 * a new TCP (and TLS) connection. This KubeConfig swaps that agent for a shared keep-alive one with the same
 * TLS settings (keyed by them, so a rotated client certificate gets a new pool). Proxy agents are left alone.
 */
export class PooledKubeConfig extends KubeConfig {
  private readonly agents = new Map<string, http.Agent>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const created = context.getAgent();
    if (created === undefined) return;
    const secure = created.constructor === https.Agent;
    if (!secure && created.constructor !== http.Agent) return;
    const options = (created as https.Agent).options;
    const key = agentKey(secure, options);
    let pooled = this.agents.get(key);
    if (pooled === undefined) {
      const poolOptions = {
        ...options,
        keepAlive: true,
        maxSockets: 64,
        maxFreeSockets: 16,
        scheduling: 'lifo' as const,
      };
      pooled = secure ? new https.Agent(poolOptions) : new http.Agent(poolOptions);
      this.agents.set(key, pooled);
    }
    context.setAgent(pooled);
  }

  /** Close every pooled connection (at shutdown). */
  destroyAgents(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function agentKey(secure: boolean, options: https.AgentOptions): string {
  const hash = createHash('sha256');
  hash.update(secure ? 'https' : 'http');
  for (const value of [options.ca, options.cert, options.key, options.pfx, options.passphrase]) {
    hash.update('\0');
    if (value !== undefined) hash.update(JSON.stringify(value));
  }
  hash.update(`\0${String(options.rejectUnauthorized)}\0${options.servername ?? ''}`);
  return hash.digest('hex');
}
