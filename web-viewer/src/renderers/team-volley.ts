/**
 * team-volley: the court, every player in its team's colour with its role, the ball, the
 * score, possession and the last point's reason. team-volley-roles shares the court and adds
 * each player's high-level role (what the coaches chose).
 */
import { z } from 'zod';
import { seatColor } from '../theme.ts';
import { BodySchema, CourtSchema, courtFrame, courtSize, drawBall, drawCourt, drawSlime } from './court.ts';
import { text } from './draw.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  ball: BodySchema,
  agents: z.array(BodySchema.extend({ team: z.number(), role: z.string(), touched: z.boolean() })),
  score: z.array(z.number()).length(2),
  points: z.number(),
  possession: z.number(),
  server: z.number(),
  serveIn: z.number(),
  lastPoint: z.object({ team: z.number(), reason: z.string() }).nullable(),
  t: z.number(),
  maxSteps: z.number(),
  court: CourtSchema,
});
type View = z.infer<typeof ViewSchema>;

const RolesViewSchema = ViewSchema.extend({ roles: z.array(z.string()), decisions: z.number(), ticks: z.number() });
type RolesView = z.infer<typeof RolesViewSchema>;

function drawTeamVolley(
  ctx: CanvasRenderingContext2D,
  v: View,
  box: { width: number; height: number },
  p: Parameters<Renderer['draw']>[3],
  labels: readonly string[],
): void {
  const f = courtFrame(v.court, box);
  drawCourt(ctx, v.court, box, p, f);
  v.agents.forEach((a, seat) => drawSlime(ctx, p, f, v.court.agentRadius, a, v.ball, seatColor(p, a.team), labels[seat]));
  drawBall(ctx, p, f, v.court.ballRadius, v.ball);
  const size = Math.max(14, box.width * 0.03);
  text(ctx, p, String(v.score[0]), box.width * 0.25, 20, { size, weight: 700, color: seatColor(p, 0) });
  text(ctx, p, String(v.score[1]), box.width * 0.75, 20, { size, weight: 700, color: seatColor(p, 1) });
  text(ctx, p, `to ${v.points} · ${Math.round(v.t)} / ${v.maxSteps}`, box.width / 2, 20, { size: size * 0.55, color: p.muted });
  const possession = v.possession === 0 ? box.width * 0.25 : box.width * 0.75;
  text(ctx, p, 'possession', possession, 20 + size * 0.9, { size: size * 0.45, color: p.muted });
  if (v.serveIn > 0 && v.lastPoint) {
    text(ctx, p, `point team ${v.lastPoint.team}: ${v.lastPoint.reason}`, box.width / 2, box.height * 0.32, { size: size * 0.6, color: p.fg, weight: 600 });
  }
}

const describe = (v: View): string => `Team volley, step ${Math.round(v.t)}: ${v.score[0]}–${v.score[1]} (to ${v.points}), team ${v.possession} in possession`;

export const teamVolley: Renderer<View> = {
  schema: ViewSchema,
  realtime: true,
  size: (_v, maxWidth) => courtSize(maxWidth),
  draw: (ctx, v, box, p) =>
    drawTeamVolley(
      ctx,
      v,
      box,
      p,
      v.agents.map((a) => a.role),
    ),
  describe,
};

export const teamVolleyRoles: Renderer<RolesView> = {
  schema: RolesViewSchema,
  size: (_v, maxWidth) => courtSize(maxWidth),
  draw: (ctx, v, box, p) =>
    drawTeamVolley(
      ctx,
      v,
      box,
      p,
      v.agents.map((a, seat) => `${a.role}: ${v.roles[seat] ?? '?'}`),
    ),
  describe: (v) => `${describe(v)}; roles ${v.roles.join(', ')} (decision ${v.decisions})`,
};
