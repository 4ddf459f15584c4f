/**
 * runDashboard: the entry point `dreambot replay --tui` and `dreambot live --tui` call.
 *
 *   const exit = await runDashboard({ events$: buildPipeline(ports, config), control, title: 'replay 2025-03-10 ×60' });
 *
 * Subscribes ONCE to `events$` (the pipeline's output; share() it if something else consumes it too), renders the
 * sampled state (≤ `fps` frames a second, default 10) with Ink, and turns keys into controls on `control` (the
 * Subject passed to the pipeline as `PipelinePorts.control$`): `k`+`y` → KillSwitch{source:'manual'},
 * `p` → TradingControl reduce, `r` → TradingControl resume. Controls are stamped with the dashboard's latest event
 * time (risk restamps them with its own).
 *
 * Quit (`q`, or Ctrl+C; confirmation first when positions are open) unmounts the screen, unsubscribes from
 * `events$` (which stops the pipeline), calls `onExit` and resolves. When the stream ends the screen stays up
 * showing the final state until quit, unless `exitOnComplete` (benchmarks, scripts).
 */
import { render } from 'ink';
import { BehaviorSubject, type Observable, type Observer } from 'rxjs';
import type { PipelineEvent } from '../../pipeline/buildPipeline.js';
import type { KillSwitch, TradingControl } from '../../operators/risk/riskEvents.js';
import { initialDashboardState, type ForeignEvent } from './dashboardState.js';
import { dashboardState$ } from './dashboardStream.js';
import type { DashboardCommand, DashboardState } from './dashboardTypes.js';
import { LiveDashboard } from './LiveDashboard.js';

export interface RunDashboardOptions {
  /** The pipeline's output. */
  readonly events$: Observable<PipelineEvent | ForeignEvent>;
  /** Where kill switch / pause / resume go: the Subject passed to buildPipeline as `control$`. */
  readonly control: Pick<Observer<KillSwitch | TradingControl>, 'next'>;
  /** Shown in the header, e.g. "replay 2025-03-10 ×60" or "live (sandbox)". */
  readonly title: string;
  /** Called once, when the dashboard closes, before the promise resolves. */
  readonly onExit?: (exit: DashboardExit) => void;
  /** Frames per second, 1…10 (default 10). */
  readonly fps?: number;
  /** Data-quality counters known up front (replay: the catalog's dropped rows per dataset/reason). */
  readonly dataQuality?: Readonly<Record<string, number>>;
  /** Close by itself once the stream ended (default false: the final screen stays up until `q`). */
  readonly exitOnComplete?: boolean;
  /** Ink's streams (default the process's). */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Route console.* above the screen (default true; tests turn it off). */
  readonly patchConsole?: boolean;
  /**
   * Frames are spaced at least this many times the smoothed cost of one (React render + Ink output), so rendering
   * takes at most ~1/renderBudget of the thread the pipeline runs on (default 20; 0 = only the fps cap).
   */
  readonly renderBudget?: number;
}

export interface DashboardExit {
  /** `quit`: the user quit (the pipeline was unsubscribed); `completed`: the stream ended (exitOnComplete). */
  readonly reason: 'quit' | 'completed';
  /** The stream's error message when it failed. */
  readonly error: string | null;
  /** The last state (counts, P&L) for a summary after the screen closed. */
  readonly state: DashboardState;
}

/** Frames are at least this many times the (smoothed) render time apart. */
const RENDER_BUDGET = 20;

export function runDashboard(opts: RunDashboardOptions): Promise<DashboardExit> {
  const initial = initialDashboardState(opts.dataQuality ?? {});
  const frames$ = new BehaviorSubject<DashboardState>(initial);
  let latest = initial;
  let finished = false;

  return new Promise<DashboardExit>((resolve) => {
    const finish = (reason: DashboardExit['reason']) => {
      if (finished) return;
      finished = true;
      sub.unsubscribe();
      frames$.complete();
      ink.unmount();
      const exit: DashboardExit = { reason, error: latest.stream === 'error' ? (lastError(latest) ?? 'stream failed') : null, state: latest };
      opts.onExit?.(exit);
      resolve(exit);
    };
    const stamp = () => latest.now ?? Date.now();
    const onCommand = (cmd: DashboardCommand) => {
      switch (cmd.type) {
        case 'kill':
          opts.control.next({ type: 'KillSwitch', ts: stamp(), source: 'manual', reason: 'dashboard kill key' });
          return;
        case 'pause':
          opts.control.next({ type: 'TradingControl', ts: stamp(), command: 'reduce', reason: 'dashboard pause key' });
          return;
        case 'resume':
          opts.control.next({ type: 'TradingControl', ts: stamp(), command: 'resume', reason: 'dashboard resume key' });
          return;
        case 'quit':
          finish('quit');
          return;
      }
    };

    // Smoothed cost of one frame: React's render + commit (onCommit) plus Ink's layout and output (onRender).
    let renderMs = 0;
    let reactMs = 0;
    const onCommit = (ms: number) => {
      reactMs = ms;
    };
    const ink = render(<LiveDashboard state$={frames$} initial={initial} title={opts.title} onCommand={onCommand} onCommit={onCommit} />, {
      exitOnCtrlC: false,
      patchConsole: opts.patchConsole ?? true,
      onRender: ({ renderTime }) => {
        renderMs = 0.6 * renderMs + 0.4 * (reactMs + renderTime);
      },
      maxFps: Math.min(10, Math.max(1, opts.fps ?? 10)),
      ...(opts.stdout ? { stdout: opts.stdout } : {}),
      ...(opts.stdin ? { stdin: opts.stdin } : {}),
    });

    // Render budget: the screen shares the thread with the pipeline, so frames are spaced to keep rendering under
    // ~1/RENDER_BUDGET of the time (a 25 ms frame → at most 2 a second) — ticks never wait on the screen.
    const budget = opts.renderBudget ?? RENDER_BUDGET;
    const minFrameMs = () => renderMs * budget;
    const sub = dashboardState$(opts.events$, { initial, minFrameMs, ...(opts.fps !== undefined ? { fps: opts.fps } : {}) }).subscribe({
      next: (s) => {
        latest = s;
        frames$.next(s);
      },
      complete: () => {
        if (opts.exitOnComplete) setImmediate(() => finish('completed'));
      },
    });
  });
}

function lastError(s: DashboardState): string | null {
  for (let i = s.log.length - 1; i >= 0; i--) if (s.log[i]!.text.startsWith('stream failed: ')) return s.log[i]!.text.slice(15);
  return null;
}
