#!/usr/bin/env bash
# Measures what the projector costs while it sits showing a countdown: CPU (% of one core)
# and memory, over 60 seconds, for the release binary under Xvfb at 1280x720, full screen,
# drawn by the renderer lectern picks: under Xvfb, without a GPU, the CPU one
# (LECTERN_ARGS="--renderer gl" measures OpenGL, that is Mesa llvmpipe). Also reports the
# time to the first frame and the size of the binary.
#
# The room's server runs as it does by default, with CLIENTS idle WebSocket clients connected
# (default 10) as a speaker's monitor and phones would be.
#
#   scripts/measure-idle.sh [SECONDS]        (default 60)
#   CLIENTS=0 scripts/measure-idle.sh        (no clients)
#   BINARY=target/release/lectern LECTERN_RENDERER=wgpu scripts/measure-idle.sh
#   LECTERN_ARGS="fosdem.xml --timezone Europe/Brussels --overview --at 2010-02-06T14:10" \
#     scripts/measure-idle.sh             (the hallway screen instead of the projector)
#   BROWSER=1 scripts/measure-idle.sh     (and, in the same run and on a screen of the same
#                                          size, Chromium in kiosk mode on lectern's own
#                                          /projector page: the browser-based alternative)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
binary=${BINARY:-target/release/lectern}
[ -x "$binary" ] || cargo build --release --quiet

display_number=$((100 + RANDOM % 800))
runtime_dir=$(mktemp -d)
Xvfb ":$display_number" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
app_pid=""
log=$(mktemp)
client_pids=()
browser_xvfb_pid=""
browser_pid=""
browser_dir=$(mktemp -d)
cleanup() {
  [ -n "$browser_pid" ] && kill "$browser_pid" 2>/dev/null || true
  [ -n "$browser_xvfb_pid" ] && kill "$browser_xvfb_pid" 2>/dev/null || true
  for pid in "${client_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
  sleep 0.5
  rm -rf "$runtime_dir" "$log" "$browser_dir"
}
trap cleanup EXIT
sleep 0.5

ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

clients=${CLIENTS:-10}
port=$((20000 + RANDOM % 20000))
# The built-in program in rehearsal: a live countdown that changes every second.
DISPLAY=":$display_number" XDG_RUNTIME_DIR="$runtime_dir" XDG_STATE_HOME="$runtime_dir" \
  LECTERN_REPORT_STARTUP=1 \
  "$binary" ${LECTERN_ARGS:-} --fullscreen --size 1280x720 --listen "127.0.0.1:$port" 2>"$log" &
app_pid=$!
# Let it start and settle before measuring.
sleep 5
kill -0 "$app_pid" 2>/dev/null || { cat "$log" >&2; echo "lectern exited" >&2; exit 1; }
# Idle WebSocket clients: each opens /api/v1/events and then only holds the connection.
client_pids=()
for _ in $(seq 1 "$clients"); do
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n' >&3
    exec sleep $((seconds + 30))
  ) &
  client_pids+=($!)
done
# Chromium's processes are found by the profile folder each of them is started with.
browser_pids() { pgrep -f -- "--user-data-dir=$browser_dir" || true; }
browser_ticks() { local total=0 pid; for pid in $(browser_pids); do total=$((total + $(cpu_ticks "$pid" 2>/dev/null || echo 0))); done; echo "$total"; }
browser_kib() { local total=0 pid value; for pid in $(browser_pids); do value=$(awk -v key="$1" '$1 == key {print $2}' "/proc/$pid/$2" 2>/dev/null || echo 0); total=$((total + ${value:-0})); done; echo "$total"; }
if [ -n "${BROWSER:-}" ]; then
  browser_display=$((display_number + 1))
  Xvfb ":$browser_display" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
  browser_xvfb_pid=$!
  sleep 0.5
  DISPLAY=":$browser_display" "${CHROMIUM:-chromium}" --kiosk --no-sandbox --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-quic \
    --window-size=1280,720 --user-data-dir="$browser_dir" "http://127.0.0.1:$port/projector" \
    >/dev/null 2>&1 &
  browser_pid=$!
  sleep 8
fi
sleep 1
app_before=$(cpu_ticks "$app_pid")
xvfb_before=$(cpu_ticks "$xvfb_pid")
browser_before=$(browser_ticks)
sleep "$seconds"
app_after=$(cpu_ticks "$app_pid")
xvfb_after=$(cpu_ticks "$xvfb_pid")
browser_after=$(browser_ticks)

percent() { awk -v t="$1" -v hz="$ticks_per_second" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }'; }
rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$app_pid/status")
pss_kib=$(awk '/^Pss:/ {print $2}' "/proc/$app_pid/smaps_rollup" 2>/dev/null || echo 0)
renderer=$(grep -o 'renderer [a-z]* ([^)]*)' "$log" | head -n 1 | sed 's/^renderer //' || true)
echo "renderer:       ${renderer:-unknown}${LECTERN_RENDERER:+ (LECTERN_RENDERER=$LECTERN_RENDERER)}"
echo "measured:       ${seconds} s, 1280x720 full screen, ${LECTERN_ARGS:-the projector with a countdown ticking once a second}"
echo "server:         127.0.0.1:$port, $clients idle WebSocket clients"
echo "lectern CPU:    $(percent $((app_after - app_before))) % of one core"
echo "Xvfb CPU:       $(percent $((xvfb_after - xvfb_before))) % of one core (the X server drawing it)"
echo "lectern RSS:    $((rss_kib / 1024)) MiB"
echo "lectern PSS:    $((pss_kib / 1024)) MiB"
if [ -n "${BROWSER:-}" ]; then
  echo "Chromium CPU:   $(percent $((browser_after - browser_before))) % of one core (kiosk on /projector, $(browser_pids | wc -w) processes)"
  echo "Chromium RSS:   $(($(browser_kib VmRSS: status) / 1024)) MiB (summed over its processes)"
  echo "Chromium PSS:   $(($(browser_kib Pss: smaps_rollup) / 1024)) MiB"
fi
grep -o 'first frame drawn [0-9]* ms after start[^\n]*' "$log" | sed 's/^/startup:        /' || true
echo "binary size:    $(du -m "$binary" | cut -f1) MiB ($(stat -c %s "$binary") bytes)"
