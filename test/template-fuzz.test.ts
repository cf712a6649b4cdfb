import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderOpsTemplate, validateOpsTemplate } from '../src/core/templates/index.js';
import { templateFuzzCases, unexplainedTemplateRefusal } from './support/template-fuzz-inputs.js';

/** bench/fuzz.ts runs 10,000 of these cases; CI runs a few hundred. */
describe('template renderer under random manifests and Go templates', () => {
  it('never throws, never stalls, and every refusal says what is wrong and on which line', () => {
    const outcomes = { rendered: 0, refused: 0 };
    let slowestMs = 0;
    fc.assert(
      fc.property(templateFuzzCases, ({ manifest, variables }) => {
        const started = performance.now();
        const result = renderOpsTemplate(manifest, variables);
        const validated = validateOpsTemplate(manifest);
        slowestMs = Math.max(slowestMs, performance.now() - started);
        if (result.ok) {
          outcomes.rendered += 1;
          expect(result.digest).toMatch(/^[0-9a-f]{64}$/);
        } else {
          outcomes.refused += 1;
          expect(unexplainedTemplateRefusal(result)).toBeUndefined();
        }
        if (!validated.ok) expect(validated.message).not.toMatch(/could not be rendered/);
      }),
      { numRuns: 400 },
    );
    // Both outcomes are reached, and no case (a few KiB at most) takes long enough to be a hang.
    expect(outcomes.rendered).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(slowestMs).toBeLessThan(5_000);
  }, 60_000);
});
