/**
 * The intake mover: reads the intake stream in the movers' consumer group and puts the deliveries into BullMQ
 * jobs of up to `maxJobDeliveries` each, then acknowledges (XACK + XDEL, one MULTI) the entries it moved.
 * Every worker process runs one; together they move each entry at least once:
 * - an entry is acknowledged only after `addBulk` resolved, so a crash (or a failed `addBulk`) leaves it
 *   pending; this mover re-reads its own pending entries, and any mover claims entries left pending longer
 *   than `claimIdleMs` by another (crashed) one (XAUTOCLAIM);
 * - a moved-again entry is harmless: a job's id is a hash of its sorted delivery ids (the same chunk is the
 *   same job while BullMQ keeps it), and the worker applies each delivery id once (seen markers and the
 *   `aegis.io/first-delivery` annotation), whichever job it comes in.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../../core/logger.js';
import { ingestBatchJobName, intakeSequence, type IngestBatchJobData, type IngestDelivery } from './ingest-job.js';
import { ensureIntakeGroup, intakeGroup, parseEntries, type IntakeEntry } from './intake-stream.js';
import { closeRedis, connectRedis } from './redis-connections.js';

export interface IntakeMoverOptions {
  redisUrl: string;
  /** The intake stream key (`ingestKeys(...).intake`). */
  streamKey: string;
  /** Where the jobs go (the ingest queue, with its default job options). */
  queue: Queue<IngestBatchJobData>;
  logger: Logger;
  /** Entries read at once (default 200). */
  readCount?: number;
  /** Deliveries per job at most (default 100). */
  maxJobDeliveries?: number;
  /** Entries pending with another mover this long are taken over (default 30 s). */
  claimIdleMs?: number;
  /** How often to look for such entries (default 5 s, or `claimIdleMs` when shorter). */
  claimEveryMs?: number;
  /** Longest wait of one blocking read (default 2 s). */
  blockMs?: number;
  /** Pause after a failed round (default 500 ms). */
  retryMs?: number;
  /**
   * At most one move per this long (default 10 ms): entries that arrive sooner after a move wait for the rest
   * of it and go into the same jobs. A light load is moved at once; under load each BullMQ job holds several
   * deliveries, which is where its per-job Redis work (add, fetch, complete) is paid once for all of them.
   */
  lingerMs?: number;
}

export interface IntakeMover {
  /** Stop reading; waits for a move in progress. Unacknowledged entries stay pending for another mover. */
  stop(): Promise<void>;
}

interface BatchJob {
  name: string;
  data: IngestBatchJobData;
  opts: JobsOptions;
}

/** Deliveries in accepted order, cut into jobs of at most `max`; a job's id is a hash of its delivery ids. */
export function batchJobs(deliveries: readonly IngestDelivery[], max: number): BatchJob[] {
  const jobs: BatchJob[] = [];
  for (let start = 0; start < deliveries.length; start += max) {
    const chunk = deliveries.slice(start, start + max);
    const ids = chunk.map((delivery) => delivery.deliveryId).sort();
    const jobId = `batch-${createHash('sha256').update(ids.join('\n'), 'utf8').digest('hex')}`;
    jobs.push({ name: ingestBatchJobName, data: { deliveries: chunk }, opts: { jobId } });
  }
  return jobs;
}

/** `[[key, entries]]` of XREADGROUP → the entries of the one stream read. */
function entriesOf(reply: unknown): IntakeEntry[] {
  if (!Array.isArray(reply)) return [];
  const stream: unknown = reply[0];
  return Array.isArray(stream) ? parseEntries(stream[1]) : [];
}

export function startIntakeMover(options: IntakeMoverOptions): IntakeMover {
  const logger = options.logger.child({ component: 'intake-mover' });
  const key = options.streamKey;
  const readCount = options.readCount ?? 200;
  const maxJobDeliveries = options.maxJobDeliveries ?? 100;
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const claimEveryMs = options.claimEveryMs ?? Math.min(5_000, claimIdleMs);
  const blockMs = options.blockMs ?? 2_000;
  const retryMs = options.retryMs ?? 500;
  const lingerMs = options.lingerMs ?? 10;
  let lastMoveAt = 0;
  const consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const redis = connectRedis(options.redisUrl, logger);
  const blocking = connectRedis(options.redisUrl, logger, { maxRetriesPerRequest: null });
  const abort = new AbortController();
  let blockingId: number | undefined;
  let groupReady = false;
  // A new consumer has nothing pending; after a failed move, its entries are re-read from its own PEL first.
  let ownPending = false;
  let nextClaimAt = 0;

  const move = async (entries: IntakeEntry[]): Promise<number> => {
    if (entries.length === 0) return 0;
    const deliveries: IngestDelivery[] = [];
    for (const entry of entries) {
      if (entry.deliveries === undefined)
        logger.error({ entry: entry.id }, 'unreadable intake entry dropped');
      else
        deliveries.push(
          ...entry.deliveries.map((delivery, index) => ({ ...delivery, sequence: intakeSequence(entry.id, index) })),
        );
    }
    const jobs = batchJobs(deliveries, maxJobDeliveries);
    if (jobs.length > 0) await options.queue.addBulk(jobs);
    const ids = entries.map((entry) => entry.id);
    const results = await redis
      .multi()
      .xack(key, intakeGroup, ...ids)
      .xdel(key, ...ids)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (results === null || failed !== undefined) throw failed ?? new Error('intake acknowledge aborted');
    return deliveries.length;
  };

  const claimStale = async (): Promise<void> => {
    let cursor = '0-0';
    for (let round = 0; round < 50 && !abort.signal.aborted; round += 1) {
      const reply: unknown = await redis.xautoclaim(
        key,
        intakeGroup,
        consumer,
        claimIdleMs,
        cursor,
        'COUNT',
        readCount,
      );
      if (!Array.isArray(reply)) return;
      const entries = parseEntries(reply[1]);
      // Claimed entries are ours now: a failure below leaves them in our PEL (re-read first).
      ownPending = ownPending || entries.length > 0;
      const moved = await move(entries);
      if (moved > 0) logger.info({ deliveries: moved }, 'moved intake entries left by another mover');
      cursor = typeof reply[0] === 'string' ? reply[0] : '0-0';
      if (cursor === '0-0') return;
    }
  };

  const round = async (): Promise<void> => {
    if (!groupReady) {
      await ensureIntakeGroup(redis, key);
      groupReady = true;
    }
    if (Date.now() >= nextClaimAt) {
      nextClaimAt = Date.now() + claimEveryMs;
      await claimStale();
    }
    if (ownPending) {
      const own = entriesOf(
        await redis.xreadgroup('GROUP', intakeGroup, consumer, 'COUNT', readCount, 'STREAMS', key, '0'),
      );
      if (own.length > 0) {
        await move(own);
        return;
      }
      ownPending = false;
    }
    if (abort.signal.aborted) return;
    blockingId ??= Number(await blocking.client('ID'));
    const fresh = entriesOf(
      await blocking.xreadgroup(
        'GROUP',
        intakeGroup,
        consumer,
        'COUNT',
        readCount,
        'BLOCK',
        blockMs,
        'STREAMS',
        key,
        '>',
      ),
    );
    ownPending = fresh.length > 0;
    const wait = lastMoveAt + lingerMs - Date.now();
    if (fresh.length > 0 && fresh.length < readCount && wait > 0) {
      // A move was made moments ago: let more entries arrive and move them together.
      await sleep(wait);
      fresh.push(
        ...entriesOf(
          await redis.xreadgroup(
            'GROUP',
            intakeGroup,
            consumer,
            'COUNT',
            readCount - fresh.length,
            'STREAMS',
            key,
            '>',
          ),
        ),
      );
    }
    if (fresh.length > 0) lastMoveAt = Date.now();
    await move(fresh);
    ownPending = false;
  };

  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        await round();
      } catch (error) {
        if (abort.signal.aborted) break;
        const reason = error instanceof Error ? error.message : String(error);
        // The stream (and its group) can disappear, e.g. FLUSHDB in a test: create it again.
        if (reason.includes('NOGROUP')) groupReady = false;
        logger.warn({ err: reason }, 'intake move failed; retrying');
        try {
          await sleep(retryMs, undefined, { signal: abort.signal });
        } catch {
          // aborted: stop() was called
        }
      }
    }
  })();

  return {
    async stop() {
      if (!abort.signal.aborted) {
        abort.abort();
        // Wake a blocked read (repeatedly: the loop may be just about to block).
        const unblock = async (): Promise<void> => {
          if (blockingId === undefined || redis.status !== 'ready') return;
          try {
            await redis.client('UNBLOCK', blockingId);
          } catch {
            // nothing blocked, or the connection is gone: the read ends on its own within blockMs
          }
        };
        const timer = setInterval(() => void unblock(), 50);
        try {
          await unblock();
          await loop;
        } finally {
          clearInterval(timer);
        }
      }
      await loop;
      await closeRedis(blocking);
      await closeRedis(redis);
    },
  };
}
