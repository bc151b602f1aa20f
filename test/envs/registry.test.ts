import { expect } from 'chai';
import { BadParamsError, UnknownEnvError } from '../../envs/core/errors.ts';
import { connectFour } from '../../envs/games/connect-four/index.ts';
import { ENVS, envKeys, getEnv, listEnvs } from '../../envs/registry.ts';

describe('envs/registry', () => {
  it('lists every env once, under the key <id>-v<version>', () => {
    expect(listEnvs()).to.equal(ENVS);
    expect(envKeys()).to.deep.equal(ENVS.map((env) => `${env.spec.id}-v${env.spec.version}`));
    expect(new Set(envKeys()).size).to.equal(ENVS.length);
    expect(envKeys()).to.include('connect-four-v1');
  });

  it('finds an env by its full key', () => {
    expect(getEnv('connect-four-v1')).to.equal(connectFour);
    for (const env of listEnvs()) expect(getEnv(env.key)).to.equal(env);
  });

  it('finds the newest version by bare id', () => {
    expect(getEnv('connect-four')).to.equal(connectFour);
    for (const env of listEnvs()) {
      const newest = Math.max(
        ...listEnvs()
          .filter((e) => e.spec.id === env.spec.id)
          .map((e) => e.spec.version),
      );
      expect(getEnv(env.spec.id).spec.version).to.equal(newest);
    }
  });

  it('throws UnknownEnvError listing the known keys for an unknown key', () => {
    for (const key of ['chess', 'connect-four-v99', '']) {
      try {
        getEnv(key);
        expect.fail(`"${key}" was found`);
      } catch (error) {
        expect(error).to.be.instanceOf(UnknownEnvError);
        const unknown = error as UnknownEnvError;
        expect(unknown.code).to.equal('unknown-env');
        expect(unknown.known).to.deep.equal(envKeys());
        expect(unknown.message).to.include(`unknown env "${key}"`).and.include('connect-four-v1');
      }
    }
  });

  it('every registered env rejects an unknown param, naming it and the known ones', () => {
    for (const env of listEnvs()) {
      const known = Object.keys(env.parseParams() as object);
      expect(() => env.parseParams({ colums: 5 }), env.key).to.throw(BadParamsError, /unknown param "colums"/);
      try {
        env.parseParams({ colums: 5 });
      } catch (error) {
        const bad = error as BadParamsError;
        expect(bad.code).to.equal('bad-params');
        for (const name of known) expect(bad.hint, env.key).to.include(name);
      }
    }
  });

  it('names every unknown key (up to five) and accepts the known ones', () => {
    expect(() => connectFour.parseParams({ rows: 5, colums: 5, egocentic: true })).to.throw(
      BadParamsError,
      'unknown params "colums", "egocentic" for connect-four-v1 (known params: rows, columns, xInRow, egocentric)',
    );
    expect(() => connectFour.parseParams({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 })).to.throw(/"e" and 2 more/);
    expect(connectFour.parseParams({ rows: 5, egocentric: true })).to.include({ rows: 5, egocentric: true, columns: 7 });
    expect(() => getEnv('leduc-poker').parseParams({ rounds: 2 })).to.throw(BadParamsError, 'leduc-poker-v1 takes no params');
  });
});
