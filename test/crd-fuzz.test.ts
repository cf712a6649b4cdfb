import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds, readCrdManifests } from '../src/kube/index.js';
import { hasKubectl, kubectl, startFixture, type SandboxFixture } from './conformance/sandbox-fixture.js';
import { crdFuzzCase, type CrdFuzzCase } from './support/crd-fuzz-inputs.js';
import { kubectlStatuses } from './support/kubectl-statuses.js';

/** bench/fuzz.ts applies more; each kubectl run costs ~0.1-0.3 s, so CI keeps to 40. */
const cases = 40;

describe.runIf(await hasKubectl())(
  'Aegis custom resources through kubectl apply, random and malformed',
  () => {
    let fixture: SandboxFixture;

    beforeAll(async () => {
      fixture = await startFixture({ nodes: 1, simulate: false });
      await installCrds(fixture.clients, await readCrdManifests());
    });

    afterAll(async () => {
      await fixture.close();
    });

    it('applies the valid ones and refuses the invalid ones naming the field, never with a 5xx', async () => {
      const seed = Date.now() % 1_000_000;
      const inputs: CrdFuzzCase[] =
        fc.sample(fc.tuple(...Array.from({ length: cases }, (_, index) => crdFuzzCase(index))), {
          numRuns: 1,
          seed,
        })[0] ?? [];
      const outcomes = new Set<string>();
      for (const input of inputs) {
        const result = await kubectl(fixture, ['apply', '-f', '-', '-v=6'], JSON.stringify(input.object));
        const statuses = kubectlStatuses(result.stderr);
        const context = `seed ${seed}: ${input.kind} ${input.expect.valid ? 'valid' : `${input.expect.mutation} at ${input.expect.path}`}\n${result.stderr.slice(-1_500)}`;
        expect(statuses.length, context).toBeGreaterThan(0);
        expect(
          statuses.filter((status) => status >= 500),
          context,
        ).toEqual([]);
        if (input.expect.valid) {
          expect(result.code, context).toBe(0);
          expect(result.stdout).toMatch(
            new RegExp(`${input.kind.toLowerCase()}\\.aegis\\.io/fuzz-\\d+ (created|configured|unchanged)`),
          );
          outcomes.add('applied');
        } else {
          expect(result.code, context).not.toBe(0);
          const mentions = input.expect.mentions;
          expect(
            mentions.some((mention) => result.stderr.includes(mention)),
            `expected one of ${JSON.stringify(mentions)} in:\n${context}`,
          ).toBe(true);
          outcomes.add(input.expect.mutation.replace(/ \(.*/, ''));
        }
      }
      // The sample reaches valid objects and several kinds of refusal, not only one.
      expect(outcomes.has('applied')).toBe(true);
      expect(outcomes.size).toBeGreaterThanOrEqual(4);
      // The API server is still answering.
      expect((await fixture.http('/readyz')).status).toBe(200);
    }, 120_000);
  },
);
