import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterLogLines, splitLogLines } from './filter-log-lines.js';

describe('filterLogLines', () => {
  const lines = [
    'boot',
    'NCCL INFO ring 0',
    'step 1',
    'step 2',
    'CUDA error: device-side assert',
    'step 3',
    'step 4',
  ];

  it('keeps keyword lines first, fills with the latest other lines, in original order', () => {
    expect(filterLogLines(lines, { keywords: ['nccl', 'CUDA'], maxLines: 4 })).toEqual([
      'NCCL INFO ring 0',
      'CUDA error: device-side assert',
      'step 3',
      'step 4',
    ]);
  });

  it('keeps the latest keyword lines when they alone exceed the budget', () => {
    expect(filterLogLines(lines, { keywords: ['step'], maxLines: 2 })).toEqual(['step 3', 'step 4']);
  });

  it('is a plain tail without keywords', () => {
    expect(filterLogLines(lines, { keywords: [], maxLines: 2 })).toEqual(['step 3', 'step 4']);
  });

  it('cuts long lines', () => {
    expect(filterLogLines(['x'.repeat(20)], { keywords: [], maxLines: 5, maxLineLength: 4 })).toEqual([
      'xxxx…',
    ]);
  });

  it('never returns more than the budget, and only lines of the input, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 60 }),
        fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
        fc.nat(20),
        (input, keywords, maxLines) => {
          const kept = filterLogLines(input, { keywords, maxLines, maxLineLength: 10_000 });
          expect(kept.length).toBe(Math.min(maxLines, input.length));
          let at = 0;
          for (const line of kept) {
            while (at < input.length && input[at] !== line) at += 1;
            expect(at).toBeLessThan(input.length);
            at += 1;
          }
        },
      ),
    );
  });

  it('splits text into lines without a trailing empty one', () => {
    expect(splitLogLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(splitLogLines('')).toEqual([]);
  });
});
