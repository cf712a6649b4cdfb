/**
 * The redaction corpus: realistic logs, kubectl output, env dumps, JSON and YAML (fixtures/secrets-corpus.txt)
 * with every secret marked; after redaction not one marked secret may survive. The ordinary corpus
 * (fixtures/ordinary-corpus.txt) must come out unchanged, so diagnosis keeps node names, IPs, pod names, error
 * messages and names that merely contain a secret word. A fast-check property inserts a generated secret of
 * every kind into random text and checks it is gone.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './create-redactor.js';
import { parseRedactPatterns } from './parse-redact-patterns.js';

const redactor = createRedactor({ extraPatterns: parseRedactPatterns('\\bACME-[0-9]{6}-[A-Z]{4}\\b') });

function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic token of `length` characters from `alphabet` (seeded, so failures reproduce). */
function token(seed: number, length: number, alphabet = alphanumeric): string {
  let state = seed;
  let text = '';
  for (let index = 0; index < length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

const upperDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base64 = `${alphanumeric}+/`;

/** Provider tokens are built here rather than stored, so the repository holds nothing a scanner flags. */
const placeholders: Record<string, string> = {
  'aws-access-key-id': ['AK', 'IA', token(1, 16, upperDigits)].join(''),
  'aws-secret-access-key': token(2, 40, base64),
  'gcp-api-key': ['AI', 'za', token(3, 35)].join(''),
  'github-token': ['gh', 'p_', token(4, 36)].join(''),
  'github-pat': ['github', '_pat_', token(5, 22), '_', token(6, 59)].join(''),
  'slack-bot-token': ['xo', 'xb-', '1234567890-', '9876543210-', token(7, 24)].join(''),
  'slack-user-token': ['xo', 'xp-', '1234567890-', '9876543210-', token(8, 32)].join(''),
  'slack-app-token': ['xa', 'pp-1-', 'A0123BCDE-', '1234567890-', token(9, 64, 'abcdef0123456789')].join(''),
  'slack-webhook': ['hooks', '.slack.com/services/', 'T0123ABCD/', 'B0456EFGH/', token(10, 24)].join(''),
  'openai-key': ['s', 'k-proj-', token(11, 48)].join(''),
  'azure-account-key': `${token(12, 86, base64)}==`,
  'private-key-block': [
    ['-----BEGIN', 'RSA PRIVATE', 'KEY-----'].join(' '),
    token(13, 64, base64),
    token(14, 64, base64),
    ['-----END', 'RSA PRIVATE', 'KEY-----'].join(' '),
  ].join('\n'),
};

function expand(text: string): string {
  return text.replace(/\{\{([a-z-]+)\}\}/g, (_match, name: string) => {
    const value = placeholders[name];
    if (value === undefined) throw new Error(`unknown placeholder ${name}`);
    return value;
  });
}

/** The corpus without markers, and the marked secrets. */
function markedCorpus(): { text: string; secrets: string[] } {
  const raw = expand(fixture('secrets-corpus.txt'));
  const secrets = [...raw.matchAll(/«([^»]*)»/g)].map((match) => match[1] ?? '');
  return { text: raw.replace(/[«»]/g, ''), secrets };
}

describe('redaction corpus', () => {
  it('masks every marked secret', () => {
    const { text, secrets } = markedCorpus();
    expect(secrets.length).toBeGreaterThan(40);
    const redacted = redactor.redact(text);
    const survivors = secrets.filter((secret) => redacted.includes(secret));
    expect(survivors).toEqual([]);
    // Structure survives: ordinary context on the same lines is still there.
    expect(redacted).toContain('postgres://aegis:[REDACTED:url-password]@10.0.3.14:5432/aegis');
    expect(redacted).toContain('Authorization: Basic [REDACTED:basic-auth] from 10.42.1.9');
    expect(redacted).toContain('AWS_SECRET_ACCESS_KEY=[REDACTED:');
    expect(redacted).toContain('HOSTNAME=gpu-exporter-7c9d4b6f5-x2k8p');
    expect(redacted).toContain('region = us-east-1');
    expect(redacted).toContain('issuer: https://login.example.com');
    expect(redacted).toContain('done loading');
    expect(redacted).toContain('"node":"gpu-node-17"');
  });

  it('redacts each secret within a few lines of context too (no secret relies on distant text)', () => {
    const { text } = markedCorpus();
    const raw = expand(fixture('secrets-corpus.txt'));
    const survivors: string[] = [];
    raw.split('\n').forEach((line, index) => {
      const secrets = [...line.matchAll(/«([^»]*)»/g)].map((match) => match[1] ?? '');
      // Multi-line constructs (Secret data blocks, block scalars, PEM blocks, env entries) need their context.
      const context = text
        .split('\n')
        .slice(Math.max(0, index - 8), index + 9)
        .join('\n');
      const redacted = redactor.redact(context);
      for (const secret of secrets) if (redacted.includes(secret)) survivors.push(`${index}: ${secret}`);
    });
    expect(survivors).toEqual([]);
  });

  it('leaves ordinary text unchanged', () => {
    const text = fixture('ordinary-corpus.txt');
    const redacted = redactor.redact(text);
    const changed = text.split('\n').filter((line, index) => redacted.split('\n')[index] !== line);
    expect(changed).toEqual([]);
  });

  it('applies extra patterns', () => {
    expect(redactor.redact('license ACME-123456-ABCD ok')).toBe('license [REDACTED:custom] ok');
    const fromSetting = createRedactor({
      extraPatterns: parseRedactPatterns('# comment\ninternal-[0-9a-f]{8}\n'),
    });
    expect(fromSetting.redact('id internal-deadbeef.')).toBe('id [REDACTED:custom].');
  });
});

describe('redactValue', () => {
  it('drops Kubernetes Secrets whole, with or without kind', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { password: 'c2VjcmV0' },
    };
    const listItem = { metadata: { name: 'db' }, type: 'Opaque', data: { password: 'c2VjcmV0' } };
    expect(redactor.redactValue(secret)).toBe('[secret omitted]');
    expect(redactor.redactValue({ items: [listItem, { kind: 'ConfigMap', data: { a: 'b' } }] })).toEqual({
      items: ['[secret omitted]', { kind: 'ConfigMap', data: { a: 'b' } }],
    });
  });

  it('masks secret-named fields, env entries and strings, deeply', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZWdpcyJ9.c2lnbmF0dXJlLWJ5dGVz';
    const value = {
      node: 'gpu-node-17',
      spec: {
        containers: [
          {
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
              { name: 'DB_HOST', value: 'postgres' },
            ],
          },
        ],
      },
      apiKey: 'k-123456789',
      count: 3,
      logs: `Authorization: Bearer ${jwt}`,
      secretName: 'aegis-tls',
    };
    const redacted = redactor.redactValue(value);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('hunter2hunter2');
    expect(text).not.toContain('k-123456789');
    expect(text).not.toContain(jwt);
    expect(redacted).toMatchObject({
      node: 'gpu-node-17',
      count: 3,
      secretName: 'aegis-tls',
      spec: { containers: [{ env: [{ value: '[REDACTED:password]' }, { value: 'postgres' }] }] },
    });
  });

  it('copes with cycles, dates and non-plain values', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic['self'] = cyclic;
    expect(redactor.redactValue(cyclic)).toEqual({ name: 'a', self: '[circular]' });
    expect(redactor.redactValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(redactor.redactValue(null)).toBeNull();
  });
});

/** Secrets of every kind, each with the substring that must disappear. */
const secretArbitraries: Record<string, fc.Arbitrary<{ text: string; secret: string }>> = (() => {
  const chars = (alphabet: string, min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });
  const passwordChars = `${alphanumeric}!@#%^*()_+-.~`;
  const same = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((text) => ({ text, secret: text }));
  const b64url = `${alphanumeric}-_`;
  const jwt = fc
    .tuple(chars(b64url, 8, 40), chars(b64url, 8, 80), chars(b64url, 16, 60))
    .map(([header, payload, signature]) => `eyJ${header}.eyJ${payload}.${signature}`);
  const secretKeys = fc.constantFrom(
    'password',
    'DB_PASSWORD',
    'passwd',
    'client_secret',
    'apiKey',
    'x-api-key',
    'access_token',
    'GITHUB_TOKEN',
    'credentials',
    'private_key',
    'aws_secret_access_key',
    'redisPass',
  );
  return {
    bearer: chars(b64url, 20, 60).map((value) => ({ text: `Authorization: Bearer ${value}`, secret: value })),
    jwt: same(jwt),
    'aws-access-key-id': same(chars(upperDigits, 16, 16).map((rest) => `AKIA${rest}`)),
    'aws-secret-access-key': chars(base64, 40, 40).map((value) => ({
      text: `aws_secret_access_key=${value}`,
      secret: value,
    })),
    'gcp-api-key': same(chars(b64url, 35, 35).map((rest) => `AIza${rest}`)),
    'azure-key': chars(base64, 40, 88).map((value) => ({
      text: `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${value};EndpointSuffix=core.windows.net`,
      secret: value,
    })),
    'github-token': same(
      fc.oneof(
        chars(alphanumeric, 36, 40).map((rest) => `ghp_${rest}`),
        chars(alphanumeric, 36, 36).map((rest) => `gho_${rest}`),
        chars(`${alphanumeric}_`, 82, 82).map((rest) => `github_pat_${rest}`),
      ),
    ),
    'slack-token': same(
      fc
        .tuple(
          fc.constantFrom('xoxb-', 'xoxp-', 'xoxa-', 'xoxe-', 'xapp-1-'),
          chars(`${alphanumeric}-`, 20, 60),
        )
        .map(([prefix, rest]) => `${prefix}${rest}`),
    ),
    'openai-key': same(
      fc
        .tuple(fc.constantFrom('sk-', 'sk-proj-', 'sk-svcacct-'), chars(alphanumeric, 20, 60), fc.nat(9))
        .map(([prefix, rest, digit]) => `${prefix}${rest}${digit}`),
    ),
    'private-key': fc
      .tuple(
        fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''),
        fc.array(chars(base64, 64, 64), { minLength: 1, maxLength: 5 }),
      )
      .map(([type, lines]) => {
        const text = [
          `-----BEGIN ${type}PRIVATE KEY-----`,
          ...lines,
          `-----END ${type}PRIVATE KEY-----`,
        ].join('\n');
        return { text, secret: lines.join('\n') };
      }),
    'url-password': fc
      .tuple(
        fc.constantFrom('postgres', 'https', 'mongodb+srv', 'redis', 'amqp'),
        chars(alphanumeric, 1, 12),
        chars(`${alphanumeric}!$%*-_.~`, 6, 30),
      )
      .map(([scheme, user, password]) => ({
        text: `${scheme}://${user}:${password}@db.example.com:5432/app`,
        secret: `:${password}@`,
      })),
    'key=value': fc.tuple(secretKeys, chars(passwordChars, 8, 40)).map(([key, value]) => ({
      text: `${key}=${value}`,
      secret: value,
    })),
    'key: value': fc.tuple(secretKeys, chars(passwordChars, 8, 40)).map(([key, value]) => ({
      text: `${key}: ${value}`,
      secret: value,
    })),
    'json pair': fc.tuple(secretKeys, chars(`${passwordChars} `, 8, 40)).map(([key, value]) => ({
      text: JSON.stringify({ [key]: value }),
      secret: value,
    })),
    'service-account token': same(jwt).map(({ text, secret }) => ({ text: `token:      ${text}`, secret })),
    'basic auth': fc
      .tuple(chars(alphanumeric, 1, 12), chars(passwordChars, 6, 20))
      .map(([user, password]) => Buffer.from(`${user}:${password}`).toString('base64'))
      .map((value) => ({ text: `Authorization: Basic ${value}`, secret: value })),
    custom: same(chars('0123456789', 6, 6).map((digits) => `ACME-${digits}-WXYZ`)),
  };
})();

describe('redaction property', () => {
  const filler = fc.string({ maxLength: 60 }).map((text) => text.replace(/[«»]/g, ''));
  for (const [kind, arbitrary] of Object.entries(secretArbitraries)) {
    it(`a ${kind} inserted into random text is gone`, () => {
      fc.assert(
        fc.property(
          filler,
          arbitrary,
          filler,
          fc.constantFrom(' ', '\n', '\t'),
          (before, { text, secret }, after, gap) => {
            const input = `${before}${gap}${text}${gap === '\t' ? ' ' : gap}${after}`;
            // fast-check favours strings such as "toString" for both the secret and the filler: a secret the
            // random text also holds outside the inserted one is not a secret the redactor could know about.
            fc.pre(input.split(secret).length === 2);
            expect(redactor.redact(input)).not.toContain(secret);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
