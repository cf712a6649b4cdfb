import { createServer } from 'node:net';
import type { AegisConfig } from '../config/index.js';
import type { KubeClients, KubeTarget } from '../kube/index.js';
import { checkApiServer, createKubeClients, describeKubeError, resolveKubeTarget } from '../kube/index.js';
import { probeRedis, redactRedisUrl } from '../platform/index.js';
import { webhookAuthRequirement } from '../webhooks/index.js';
import { probeDependencies, type Dependency } from './wait-for-dependencies.js';

/** Where the API server address came from, in the words of the setting a person would change. */
function kubeSource(target: KubeTarget): string {
  if (target.mode === 'kubeconfig') return `the kubeconfig ${target.paths.join(':')} (${target.reason})`;
  if (target.mode === 'in-cluster')
    return `the pod's service account (KUBERNETES_SERVICE_HOST; ${target.reason})`;
  return `the sandbox (${target.reason})`;
}

/** Redis, as `aegis serve` needs it; the message names REDIS_URL. */
export function redisDependency(redisUrl: string, startedLocally: boolean): Dependency {
  const where = startedLocally
    ? `the local redis-server at ${redisUrl} (REDIS_URL is unset)`
    : `Redis at ${redactRedisUrl(redisUrl)} (REDIS_URL)`;
  return {
    name: 'redis',
    description: where,
    probe: async () => {
      try {
        await probeRedis(redisUrl);
      } catch (error) {
        throw new Error(`${where} is unreachable: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/** The Kubernetes API server; the message names the server and the kubeconfig (or service account) it came from. */
export function kubernetesDependency(kubeClients: KubeClients, target: KubeTarget): Dependency {
  return {
    name: 'kubernetes',
    description: `Kubernetes API server ${kubeClients.server} from ${kubeSource(target)}`,
    probe: async (signal) => {
      try {
        await checkApiServer(kubeClients, signal);
      } catch (error) {
        const cause = (error as Error).cause ?? error;
        throw new Error(
          `Kubernetes API server ${kubeClients.server} from ${kubeSource(target)} is unreachable: ${describeKubeError(cause)}`,
          { cause: error },
        );
      }
    },
  };
}

async function portFree(host: string, port: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * `aegis serve --check`: would `aegis serve` start here? Checks the HTTP port, Redis and the API server once
 * each and prints one line per check. Resolves with the exit code: 0 when all pass, 1 otherwise.
 */
export async function checkServe(config: AegisConfig, print: (text: string) => void): Promise<number> {
  let failed = 0;
  const line = (ok: boolean, text: string): void => {
    if (!ok) failed += 1;
    print(`${ok ? 'ok  ' : 'FAIL'} ${text}\n`);
  };
  const port = `AEGIS_HTTP_PORT=${config.httpPort} on ${config.httpHost}`;
  if (await portFree(config.httpHost, config.httpPort)) line(true, `${port}: free`);
  else line(false, `${port}: already in use; stop that process or set AEGIS_HTTP_PORT to a free port`);
  const dependencies: Dependency[] = [];
  if (config.redisUrl === undefined) {
    line(true, 'REDIS_URL is unset: aegis serve starts a local redis-server');
  } else dependencies.push(redisDependency(config.redisUrl, false));
  const target = resolveKubeTarget(config);
  const webhookAuth = webhookAuthRequirement({
    configured: config.webhookTokens !== undefined || config.webhookHmacSecret !== undefined,
    mode: config.webhookAuth,
    sandbox: target.mode === 'sandbox',
  });
  if (!webhookAuth.ok) line(false, webhookAuth.message);
  if (target.mode === 'sandbox') line(true, `Kubernetes: the built-in sandbox (${target.reason})`);
  else {
    const kubeClients =
      target.mode === 'kubeconfig'
        ? createKubeClients({ paths: target.paths })
        : createKubeClients({ inCluster: target });
    dependencies.push(kubernetesDependency(kubeClients, target));
  }
  const failures = await probeDependencies(dependencies, 5_000);
  for (const dependency of dependencies) {
    const failure = failures.get(dependency.name);
    line(failure === undefined, failure ?? `${dependency.description}: answers`);
  }
  return failed === 0 ? 0 : 1;
}
