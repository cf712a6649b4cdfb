/**
 * An alert's details as an on-call engineer wants them: links (runbook, dashboard, the graph that fired) apart,
 * facts the card already shows elsewhere left out, and the rest ranked so the most useful come first: the
 * human text (summary, description), then the specific facts of this alert (an `xid`, a `mountpoint`), then
 * the generic scrape labels every alert carries (`job`, `instance`, `endpoint`). Pure.
 */

export interface DetailField {
  readonly key: string;
  readonly value: string;
}

export interface CardLink {
  /** Our own words, never alert data: "Runbook", "Dashboard", "Source". */
  readonly label: string;
  /** An http(s) URL, as the alert gave it. */
  readonly url: string;
}

/** Detail keys that hold links, in the order they are shown, with the label each gets. */
const linkKeys: readonly (readonly [string, string])[] = [
  ['runbook_url', 'Runbook'],
  ['runbook', 'Runbook'],
  ['dashboard', 'Dashboard'],
  ['dashboard_url', 'Dashboard'],
  ['dashboardURL', 'Dashboard'],
  ['grafana', 'Grafana'],
  ['grafana_url', 'Grafana'],
  ['grafana_dashboard', 'Grafana'],
  ['panelURL', 'Panel'],
  ['generatorURL', 'Source'],
];
const linkKeySet = new Set(linkKeys.map(([key]) => key));

/** Human text about the alert, shown first (the summary also as the card's lead line). */
const leadKeys = ['summary', 'description', 'message'];

/** Labels every scraped alert carries: shown after the facts specific to this alert. */
const genericKeys = new Set([
  'job',
  'instance',
  'endpoint',
  'service',
  'prometheus',
  'container',
  'uid',
  'uuid',
  'fingerprint',
  'grafana_folder',
  'receiver',
  'env',
]);

/** Values shorter than this read as facts and are ranked before longer ones within a tier. */
const shortValue = 40;

export interface DetailsContext {
  readonly type: string;
  readonly severity?: string | undefined;
  readonly object: {
    readonly kind?: string | undefined;
    readonly name?: string | undefined;
    readonly namespace?: string | undefined;
    readonly node?: string | undefined;
  };
  /** System parameters (e.g. `cluster`), shown on their own. */
  readonly cluster: readonly DetailField[];
}

/** Details the card shows anyway (type, severity, object, cluster): not repeated as fields. */
function shownElsewhere(key: string, value: string, context: DetailsContext): boolean {
  if (key === 'alertname') return value === context.type;
  if (key === 'severity') return value === context.severity;
  if (key === 'kind' || key === 'involved_object_kind')
    return value.toLowerCase() === context.object.kind?.toLowerCase();
  if (key === 'node' || key === 'instance')
    return value === context.object.node || value === context.object.name;
  if (key === 'pod' || key === 'involved_object_name') return value === context.object.name;
  if (key === 'namespace') return value === context.object.namespace;
  return context.cluster.some((field) => field.key === key && field.value === value);
}

function tier(key: string): number {
  const lead = leadKeys.indexOf(key);
  if (lead >= 0) return lead;
  return genericKeys.has(key) ? 20 : 10;
}

/** The ranked details to show as fields (links and repeats left out). */
export function rankedDetails(
  details: Readonly<Record<string, string>>,
  context: DetailsContext,
): DetailField[] {
  return Object.entries(details)
    .filter(
      ([key, value]) => value.trim() !== '' && !linkKeySet.has(key) && !shownElsewhere(key, value, context),
    )
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => {
      const byTier = tier(a.key) - tier(b.key);
      if (byTier !== 0) return byTier;
      const byLength = Number(a.value.length > shortValue) - Number(b.value.length > shortValue);
      if (byLength !== 0) return byLength;
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
}

/** The links an alert carries (http and https only; anything else is left among the details). */
export function detailLinks(details: Readonly<Record<string, string>>): CardLink[] {
  const links: CardLink[] = [];
  const seen = new Set<string>();
  for (const [key, label] of linkKeys) {
    const value = details[key];
    if (value === undefined || !Object.hasOwn(details, key)) continue;
    const url = safeUrl(value);
    if (url === undefined || seen.has(url)) continue;
    seen.add(url);
    links.push({ label, url });
  }
  return links;
}

/** Detail values of link keys that are not usable links (shown as plain details instead). */
export function unusableLinkDetails(details: Readonly<Record<string, string>>): DetailField[] {
  return linkKeys
    .filter(([key]) => Object.hasOwn(details, key) && safeUrl(details[key] ?? '') === undefined)
    .map(([key]) => ({ key, value: details[key] ?? '' }))
    .filter((field) => field.value.trim() !== '');
}

const maxUrlLength = 2_000;

/**
 * The URL when it is an absolute http(s) URL, normalised by the WHATWG parser; otherwise undefined. The
 * characters that end or split a Slack link (`|`, `<`, `>`) are percent-encoded by the caller's link helper.
 */
export function safeUrl(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length > maxUrlLength) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username !== '' || url.password !== '') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/** System parameters from the AegisAlert's annotations: those without a `domain/` prefix (e.g. `cluster`). */
export function clusterParameters(annotations: Readonly<Record<string, string>> | undefined): DetailField[] {
  return Object.entries(annotations ?? {})
    .filter(([key, value]) => !key.includes('/') && value !== '')
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
