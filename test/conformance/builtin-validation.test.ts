/**
 * Server-side validation of the built-in kinds an install applies (apps/v1 Deployment, v1 Service, policy/v1
 * PodDisruptionBudget, RBAC): what kube-apiserver 1.32 refuses, the sandbox refuses with the same status,
 * field and wording; what it accepts, the sandbox accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type SandboxFixture } from './sandbox-fixture.js';

let fx: SandboxFixture;
beforeAll(async () => {
  fx = await startFixture({ nodes: 0, simulate: false });
}, 30_000);
afterAll(async () => {
  await fx.close();
});

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; message: string; causes: { field: string }[] }> {
  const response = await fx.http(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const status = (await response.json()) as { message?: string; details?: { causes?: { field: string }[] } };
  return { status: response.status, message: status.message ?? '', causes: status.details?.causes ?? [] };
}

const labels = { app: 'web' };
const deployment = (spec: Record<string, unknown>, name = 'web') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }],
      },
    },
    ...spec,
  },
});
const deployments = '/apis/apps/v1/namespaces/default/deployments';

describe('sandbox conformance: built-in workload and RBAC validation', () => {
  it('accepts a valid Deployment and serves it under apps/v1', async () => {
    expect((await post(deployments, deployment({}, 'ok'))).status).toBe(201);
    const read = await fx.http(`${deployments}/ok`);
    expect(((await read.json()) as { kind: string }).kind).toBe('Deployment');
  });

  it('refuses a Deployment whose selector does not match the template labels', async () => {
    const answer = await post(
      deployments,
      deployment({ selector: { matchLabels: { app: 'other' } } }, 'apart'),
    );
    expect(answer.status).toBe(422);
    expect(answer.message).toBe(
      'Deployment.apps "apart" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    );
  });

  it('refuses a container without image, a probe without handler, and a mount of a missing volume, field by field', async () => {
    const answer = await post(
      deployments,
      deployment(
        {
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'web',
                  readinessProbe: { periodSeconds: 5 },
                  volumeMounts: [{ name: 'gone', mountPath: '/x' }],
                },
              ],
            },
          },
        },
        'broken',
      ),
    );
    expect(answer.status).toBe(422);
    expect(answer.causes.map((cause) => cause.field)).toEqual([
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[0].readinessProbe',
      'spec.template.spec.containers[0].volumeMounts[0].name',
    ]);
  });

  it('refuses unknown spec fields under strict field validation (kubectl default), accepts them with Ignore', async () => {
    const answer = await post(`${deployments}?fieldValidation=Strict`, deployment({ replica: 3 }, 'typo'));
    expect(answer.status).toBe(400);
    expect(answer.message).toContain('strict decoding error: unknown field "spec.replica"');
    expect(
      (await post(`${deployments}?fieldValidation=Ignore`, deployment({ replica: 3 }, 'typo'))).status,
    ).toBe(201);
  });

  it('refuses a change of a Deployment selector (immutable)', async () => {
    const current = (await (await fx.http(`${deployments}/ok`)).json()) as Record<string, unknown>;
    const changed = {
      ...current,
      spec: { ...(current['spec'] as object), selector: { matchLabels: { app: 'web', tier: 'x' } } },
    };
    const response = await fx.http(`${deployments}/ok`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(changed),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain(
      'spec.selector: Invalid value',
    );
  });

  it('refuses a PodDisruptionBudget with both minAvailable and maxUnavailable', async () => {
    const answer = await post('/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'both' },
      spec: { minAvailable: 1, maxUnavailable: '50%', selector: { matchLabels: labels } },
    });
    expect(answer.status).toBe(422);
    expect(answer.message).toBe(
      'PodDisruptionBudget.policy "both" is invalid: spec: Invalid value: minAvailable and maxUnavailable cannot be both set',
    );
  });

  it('refuses a Service with two unnamed ports, accepts one with names', async () => {
    const service = (ports: unknown[], name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: labels, ports },
    });
    const answer = await post(
      '/api/v1/namespaces/default/services',
      service([{ port: 80 }, { port: 443 }], 'unnamed'),
    );
    expect(answer.status).toBe(422);
    expect(answer.causes.map((cause) => cause.field)).toEqual(['spec.ports[0].name', 'spec.ports[1].name']);
    const named = service(
      [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
      'named',
    );
    expect((await post('/api/v1/namespaces/default/services', named)).status).toBe(201);
  });

  it('refuses RBAC rules without verbs, bindings to an unknown role kind, and a changed roleRef', async () => {
    const role = await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'no-verbs' },
      rules: [{ apiGroups: [''], resources: ['pods'] }],
    });
    expect(role.status).toBe(422);
    expect(role.causes.map((cause) => cause.field)).toEqual(['rules[0].verbs']);
    const bindings = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings';
    const binding = (kind: string, name: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
    });
    expect((await post(bindings, binding('Deployment', 'x'))).causes.map((cause) => cause.field)).toEqual([
      'roleRef.kind',
    ]);
    expect((await post(bindings, binding('Role', 'a'))).status).toBe(201);
    const current = (await (await fx.http(`${bindings}/b`)).json()) as Record<string, unknown>;
    const response = await fx.http(`${bindings}/b`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...current,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other' },
      }),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain('roleRef: Invalid value');
  });
});
