/**
 * Binds the App to the sampled state stream: re-renders on each sampled state (≤ 10 a second), nothing else.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { performance } from 'node:perf_hooks';
import type { Observable } from 'rxjs';
import { App } from './App.js';
import type { DashboardCommand, DashboardState } from './dashboardTypes.js';

export interface LiveDashboardProps {
  readonly state$: Observable<DashboardState>;
  readonly initial: DashboardState;
  readonly title: string;
  readonly onCommand: (cmd: DashboardCommand) => void;
  /** Called after each commit with how long React took to render and commit the frame (ms). */
  readonly onCommit?: (ms: number) => void;
}

export function LiveDashboard({ state$, initial, title, onCommand, onCommit }: LiveDashboardProps) {
  const [state, setState] = useState(initial);
  // Render start (this body runs first, the panels below it in the same pass) → commit: React's cost of a frame.
  const renderStart = useRef(0);
  renderStart.current = performance.now();
  useEffect(() => {
    const sub = state$.subscribe({ next: setState });
    return () => sub.unsubscribe();
  }, [state$]);
  useLayoutEffect(() => {
    onCommit?.(performance.now() - renderStart.current);
  }, [state, onCommit]);
  return <App state={state} title={title} onCommand={onCommand} />;
}
