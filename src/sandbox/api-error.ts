import type { FieldCause } from './types.js';

/** A Kubernetes `Status` failure. Every error the sandbox answers with is one of these. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: FieldCause[];
      retryAfterSeconds?: number;
    },
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.code,
    };
  }
}

/** `workflows.argoproj.io` for custom groups, `pods` for the core group, as the API server names resources. */
export function qualifiedResource(plural: string, group: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export const apiErrors = {
  notFound(plural: string, group: string, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, {
      name,
      ...(group === '' ? {} : { group }),
      kind: plural,
    });
  },
  alreadyExists(plural: string, group: string, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, {
      name,
      ...(group === '' ? {} : { group }),
      kind: plural,
    });
  },
  conflict(plural: string, group: string, name: string, why?: string): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ${
        why ?? 'the object has been modified; please apply your changes to the latest version and try again'
      }`,
      { name, ...(group === '' ? {} : { group }), kind: plural },
    );
  },
  invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiError {
    const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
    const parts = causes.map((c) => `${c.field}: ${c.message}`);
    const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
      name,
      ...(group === '' ? {} : { group }),
      kind,
      causes,
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  methodNotAllowed(message: string): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  unsupportedMediaType(message: string): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', message);
  },
  gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  tooManyRequests(message: string): ApiError {
    return new ApiError(429, 'TooManyRequests', message);
  },
  requestTooLarge(message: string): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', message);
  },
};
