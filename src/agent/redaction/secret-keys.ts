/**
 * Whether a field name (`DB_PASSWORD`, `slackBotToken`, `"client_secret"`, `x-api-key`) names a secret, and
 * which kind of secret. The name is split into words (camelCase, `_`, `-`, `.`, spaces); it is secret when its
 * LAST word (or last two or three words joined) is a secret word. So `secretName`, `secretKeyRef`,
 * `prompt_tokens`, `token_bucket_size`, `passwordFile` and `bypass` are ordinary names (their values are names,
 * counts or paths that a diagnosis needs), while `password`, `aws_secret_access_key`, `github_token`,
 * `X-Api-Key`, `tls.key` and `auth` are secret. A secret word glued to the end of the last word (`PGPASSWORD`,
 * `sessiontoken`) and `pwd`/`auth` as the last part of a longer name (`MYSQL_PWD`, `X-Auth`) count too.
 */

const singleWords = new Map<string, string>([
  ['password', 'password'],
  ['passwd', 'password'],
  ['pass', 'password'],
  ['passphrase', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['credential', 'credential'],
  ['credentials', 'credential'],
  ['apikey', 'api-key'],
  ['accesskey', 'access-key'],
  ['secretkey', 'secret-key'],
  ['privatekey', 'private-key'],
  ['accountkey', 'access-key'],
  ['clientsecret', 'secret'],
  ['authorization', 'authorization'],
  ['cookie', 'cookie'],
  ['signature', 'signature'],
]);

/** Short words that are secret as the last part of a longer name (`MYSQL_PWD`, `X-Auth`), not alone in prose. */
const lastParts = new Map<string, string>([
  ['pwd', 'password'],
  ['auth', 'credential'],
]);

/** Secret words glued to the end of a name's last word (`PGPASSWORD`, `dbpasswd`, `apisecret`, `sessiontoken`). */
const secretSuffixes: ReadonlyArray<[string, string]> = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['apikey', 'api-key'],
];

/** Words that count only as the whole name (too common inside longer names). */
const wholeNames = new Map<string, string>([
  ['auth', 'credential'],
  ['sig', 'signature'],
  ['pwd', 'password'],
]);

const compounds = new Map<string, string>([
  ['apikey', 'api-key'],
  ['accesskey', 'access-key'],
  ['secretkey', 'secret-key'],
  ['privatekey', 'private-key'],
  ['accountkey', 'access-key'],
  ['sharedaccesskey', 'access-key'],
  ['clientsecret', 'secret'],
  ['clientkey', 'private-key'],
  ['masterkey', 'secret-key'],
  ['encryptionkey', 'secret-key'],
  ['signingkey', 'secret-key'],
  ['sessionkey', 'secret-key'],
  ['tlskey', 'private-key'],
  ['sshkey', 'private-key'],
  ['dbpwd', 'password'],
  ['keydata', 'private-key'],
]);

/** Characters of a name's end that are split into words. */
const maxNameTail = 128;

/** `slackBotToken` → [slack, bot, token]; `AWS_SECRET_ACCESS_KEY` → [aws, secret, access, key]. */
export function nameWords(name: string): string[] {
  // Only the last words matter (see secretKindOfName); a bounded tail keeps the splitting linear.
  return name
    .slice(-maxNameTail)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.replace(/\d+$/, ''))
    .filter((word) => word !== '');
}

/** The redaction kind for a secret field name (`password`, `token`, `api-key`, ...), or undefined. */
export function secretKindOfName(name: string): string | undefined {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined) return undefined;
  if (words.length === 1) {
    const whole = wholeNames.get(last);
    if (whole !== undefined) return whole;
  }
  const single = singleWords.get(last);
  if (single !== undefined) return single;
  // A secret word as the last PART of a name: MYSQL_PWD, X-Auth, PGPASSWORD, DBPASS_SECRET, appToken.
  if (words.length > 1) {
    const part = lastParts.get(last);
    if (part !== undefined) return part;
  }
  for (const [suffix, kind] of secretSuffixes)
    if (last.length > suffix.length && last.endsWith(suffix)) return kind;
  for (const count of [2, 3]) {
    if (words.length < count) continue;
    const joined = words.slice(-count).join('');
    const kind = compounds.get(joined);
    if (kind !== undefined) return kind;
  }
  return undefined;
}
