import { describe, expect, it } from 'vitest';
import { recogniseKnownFormat } from './recognise-format.js';

const custom = { type: 'NodeNotReady', status: 'Firing', involvedObject: { kind: 'Node', name: 'n' } };

describe('recogniseKnownFormat', () => {
  it('recognises the Alertmanager shape', () => {
    expect(recogniseKnownFormat({ version: '4', alerts: [{ labels: { alertname: 'A' } }] })).toBe(
      'alertmanager',
    );
    expect(recogniseKnownFormat({ alerts: [null, { labels: {} }] })).toBe('alertmanager');
  });

  it('recognises the custom shape in any key case, as an object or an array', () => {
    expect(recogniseKnownFormat(custom)).toBe('custom');
    expect(recogniseKnownFormat({ Type: 'X', InvolvedObject: {} })).toBe('custom');
    expect(recogniseKnownFormat([custom, 'junk'])).toBe('custom');
  });

  it('gives undefined for anything else', () => {
    for (const body of [
      undefined,
      null,
      'NodeNotReady on dev1',
      42,
      [],
      ['text'],
      {},
      { alerts: [] },
      { alerts: [{ Labels: {} }] },
      { alerts: [{ labels: 'x' }] },
      { type: 'X' },
      { involvedObject: {} },
      [{ type: 'X' }],
    ]) {
      expect(recogniseKnownFormat(body)).toBeUndefined();
    }
  });
});
