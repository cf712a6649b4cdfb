import { describe, expect, it } from 'vitest';
import type { AlertObject } from './alert-action-types.js';
import { createAlertVersions } from './alert-versions.js';

function alert(resourceVersion: string): AlertObject {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name: 'a', namespace: 'monitoring', uid: 'u1', resourceVersion },
    spec: { type: 'NodeHasEmergencyEvent', status: 'Firing' },
  } as unknown as AlertObject;
}

describe('alert versions', () => {
  it('reads our own write until the watch delivers it, then the cache again', () => {
    const versions = createAlertVersions();
    const base = alert('1');
    const written = alert('2');
    versions.wrote('monitoring/a', base, written);
    expect(versions.current('monitoring/a', base)).toBe(written);
    // An event of the version the write was based on: the cache has not caught up yet.
    versions.observe('monitoring/a', base, 'update');
    expect(versions.current('monitoring/a', base)).toBe(written);
    const delivered = alert('2');
    versions.observe('monitoring/a', delivered, 'update');
    expect(versions.current('monitoring/a', delivered)).toBe(delivered);
  });

  it('drops our write when someone else wrote after it', () => {
    const versions = createAlertVersions();
    versions.wrote('monitoring/a', alert('1'), alert('2'));
    const theirs = alert('3');
    versions.observe('monitoring/a', theirs, 'update');
    expect(versions.current('monitoring/a', theirs)).toBe(theirs);
  });

  it('queues no run for a settled version, but for any other', () => {
    const versions = createAlertVersions();
    versions.begin('monitoring/a');
    expect(versions.end('monitoring/a', ['1', '2'])).toBe(false);
    expect(versions.observe('monitoring/a', alert('2'), 'update')).toBe(false);
    expect(versions.observe('monitoring/a', alert('3'), 'update')).toBe(true);
    expect(versions.observe('monitoring/a', alert('2'), 'resync')).toBe(true);
  });

  it('holds events during a run and asks for one run after it unless the run settled them', () => {
    const versions = createAlertVersions();
    versions.begin('monitoring/a');
    expect(versions.observe('monitoring/a', alert('2'), 'update')).toBe(false);
    expect(versions.end('monitoring/a', ['1', '2'])).toBe(false);

    versions.begin('monitoring/a');
    expect(versions.observe('monitoring/a', alert('5'), 'update')).toBe(false);
    expect(versions.end('monitoring/a', ['3', '4'])).toBe(true);

    versions.begin('monitoring/a');
    expect(versions.observe('monitoring/a', alert('6'), 'update')).toBe(false);
    // A run whose decision does not stand settles nothing.
    expect(versions.end('monitoring/a', undefined)).toBe(true);
  });
});
