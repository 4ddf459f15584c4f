import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { LinUcb } from './linUcb.js';

describe('LinUcb', () => {
  it('converges to the best arm per context on a synthetic contextual problem', () => {
    // Three arms, 3-d context [1, c1, c2]; the best arm depends on the context.
    const theta: Record<string, number[]> = { a: [0.5, 1, -1], b: [0.5, -1, 1], c: [0.2, 0, 0] };
    const arms = Object.keys(theta);
    const rng = new Prng(7);
    const bandit = new LinUcb(3, 0.5, 1);
    let correct = 0;
    const last = 1000;
    const rounds = 4000;
    for (let t = 0; t < rounds; t++) {
      const x = [1, rng.uniform(-1, 1), rng.uniform(-1, 1)];
      const mean = (a: string) => theta[a]!.reduce((s, w, i) => s + w * x[i]!, 0);
      const best = arms.reduce((p, a) => (mean(a) > mean(p) ? a : p));
      const chosen = bandit.choose(x, arms)!;
      if (t >= rounds - last && chosen.arm === best) correct++;
      bandit.update(chosen.arm, x, mean(chosen.arm) + 0.3 * rng.normal());
    }
    expect(correct / last).toBeGreaterThan(0.9);
    const th = bandit.theta('a');
    expect(th[1]).toBeGreaterThan(0.7);
    expect(th[2]).toBeLessThan(-0.7);
  });

  it("'none' wins (null) when every candidate's UCB is at or below the none score", () => {
    const b = new LinUcb(2, 0.1, 1);
    for (let i = 0; i < 200; i++) b.update('loser', [1, 0], -1);
    expect(b.choose([1, 0], ['loser'], 0)).toBeNull();
    expect(b.choose([1, 0], ['loser', 'fresh'], 0)?.arm).toBe('fresh');
  });

  it('round-trips through JSON exactly and rejects wrong dimensions', () => {
    const b = new LinUcb(2, 1, 2);
    b.update('x', [1, 2], 0.5);
    const c = LinUcb.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(c.score('x', [0.3, -1])).toEqual(b.score('x', [0.3, -1]));
    expect(() => b.update('x', [1], 0)).toThrow(/dims/);
    expect(() => b.update('x', [1, 2], Number.NaN)).toThrow(/non-finite/);
  });
});
