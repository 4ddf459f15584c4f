#!/usr/bin/env bash
# Shows the dashboard during a paced replay of the bundled fixture day (2025-03-10) in a detached tmux session:
# waits until the day's first bracket has been filled (an open position on screen), captures the screen into
# docs/tui-replay.txt (or $1) and prints it, then quits — `q` asks first because a position is open, `y` confirms.
#
#   scripts/tui-demo.sh [OUT]        SPEED=1|10|60|max (default 10)  FROM=HH:MM[:SS] ET fast-forward (default 12:46:30)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tui-demo: tmux is required (apt-get install -y tmux)" >&2; exit 1; }
OUT=${1:-docs/tui-replay.txt}
SPEED=${SPEED:-10}
FROM=${FROM:-12:46:30}
SESSION="dreambot-tui-demo-$$"
tmux new-session -d -s "$SESSION" -x 124 -y 40 "npx tsx src/cli/tui/demoReplay.ts --speed $SPEED --from $FROM; sleep 5"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT

for _ in $(seq 1 240); do
  if tmux capture-pane -p -t "$SESSION" | grep -Eq 'filled +1/1'; then break; fi
  sleep 0.5
done
sleep "${SETTLE:-3}"
mkdir -p "$(dirname "$OUT")"
# Drop the pane's trailing blank lines.
tmux capture-pane -p -t "$SESSION" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$OUT"
cat "$OUT"

tmux send-keys -t "$SESSION" q
sleep 0.7
echo "after q: $(tmux capture-pane -p -t "$SESSION" | grep -E 'Quit|quit' | tail -1)"
tmux send-keys -t "$SESSION" y
sleep 1.5
echo "after y: $(tmux capture-pane -p -t "$SESSION" | grep -E 'dashboard closed' | tail -1)"
