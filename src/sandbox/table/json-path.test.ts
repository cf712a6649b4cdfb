import { describe, expect, it } from 'vitest';
import { cellForJsonValue, jsonPathCell } from './json-path-cell.js';
import { parseJsonPath } from './json-path.js';

const object = {
  metadata: {
    name: 'job',
    creationTimestamp: '2026-11-22T09:00:00Z',
    labels: { 'app.kubernetes.io/name': 'x' },
  },
  spec: { type: 'cordon', replicas: 3, ratio: 0.5, enabled: true },
  status: {
    opsStatus: { triggerStatus: 'Succeeded' },
    conditions: [
      { type: 'Created', status: 'True' },
      { type: 'Ready', status: 'False' },
      { type: 'Running', status: 'True' },
    ],
  },
};
const now = new Date('2026-11-22T10:00:00Z');
const find = (path: string): unknown[] => parseJsonPath(path).find(object);

describe('parseJsonPath', () => {
  it('follows fields', () => {
    expect(find('.spec.type')).toEqual(['cordon']);
    expect(find('.status.opsStatus.triggerStatus')).toEqual(['Succeeded']);
    expect(find('{.spec.type}')).toEqual(['cordon']);
    expect(find("['metadata']['labels']['app.kubernetes.io/name']")).toEqual(['x']);
    expect(find('.metadata.labels.app\\.kubernetes\\.io/name')).toEqual(['x']);
  });
  it('gives nothing for missing keys', () => {
    expect(find('.spec.missing')).toEqual([]);
    expect(find('.nothing.at.all')).toEqual([]);
  });
  it('indexes and slices arrays', () => {
    expect(find('.status.conditions[0].type')).toEqual(['Created']);
    expect(find('.status.conditions[-1].type')).toEqual(['Running']);
    expect(find('.status.conditions[-1:].type')).toEqual(['Running']);
    expect(find('.status.conditions[0:2].type')).toEqual(['Created', 'Ready']);
    expect(find('.status.conditions[*].type')).toEqual(['Created', 'Ready', 'Running']);
    expect(find('.status.conditions[7].type')).toEqual([]);
  });
  it('filters', () => {
    expect(find('.status.conditions[?(@.type=="Ready")].status')).toEqual(['False']);
    expect(find(".status.conditions[?(@.type == 'Running')].status")).toEqual(['True']);
    expect(find('.status.conditions[?(@.status!="True")].type')).toEqual(['Ready']);
    expect(find('.status.conditions[?(@.type=="Gone")].status')).toEqual([]);
  });
});

describe('jsonPathCell', () => {
  const cell = (path: string, type: string): unknown => jsonPathCell(parseJsonPath(path), type, object, now);
  it('renders each column type like the apiextensions convertor', () => {
    expect(cell('.spec.type', 'string')).toBe('cordon');
    expect(cell('.spec.replicas', 'string')).toBe('3');
    expect(cell('.spec.replicas', 'integer')).toBe(3);
    expect(cell('.spec.ratio', 'integer')).toBe(0);
    expect(cell('.spec.ratio', 'number')).toBe(0.5);
    expect(cell('.spec.enabled', 'boolean')).toBe(true);
    expect(cell('.metadata.creationTimestamp', 'date')).toBe('60m');
    expect(cell('.status.conditions[?(@.type=="Ready")].status', 'string')).toBe('False');
  });
  it('is null for missing values and wrongly typed ones', () => {
    expect(cell('.spec.missing', 'string')).toBeNull();
    expect(cell('.spec.type', 'integer')).toBeNull();
    expect(cell('.spec.replicas', 'boolean')).toBeNull();
    expect(cell('.spec.replicas', 'date')).toBeNull();
  });
  it('marks dates that do not parse', () => {
    expect(cellForJsonValue('date', 'soon', now)).toBe('<invalid>');
    expect(cellForJsonValue('date', '', now)).toBe('<unknown>');
  });
});
