/** HTTP statuses a patch engine reports, matching the real API server: bad body, too many ops, op not applicable. */
export type PatchErrorStatus = 400 | 413 | 422;

/** A patch that cannot be decoded or applied. The PATCH handler turns it into a Kubernetes `Status`. */
export class PatchError extends Error {
  constructor(
    readonly status: PatchErrorStatus,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}
