/**
 * Every HTTP error answer is `{error: {code, message, hint}}` with a code from the arena or
 * envs catalogs. Typed errors thrown by routes map onto a status here; fastify's own errors
 * (schema validation, body too large, bad JSON, unknown route) are translated the same way.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorInfo, LudusError } from '../../envs/index.ts';
import { ArenaError, bareMessage } from '../arena-error.ts';
import { httpStatusOf, isArenaErrorCode, type ArenaErrorCode } from '../../protocol/errors.ts';
import type { HttpErrorBody } from '../../protocol/http-api.ts';

/** A typed error that also says which HTTP status it is. */
export class HttpError extends ArenaError {
  readonly status: number;

  constructor(status: number, code: ArenaErrorCode, message: string, hint = '') {
    super(code, message, hint);
    this.name = 'HttpError';
    this.status = status;
  }
}

export function errorBody(code: string, message: string, hint = ''): HttpErrorBody {
  return { error: { code, message, hint } };
}

/** Any typed (LudusError) failure is the caller's input: 4xx with its own code. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof HttpError) return reply.code(error.status).send(errorBody(error.code, bareMessage(error), error.hint));
  if (error instanceof LudusError) {
    // Wire codes carry their status in protocol/errors.ts; other modules' codes in their catalogs.
    const status = isArenaErrorCode(error.code) ? httpStatusOf(error.code) : (errorInfo(error.code)?.status ?? 400);
    return reply.code(status).send(errorBody(error.code, bareMessage(error), error.hint));
  }
  const fastifyError = error as Partial<FastifyError>;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = fastifyError.validationContext ?? 'request';
    const problems = error.validation.map((v) => `${where}${v.instancePath.replace(/\//g, '.').replace(/\.$/, '')}: ${v.message}`);
    return reply.code(400).send(errorBody('bad-request', problems.join('; '), 'fix the named fields (see GET /docs/json)'));
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send(errorBody('payload-too-large', 'the request body is over the size limit', 'send at most 64 KiB'));
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply.code(status).send(errorBody('bad-request', fastifyError.message ?? 'bad request', 'check the request against GET /docs/json'));
  }
  reply.log.error(error);
  return reply.code(500).send(errorBody('internal', 'the server failed to handle this request', 'retry later; if it persists, report it'));
}

/** `fallback` may answer an unmatched request first (the web viewer's index.html for page-like GETs). */
export function installErrorHandlers(app: FastifyInstance, fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined): void {
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler(
    (request, reply) =>
      fallback?.(request, reply) ??
      reply.code(404).send(errorBody('not-found', `no route ${request.method} ${request.url.split('?')[0]}`, 'see GET /docs/json for the routes')),
  );
}
