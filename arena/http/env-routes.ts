/** `GET /api/envs` and `GET /api/envs/:key`: what can be played, with rules, sizes and the action schema. */
import { z } from 'zod';
import { actionJsonSchema, getEnv, listEnvs, type AnyEnv } from '../../envs/index.ts';
import { EnvKeyParamsSchema } from '../../protocol/http-api.ts';
import type { ZodApp } from './zod-app.ts';

function specView(env: AnyEnv) {
  const { spec } = env;
  return {
    key: env.key,
    id: spec.id,
    version: spec.version,
    title: spec.title,
    players: spec.players,
    dynamics: spec.dynamics,
    chance: spec.chance,
    information: spec.information,
    utility: spec.utility,
    rewardModel: spec.rewardModel,
  };
}

function paramsJsonSchema(env: AnyEnv): unknown {
  try {
    return z.toJSONSchema(env.spec.paramsSchema as z.ZodType, { io: 'input' });
  } catch {
    return {}; // a schema zod cannot express; the defaults in `params` still show the shape
  }
}

export function registerEnvRoutes(app: ZodApp): void {
  app.get('/api/envs', { schema: { summary: 'List the registered environments', tags: ['envs'] } }, async () => ({
    envs: listEnvs().map((env) => ({ ...specView(env), dims: env.dims(env.parseParams({})) })),
  }));

  app.get(
    '/api/envs/:key',
    {
      schema: { summary: 'One environment: rules, sizes, params and action schemas', tags: ['envs'], params: EnvKeyParamsSchema },
    },
    async (request) => {
      const env = getEnv(request.params.key); // UnknownEnvError -> 404 naming the known keys
      const params = env.parseParams({});
      return {
        ...specView(env),
        rulesText: env.spec.rulesText,
        params,
        dims: env.dims(params),
        paramsSchema: paramsJsonSchema(env),
        actionSchema: actionJsonSchema(env),
      };
    },
  );
}
