/**
 * The intake stream: what the webhook routes write and the intake mover reads. One entry per accepted request,
 * one XADD (so accepting costs Redis about what a bare LPUSH costs), the deliveries as JSON in field `d`.
 * Entries are never trimmed by length: an entry leaves the stream only after the mover has put its deliveries
 * into BullMQ jobs (XACK + XDEL in one MULTI).
 */
import type { Redis } from 'ioredis';
import type { IngestDelivery } from './ingest-job.js';

/** The consumer group of the intake movers (every worker process runs one mover in it). */
export const intakeGroup = 'movers';

const deliveriesField = 'd';

/** Append the deliveries of one request; resolves to the entry id once Redis holds it. */
export async function appendToIntake(
  redis: Redis,
  key: string,
  deliveries: readonly IngestDelivery[],
): Promise<string> {
  const id = await redis.xadd(key, '*', deliveriesField, JSON.stringify(deliveries));
  if (id === null) throw new Error('XADD returned no id');
  return id;
}

/** Create the movers' group (from the start of the stream, creating the stream too); a no-op if it exists. */
export async function ensureIntakeGroup(redis: Redis, key: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', key, intakeGroup, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
  }
}

export interface IntakeEntry {
  id: string;
  /** Undefined when the entry could not be read (it is dropped with an error log). */
  deliveries: IngestDelivery[] | undefined;
}

/** Entries of an XREADGROUP / XAUTOCLAIM reply: `[id, [field, value, ...]]` (fields null for deleted ones). */
export function parseEntries(raw: unknown): IntakeEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: IntakeEntry[] = [];
  for (const item of raw as unknown[]) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const fields: unknown = item[1];
    let deliveries: IngestDelivery[] | undefined;
    if (Array.isArray(fields)) {
      const index = fields.indexOf(deliveriesField);
      const value: unknown = index >= 0 ? fields[index + 1] : undefined;
      deliveries = typeof value === 'string' ? decodeDeliveries(value) : undefined;
    }
    entries.push({ id: item[0], deliveries });
  }
  return entries;
}

function decodeDeliveries(value: string): IngestDelivery[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const deliveries: IngestDelivery[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { alert, deliveryId } = item as Record<string, unknown>;
    if (typeof deliveryId !== 'string' || typeof alert !== 'object' || alert === null) return undefined;
    // Written by appendToIntake from a validated Alert; only its shape is checked here.
    deliveries.push({ deliveryId, alert: alert as IngestDelivery['alert'] });
  }
  return deliveries;
}
