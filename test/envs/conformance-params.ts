/**
 * Param sets the conformance suite tests in addition to each env's defaults, by env id
 * (version-free, so a version bump keeps its variants). Pick variants that change the
 * encoding, the text or the game's shape.
 */
export const CONFORMANCE_PARAMS: Readonly<Record<string, readonly unknown[]>> = {
  'connect-four': [{ egocentric: true }, { rows: 4, columns: 5, xInRow: 3 }],
  'tic-tac-toe': [
    { marks: 'textarena' },
    { textFormat: 'textarena' },
    { textFormat: 'textarena', textWrapper: 'llm', errorAllowance: 2 },
    { textFormat: 'textarena', parse: 'spiral', invalidRewards: 'spiral-train' },
  ],
  'kuhn-poker': [
    { rounds: 5 },
    { rounds: 5, spiralCompat: true },
    { rounds: 3, ante: 2, firstSeat: 1, alternate: false, scoring: 'chips' },
    { rounds: 5, spiralCompat: true, textFormat: 'textarena' },
    { rounds: 3, textFormat: 'textarena', errorAllowance: 2, textWrapper: 'firstlast' },
    { rounds: 5, spiralCompat: true, textFormat: 'textarena', parse: 'spiral', invalidRewards: 'spiral-train' },
  ],
  'rock-paper-scissors': [{ rounds: 1 }],
  'simple-negotiation': [
    { errorAllowance: 2 },
    { variant: 'textarena-v0' },
    { variant: 'textarena-v0', maxTurns: 6, errorAllowance: 1, textWrapper: 'firstlast' },
    { parse: 'spiral', invalidRewards: 'spiral-train' },
  ],
  'who-is-the-spy': [
    { mode: 'vision-zero' },
    { players: 8, spies: 2, errorAllowance: 0 },
    { players: 4, blankSpy: true },
    { players: 5, pair: ['sun', 'moon'], revealRoles: true, maxRounds: 2 },
  ],
  'propose-solve': [
    { family: 'modular', proposerReward: 'learnability' },
    { judge: true, errorAllowance: 1, solverAttempts: 2 },
    { proposerReward: 'absolute-zero', invalidPenalty: -2, solverAttempts: 1 },
  ],
  'slime-volleyball': [{ maxSteps: 120, lives: 1, launchVelocities: [0, 20, -15, 12] }],
  'team-volley': [{ teamSize: 2, points: 2, maxSteps: 150, firstServer: 1, serveVelocities: [15, 12.5] }],
  'team-volley-roles': [{ teamSize: 2, points: 2, maxDecisions: 6, firstServer: 1 }],
  overcooked: [
    { layout: 'forced_coordination', oldDynamics: false, horizon: 60, observation: 'featurized' },
    { layout: 'counter_circuit', horizon: 50, shaping: { dishPickup: 0 } },
  ],
  signalling: [{ states: 4, signals: 2, prior: [1, 0, 2, 1] }],
};

/**
 * Random playouts per param set where the default (200) is too slow: long text games; a random slime
 * volleyball game runs for hundreds of physics steps (team volley: of six slimes, each
 * state checked from seven viewers), so a few games already visit thousands of states.
 */
export const CONFORMANCE_EPISODES: Readonly<Record<string, number>> = {
  'who-is-the-spy': 50,
  'simple-negotiation': 100,
  'slime-volleyball': 6,
  'team-volley': 3,
  'team-volley-roles': 8,
  overcooked: 6,
};
