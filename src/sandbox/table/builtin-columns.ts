import type { KubeObject } from '../types.js';
import { creationTimestampDescription, objectMetaNameDescription } from './column-descriptions.js';
import { eventConverter } from './event-columns.js';
import { ageSince } from './human-duration.js';
import { nodeConverter } from './node-columns.js';
import { podConverter } from './pod-columns.js';
import { countOf, recordOf, stringOf } from './read-fields.js';
import { column, type TableColumnDefinition, type TableCell, type TableConverter } from './table-types.js';

const nameColumn = column('Name', 'string', objectMetaNameDescription, { format: 'name' });
const ageColumn = column('Age', 'string', creationTimestampDescription);

/** NAME, the given middle columns, AGE: the shape most built-in printers share. */
function nameMiddleAge(
  middle: readonly TableColumnDefinition[],
  cells: (object: KubeObject) => TableCell[],
): TableConverter {
  return {
    columnDefinitions: [nameColumn, ...middle, ageColumn],
    cells: (object, now) => [
      object.metadata.name ?? '',
      ...cells(object),
      ageSince(object.metadata.creationTimestamp, now),
    ],
  };
}

const namespaceConverter = nameMiddleAge(
  [column('Status', 'string', 'The status of the namespace')],
  (namespace) => [stringOf(recordOf(namespace['status'])['phase'])],
);

const configMapConverter = nameMiddleAge(
  [
    column(
      'Data',
      'string',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
  ],
  (configMap) => [countOf(configMap['data']) + countOf(configMap['binaryData'])],
);

const secretConverter = nameMiddleAge(
  [
    column(
      'Type',
      'string',
      'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
    ),
    column(
      'Data',
      'string',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
  ],
  (secret) => [stringOf(secret['type']), countOf(secret['data'])],
);

const serviceAccountConverter = nameMiddleAge(
  [
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. More info: https://kubernetes.io/docs/concepts/configuration/secret',
    ),
  ],
  (serviceAccount) => [countOf(serviceAccount['secrets'])],
);

const leaseConverter = nameMiddleAge(
  [column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.')],
  (lease) => [stringOf(recordOf(lease['spec'])['holderIdentity'])],
);

/** The generic registry convertor kube-apiserver uses for CRDs: NAME and CREATED AT (RFC 3339, UTC). */
const customResourceDefinitionConverter: TableConverter = {
  columnDefinitions: [nameColumn, column('Created At', 'date', creationTimestampDescription)],
  cells(crd): TableCell[] {
    const created = crd.metadata.creationTimestamp;
    const time = created === undefined ? Number.NaN : Date.parse(created);
    return [
      crd.metadata.name ?? '',
      Number.isNaN(time) ? '0001-01-01T00:00:00Z' : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ];
  },
};

const converters: Record<string, TableConverter> = {
  Namespace: namespaceConverter,
  Node: nodeConverter,
  Pod: podConverter,
  Event: eventConverter,
  ConfigMap: configMapConverter,
  Secret: secretConverter,
  ServiceAccount: serviceAccountConverter,
  Lease: leaseConverter,
  CustomResourceDefinition: customResourceDefinitionConverter,
};

/** The server-side printer of a built-in kind, or undefined when the sandbox has none for it. */
export function builtinConverter(kind: string): TableConverter | undefined {
  return Object.hasOwn(converters, kind) ? converters[kind] : undefined;
}
