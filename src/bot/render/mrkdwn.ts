/**
 * Slack mrkdwn helpers. Text that comes from an alert, a rule or a user is data: `&`, `<` and `>` are escaped
 * so it can never become a link, a mention (`<!channel>`) or a date token. Everything here is pure.
 */

export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)\b/gi, '@\u2060$1');
}

/**
 * A Slack link to an http(s) URL (checked by the caller) with our own label: the URL's `&` is escaped and the
 * characters that would end or split the link token are percent-encoded, so the URL cannot smuggle a label.
 */
export function slackLink(url: string, label: string): string {
  const safe = url
    .replace(/&/g, '&amp;')
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\s/g, '%20');
  return `<${safe}|${escapeMrkdwn(label)}>`;
}

/** Inline code: escaped, with backticks replaced so the value cannot close the span. */
export function inlineCode(text: string): string {
  const safe = escapeMrkdwn(text).replace(/`/g, 'ˋ');
  return safe === '' ? '`-`' : `\`${safe}\``;
}

/** Escaped text cut to at most `limit` characters (of the escaped form), never inside an entity or a pair. */
export function truncateEscaped(text: string, limit: number): { text: string; truncated: boolean } {
  // The escaped form is never shorter than the raw text: look at no more of a huge value than can fit.
  const head = text.length > limit + 16 ? text.slice(0, limit + 16) : text;
  const neutralised = head.replace(/@(here|channel|everyone)\b/gi, '@\u2060$1');
  let out = '';
  for (const character of neutralised) {
    const piece =
      character === '&' ? '&amp;' : character === '<' ? '&lt;' : character === '>' ? '&gt;' : character;
    if (out.length + piece.length > limit) return { text: out, truncated: true };
    out += piece;
  }
  return { text: out, truncated: head.length < text.length };
}

/** Escaped one-line text cut to `limit` characters with an ellipsis. */
export function shortText(text: string, limit = 200): string {
  const head = text.length > limit * 4 ? text.slice(0, limit * 4) : text;
  const oneLine = head.replace(/\s+/g, ' ').trim();
  const { text: cut, truncated } = truncateEscaped(oneLine, limit);
  return truncated || head.length < text.length ? `${cut}…` : cut;
}

/** A Slack date token: every reader sees it in their own time zone; `fallback` is shown by old clients. */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(millis / 1000)}^${format}|${escapeMrkdwn(new Date(millis).toISOString())}>`;
}

/** "3m 20s", "2h 5m", "1d 4h": a duration for people. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A user reference: a Slack user id becomes a mention, anything else (a CLI user name) stays text. */
export function personReference(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : escapeMrkdwn(who);
}
