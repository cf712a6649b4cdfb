import { describe, expect, it } from 'vitest';
import { failingItems, parseCheckResults } from './parse-check-results.js';

describe('parseCheckResults', () => {
  it('takes the last results block after klog lines (upstream TestUnmarshalResult)', () => {
    const log = [
      'I0305 10:00:00.000000       1 main.go:30] start',
      'results: ignored because a later block follows',
      'I0305 10:00:01.000000       1 main.go:31] done',
      'results:',
      '  disk:',
      '  - item: root',
      '    condition: DiskAlmostFull',
      '    level: warning',
      '    status: true',
      '    message: / is 93% full',
    ].join('\n');
    expect(parseCheckResults(log)).toEqual({
      ok: true,
      results: {
        disk: [
          {
            item: 'root',
            condition: 'DiskAlmostFull',
            level: 'warning',
            status: true,
            message: '/ is 93% full',
          },
        ],
      },
    });
  });

  it('says where the YAML is wrong, as a line of the log', () => {
    const result = parseCheckResults(['a', 'b', 'results:', '  gpu: [', ''].join('\n'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^log line [45]: the results block is not valid YAML/);
  });

  it('names the field with a wrong type', () => {
    const result = parseCheckResults('results:\n  gpu:\n  - status: "yes"\n');
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/^log line 1: results\.gpu\.0\.status: /) as unknown,
    });
  });

  it('reports a log without a results line', () => {
    expect(parseCheckResults('hello\nworld')).toEqual({
      ok: false,
      message: 'the log (2 lines) has no line starting with "results:"',
    });
  });

  it('accepts an empty block and keeps only failing items when asked', () => {
    expect(parseCheckResults('results:')).toEqual({ ok: true, results: {} });
    expect(
      failingItems({ a: [{ item: 'x', status: false }], b: [{ item: 'y', status: true }, { item: 'z' }] }),
    ).toEqual({
      b: [{ item: 'y', status: true }],
    });
  });
});
