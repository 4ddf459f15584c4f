import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from './App.js';
import { initialDashboardState } from './dashboardState.js';
import type { DashboardCommand, DashboardState } from './dashboardTypes.js';
import { populatedState } from './testDashboard.js';

const tick = () => new Promise((r) => setTimeout(r, 20));

async function setup(state: DashboardState = initialDashboardState()) {
  const sent: DashboardCommand['type'][] = [];
  const r = render(<App state={state} title="replay 2025-03-10 ×10" onCommand={(c) => sent.push(c.type)} />);
  await tick();
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  return { ...r, sent, press };
}

describe('App', () => {
  it('renders every panel, the header and the help line', async () => {
    const { lastFrame } = await setup(populatedState());
    const f = lastFrame()!;
    for (const t of ['DreamBot', 'replay 2025-03-10 ×10', '12:40:12 ET', 'running', 'Market', 'Health', 'Orders & positions', 'Signals', 'Learner', 'not running', 'Log']) expect(f).toContain(t);
    expect(f.split('\n').at(-1)).toBe('k kill switch  p pause new entries  r resume  q quit');
  });

  it('k asks for confirmation; y sends the kill switch', async () => {
    const { press, sent, lastFrame } = await setup();
    await press('k');
    expect(sent).toEqual([]);
    expect(lastFrame()).toContain('KILL SWITCH: cancel all orders, flatten every position and halt trading?');
    await press('y');
    expect(sent).toEqual(['kill']);
    expect(lastFrame()).toContain('kill switch sent');
    expect(lastFrame()).toContain('k kill switch');
  });

  it.each(['n', 'k', 'q', '\r', ' '])('k then %j cancels', async (key) => {
    const { press, sent, lastFrame } = await setup();
    await press('k', key);
    expect(sent).toEqual([]);
    expect(lastFrame()).toContain('kill switch cancelled');
  });

  it('p pauses new entries, r resumes (no confirmation)', async () => {
    const { press, sent } = await setup();
    await press('p', 'r');
    expect(sent).toEqual(['pause', 'resume']);
  });

  it('q quits at once when flat', async () => {
    const { press, sent } = await setup();
    await press('q');
    expect(sent).toEqual(['quit']);
  });

  it('q asks when positions are open; anything else cancels, y quits', async () => {
    const { press, sent, lastFrame } = await setup(populatedState());
    await press('q');
    expect(sent).toEqual([]);
    expect(lastFrame()).toContain('Positions are open. Quit the dashboard (stops the pipeline) anyway?');
    await press('x');
    expect(sent).toEqual([]);
    expect(lastFrame()).toContain('quit cancelled');
    await press('q', 'y');
    expect(sent).toEqual(['quit']);
  });

  it('Ctrl+C is quit (asks when positions are open)', async () => {
    const { press, sent } = await setup(populatedState());
    await press('\x03');
    expect(sent).toEqual([]);
    await press('y');
    expect(sent).toEqual(['quit']);
  });

  it('other keys do nothing', async () => {
    const { press, sent } = await setup();
    await press('x', 'K', '1');
    expect(sent).toEqual([]);
  });
});
