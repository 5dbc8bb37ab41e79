#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end: drive the real channel-map from outside, as a person would,
# in a private headless X session (Xvfb, D-Bus, AT-SPI) started by the
# shared tools/gui_session.sh.  Launch; open the bundled example THROUGH
# THE FILE DIALOG (Ctrl+O, Ctrl+L, the path, Enter); select an actor from
# the keyboard; read one of its quotes from the side panel through AT-SPI;
# export a PNG through the export dialog and its file chooser; check the
# file; open a file from a second launch (it goes to the running instance);
# quit with Ctrl+Q.  Screenshots of every step stay in OUT.
#
# usage: e2e-gui.sh CHANNEL_MAP_BINARY [OUT_DIR]
# env:   CM_SHARED_DIR (the shared folder with tools/), CM_SOURCE_ROOT
set -u

app=${1:?usage: e2e-gui.sh CHANNEL_MAP_BINARY [OUT_DIR]}
out=${2:-e2e-gui-artifacts}
shared=${CM_SHARED_DIR:-$(dirname "$0")/../../shared}
root=${CM_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
example=$root/data/examples/moscow-washington-2022.json

for tool in Xvfb xdotool import dbus-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool is not installed"
    exit 77
  fi
done
[ -f "$shared/tools/gui_session.sh" ] || { echo "no $shared/tools/gui_session.sh" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export_to=$out/exported-map.png

# shellcheck source=/dev/null
source "$shared/tools/gui_session.sh"

step() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "FAIL: $*" >&2; gui_screenshot "failure.png" || true; tail -30 "$out/app.log" >&2 || true; exit 1; }

# The tests' environment says GTK_A11Y=none; this test needs AT-SPI.
unset GTK_A11Y
gui_start --size 1280x800 --out "$out" || fail "could not start the session"
export GSETTINGS_BACKEND=memory LANGUAGE=C LC_ALL=C.UTF-8

step "launch"
gui_launch "$app" || fail "could not launch $app"
gui_wait_window '^Channel Map$' 30 >/dev/null || fail "no window titled 'Channel Map'"
main=$GUI_WID
gui_settle 1
gui_screenshot 01-start-page.png
gui_atspi_wait_name '^Open Dataset…$' 10 >/dev/null || fail "the start page offers no 'Open Dataset…'"
gui_atspi_wait_name '^Open Example$' 10 >/dev/null || fail "the start page offers no 'Open Example'"

step "open the example through the file dialog"
gui_focus "$main"
gui_key ctrl+o
gui_wait_dialog '^Open Dataset$' 15 >/dev/null || fail "Ctrl+O showed no file dialog"
gui_settle 0.5
gui_screenshot 02-file-dialog.png
gui_key ctrl+l
gui_settle 0.3
gui_type "$example"
gui_settle 0.3
gui_key Return
gui_wait_window '^Moscow.*— Channel Map$' 20 >/dev/null || fail "the example did not open (title)"
gui_focus "$main"
gui_settle 1
gui_screenshot 03-map.png

step "select an actor from the keyboard (Tab walks actors)"
# After loading, the map has the focus; Tab selects the first actor, and
# so on: Russia, its Ministry of Foreign Affairs, Sergei Ryabkov.
gui_key Tab Tab Tab
gui_atspi_wait_name '^Map, selected: Sergei Ryabkov' 10 >/dev/null ||
  fail "Tab did not select Sergei Ryabkov"
gui_settle 0.5
gui_screenshot 04-actor-selected.png

step "read a quote from the side panel through AT-SPI"
gui_atspi_wait_name 'no direct, formal line of communication between Moscow and Washington' 10 ||
  fail "the side panel does not show Ryabkov's quote"

step "Escape clears the selection"
gui_key Escape
gui_atspi_wait_name '^Map of 12 actors' 10 >/dev/null || fail "Escape did not clear the selection"

step "export a PNG through the export dialog"
gui_key Tab Tab Tab
gui_key ctrl+e
gui_wait_dialog '^Export Diagram$' 10 >/dev/null || fail "Ctrl+E showed no export dialog"
export_dialog=$GUI_LAST_WID
gui_settle 0.5
gui_screenshot 05-export-dialog.png
gui_atspi_press 'Export…' 'push button' >/dev/null || fail "no Export… button"
gui_wait_dialog '^Export Diagram As$' 10 >/dev/null || fail "Export… showed no file chooser"
gui_settle 0.5
gui_screenshot 06-export-file-chooser.png
# The name field has the focus, with "TITLE.png" suggested: replace it
# with a full path.
gui_key ctrl+a
gui_type "$export_to"
gui_key Return
for _ in $(seq 100); do [ -s "$export_to" ] && break; sleep 0.1; done
[ -s "$export_to" ] || fail "no file at $export_to"
magic=$(head -c 8 "$export_to" | od -An -tx1 | tr -d ' \n')
[ "$magic" = 89504e470d0a1a0a ] || fail "$export_to is not a PNG ($magic)"
size=$(identify -format '%wx%h' "$export_to" 2>/dev/null || echo '?')
echo "exported $export_to ($size)" >&2
gui_atspi_wait_name '^Exported “exported-map.png”' 10 >/dev/null || fail "no toast confirmed the export"
gui_focus "$main"
gui_settle 0.5
gui_screenshot 07-exported.png
xdotool search --onlyvisible --name '^Export Diagram$' >/dev/null 2>&1 && fail "the export dialog is still open"
: "$export_dialog"

step "a second launch with a file goes to the running instance"
cp "$example" "$out/second-copy.json"
timeout 30 "$app" "$out/second-copy.json" >"$out/second-launch.log" 2>&1 ||
  fail "the second launch failed (see $out/second-launch.log)"
gui_app_alive || fail "the first instance went away"
for _ in $(seq 100); do
  n=$(xdotool search --onlyvisible --name '^Moscow.*— Channel Map$' 2>/dev/null | wc -l)
  [ "$n" -ge 2 ] && break
  sleep 0.1
done
[ "$n" -ge 2 ] || fail "the running instance did not open the file in a new window"
gui_settle 1
gui_screenshot 08-second-window.png

step "quit"
gui_focus "$main"
gui_key ctrl+q
gui_wait_exit 10 || fail "Ctrl+Q did not quit"

echo "e2e-gui: all steps passed; screenshots in $out" >&2
exit 0
