import type { z } from 'zod';

/**
 * Errors the domain raises on purpose. The HTTP layer maps each to an RFC 9457 problem
 * response; anything else is a bug and answers a generic 500 without details.
 */
export interface FieldError {
  path: string;
  message: string;
  /** the municipalities to choose from, when the address leaves several (routing, issue 16) */
  candidates?: Array<{ bfsNumber: number; name: string }>;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const notFound = (detail = 'Nicht gefunden') => new DomainError(404, 'Not Found', detail);
export const conflict = (detail: string, errors?: FieldError[]) => new DomainError(409, 'Conflict', detail, errors);
export const unauthorized = (detail = 'Anmeldung erforderlich') => new DomainError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'Keine Berechtigung') => new DomainError(403, 'Forbidden', detail);
export const badRequest = (detail: string, errors?: FieldError[]) => new DomainError(400, 'Bad Request', detail, errors);
export const validationFailed = (errors: FieldError[], detail = 'Die Eingaben sind ungültig') => new DomainError(422, 'Unprocessable Content', detail, errors);
export const unavailable = (detail: string) => new DomainError(503, 'Service Unavailable', detail);

/** zod's issues as field errors; "(body)" when the value as a whole is wrong. */
export const fieldErrors = (issues: z.ZodIssue[]): FieldError[] => issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));

/** The parsed value, or 422 naming each field that was wrong. */
export function parseOrFail<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error.issues));
  return parsed.data;
}
