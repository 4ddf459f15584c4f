import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';

// Ink renders only the last frame when it believes it runs in CI (is-in-ci reads CI at import time); these tests
// read intermediate frames, so they run as in a terminal whatever the environment says.
vi.hoisted(() => {
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
});
import type { KillSwitch, TradingControl } from '../../operators/risk/riskEvents.js';
import type { PipelineEvent } from '../../pipeline/buildPipeline.js';
import { FakeStdin, FakeStdout } from './fakeTerminal.js';
import { runDashboard, type DashboardExit } from './runDashboard.js';
import { features, T0 } from './testDashboard.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(exitOnComplete = false) {
  const events$ = new Subject<PipelineEvent>();
  const control = new Subject<KillSwitch | TradingControl>();
  const controls: (KillSwitch | TradingControl)[] = [];
  control.subscribe((c) => controls.push(c));
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const exits: DashboardExit[] = [];
  const done = runDashboard({
    events$,
    control,
    title: 'replay test',
    dataQuality: { 'stocks/crossed': 2 },
    exitOnComplete,
    onExit: (e) => exits.push(e),
    stdout: stdout as never,
    stdin: stdin as never,
    patchConsole: false,
    renderBudget: 0,
  });
  const press = async (k: string) => {
    stdin.write(k);
    await wait(30);
  };
  return { events$, controls, stdout, press, done, exits };
}

describe('runDashboard', () => {
  it('renders the stream, sends controls stamped with event time, quits on q and unsubscribes the pipeline', async () => {
    const t = start();
    await wait(30);
    expect(t.events$.observed).toBe(true);
    t.events$.next(features('SPX', T0, 5712.3));
    await wait(250);
    expect(t.stdout.text()).toContain('5,712.30');
    expect(t.stdout.text()).toContain('2 dropped: stocks/crossed 2');
    await t.press('p');
    await t.press('r');
    await t.press('k');
    expect(t.controls).toHaveLength(2);
    await t.press('y');
    expect(t.controls).toEqual([
      { type: 'TradingControl', ts: T0, command: 'reduce', reason: 'dashboard pause key' },
      { type: 'TradingControl', ts: T0, command: 'resume', reason: 'dashboard resume key' },
      { type: 'KillSwitch', ts: T0, source: 'manual', reason: 'dashboard kill key' },
    ]);
    await t.press('q');
    const exit = await t.done;
    expect(exit.reason).toBe('quit');
    expect(exit.state.market.SPX!.price).toBe(5712.3);
    expect(t.exits).toEqual([exit]);
    expect(t.events$.observed).toBe(false);
  });

  it('stays up after the stream completes until q', async () => {
    const t = start();
    t.events$.complete();
    await wait(250);
    expect(t.stdout.text()).toContain('stream complete — q to quit');
    expect(t.exits).toEqual([]);
    await t.press('q');
    expect((await t.done).reason).toBe('quit');
  });

  it('exitOnComplete resolves with the final state; a failed stream reports its error', async () => {
    const ok = start(true);
    ok.events$.next(features('SPY', T0, 569));
    ok.events$.complete();
    const e1 = await ok.done;
    expect([e1.reason, e1.error, e1.state.stream, e1.state.events]).toEqual(['completed', null, 'completed', 1]);

    const bad = start(true);
    bad.events$.error(new Error('catalog gone'));
    const e2 = await bad.done;
    expect([e2.reason, e2.error, e2.state.stream]).toEqual(['completed', 'catalog gone', 'error']);
  });
});
