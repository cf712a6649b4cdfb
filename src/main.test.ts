import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: { stdout: (text: string) => void out.push(text), stderr: (text: string) => void err.push(text) },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describe('main', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prints the version from package.json', async () => {
    const io = captured();
    expect(await main(['version'], io.output)).toBe(0);
    expect(io.stdout()).toMatch(/^aegis \d+\.\d+\.\d+\n$/);
  });

  it('answers --version and -V as `aegis version` does, and lists --version in the help', async () => {
    const expected = captured();
    await main(['version'], expected.output);
    for (const flag of ['--version', '-V']) {
      const io = captured();
      expect(await main([flag], io.output)).toBe(0);
      expect(io.stdout()).toBe(expected.stdout());
    }
    const help = captured();
    expect(await main(['--help'], help.output)).toBe(0);
    expect(help.stdout()).toContain('-V, --version');
  });

  it('prints configuration problems without a stack trace and exits 2', async () => {
    vi.stubEnv('AEGIS_HTTP_PORT', 'abc');
    vi.stubEnv('AEGIS_SANDBOX', 'maybe');
    const io = captured();
    expect(await main(['serve'], io.output)).toBe(2);
    expect(io.stderr()).toBe(
      'Invalid configuration (2 problems):\n' +
        '  AEGIS_HTTP_PORT: expected an integer from 1 to 65535, got "abc"\n' +
        '  AEGIS_SANDBOX: expected one of auto, true, false, got "maybe"\n',
    );
  });

  it('exits 2 on a bad option, naming it', async () => {
    const io = captured();
    expect(await main(['sandbox', '--nodes', 'many'], io.output)).toBe(2);
    expect(io.stderr()).toContain(`option '--nodes <count>' argument 'many' is invalid`);
  });

  it('exits 2 on an unknown command', async () => {
    const io = captured();
    expect(await main(['frobnicate'], io.output)).toBe(2);
    expect(io.stderr()).toContain(`unknown command 'frobnicate'`);
  });
});
