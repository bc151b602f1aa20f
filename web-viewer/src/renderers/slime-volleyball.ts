/** slime-volleyball: the court, both slimes (seat 0 left), the ball, lives and the serve countdown. */
import { z } from 'zod';
import { seatColor } from '../theme.ts';
import { BodySchema, CourtSchema, courtFrame, courtSize, drawBall, drawCourt, drawSlime } from './court.ts';
import { text } from './draw.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  ball: BodySchema,
  agents: z.array(BodySchema.extend({ lives: z.number(), side: z.string() })).length(2),
  t: z.number(),
  maxSteps: z.number(),
  serveIn: z.number(),
  returns: z.array(z.number()),
  court: CourtSchema,
});
type View = z.infer<typeof ViewSchema>;

export const slimeVolleyball: Renderer<View> = {
  schema: ViewSchema,
  realtime: true,
  size: (_v, maxWidth) => courtSize(maxWidth),
  draw(ctx, v, box, p) {
    const f = courtFrame(v.court, box);
    drawCourt(ctx, v.court, box, p, f);
    v.agents.forEach((a, seat) => drawSlime(ctx, p, f, v.court.agentRadius, a, v.ball, seatColor(p, seat)));
    drawBall(ctx, p, f, v.court.ballRadius, v.ball);
    const size = Math.max(12, box.width * 0.022);
    v.agents.forEach((a, seat) => {
      const x = seat === 0 ? 14 : box.width - 14;
      text(ctx, p, `${'●'.repeat(Math.max(0, a.lives))}`, x, 16, { size, color: seatColor(p, seat), align: seat === 0 ? 'left' : 'right' });
    });
    text(ctx, p, `${Math.round(v.t)} / ${v.maxSteps}`, box.width / 2, 16, { size: size * 0.8, color: p.muted });
    if (v.serveIn > 0) text(ctx, p, 'serve', box.width / 2, box.height * 0.3, { size: size * 1.2, color: p.muted, weight: 600 });
  },
  describe: (v) => `Slime volleyball, step ${Math.round(v.t)}: lives left ${v.agents[0]!.lives}, right ${v.agents[1]!.lives}`,
};
