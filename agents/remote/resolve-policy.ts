/**
 * What `ludus agent --policy P` plays, as one agent spec: P is a model folder (played by the
 * `neural` kind), an agent spec string (`random`, `cfr:iterations=500`), or the agentId of a
 * league member on the server, whose stored agent spec is fetched from
 * `GET /api/leagues` + `GET /api/league/members?league=NAME`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentError, UnknownAgentError } from '../errors.ts';
import { agentKinds, AgentSpecSchema, parseAgentSpecs, type AgentSpec } from '../registry.ts';
import { readManifest } from '../runtime/model-manifest.ts';
import { RemoteAgentError } from './ludus-agent-client.ts';

export interface ResolvedPolicy {
  readonly spec: AgentSpec;
  readonly source: 'model' | 'spec' | 'member';
  /** For a member: the league it was found in. */
  readonly league?: string;
}

export interface ResolvePolicyOptions {
  /** The arena (http://host:port), for member lookups. */
  readonly serverUrl: string;
  /** Look the member up in this league only; default: every league on the server. */
  readonly league?: string;
  readonly fetch?: typeof fetch;
}

interface MemberView {
  readonly agentId: string;
  readonly agent: { readonly kind: string; readonly options?: Record<string, unknown> };
}

export async function resolvePolicy(policy: string, options: ResolvePolicyOptions): Promise<ResolvedPolicy> {
  const text = policy.trim();
  if (text === '') throw new AgentError('bad-agent-options', '--policy is empty', 'give a model folder, an agent spec or a league member agentId');
  if (existsSync(text) && statSync(text).isDirectory()) {
    const dir = resolve(text);
    readManifest(dir); // a folder that is not a model fails here, with what it lacks
    return { spec: { kind: 'neural', options: { model: dir } }, source: 'model' };
  }
  const spec = localSpec(text);
  if (spec) return { spec, source: 'spec' };
  return memberSpec(text, options);
}

/** A spec naming a registered kind, its options checked; undefined when the kind is unknown. */
function localSpec(text: string): AgentSpec | undefined {
  let specs: AgentSpec[];
  try {
    specs = parseAgentSpecs(text);
  } catch (error) {
    if (text.includes(':') || text.includes('=')) throw error; // meant as a spec: say what is wrong with it
    return undefined;
  }
  const def = agentKinds().find((k) => k.kind === specs[0]?.kind);
  if (!def) {
    if (text.includes(':') || text.includes('='))
      throw new UnknownAgentError(
        specs[0]?.kind ?? text,
        agentKinds().map((k) => k.kind),
      );
    return undefined;
  }
  if (specs.length !== 1)
    throw new AgentError('bad-agent-options', `--policy "${text}" names ${specs.length} agents`, 'give one agent spec, e.g. cfr:iterations=500');
  const checked = def.optionsSchema.safeParse(specs[0]!.options);
  if (!checked.success)
    throw new AgentError(
      'bad-agent-options',
      `--policy "${text}": ${checked.error.issues.map((i) => i.message).join('; ')}`,
      `see the options of ${def.kind} in \`ludus play --help\``,
    );
  return specs[0]!;
}

async function memberSpec(agentId: string, options: ResolvePolicyOptions): Promise<ResolvedPolicy> {
  const base = options.serverUrl.replace(/\/+$/, '');
  const get = async (path: string): Promise<unknown> => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(`${base}${path}`);
    } catch (error) {
      throw new RemoteAgentError(
        'client-connect',
        `cannot reach ${base} to look up member "${agentId}" (${error instanceof Error ? error.message : String(error)})`,
        'check the url and that the server is up',
      );
    }
    if (!response.ok) throw new RemoteAgentError('client-refused', `GET ${path} answered ${response.status}`, 'check that the server runs a Ludus arena');
    return response.json();
  };
  const leagues = options.league !== undefined ? [options.league] : ((await get('/api/leagues')) as { leagues: { name: string }[] }).leagues.map((l) => l.name);
  for (const league of leagues) {
    const { members } = (await get(`/api/league/members?league=${encodeURIComponent(league)}`)) as { members: MemberView[] };
    const member = members.find((m) => m.agentId === agentId);
    if (!member) continue;
    // External members of a league config carry the spec their agent process plays; an agent
    // that only ever connected (arena matches) is stored as kind 'remote', with nothing to play.
    if (member.agent.kind === 'remote') {
      throw new AgentError(
        'bad-agent-options',
        `member "${agentId}" of ${league} has no agent spec on the server (it plays as a remote connection)`,
        'give a model folder or an agent spec instead',
      );
    }
    const spec = AgentSpecSchema.safeParse({ kind: member.agent.kind, options: member.agent.options ?? {} });
    if (!spec.success)
      throw new AgentError(
        'bad-agent-options',
        `member "${agentId}" has an agent spec this client cannot read`,
        'give a model folder or an agent spec instead',
      );
    return { spec: spec.data, source: 'member', league };
  }
  throw new AgentError(
    'unknown-agent',
    `"${agentId}" is not a model folder, an agent kind or a member of ${options.league ?? 'any league'} on ${base}`,
    `agent kinds: ${agentKinds()
      .map((k) => k.kind)
      .join(', ')}`,
  );
}
