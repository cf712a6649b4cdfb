import { describe, expect, it } from 'vitest';
import { buildRunVariables, buildTemplateVariables } from './template-variables.js';

const alert = {
  metadata: { name: 'a1', namespace: 'monitoring', annotations: { cluster: 'dev', node: 'from-annotation' } },
  spec: {
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
    details: { node: 'dev1', InvolvedObjectKind: 'Overridden', AlertName: 'not-this' },
  },
};

describe('buildTemplateVariables', () => {
  it('builds the upstream variables in upstream override order', () => {
    const variables = buildTemplateVariables(alert);
    expect({ ...variables, Alert: undefined }).toEqual({
      Alert: undefined,
      InvolvedObjectKind: 'Overridden',
      InvolvedObjectName: 'dev1',
      InvolvedObjectNode: 'dev1',
      node: 'from-annotation',
      cluster: 'dev',
      AlertName: 'a1',
      AlertNamespace: 'monitoring',
    });
  });

  it('adds the whole alert as Alert, a copy', () => {
    const variables = buildTemplateVariables(alert);
    expect(variables['Alert']).toEqual(alert);
    expect(variables['Alert']).not.toBe(alert);
  });

  it('reads upstream detials when details is absent, and leaves unset fields out', () => {
    const variables = buildTemplateVariables({
      metadata: { name: 'a', namespace: 'n' },
      spec: {
        type: 'T',
        status: 'Firing',
        detials: { pod: 'p1' },
        involvedObject: { kind: 'Pod', name: 'p1', namespace: '' },
      },
    });
    expect(variables['pod']).toBe('p1');
    expect('InvolvedObjectNamespace' in variables).toBe(false);
    expect('InvolvedObjectNode' in variables).toBe(false);
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const variables = buildTemplateVariables({
      metadata: { name: 'a', namespace: 'n' },
      spec: {
        type: 'T',
        status: 'Firing',
        details: JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, string>,
      },
    });
    expect(variables['__proto__']).toBe('x');
    expect(variables['constructor']).toBe('y');
    expect(Object.getPrototypeOf(variables)).toBeNull();
  });
});

describe('buildRunVariables', () => {
  it('copies the parameters', () => {
    expect({ ...buildRunVariables({ node: 'dev1', empty: '' }) }).toEqual({ node: 'dev1' });
  });
});
