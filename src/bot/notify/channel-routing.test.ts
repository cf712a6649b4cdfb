import { describe, expect, it } from 'vitest';
import { createChannelRouter, slackRoutesSchema } from './channel-routing.js';

const alert = (type: string) => ({ metadata: { name: 'a', namespace: 'monitoring' }, spec: { type } });

describe('AEGIS_SLACK_ROUTES type patterns', () => {
  it('refuses a pattern only a backtracking engine can run, naming it and why', () => {
    const parsed = slackRoutesSchema.safeParse([{ channel: 'C1', type: '(Gpu)\\1' }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([0, 'type']);
    expect(parsed.error?.issues[0]?.message).toContain('"(Gpu)\\\\1" uses back-references');
  });

  it('routes by anchored type in linear time, even for a nested pattern', { timeout: 10_000 }, () => {
    const routes = slackRoutesSchema.parse([
      { channel: 'C0GPU', type: '(x+x+)+y' },
      { channel: 'C0X', type: 'Gpu.*' },
    ]);
    const route = createChannelRouter('C0DEFAULT', routes);
    expect(route(alert('x'.repeat(5_000)) as Parameters<typeof route>[0])).toBe('C0DEFAULT');
    expect(route(alert('xxy') as Parameters<typeof route>[0])).toBe('C0GPU');
    expect(route(alert('GpuLost') as Parameters<typeof route>[0])).toBe('C0X');
    expect(route(alert('NodeGpuLost') as Parameters<typeof route>[0])).toBe('C0DEFAULT');
  });
});
