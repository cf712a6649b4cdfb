import { describe, expect, it } from 'vitest';
import { bodyKindOf } from './content-type.js';
import { computeSignature, signedPayload } from './hmac-signature.js';
import { normaliseRoutePrefix } from './register-webhook-routes.js';

describe('bodyKindOf', () => {
  it.each([
    ['application/json', 'json'],
    ['Application/JSON; charset=UTF-8', 'json'],
    ['application/json; charset="utf-8"', 'json'],
    ['application/vnd.grafana.alert+json', 'json'],
    ['text/plain', 'text'],
    ['text/plain;charset=UTF-8', 'text'],
    ['application/json; charset=iso-8859-1', undefined],
    ['application/xml', undefined],
    ['application/+json', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (contentType, kind) => {
    expect(bodyKindOf(contentType)).toBe(kind);
  });
});

describe('signatures', () => {
  it('sign "<timestamp>.<body>" when a timestamp is given, else the body', () => {
    const body = Buffer.from('{"a":1}');
    expect(signedPayload(body, '1700000000').toString()).toBe('1700000000.{"a":1}');
    expect(signedPayload(body, undefined)).toBe(body);
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
    expect(computeSignature('key', body, '1700000000')).toBe(
      'sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03',
    );
    expect(computeSignature('key', body, '1700000000')).not.toBe(computeSignature('key', body));
  });
});

describe('normaliseRoutePrefix', () => {
  it.each([
    [undefined, ''],
    ['/', ''],
    ['', ''],
    ['/aegis/', '/aegis'],
    ['aegis', '/aegis'],
    ['/a/b//', '/a/b'],
  ])('%s → %s', (prefix, normalised) => {
    expect(normaliseRoutePrefix(prefix)).toBe(normalised);
  });
});
