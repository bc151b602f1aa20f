/**
 * `ludus agents`: the arena's agent accounts over its admin HTTP API: register an agent,
 * rotate its token (the old one and its open connections are refused at once), revoke it,
 * list them. Tokens are printed once; the server keeps only their hashes.
 */
import { DEFAULT_PORT } from '../../arena/main.ts';
import { parseFlags } from '../args.ts';
import { CliError, UsageError } from '../cli-error.ts';

const DEFAULT_SERVER = `http://127.0.0.1:${DEFAULT_PORT}`;
const ACTIONS = ['register', 'rotate', 'revoke', 'list'] as const;
type Action = (typeof ACTIONS)[number];

export const AGENTS_HELP = `Usage: ludus agents <register|rotate|revoke|list> [AGENT_ID] [--server URL] [--admin-token T] [--json]

Manages the agent accounts of a running arena (admin token required):

  register ID   create an agent account; prints its token (shown once)
  rotate ID     give the agent a new token; the old one stops working at once and its
                open connections are closed. Prints the new token (shown once)
  revoke ID     revoke the agent's token: refused at once, open connections closed;
                rotate to issue a new one
  list          the registered agents (revoked ones marked)

  --server URL       the arena (default ${DEFAULT_SERVER})
  --admin-token T    the admin token (default: LUDUS_ADMIN_TOKEN)
  --json             print the server's JSON answer`;

export async function agentsCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    console.log(AGENTS_HELP);
    return action ? 0 : 2;
  }
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`ludus agents: unknown action "${action}"`, `actions: ${ACTIONS.join(', ')}`);
  const needsId = action !== 'list';
  const agentId = needsId ? rest[0] : undefined;
  if (needsId && (agentId === undefined || agentId.startsWith('-')))
    throw new UsageError(`ludus agents ${action} needs an AGENT_ID`, `e.g. ludus agents ${action} my-bot`);
  const { values } = parseFlags(
    needsId ? rest.slice(1) : rest,
    {
      server: { type: 'string' },
      'admin-token': { type: 'string' },
      json: { type: 'boolean' },
    },
    'agents',
  );
  const adminToken = values['admin-token'] ?? process.env['LUDUS_ADMIN_TOKEN'];
  if (!adminToken) throw new UsageError('ludus agents needs the admin token', 'pass --admin-token or set LUDUS_ADMIN_TOKEN');
  const body = await call(values.server ?? DEFAULT_SERVER, adminToken, action as Action, agentId);
  if (values.json) console.log(JSON.stringify(body));
  else console.log(describe(action as Action, body));
  return 0;
}

async function call(server: string, adminToken: string, action: Action, agentId: string | undefined): Promise<Record<string, unknown>> {
  const id = encodeURIComponent(agentId ?? '');
  const route =
    action === 'register'
      ? { method: 'POST', path: '/api/agents', body: { agentId } }
      : action === 'rotate'
        ? { method: 'POST', path: `/api/agents/${id}/token` }
        : action === 'revoke'
          ? { method: 'DELETE', path: `/api/agents/${id}/token` }
          : { method: 'GET', path: '/api/agents' };
  let response: Response;
  try {
    response = await fetch(new URL(route.path, server), {
      method: route.method,
      headers: { authorization: `Bearer ${adminToken}`, ...('body' in route ? { 'content-type': 'application/json' } : {}) },
      ...('body' in route ? { body: JSON.stringify(route.body) } : {}),
    });
  } catch (error) {
    throw new CliError('server-unreachable', `cannot reach ${server}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = (answer['error'] ?? {}) as { code?: string; message?: string; hint?: string };
    throw new CliError('server-refused', `${server} answered ${response.status} ${error.code ?? ''}: ${error.message ?? 'no message'}`, error.hint ?? '');
  }
  return answer;
}

function describe(action: Action, body: Record<string, unknown>): string {
  if (action === 'list') {
    const agents = (body['agents'] ?? []) as { agentId: string; createdAt: string; revoked?: boolean }[];
    return agents.length === 0 ? 'no registered agents' : agents.map((a) => `${a.agentId}  ${a.createdAt}${a.revoked ? '  (revoked)' : ''}`).join('\n');
  }
  if (action === 'revoke')
    return `revoked the token of ${String(body['agentId'])}; its connections were closed (ludus agents rotate ${String(body['agentId'])} issues a new one)`;
  return `${String(body['agentId'])}: ${String(body['token'])}\n(shown once: give it to the agent process as LUDUS_AGENT_TOKEN)`;
}
