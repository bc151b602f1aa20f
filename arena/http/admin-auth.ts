/**
 * The admin token guard of the HTTP API (creating matches, registering agents, full replays):
 * `Authorization: Bearer <token>` (the scheme in any case, RFC 9110), compared in constant
 * time through fixed-length digests. A short admin token is refused at startup.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { errorClass } from '../../envs/index.ts';
import { HttpError } from './http-errors.ts';

/** Shortest admin token the server accepts (generated ones have 32 random characters after the prefix). */
export const MIN_ADMIN_TOKEN_CHARS = 16;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A fresh random token (admin and agent credentials). */
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** The admin token's catalog: a startup error, the operator's bad input (CLI exit 2). */
export class AdminTokenError extends errorClass<'bad-admin-token'>('AdminTokenError', {
  'bad-admin-token': 'the admin token is too short to resist guessing (at least 16 characters)',
}) {}

/** Throws 'bad-admin-token' (a startup error, CLI exit 2) for an admin token too short to resist guessing. */
export function checkAdminToken(token: string): void {
  if (token.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new AdminTokenError(
      'bad-admin-token',
      `the admin token has ${token.length} characters; at least ${MIN_ADMIN_TOKEN_CHARS} are required`,
      'set LUDUS_ADMIN_TOKEN to a long random string (e.g. `openssl rand -base64 32`), or leave it unset to get a generated one',
    );
  }
}

/** The token of an `Authorization: Bearer <token>` header; undefined for none or another scheme. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

export type AdminGuard = (request: FastifyRequest) => Promise<void>;

export interface AdminAuth {
  /** An onRequest hook (it runs before the body is parsed) letting a request through only with the admin token. */
  readonly guard: AdminGuard;
  /** Whether the request carries the admin token (routes that serve more to the operator). */
  readonly isAdmin: (request: FastifyRequest) => boolean;
}

export function adminAuth(adminToken: string): AdminAuth {
  checkAdminToken(adminToken);
  const expected = digest(adminToken);
  const matches = (given: string): boolean => timingSafeEqual(digest(given), expected);
  return {
    isAdmin: (request) => {
      const given = bearerToken(request.headers.authorization);
      return given !== undefined && matches(given);
    },
    guard: async (request) => {
      const given = bearerToken(request.headers.authorization);
      if (given === undefined) {
        throw new HttpError(401, 'unauthorized', 'this route needs the admin token', 'send "Authorization: Bearer <LUDUS_ADMIN_TOKEN>"');
      }
      if (!matches(given)) {
        throw new HttpError(401, 'unauthorized', 'wrong admin token', 'use the token the server printed at startup or LUDUS_ADMIN_TOKEN');
      }
    },
  };
}

/** The guard alone (kept for callers that need no `isAdmin`). */
export const adminGuard = (adminToken: string): AdminGuard => adminAuth(adminToken).guard;
