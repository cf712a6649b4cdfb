import type { KubeObject } from '../types.js';
import { objectMetaNameDescription } from './column-descriptions.js';
import { ageSince } from './human-duration.js';
import { numberOf, recordOf, stringOf } from './read-fields.js';
import { column, type TableCell, type TableConverter } from './table-types.js';

const eventColumns = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  column(
    'Subobject',
    'string',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    { priority: 1 },
  ),
  column(
    'Source',
    'string',
    'The component reporting this event. Should be a short machine understandable string.',
    {
      priority: 1,
    },
  ),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column(
    'First Seen',
    'string',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    {
      priority: 1,
    },
  ),
  column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
  column('Name', 'string', objectMetaNameDescription, { format: 'name', priority: 1 }),
];

const present = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * Events (core/v1, or events.k8s.io/v1 read through their deprecated* fields): LAST SEEN TYPE REASON OBJECT
 * MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME, in the wide printer's cell order.
 */
export const eventConverter: TableConverter = {
  columnDefinitions: eventColumns,
  cells(event: KubeObject, now): TableCell[] {
    const involved = recordOf(event['involvedObject'] ?? event['regarding']);
    const source = recordOf(event['source'] ?? event['deprecatedSource']);
    const series =
      event['series'] === undefined || event['series'] === null ? undefined : recordOf(event['series']);
    const firstTimestamp = event['firstTimestamp'] ?? event['deprecatedFirstTimestamp'];
    const lastTimestamp = event['lastTimestamp'] ?? event['deprecatedLastTimestamp'];
    const firstSeen = present(firstTimestamp)
      ? ageSince(firstTimestamp, now)
      : ageSince(event['eventTime'], now);
    let lastSeen = present(lastTimestamp) ? ageSince(lastTimestamp, now) : firstSeen;
    let count = numberOf(event['count'] ?? event['deprecatedCount']);
    if (series !== undefined) {
      lastSeen = ageSince(series['lastObservedTime'], now);
      count = numberOf(series['count']);
    } else if (count === 0) {
      count = 1;
    }
    const kind = stringOf(involved['kind']).toLowerCase();
    const name = stringOf(involved['name']);
    const component = stringOf(source['component']) || stringOf(event['reportingController']);
    const instance = stringOf(source['host']) || stringOf(event['reportingInstance']);
    return [
      lastSeen,
      stringOf(event['type']),
      stringOf(event['reason']),
      name === '' ? kind : `${kind}/${name}`,
      stringOf(involved['fieldPath']),
      instance === '' ? component : `${component}, ${instance}`,
      stringOf(event['message'] ?? event['note']).trim(),
      firstSeen,
      count,
      event.metadata.name ?? '',
    ];
  },
};
