/**
 * Param sets the conformance suite tests in addition to each env's defaults, by env id
 * (version-free, so a version bump keeps its variants). Pick variants that change the
 * encoding, the text or the game's shape.
 */
export const CONFORMANCE_PARAMS: Readonly<Record<string, readonly unknown[]>> = {
  'connect-four': [{ egocentric: true }, { rows: 4, columns: 5, xInRow: 3 }],
  'tic-tac-toe': [{ marks: 'textarena' }],
  'kuhn-poker': [{ rounds: 5 }, { rounds: 5, spiralCompat: true }, { rounds: 3, ante: 2, firstSeat: 1, alternate: false, scoring: 'chips' }],
  'rock-paper-scissors': [{ rounds: 1 }],
  'slime-volleyball': [{ maxSteps: 120, lives: 1, launchVelocities: [0, 20, -15, 12] }],
  'team-volley': [{ teamSize: 2, points: 2, maxSteps: 150, firstServer: 1, serveVelocities: [15, 12.5] }],
  'overcooked': [{ layout: 'forced_coordination', oldDynamics: false, horizon: 60, observation: 'featurized' }, { layout: 'counter_circuit', horizon: 50, shaping: { dishPickup: 0 } }],
  'signalling': [{ states: 4, signals: 2, prior: [1, 0, 2, 1] }],
};

/**
 * Random playouts per param set where the default (200) is too slow: a random slime
 * volleyball game runs for hundreds of physics steps.
 */
export const CONFORMANCE_EPISODES: Readonly<Record<string, number>> = {
  'slime-volleyball': 8,
  'team-volley': 8,
  'overcooked': 6,
};
