import { expect } from 'chai';
import { z } from 'zod';
import type { Agent } from '../../agents/agent.ts';
import { isSearchAgent } from '../../agents/agent.ts';
import { AgentError } from '../../agents/errors.ts';
import { agentKinds, createAgent, formatAgentSpec, parseAgentSpecs, registerAgentKind, type AgentSpec } from '../../agents/registry.ts';
import { getEnv, LudusError } from '../../envs/index.ts';

const connectFour = getEnv('connect-four-v1');

function thrown(fn: () => unknown): LudusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LudusError) return error;
    throw error;
  }
  throw new Error('expected a LudusError, nothing was thrown');
}

describe('agents/registry', () => {
  describe('parseAgentSpecs', () => {
    it('splits agents on commas and gives key=value tokens to the agent before them', () => {
      expect(parseAgentSpecs('mcts:sims=200,c=2,random')).to.deep.equal([
        { kind: 'mcts', options: { sims: 200, c: 2 } },
        { kind: 'random', options: {} },
      ]);
    });

    it('coerces numbers and booleans and keeps other values as strings', () => {
      const [spec] = parseAgentSpecs('x:a=1.5,b=-3,c=true,d=false,e=hello,f=1e3,g=C:/models/a.json');
      expect(spec!.options).to.deep.equal({ a: 1.5, b: -3, c: true, d: false, e: 'hello', f: 1000, g: 'C:/models/a.json' });
    });

    it('accepts spaces around agents and options', () => {
      expect(parseAgentSpecs(' minimax : depth=3 , quick=false , first-legal ')).to.deep.equal([
        { kind: 'minimax', options: { depth: 3, quick: false } },
        { kind: 'first-legal', options: {} },
      ]);
    });

    it('rejects malformed specs with bad-agent-options and an example', () => {
      for (const [text, pattern] of [
        ['', /names no agent/],
        ['sims=3,random', /sims=3.*before any agent/],
        ['random,,random', /empty entry/],
        ['mcts:sims=1,sims=2', /sims.*twice/],
        ['mcts:=3', /bad option name/],
      ] as const) {
        const error = thrown(() => parseAgentSpecs(text));
        expect(error.code, text).to.equal('bad-agent-options');
        expect(error.message, text)
          .to.match(pattern)
          .and.match(/mcts:sims=200/);
      }
    });
  });

  describe('formatAgentSpec', () => {
    it('sorts option keys', () => {
      expect(formatAgentSpec({ kind: 'mcts', options: { sims: 200, c: 2 } })).to.equal('mcts:c=2,sims=200');
      expect(formatAgentSpec({ kind: 'random', options: {} })).to.equal('random');
    });

    it('round-trips with parseAgentSpecs', () => {
      const specs: AgentSpec[] = [
        { kind: 'random', options: {} },
        { kind: 'mcts', options: { sims: 1000, c: 0.5, rollouts: 'random' } },
        { kind: 'minimax', options: { depth: 4, quick: false, tt: true } },
        { kind: 'policy', options: { path: 'models/a=b:c.json' } },
      ];
      for (const spec of specs) expect(parseAgentSpecs(formatAgentSpec(spec))).to.deep.equal([spec]);
      const text = specs.map(formatAgentSpec).join(',');
      expect(parseAgentSpecs(text)).to.deep.equal(specs);
    });

    it('refuses values a spec cannot carry', () => {
      expect(thrown(() => formatAgentSpec({ kind: 'x', options: { a: 'p,q' } })).code).to.equal('bad-agent-options');
    });
  });

  describe('createAgent', () => {
    it('names the agent by its formatted spec and makes a fresh instance each call', () => {
      const spec = parseAgentSpecs('mcts:sims=5,c=2')[0]!;
      const a = createAgent(spec, connectFour);
      const b = createAgent(spec, connectFour);
      expect(a.name).to.equal('mcts:c=2,sims=5');
      expect(a).to.not.equal(b);
      expect(isSearchAgent(a)).to.equal(true);
      expect(createAgent({ kind: 'random', options: {} }, connectFour).name).to.equal('random');
    });

    it('rejects an unknown kind with unknown-agent, listing the known kinds', () => {
      const error = thrown(() => createAgent({ kind: 'muzero', options: {} }, connectFour));
      expect(error.code).to.equal('unknown-agent');
      expect(error.message)
        .to.match(/muzero/)
        .and.match(/random/)
        .and.match(/mcts/)
        .and.match(/minimax/);
    });

    it('rejects an out-of-range option with bad-agent-options naming it and the options', () => {
      const error = thrown(() => createAgent(parseAgentSpecs('mcts:sims=-1')[0]!, connectFour));
      expect(error.code).to.equal('bad-agent-options');
      expect(error.message)
        .to.match(/"sims"/)
        .and.match(/options of mcts: sims \(simulations per move, default 200\)/);
    });

    it('rejects an unknown option (strict schemas) and a wrongly typed one', () => {
      const unknown = thrown(() => createAgent(parseAgentSpecs('mcts:simz=3')[0]!, connectFour));
      expect(unknown.code).to.equal('bad-agent-options');
      expect(unknown.message)
        .to.match(/unknown option "simz"/)
        .and.match(/sims/);
      expect(thrown(() => createAgent(parseAgentSpecs('random:seed=3')[0]!, connectFour)).message).to.match(/random takes no options/);
      expect(thrown(() => createAgent(parseAgentSpecs('minimax:quick=yes')[0]!, connectFour)).message).to.match(/"quick"/);
      expect(thrown(() => createAgent({ kind: 'mcts', options: { sims: [1] } }, connectFour)).code).to.equal('bad-agent-options');
    });

    it('rejects an unknown key of the {kind, options} object, naming the known ones', () => {
      const misspelled = { kind: 'mcts', option: { sims: 4 } } as unknown as AgentSpec;
      const error = thrown(() => createAgent(misspelled, connectFour));
      expect(error.code).to.equal('bad-agent-options');
      expect(error.message).to.include('unknown key "option" (known keys: kind, options)');
    });

    it('refuses envs a kind cannot play with agent-unsupported-env', () => {
      const rps = getEnv('rock-paper-scissors-v1');
      const signalling = getEnv('signalling-v1');
      const kuhn = getEnv('kuhn-poker-v1');
      for (const [kind, env, pattern] of [
        ['minimax', kuhn, /hidden information/],
        ['mcts', kuhn, /ismcts/],
        ['minimax', rps, /simultaneous/],
        ['minimax', signalling, /hidden information/],
        ['mcts', signalling, /ismcts/],
      ] as const) {
        const error = thrown(() => createAgent({ kind, options: {} }, env));
        expect(error.code, `${kind} on ${env.key}`).to.equal('agent-unsupported-env');
        expect(error.message).to.match(pattern);
      }
      expect(() => createAgent({ kind: 'ismcts', options: {} }, signalling)).to.not.throw();
      expect(() => createAgent({ kind: 'ismcts', options: {} }, kuhn)).to.not.throw();
      expect(() => createAgent({ kind: 'mcts', options: {} }, rps)).to.not.throw();
    });

    it('checks env params, so bad params fail before play', () => {
      expect(thrown(() => createAgent({ kind: 'random', options: {} }, connectFour, { rows: 2 })).code).to.equal('bad-params');
      expect(thrown(() => createAgent({ kind: 'random', options: {} }, connectFour, { row: 5 })).message).to.match(/unknown param "row".*known params: rows/);
    });
  });

  describe('agentKinds and registerAgentKind', () => {
    it('lists the built-in kinds with descriptions and schemas', () => {
      const kinds = agentKinds();
      expect(kinds.map((k) => k.kind)).to.include.members(['random', 'first-legal', 'minimax', 'mcts', 'ismcts']);
      for (const k of kinds) {
        expect(k.description).to.be.a('string').that.is.not.empty;
        expect(k.optionsSchema.safeParse({}).success, k.kind).to.equal(true);
      }
    });

    it('adds a kind that createAgent can then build, and refuses the same name twice', () => {
      const def = {
        kind: 'test-constant',
        description: 'always the given action',
        optionsSchema: z.object({ action: z.number().int().min(0).default(0) }).strict(),
        create: (options: { action: number }, { name }: { name: string }): Agent => ({ name, act: () => options.action }),
      };
      registerAgentKind(def);
      const agent = createAgent({ kind: 'test-constant', options: { action: 3 } }, connectFour);
      expect(agent.name).to.equal('test-constant:action=3');
      expect(agentKinds().map((k) => k.kind)).to.include('test-constant');
      const error = thrown(() => registerAgentKind(def));
      expect(error).to.be.instanceOf(AgentError);
      expect(error.code).to.equal('duplicate-agent-kind');
    });
  });
});
