import { describe, expect, it } from 'vitest';
import { aegisAlertSchema } from '../resources/index.js';
import { buildRunVariables } from '../templates/index.js';
import { buildOpsRequestObject, opsRequestProblems } from './ops-request.js';

describe('ops requests', () => {
  const input = {
    template: { name: 'cordon-node' },
    parameters: { node: 'gpu-node-1' },
    requestedBy: 'U1',
    reason: 'ECC errors',
  };

  it('become an AegisAlert with source OpsRequest that the schema accepts', () => {
    const object = buildOpsRequestObject(input, { namespace: 'monitoring' });
    expect(aegisAlertSchema.parse(object)).toBeTruthy();
    expect(object.metadata.generateName).toBe('opsrequest-cordon-node-');
    expect(object.spec).toMatchObject({
      source: 'OpsRequest',
      type: 'OpsRequest',
      status: 'Firing',
      involvedObject: {
        kind: 'AegisOpsTemplate',
        name: 'cordon-node',
        namespace: 'monitoring',
        node: 'gpu-node-1',
      },
      opsRequest: {
        template: { namespace: 'monitoring', name: 'cordon-node' },
        parameters: { node: 'gpu-node-1' },
        requestedBy: 'U1',
        reason: 'ECC errors',
      },
    });
    expect(buildRunVariables(object.spec.opsRequest.parameters ?? {})).toMatchObject({ node: 'gpu-node-1' });
  });

  it('explains what is wrong with a request', () => {
    expect(opsRequestProblems(input)).toEqual([]);
    expect(
      opsRequestProblems({
        template: { name: 'Bad_Name', namespace: 'NS' },
        parameters: { 'not-a-variable': 'x' },
        requestedBy: ' ',
      }),
    ).toEqual([
      'template.name "Bad_Name" is not a valid object name',
      'template.namespace "NS" is not a valid namespace',
      'parameter name "not-a-variable" must be letters, digits and _ (a template variable name)',
      'requestedBy is required',
    ]);
  });
});
