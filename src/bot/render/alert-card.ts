/**
 * The plain data an alert's root card is drawn from, and the one function that reads it off an AegisAlert.
 * Renderers see only this shape, so a change in where a fact lives (e.g. the approval report) is one edit here.
 */
import { alertDetails } from '../../core/resources/aegis-alert.js';
import { alertDisplayState, alertReference } from './alert-state.js';
import type { AlertDisplayState, AlertLike } from './alert-state.js';
import { clusterParameters, detailLinks, rankedDetails, unusableLinkDetails } from './alert-details.js';
import type { CardLink, DetailField } from './alert-details.js';
import { approvalCardFrom } from './approval-card.js';

export interface CardObject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly node?: string;
}

/** What Aegis is doing about the alert: the facts behind the card's state line. */
export interface OpsFacts {
  readonly triggerStatus?: string;
  readonly phase?: string;
  readonly workflowName?: string;
  readonly message?: string;
  readonly rule?: string;
  readonly template?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Set while approval is asked for or once it was decided. */
  readonly approval?: {
    readonly state: 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
    readonly approvals: number;
    readonly needed: number;
    readonly expiresAt?: string;
  };
}

export interface AlertCard {
  /** `namespace/name` of the AegisAlert. */
  readonly reference: string;
  readonly state: AlertDisplayState;
  readonly type: string;
  readonly severity?: string;
  readonly source?: string;
  readonly object: CardObject;
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly resolvedAt?: string;
  /** The alert's summary (or description), its lead line. */
  readonly summary?: string;
  /** Every other detail, most useful first. */
  readonly details: readonly DetailField[];
  readonly links: readonly CardLink[];
  /** System parameters such as `cluster`. */
  readonly cluster: readonly DetailField[];
  readonly ops: OpsFacts;
  /** Why it is silenced (the silence's message), for a silenced alert. */
  readonly silenced?: string;
  /** Storm group this alert belongs to. */
  readonly group?: string;
}

export interface AlertCardContext {
  /** Injected clock (ms since epoch): a pending approval past its expiry reads as expired. */
  readonly now: number;
  /** The matched rule / template (`namespace/name`) when the alert's status does not name them. */
  readonly rule?: string;
  readonly template?: string;
  readonly group?: string;
}

export function alertCardFrom(alert: AlertLike, context: AlertCardContext): AlertCard {
  const { spec, status, metadata } = alert;
  const object = spec.involvedObject ?? {};
  const cluster = clusterParameters(metadata.annotations);
  const details = alertDetails(spec);
  const ranked = [
    ...rankedDetails(details, { type: spec.type, severity: spec.severity, object, cluster }),
    ...unusableLinkDetails(details),
  ];
  const lead =
    ranked.find((field) => field.key === 'summary') ?? ranked.find((field) => field.key === 'description');
  const ops = status?.opsStatus;
  const approval = approvalCardFrom(alert, context.now);
  const silenced = status?.conditions?.find(
    (condition) => condition.type === 'Silenced' && condition.status === 'True',
  );
  return {
    reference: alertReference(alert),
    state: alertDisplayState(alert),
    type: spec.type,
    ...optional('severity', spec.severity),
    ...optional('source', spec.source),
    object: {
      ...optional('kind', object.kind),
      ...optional('name', object.name),
      ...optional('namespace', object.namespace),
      ...optional('node', object.node),
    },
    count: status?.count ?? 1,
    ...optional('firstSeen', status?.startTime ?? metadata.creationTimestamp),
    ...optional('lastSeen', status?.lastSeen),
    ...optional('resolvedAt', status?.resolvedAt),
    ...(lead === undefined ? {} : { summary: lead.value }),
    details: ranked.filter((field) => field !== lead),
    links: detailLinks(details),
    cluster,
    ops: {
      ...optional('triggerStatus', ops?.triggerStatus),
      ...optional('phase', ops?.alertOpsStatus),
      ...optional('workflowName', ops?.workflowName),
      ...optional('message', ops?.message),
      ...optional('rule', approval?.rule ?? context.rule),
      ...optional('template', approval?.template ?? context.template),
      ...optional('startedAt', ops?.startTime),
      ...optional('finishedAt', ops?.completionTime),
      ...(approval === undefined
        ? {}
        : {
            approval: {
              state: approval.state,
              approvals: approval.approvals,
              needed: approval.minApprovals,
              ...optional('expiresAt', approval.expiresAt),
            },
          }),
    },
    ...(silenced === undefined ? {} : { silenced: silenced.message ?? 'silenced' }),
    ...optional('group', context.group),
  };
}

/** `{ [key]: value }` when value is a non-empty string, else nothing (for exactOptionalPropertyTypes). */
export function optional<Key extends string>(key: Key, value: string | undefined): { [K in Key]?: string } {
  return value === undefined || value === '' ? {} : ({ [key]: value } as { [K in Key]?: string });
}
