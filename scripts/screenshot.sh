#!/usr/bin/env bash
# Runs the real lectern binary under Xvfb with a stopped rehearsal clock and writes a PNG of
# the projector.
#
#   scripts/screenshot.sh TIME [ROOM] [-- EXTRA LECTERN ARGUMENTS]
#   scripts/screenshot.sh 2013-05-13T09:20
#   OUT=docs/break.png SIZE=1920x1080 scripts/screenshot.sh 2013-05-13T10:40
#
# TIME is read in the schedule's time zone. SCHEDULE (default: the built-in HotOS 2013
# program), SIZE (default 1280x720), OUT (default screenshot-TIME.png) and BINARY (default
# target/release/lectern, built if missing) can be set in the environment. Needs xvfb and
# imagemagick.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
time_arg=$1
shift
room_args=()
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  room_args=(--room "$1")
  shift
fi
[ "${1:-}" = "--" ] && shift

size=${SIZE:-1280x720}
out=${OUT:-screenshot-${time_arg//:/}.png}
binary=${BINARY:-target/release/lectern}
[ -x "$binary" ] || cargo build --release --quiet
schedule_args=()
[ -n "${SCHEDULE:-}" ] && schedule_args=("$SCHEDULE")

display_number=$((100 + RANDOM % 800))
runtime_dir=$(mktemp -d)
Xvfb ":$display_number" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$runtime_dir"
}
trap cleanup EXIT
sleep 0.5

DISPLAY=":$display_number" XDG_RUNTIME_DIR="$runtime_dir" XDG_STATE_HOME="$runtime_dir" "$binary" "${schedule_args[@]}" \
  --at "$time_arg" --speed 0 --size "$size" "${room_args[@]}" "$@" &
app_pid=$!
# Wait until the window has drawn (software rendering can take a moment on a busy machine).
sleep "${WAIT:-3}"
if ! kill -0 "$app_pid" 2>/dev/null; then
  echo "lectern exited before the screenshot" >&2
  exit 1
fi
DISPLAY=":$display_number" import -window root "$out"
echo "$out"
