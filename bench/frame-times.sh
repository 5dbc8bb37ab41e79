#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Frame times of the real window, as a person pans and zooms: the app runs
# under Xvfb with GSK_RENDERER=cairo and CM_FRAME_STATS=1, which makes the
# canvas print the time of every frame that drew the map, from the frame
# clock's before-paint to its after-paint (in GTK 4.8 the draw function only
# records; the renderer plays the recording back after it).  xdotool turns
# the mouse wheel (pans), Ctrl+wheel (zooms), drags the map, drags an
# actor, and pans and zooms the edited map ("edited").  Then the
# start-up: exec to the first frame painted, with the bundled example.
#
#   bench/frame-times.sh [-C BUILD] [--sizes 2000,20000]
#                        [--families diplomatic,scale-free] [--out DIR] [--runs N]
#
# Needs the test packages of setup.sh (xvfb, xdotool, dbus) and a build
# (default build-perf, `meson setup build-perf --buildtype=release`).
set -euo pipefail

cd "$(dirname "$0")/.."
src=$(pwd)
build=build-perf
sizes=2000,20000
families=diplomatic,scale-free
out=
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    -C) build=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --families) families=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [-C BUILD] [--sizes N,…] [--families NAME,…] [--out DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" && pwd)
app=$build/src/ui/channel-map
bench=$build/bench/cm-bench
[ -x "$app" ] && [ -x "$bench" ] || { echo "$0: build $build first (meson compile -C $build)" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/cm-frames.XXXXXX")
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The maps, laid out once by our own export (so the window opens them
# with positions and does not animate a layout).
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a family_list <<<"$families"
maps=()
for f in "${family_list[@]}"; do
  for n in "${size_list[@]}"; do
    "$bench" --generate --families "$f" --sizes "$n" --out "$out" >/dev/null
    "$app" --export "$out/$f-$n.map.json" "$out/$f-$n.json"
    maps+=("$out/$f-$n.map.json")
  done
done

# shellcheck source=/dev/null
source "$src/../shared/tools/gui_session.sh"
gui_start --size 1280x800 --out "$out/session" --no-atspi

export CM_FRAME_STATS=1 GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data

log=$out/session/app.log

# Median, 95th percentile and maximum of the frame times in lines FROM..TO
# of the log.
stats() {
  sed -n "$(($1 + 1)),$2p" "$log" | sed -n 's/^cm-frame-stats: frame ms=\([0-9.]*\).*/\1/p' |
    python3 -c '
import sys
v = sorted(float(x) for x in sys.stdin if x.strip())
if not v:
    print("no frames"); sys.exit()
p = lambda q: v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
print(f"{len(v):4d} frames  median {p(0.5):7.2f} ms  p95 {p(0.95):7.2f} ms  max {v[-1]:7.2f} ms")'
}

lines() { wc -l <"$log"; }

# The app we launched, by its pid; it must be gone (and its D-Bus name
# free) before the next launch, or that one hands its file over and exits.
stop_app() {
  if [ -n "${GUI_APP_PID:-}" ] && kill -0 "$GUI_APP_PID" 2>/dev/null; then
    kill "$GUI_APP_PID"
    for _ in $(seq 50); do kill -0 "$GUI_APP_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  sleep 0.5
}

# Ctrl+wheel: six steps in, a pause, six out, a pause.
zoom_in_and_out() {
  xdotool keydown ctrl
  for _ in $(seq 6); do xdotool click 4; sleep 0.05; done
  xdotool keyup ctrl
  sleep 0.4
  xdotool keydown ctrl
  for _ in $(seq 6); do xdotool click 5; sleep 0.05; done
  xdotool keyup ctrl
  sleep 0.4
}

# A drag with the left button from (X, Y) in the window, 40 moves of
# (DX, DY), one a frame.
drag_from() {
  xdotool mousemove --window "$wid" "$1" "$2" mousedown 1
  for i in $(seq 40); do xdotool mousemove --window "$wid" $(($1 + i * $3)) $(($2 + i * $4)); sleep 0.016; done
  xdotool mouseup 1
}

printf '%-28s %-6s %s\n' "map" "what" "frame times (before-paint → after-paint)"
for map in "${maps[@]}"; do
  name=$(basename "$map" .map.json)
  gui_launch "$app" "$map"
  wid=$(gui_wait_window 'Channel Map' 60)
  xdotool windowsize "$wid" 1280 800 windowmove "$wid" 0 0
  # The first frames (fit, first full drawing) are start-up, not panning:
  # wait for the first, then for the window to settle.
  for _ in $(seq 600); do grep -q 'first-frame' "$log" && break; sleep 0.1; done
  sleep 3
  xdotool mousemove --window "$wid" 700 450

  # Pans: the wheel scrolls the map, Shift+wheel sideways; a click every
  # 30 ms, faster than frames come at 20 000 actors.
  a=$(lines)
  for _ in $(seq 20); do xdotool click 5; sleep 0.03; done
  for _ in $(seq 20); do xdotool keydown shift click 5 keyup shift; sleep 0.03; done
  for _ in $(seq 20); do xdotool click 4; sleep 0.03; done
  for _ in $(seq 20); do xdotool keydown shift click 4 keyup shift; sleep 0.03; done
  sleep 1
  b=$(lines)
  printf '%-28s %-6s %s\n' "$name" pan "$(stats "$a" "$b")"

  # Zooms: Ctrl+wheel in and out about the pointer, in bursts, with pauses
  # that let the picture settle (those settling frames count too).
  a=$(lines)
  for _ in 1 2 3; do zoom_in_and_out; done
  sleep 1
  b=$(lines)
  printf '%-28s %-6s %s\n' "$name" zoom "$(stats "$a" "$b")"

  # A drag of the map with the mouse (a pan too, but by pointer motion).
  a=$(lines)
  drag_from 640 400 6 3
  sleep 1
  b=$(lines)
  printf '%-28s %-6s %s\n' "$name" drag "$(stats "$a" "$b")"

  # An actor dragged: search finds one and centres it, and the drag
  # starts at the canvas's centre (which the app prints).
  xdotool key ctrl+f
  sleep 0.5
  xdotool type --delay 20 'Org 1'
  xdotool key Return
  sleep 2
  centre=$(sed -n 's/^cm-frame-stats: canvas-centre x=\([0-9]*\) y=\([0-9]*\)$/\1 \2/p' "$log" | tail -1)
  read -r cx cy <<<"$centre"
  a=$(lines)
  drag_from "$cx" "$cy" 4 2
  sleep 1
  b=$(lines)
  printf '%-28s %-6s %s\n' "$name" actor "$(stats "$a" "$b")"

  # Pans and zooms again, now that the map has been edited.
  xdotool mousemove --window "$wid" 700 450
  a=$(lines)
  for _ in $(seq 20); do xdotool click 5; sleep 0.03; done
  for _ in $(seq 20); do xdotool click 4; sleep 0.03; done
  zoom_in_and_out
  sleep 1
  b=$(lines)
  printf '%-28s %-6s %s\n' "$name" edited "$(stats "$a" "$b")"

  cp "$log" "$out/$name.log"
  stop_app
done

# Start-up: exec to the first frame of the window with the bundled example,
# warm (the first run fills the caches and is not counted).
example=$src/data/examples/moscow-washington-2022.json
times=()
for i in $(seq 0 "$runs"); do
  gui_launch "$bench" --exec-stamp -- "$app" "$example"
  for _ in $(seq 200); do grep -q 'first-frame' "$log" && break; sleep 0.05; done
  t0=$(sed -n 's/^cm-bench: exec monotonic-us=\([0-9]*\).*/\1/p' "$log" | head -1)
  t1=$(sed -n 's/^cm-frame-stats: first-frame monotonic-us=\([0-9]*\).*/\1/p' "$log" | head -1)
  stop_app
  if [ -z "$t0" ] || [ -z "$t1" ]; then
    echo "start-up run $i: no first frame; log:" >&2
    cat "$log" >&2
    continue
  fi
  [ "$i" -eq 0 ] && continue
  times+=("$(( (t1 - t0) / 1000 ))")
done
printf '%-28s %-6s %s\n' "example (warm)" start "$(printf '%s\n' "${times[@]}" | sort -n |
  python3 -c 'import sys; v=[int(x) for x in sys.stdin]; print(f"{len(v)} runs  median {v[len(v)//2]} ms  min {v[0]} ms  max {v[-1]} ms  (exec to first frame)")')"
echo "logs in $out"
gui_stop
