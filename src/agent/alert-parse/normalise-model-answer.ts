/**
 * What many OpenAI-compatible servers answer when they ignore `response_format: json_schema` (older vLLM, Ollama
 * without a grammar, proxies), brought to the schema's shape where it has one clear meaning:
 *
 * - prose or code fences around one JSON value → that value;
 * - one alert object, `{alerts: {…}}` or a bare list → `{alerts: [...]}`;
 * - a nullable field left out → `null`; `details` left out or `null` → `[]`;
 * - `details` as a map `{key: value}` → key/value pairs; a number or boolean where text belongs → its text;
 * - `status` in another case (`firing`) → `Firing`.
 *
 * Anything without one clear meaning (no `type`, no object name, an unknown status) is left for the schema to
 * refuse with its reason.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON value in the answer: the whole text, else the text inside fences, else the outermost {…} or […]. */
export function extractJson(answer: string): unknown {
  const attempts = [answer.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(answer);
  if (fenced?.[1] !== undefined) attempts.push(fenced[1].trim());
  for (const [open, close] of [
    ['{', '}'],
    ['[', ']'],
  ] as const) {
    const start = answer.indexOf(open);
    const end = answer.lastIndexOf(close);
    if (start >= 0 && end > start) attempts.push(answer.slice(start, end + 1));
  }
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

function text(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

function nullableText(value: unknown): unknown {
  return value === undefined ? null : text(value);
}

function details(value: unknown): unknown {
  if (value === undefined || value === null) return [];
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => ({
        key,
        value: typeof item === 'string' ? item : JSON.stringify(item),
      }));
  }
  if (Array.isArray(value)) {
    return value.map((pair: unknown) =>
      isObject(pair) ? { ...pair, key: text(pair['key']), value: text(pair['value']) } : pair,
    );
  }
  return value;
}

function status(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return lower === 'firing' ? 'Firing' : lower === 'resolved' ? 'Resolved' : value;
}

function alert(value: unknown): unknown {
  if (!isObject(value)) return value;
  const involved = value['involvedObject'];
  return {
    ...value,
    status: status(value['status']),
    involvedObject: isObject(involved)
      ? {
          ...involved,
          name: text(involved['name']),
          namespace: nullableText(involved['namespace']),
          node: nullableText(involved['node']),
        }
      : involved,
    details: details(value['details']),
    fingerprint: nullableText(value['fingerprint']),
    severity: nullableText(value['severity']),
    startsAt: nullableText(value['startsAt']),
  };
}

/** The answer as `{alerts: [...]}` with the lenient readings above applied. */
export function normaliseModelAnswer(parsed: unknown): unknown {
  let alerts: unknown;
  if (Array.isArray(parsed)) alerts = parsed;
  else if (isObject(parsed) && 'alerts' in parsed)
    alerts = isObject(parsed['alerts']) ? [parsed['alerts']] : parsed['alerts'];
  else if (isObject(parsed) && ('type' in parsed || 'involvedObject' in parsed)) alerts = [parsed];
  else return parsed;
  return { alerts: Array.isArray(alerts) ? alerts.map(alert) : alerts };
}
