/**
 * Graph's error body, so the local tenant's failures look like a real tenant's to the client
 * and to anyone reading a log: {"error":{"code","message","details"?,"innerError":{...}}}.
 */
import { randomUUID } from 'node:crypto';

export interface ErrorDetail {
  code: string;
  message: string;
  target: string;
}

/** A refusal decided by pure logic; the HTTP shell adds request ids and the date. */
export interface GraphFault {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
}

export function fault(status: number, code: string, message: string, details?: ErrorDetail[]): GraphFault {
  return details ? { status, code, message, details } : { status, code, message };
}

/** `requestId` is the one the response's request-id header carries; Graph echoes the client's id, else repeats its own. */
export function errorBody(f: GraphFault, now: Date, clientRequestId: string | undefined, requestId: string = randomUUID()): unknown {
  return {
    error: {
      code: f.code,
      message: f.message,
      ...(f.details ? { details: f.details } : {}),
      innerError: {
        date: now.toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}
