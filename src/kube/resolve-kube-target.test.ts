import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { resolveKubeTarget, type KubeTargetProbe } from './index.js';

function probe(existing: string[]): KubeTargetProbe {
  return {
    fileExists: (path) => existing.includes(path),
    homeDirectory: () => '/home/ops',
    workingDirectory: () => '/srv/aegis',
  };
}

const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const inPod = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('resolveKubeTarget', () => {
  it('uses the sandbox when asked to, whatever else exists', () => {
    const config = loadConfig({ AEGIS_SANDBOX: 'true', KUBECONFIG: '/k' });
    expect(resolveKubeTarget(config, probe(['/k'])).mode).toBe('sandbox');
  });

  it('prefers KUBECONFIG, keeping only the listed files that exist, in order', () => {
    const config = loadConfig({ KUBECONFIG: '/a:/missing:/b', ...inPod });
    expect(resolveKubeTarget(config, probe(['/b', '/a', token, '/home/ops/.kube/config']))).toMatchObject({
      mode: 'kubeconfig',
      paths: ['/a', '/b'],
    });
  });

  it('refuses a KUBECONFIG whose files are all missing', () => {
    const config = loadConfig({ KUBECONFIG: '/a:/b' });
    expect(() => resolveKubeTarget(config, probe([]))).toThrow(ConfigError);
    expect(() => resolveKubeTarget(config, probe([]))).toThrow(
      'KUBECONFIG: none of the listed files exists: /a, /b',
    );
  });

  it('falls back to ~/.kube/config, then the in-cluster service account', () => {
    expect(resolveKubeTarget(loadConfig(inPod), probe(['/home/ops/.kube/config', token]))).toMatchObject({
      mode: 'kubeconfig',
      paths: ['/home/ops/.kube/config'],
    });
    expect(resolveKubeTarget(loadConfig(inPod), probe([token]))).toEqual({
      mode: 'in-cluster',
      server: 'https://10.0.0.1:443',
      tokenPath: token,
      caPath: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      reason: 'running in a pod with a service account',
    });
  });

  it('brackets an IPv6 service host', () => {
    const config = loadConfig({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' });
    expect(resolveKubeTarget(config, probe([token]))).toMatchObject({ server: 'https://[fd00::1]:443' });
  });

  it('needs the token file, not just the variables, to count as in-cluster', () => {
    expect(resolveKubeTarget(loadConfig(inPod), probe([])).mode).toBe('sandbox');
  });

  it('treats a KUBECONFIG naming only our own sandbox kubeconfig as absent under auto', () => {
    const own = '/srv/aegis/.aegis/sandbox.kubeconfig';
    expect(resolveKubeTarget(loadConfig({ KUBECONFIG: own }), probe([own])).mode).toBe('sandbox');
    expect(
      resolveKubeTarget(loadConfig({ KUBECONFIG: '.aegis/sandbox.kubeconfig' }), probe([own])).mode,
    ).toBe('sandbox');
    expect(
      resolveKubeTarget(loadConfig({ KUBECONFIG: own, AEGIS_SANDBOX: 'false' }), probe([own])),
    ).toMatchObject({
      mode: 'kubeconfig',
      paths: [own],
    });
  });

  it('is a configuration error to forbid the sandbox with nothing else available', () => {
    expect(() => resolveKubeTarget(loadConfig({ AEGIS_SANDBOX: 'false' }), probe([]))).toThrow(
      /^Invalid configuration:\n {2}AEGIS_SANDBOX: is false/,
    );
  });
});
