import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { HelpLine } from './HelpLine.js';

describe('HelpLine', () => {
  it('lists the keys', () => {
    expect(render(<HelpLine prompt={null} />).lastFrame()).toBe('k kill switch  p pause new entries  r resume  q quit');
  });
  it('shows a pending question instead', () => {
    expect(render(<HelpLine prompt="Really?" />).lastFrame()).toBe(' Really?  y = yes, any other key = cancel');
  });
});
