import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse-command.js';
import { tokenize } from './tokenize.js';

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['frobnicate now', { kind: 'help', unknown: 'frobnicate' }],
    ['alerts', { kind: 'alerts', filters: {} }],
    [
      'alerts --type NodeDown --status=Firing --node gpu-1',
      { kind: 'alerts', filters: { type: 'NodeDown', status: 'Firing', node: 'gpu-1' } },
    ],
    ['alert disk-full-abc', { kind: 'alert', alert: { name: 'disk-full-abc' } }],
    ['alert monitoring/disk-full', { kind: 'alert', alert: { namespace: 'monitoring', name: 'disk-full' } }],
    ['approve a1', { kind: 'approve', alert: { name: 'a1' } }],
    [
      'reject a1 not during  the  freeze',
      { kind: 'reject', alert: { name: 'a1' }, reason: 'not during the freeze' },
    ],
    ['reject a1 "two  spaces"', { kind: 'reject', alert: { name: 'a1' }, reason: 'two  spaces' }],
    ['rules', { kind: 'rules' }],
    ['templates', { kind: 'templates' }],
    ['silences', { kind: 'silences' }],
    ['status', { kind: 'status' }],
    ['run drop-caches', { kind: 'run', template: { name: 'drop-caches' }, parameters: {} }],
    [
      'run ops/drop-caches node=gpu-1 level=3 --reason memory pressure',
      {
        kind: 'run',
        template: { namespace: 'ops', name: 'drop-caches' },
        parameters: { node: 'gpu-1', level: '3' },
        reason: 'memory pressure',
      },
    ],
    ['run t msg="a b=c"', { kind: 'run', template: { name: 't' }, parameters: { msg: 'a b=c' } }],
    ['run t cmd=a&amp;b', { kind: 'run', template: { name: 't' }, parameters: { cmd: 'a&b' } }],
    [
      'silence NodeDown 2h maintenance window',
      {
        kind: 'silence',
        matcher: { type: 'NodeDown' },
        durationMs: 7_200_000,
        duration: '2h',
        reason: 'maintenance window',
      },
    ],
    [
      'silence 0123456789abcdef 30m',
      {
        kind: 'silence',
        matcher: { fingerprint: '0123456789abcdef' },
        durationMs: 1_800_000,
        duration: '30m',
      },
    ],
    [
      'silence type:deadbeefdeadbeef 1d',
      { kind: 'silence', matcher: { type: 'deadbeefdeadbeef' }, durationMs: 86_400_000, duration: '1d' },
    ],
    ['unsilence silence-abc12', { kind: 'unsilence', name: 'silence-abc12' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['alert', 'name one alert', '/aegis alert <name>'],
    ['alert Bad_Name', '"Bad_Name" is not an alert name', '/aegis alert <name>'],
    ['approve', 'name the alert to approve', '/aegis approve <alert> [reason]'],
    ['alerts --colour red', 'unexpected "--colour"', '/aegis alerts [--type T] [--status S] [--node N]'],
    ['alerts --type', '--type needs a value', '/aegis alerts [--type T] [--status S] [--node N]'],
    [
      'run',
      'name the template to run (see /aegis templates)',
      '/aegis run <template> [key=value ...] [--reason text]',
    ],
    ['run t node', '"node" is not key=value', '/aegis run <template> [key=value ...] [--reason text]'],
    [
      'run t 1x=2',
      '"1x" is not a parameter name (letters, digits, _)',
      '/aegis run <template> [key=value ...] [--reason text]',
    ],
    ['run t a=1 a=2', 'a is given twice', '/aegis run <template> [key=value ...] [--reason text]'],
    [
      'silence NodeDown',
      'name an alert type or fingerprint and a duration, e.g. 2h',
      '/aegis silence <type|fingerprint> <duration> [reason]',
    ],
    [
      'silence NodeDown soon',
      '"soon" is not a duration; use e.g. 30m, 2h or 1d',
      '/aegis silence <type|fingerprint> <duration> [reason]',
    ],
    ['unsilence', 'name one silence (see /aegis silences)', '/aegis unsilence <name>'],
    ['status now', 'status takes no arguments', '/aegis status'],
  ])('%j is refused in plain words', (text, message, usage) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid', message, usage });
  });

  it('parses diagnose with a kind word, a name and an optional namespace (-n or namespace/name)', () => {
    expect(parseCommand('diagnose node gpu-9')).toEqual({
      kind: 'diagnose',
      target: 'node',
      object: { name: 'gpu-9' },
    });
    expect(parseCommand('diagnose wf drain-1 -n ops')).toEqual({
      kind: 'diagnose',
      target: 'workflow',
      object: { namespace: 'ops', name: 'drain-1' },
    });
    expect(parseCommand('diagnose PyTorchJob team-a/llama')).toEqual({
      kind: 'diagnose',
      target: 'pytorchjob',
      object: { namespace: 'team-a', name: 'llama' },
    });
    expect(parseCommand('diagnose pod x -n a extra')).toMatchObject({
      kind: 'invalid',
      message: 'unexpected "-n a extra"',
    });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const command = parseCommand(text);
        expect(typeof command.kind).toBe('string');
      }),
    );
  });
});

describe('tokenize', () => {
  it('groups quoted words, curly quotes included, and keeps empty quoted words', () => {
    expect(tokenize('a "b c" \u201cd e\u201d ""')).toEqual(['a', 'b c', 'd e', '']);
  });
});
