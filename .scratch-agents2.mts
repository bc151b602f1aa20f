import { getEnv, deriveSeed } from './envs/index.ts';
import { createAgent, parseAgentSpecs } from './agents/registry.ts';
import { playMatch } from './league/play-match.ts';
async function series(envKey: string, specText: string, games: number, seed = 1) {
  const env = getEnv(envKey);
  const specs = parseAgentSpecs(specText);
  let sum = 0, sumsq = 0; const wins = [0, 0]; const t0 = performance.now();
  for (let g = 0; g < games; g++) {
    const swap = g % 2 === 1;
    const agents = specs.map((s) => createAgent(s, env));
    if (swap) agents.reverse();
    const r = await playMatch({ env, seed: deriveSeed(seed, g), agents });
    if (r.fault) console.log('fault', r.fault);
    const ret = swap ? [r.returns[1]!, r.returns[0]!] : [r.returns[0]!, r.returns[1]!];
    sum += ret[0]!; sumsq += ret[0]! ** 2;
    if (ret[0]! > ret[1]!) wins[0]!++; else if (ret[1]! > ret[0]!) wins[1]!++;
  }
  const mean = sum / games, sd = Math.sqrt(sumsq / games - mean * mean);
  console.log(envKey, specText, 'wins', wins, 'mean', mean.toFixed(3), 'sd', sd.toFixed(3), 'se', (sd / Math.sqrt(games)).toFixed(3), ((performance.now() - t0) / 1000).toFixed(2), 's');
}
const [envKey, spec, games, seed] = process.argv.slice(2);
await series(envKey!, spec!, Number(games), Number(seed ?? 1));
