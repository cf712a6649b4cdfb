import YAML from 'yaml';

/**
 * A kubeconfig both kubectl and @kubernetes/client-node accept for a plain-HTTP server: client-node refuses
 * http:// unless `insecure-skip-tls-verify` is set, and kubectl sends no token over http (none is required).
 */
export function sandboxKubeconfig(url: string, namespace = 'default'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'aegis-sandbox', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'aegis-sandbox', user: { token: 'sandbox' } }],
    contexts: [{ name: 'aegis-sandbox', context: { cluster: 'aegis-sandbox', user: 'aegis-sandbox', namespace } }],
    'current-context': 'aegis-sandbox',
    preferences: {},
  });
}
