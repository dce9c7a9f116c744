/**
 * A dependency (the Zeebe engine) cannot be reached right now. The HTTP layer answers 503 with
 * Retry-After instead of 500: the request was fine and may be repeated as it is.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options);
  }
}
