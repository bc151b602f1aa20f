/**
 * The admin token guard of the HTTP API (creating matches, registering agents):
 * `Authorization: Bearer <token>`, compared in constant time through fixed-length digests.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.ts';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A fresh random token (admin and agent credentials). */
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;

export type AdminGuard = (request: FastifyRequest) => Promise<void>;

/** An onRequest hook (it runs before the body is parsed) letting a request through only with the admin token. */
export function adminGuard(adminToken: string): AdminGuard {
  const expected = digest(adminToken);
  return async (request) => {
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (given === undefined || given === '') {
      throw new HttpError(401, 'unauthorized', 'this route needs the admin token', 'send "Authorization: Bearer <LUDUS_ADMIN_TOKEN>"');
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, 'unauthorized', 'wrong admin token', 'use the token the server printed at startup or LUDUS_ADMIN_TOKEN');
    }
  };
}
