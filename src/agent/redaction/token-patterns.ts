/**
 * Secrets recognisable by their own shape, wherever they appear (logs, YAML, JSON, prose). Each rule replaces
 * the secret (not its label: `Authorization: Bearer [REDACTED:bearer-token]`) with `[REDACTED:<kind>]`.
 * The rules run in this order; later rules skip text an earlier one already replaced.
 *
 * Every pattern runs in linear time in V8's backtracking engine, so a megabyte of hostile text cannot stall the
 * process (bench/redaction.ts measures it, 1 KiB to 1 MiB). The rules that keep it so:
 * - no nested quantifiers (no exponential backtracking);
 * - an unbounded run (`[A-Za-z0-9_-]{4,}`) that must be followed by something may only START where a run of its
 *   class starts (a look-behind for the class, or a literal the class cannot contain), so a run of N characters
 *   is scanned from one start, not N (`eyJeyJeyJ…` or `a-a-a-…` would otherwise cost N² steps);
 * - a run that needs nothing after it (the token's tail) simply succeeds.
 */

export interface TokenRule {
  readonly kind: string;
  /** Global regular expression. */
  readonly pattern: RegExp;
  /** The replacement for one match; default: the whole match becomes `[REDACTED:<kind>]`. */
  readonly replace?: (match: string, ...groups: (string | undefined)[]) => string;
}

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** True when a bearer/basic credential is a real token rather than a word in prose ("Bearer token required"). */
function looksLikeCredential(token: string): boolean {
  if (token.startsWith('[REDACTED:')) return false;
  if (token.length >= 20) return true;
  return token.length >= 8 && (/[0-9+/=._~-]/.test(token) || /[a-z][A-Z]/.test(token));
}

/** A word after "password" that is a credential rather than prose. */
function looksLikePassword(word: string): boolean {
  if (
    word.startsWith('[REDACTED:') ||
    /^(?:is|was|for|has|expired|reset|changed|required|policy|incorrect)$/i.test(word)
  )
    return false;
  return /[0-9]/.test(word) || /[^A-Za-z0-9]/.test(word) || /[a-z][A-Z]|[A-Z][a-z]*[A-Z]/.test(word.slice(1));
}

export const tokenRules: readonly TokenRule[] = [
  {
    kind: 'private-key',
    // A PEM private key block; an unterminated one (a truncated log) is cut to the end of the text.
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?:[\s\S]*?-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|[\s\S]*$)/g,
  },
  {
    kind: 'jwt',
    // JSON Web Tokens, including Kubernetes service-account tokens (header and payload are base64url JSON).
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  },
  {
    kind: 'aws-access-key-id',
    pattern: /(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  },
  { kind: 'gcp-api-key', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { kind: 'github-token', pattern: /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { kind: 'slack-token', pattern: /(?:xox[baprse]|xoxe\.xox[bp]|xapp)-[A-Za-z0-9-]{8,}/g },
  { kind: 'slack-webhook', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9_/-]+/g },
  {
    kind: 'openai-key',
    // sk-..., sk-proj-..., sk-ant-...: at least 20 characters with a digit, not inside a longer name
    // (so a pod named `task-runner-...` is not touched).
    pattern: /(?<![A-Za-z0-9_-])sk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}/g,
  },
  {
    kind: 'azure-key',
    // Azure storage / service-bus connection strings and SAS URLs.
    pattern: /\b(AccountKey|SharedAccessKey|SharedAccessSignature)=([^;"'\s]+)/gi,
    replace: (_match, name) => `${name ?? ''}=${marker('azure-key')}`,
  },
  {
    kind: 'url-password',
    // scheme://user:password@host: the user stays, the password goes.
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s"']*):([^@/?#\s"']+)@/gi,
    replace: (match, scheme, user, password) =>
      password === undefined || password.startsWith('[REDACTED:')
        ? match
        : `${scheme ?? ''}${user ?? ''}:${marker('url-password')}@`,
  },
  {
    kind: 'password',
    // A password given as the next word (`password hunter2`, `mysql --password s3cr3t!`): only when that word
    // looks like a credential (a digit, a symbol or mixed case, 6+ characters), so prose ("password expired",
    // "password reset") is left alone. Bounded, and it starts only at a word start: linear.
    pattern: /(?<![A-Za-z0-9_])(password|passwd|passphrase|pwd)([ \t]+)([^\s"'<>[\]=:][^\s"'<>[\]]{5,255})/gi,
    replace: (match, word, space, value) =>
      value !== undefined && looksLikePassword(value)
        ? `${word ?? ''}${space ?? ''}${marker('password')}`
        : match,
  },
  {
    kind: 'bearer-token',
    pattern: /\b(Authorization\s*[:=]\s*)?(Bearer)\s+([A-Za-z0-9._~+/=-]+)/gi,
    replace: (match, header, word, token) =>
      token !== undefined && (header !== undefined || looksLikeCredential(token))
        ? `${header ?? ''}${word ?? ''} ${marker('bearer-token')}`
        : match,
  },
  {
    kind: 'basic-auth',
    pattern: /\b(Authorization\s*[:=]\s*)?(Basic)\s+([A-Za-z0-9+/=_-]+)/gi,
    replace: (match, header, word, token) =>
      token !== undefined && (header !== undefined || looksLikeCredential(token))
        ? `${header ?? ''}${word ?? ''} ${marker('basic-auth')}`
        : match,
  },
];
