/** The media types the webhook routes take, and the check that turns anything else into a 415. */

export type BodyKind = 'json' | 'text';

const structuredJson = /^application\/[a-z0-9!#$&^_.-]+\+json$/;

/**
 * What the `Content-Type` header says the body is: `json` for `application/json` and `application/*+json`,
 * `text` for `text/plain`; undefined for anything else. A `charset` other than UTF-8 is refused: the routes
 * decode bodies as UTF-8 (and HMAC signatures cover the bytes as sent).
 */
export function bodyKindOf(contentType: string | undefined): BodyKind | undefined {
  if (contentType === undefined) return undefined;
  const [essence = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=', 2).map((part) => part.trim());
    if (name !== 'charset') continue;
    const charset = value.replace(/^"(.*)"$/, '$1');
    if (charset !== 'utf-8' && charset !== 'utf8') return undefined;
  }
  if (essence === 'application/json' || structuredJson.test(essence)) return 'json';
  if (essence === 'text/plain') return 'text';
  return undefined;
}

/** The plain-words list of accepted types, for the 415 answer. */
export function describeAcceptedTypes(kinds: readonly BodyKind[]): string {
  const names = ['application/json', 'application/*+json'];
  if (kinds.includes('text')) names.push('text/plain');
  return names.join(', ');
}
