/**
 * @colyseus/core reports two gauges (players, rooms) to PM2's monitoring when @pm2/io can be
 * loaded (here it can: it comes with the dev dependency @colyseus/testing). Loading @pm2/io
 * starts its whole agent: it wraps the http module to time every request, samples the event
 * loop and V8, and writes to any IPC channel; about a twentieth of the arena's CPU under load,
 * for figures nobody reads. Unless the process runs under PM2, this registers a stand-in
 * under the global key @pm2/io hands back to every importer, so Colyseus' two calls go
 * nowhere. Import it before Colyseus' matchmaker starts.
 */
const PM2_IO = Symbol.for('@pm2/io');
const scope = globalThis as Record<symbol, unknown>;
if (process.env['pm_id'] === undefined && scope[PM2_IO] === undefined) scope[PM2_IO] = { metric: () => undefined };
