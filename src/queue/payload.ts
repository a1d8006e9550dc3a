/**
 * What a queued job carries and what it gives back, as plain JSON, validated on arrival like a config
 * file: a worker never trains on a payload that another program (or another gblend version) put on the
 * queue without checking it first, and the coordinator checks what a worker returned.
 */
import { z } from 'zod';
import { describeIssue } from '../config/issues.js';
import { trainConfigSchema } from '../config/schema.js';
import { UserError } from '../core/user-error.js';
import type { SeedResult } from '../report/results.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';

/** One (method, seed) run of a grid. */
export const runPayloadSchema = z
  .object({
    version: z.literal(1).describe('payload format'),
    grid: z.string().regex(/^[0-9a-f]{16}$/).describe('the grid (comparison) the run belongs to'),
    index: z.number().int().min(0).describe('the run\'s place in the comparison'),
    name: z.string().min(1).describe('the run\'s name in the comparison: its method, or method@fusion'),
    data: z.string().min(1).describe('the dataset: a built-in name or a path every worker can read'),
    dataHash: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the dataset\'s files on the coordinator'),
    backend: z.enum(['native', 'wasm', 'cpu']).describe('the backend the coordinator resolved; every run of a grid uses it'),
    config: trainConfigSchema,
  })
  .strict();

export type RunPayload = z.infer<typeof runPayloadSchema>;

const headMetricsSchema = z.object({ acc: z.number(), top5: z.number().optional(), macro_f1: z.number() }).strict();

/** A finished run: its result and its whole run log (JSONL), which the coordinator writes locally. */
export const runOutputSchema = z
  .object({
    result: z.object({
      method: z.string(),
      seed: z.number().int(),
      weights: z.record(z.string(), z.number()),
      test: z.record(z.string(), headMetricsSchema),
      seconds: z.number(),
    }).strict(),
    log: z.string(),
  })
  .strict();

export interface RunOutput {
  result: SeedResult;
  log: string;
}

export class PayloadError extends UserError {
  constructor(message: string) {
    super('bad_job', message);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { text } = describeIssue(result.error.issues[0]!, value);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new PayloadError(`${what}: ${text}${more}`);
}

/**
 * The payload, checked; its objects keep the sender's key order (validation rebuilds them in the
 * schema's), since the run log records the config as JSON and must read as a local run's does.
 */
export function parseRunPayload(value: unknown, jobId: string): RunPayload {
  return inOrderOf(value, parse(runPayloadSchema, value, `queued job '${jobId}' is not a gblend run`));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function inOrderOf<T>(sent: unknown, checked: T): T {
  if (!isPlainObject(sent) || !isPlainObject(checked)) return checked;
  const keys = [...Object.keys(sent).filter((k) => k in checked), ...Object.keys(checked).filter((k) => !(k in sent))];
  return Object.fromEntries(keys.map((k) => [k, inOrderOf(sent[k], checked[k])])) as T;
}
// The schema checks every field of a SeedResult; only `top5?: number` reads as `number | undefined` to zod.
export const parseRunOutput = (value: unknown, jobId: string): RunOutput => parse(runOutputSchema, value, `queued job '${jobId}' returned something that is not a gblend result`) as RunOutput;

/** What a worker reports while a run trains (BullMQ job progress): the run's events, for the coordinator's display. */
export type RunProgress = { kind: 'event'; event: RunEvent } | { kind: 'progress'; progress: ProgressEvent };

export function isRunProgress(value: unknown): value is RunProgress {
  const v = value as { kind?: unknown; event?: unknown; progress?: unknown } | null;
  return typeof v === 'object' && v !== null && ((v.kind === 'event' && typeof v.event === 'object') || (v.kind === 'progress' && typeof v.progress === 'object'));
}

/**
 * A failed job's reason as BullMQ keeps it (one string): the error's message and its UserError code, so
 * that the coordinator reports a user error (a dataset that differs, a diverged run) as one.
 */
export const encodeFailure = (message: string, code: string | null): string => JSON.stringify({ gblend: 1, code, message });

export function decodeFailure(reason: string): { message: string; code: string | null } {
  try {
    const v = JSON.parse(reason) as { gblend?: unknown; code?: unknown; message?: unknown };
    if (v.gblend === 1 && typeof v.message === 'string') return { message: v.message, code: typeof v.code === 'string' ? v.code : null };
  } catch {
    // Not ours: BullMQ's own (a job stalled too often) or another program's.
  }
  return { message: reason, code: null };
}
