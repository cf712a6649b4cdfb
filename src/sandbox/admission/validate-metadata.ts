import { isValidLabelKey, isValidLabelValue } from '../../core/label-selector.js';
import type { FieldCause, KubeObject } from '../types.js';

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const subdomainHelp =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelHelp =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export type NameRule = 'subdomain' | 'label';

export function isValidName(name: string, rule: NameRule): boolean {
  return rule === 'label' ? name.length <= 63 && dnsLabel.test(name) : name.length <= 253 && dnsSubdomain.test(name);
}

/** Field causes for a new or updated object's metadata, worded as the real API server words them. */
export function validateMetadata(object: KubeObject, rule: NameRule): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = object.metadata.name ?? '';
  if (name === '') {
    causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else if (!isValidName(name, rule)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${rule === 'label' ? labelHelp : subdomainHelp}`,
    });
  }
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
    if (!isValidLabelKey(key)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "${key}": name part must be a valid label key` });
    }
    if (typeof value !== 'string' || !isValidLabelValue(value)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `metadata.labels`,
        message: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
  }
  for (const [key, value] of Object.entries(object.metadata.annotations ?? {})) {
    if (typeof value !== 'string') {
      causes.push({ reason: 'FieldValueTypeInvalid', field: `metadata.annotations.${key}`, message: 'Invalid value: annotation values must be strings' });
    }
  }
  const annotationBytes = Object.entries(object.metadata.annotations ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (annotationBytes > 262_144) {
    causes.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' });
  }
  return causes;
}

const generatedAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** `base[:58]` plus five characters from the API server's alphabet. */
export function generateName(base: string, random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i += 1) suffix += generatedAlphabet[Math.floor(random() * generatedAlphabet.length)] ?? 'x';
  return `${base.slice(0, 58)}${suffix}`;
}
