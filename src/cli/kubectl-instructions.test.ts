import { describe, expect, it } from 'vitest';
import { kubectlInstructions, shellQuote } from './index.js';

describe('kubectlInstructions', () => {
  it('gives a ready-to-paste export line', () => {
    const text = kubectlInstructions('http://127.0.0.1:6443', '/srv/aegis/.aegis/sandbox.kubeconfig');
    expect(text).toContain('Sandbox Kubernetes API server: http://127.0.0.1:6443\n');
    expect(text).toContain('\n  export KUBECONFIG=/srv/aegis/.aegis/sandbox.kubeconfig\n');
  });

  it('quotes paths a shell would split', () => {
    expect(shellQuote("/tmp/my dir/it's.yaml")).toBe(`'/tmp/my dir/it'\\''s.yaml'`);
    expect(shellQuote('/plain/path.yaml')).toBe('/plain/path.yaml');
  });
});
