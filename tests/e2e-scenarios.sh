#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end, more of what a person does, driven from outside the real
# channel-map in a private headless X session (tools/gui_session.sh):
#
#  1. the dark style (ADW_DEBUG_COLOR_SCHEME=prefer-dark): the start page
#     and the map are dark, checked on screenshots' pixels; the main menu's
#     Style: Light makes it light, Follow System dark again;
#  2. Open Example through AT-SPI; Re-arrange (Ctrl+Shift+R) changes the
#     map: the title gets its marker;
#  3. the export dialog by keyboard only: Ctrl+E, Enter, the name, Enter;
#  4. a narrow window (800×600): the zoom buttons do not cover the legend;
#  5. unsaved changes: Ctrl+W asks, Cancel (pressed through AT-SPI) keeps
#     the window; Ctrl+Q asks, Discard quits;
#  6. LANGUAGE=ru: the window and its start page are in Russian.
#
# Screenshots of every step stay in OUT.
#
# usage: e2e-scenarios.sh CHANNEL_MAP_BINARY [OUT_DIR]
# env:   CM_SHARED_DIR (the shared folder with tools/), CM_SOURCE_ROOT
set -u

app=${1:?usage: e2e-scenarios.sh CHANNEL_MAP_BINARY [OUT_DIR]}
out=${2:-e2e-scenarios-artifacts}
shared=${CM_SHARED_DIR:-$(dirname "$0")/../../shared}

for tool in Xvfb xdotool import convert dbus-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool is not installed"
    exit 77
  fi
done
[ -f "$shared/tools/gui_session.sh" ] || { echo "no $shared/tools/gui_session.sh" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export_to=$out/keyboard-export.png

# shellcheck source=/dev/null
source "$shared/tools/gui_session.sh"

step() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "FAIL: $*" >&2; gui_screenshot "failure.png" || true; tail -30 "$out/app.log" >&2 || true; exit 1; }

# Luma (0 black … 1 white) of the pixel at X,Y of a screenshot in OUT.
luma() { convert "$out/$1" -crop "1x1+$2+$3" -format '%[fx:luma]' info:; }
is_dark() { awk -v l="$1" 'BEGIN { exit !(l < 0.3) }'; }

# The extents (x y w h, in the window) of the first accessible named NAME.
extents() {
  "$GUI_PYTHON" -W ignore - "$1" <<'PY'
import sys
import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi
def walk(acc):
    yield acc
    for i in range(acc.get_child_count()):
        c = acc.get_child_at_index(i)
        if c is not None:
            yield from walk(c)
d = Atspi.get_desktop(0)
for i in range(d.get_child_count()):
    app = d.get_child_at_index(i)
    if app is None or app.get_name() != "channel-map":
        continue
    for acc in walk(app):
        if acc.get_name() == sys.argv[1]:
            e = acc.get_extents(Atspi.CoordType.WINDOW)
            print(e.x, e.y, e.width, e.height)
            sys.exit(0)
sys.exit(1)
PY
}

title_of() { xdotool getwindowname "$1" 2>/dev/null; }

wait_title() {   # WID REGEX [SECS]
  local i
  for i in $(seq $((${3:-10} * 10))); do
    title_of "$1" | grep -Eq "$2" && return 0
    sleep 0.1
  done
  return 1
}

# The tests' environment says GTK_A11Y=none; these steps need AT-SPI.
unset GTK_A11Y
gui_start --size 1280x800 --out "$out" || fail "could not start the session"
export GSETTINGS_BACKEND=memory LANGUAGE=C LC_ALL=C.UTF-8

step "1. the dark style"
ADW_DEBUG_COLOR_SCHEME=prefer-dark gui_launch "$app" || fail "could not launch $app"
gui_wait_window '^Channel Map$' 30 >/dev/null || fail "no window titled 'Channel Map'"
main=$GUI_WID
gui_settle 1
gui_screenshot 01-dark-start-page.png
l=$(luma 01-dark-start-page.png 60 400)
is_dark "$l" || fail "the start page is not dark (luma $l)"

step "2. Open Example, Re-arrange"
gui_atspi_press 'Open Example' 'push button' >/dev/null || fail "no Open Example button"
wait_title "$main" '^Moscow.*— Channel Map$' 20 || fail "the example did not open"
gui_focus "$main"
gui_settle 1
gui_screenshot 02-dark-map.png
l=$(luma 02-dark-map.png 30 120)
is_dark "$l" || fail "the map is not dark (luma $l)"

step "2b. Style: Light in the main menu, then back to Follow System"
gui_key F10
gui_settle 0.7
gui_atspi_press 'Light' 'radio menu item' >/dev/null || fail "no Light style in the main menu"
gui_settle 1
gui_screenshot 02b-light-map.png
l=$(luma 02b-light-map.png 30 120)
is_dark "$l" && fail "Style: Light left the map dark (luma $l)"
gui_focus "$main"
gui_key F10
gui_settle 0.7
gui_atspi_press 'Follow System' 'radio menu item' >/dev/null || fail "no Follow System style in the main menu"
gui_settle 1
gui_focus "$main"
gui_screenshot 02c-dark-again.png
l=$(luma 02c-dark-again.png 30 120)
is_dark "$l" || fail "Style: Follow System did not bring the dark style back (luma $l)"

gui_key ctrl+shift+r
wait_title "$main" '^• Moscow.*— Channel Map$' 10 || fail "Re-arrange did not mark the map modified"
gui_settle 2
gui_screenshot 03-rearranged.png

step "3. export by keyboard only"
gui_key ctrl+e
gui_wait_dialog '^Export Diagram$' 10 >/dev/null || fail "Ctrl+E showed no export dialog"
gui_settle 0.5
gui_screenshot 04-export-dialog.png
gui_key Return
gui_wait_dialog '^Export Diagram As$' 10 >/dev/null || fail "Enter in the export dialog showed no file chooser"
gui_settle 0.5
gui_key ctrl+a
gui_type "$export_to"
gui_settle 0.3
gui_key Return
for _ in $(seq 100); do [ -s "$export_to" ] && break; sleep 0.1; done
[ -s "$export_to" ] || fail "no file at $export_to"
[ "$(head -c 8 "$export_to" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
# Exported in the light style (the dialog's default), whatever the window's.
l=$(luma keyboard-export.png 5 5)
is_dark "$l" && fail "the exported PNG is dark (luma $l)"
gui_focus "$main"

step "4. a narrow window"
xdotool windowsize "$main" 800 600
gui_settle 1.5
gui_screenshot 05-narrow.png
read -r lx ly lw lh < <(extents 'Channels shown') || fail "no legend"
read -r zx zy zw zh < <(extents 'Zoom In') || fail "no Zoom In button"
echo "legend $lx,$ly ${lw}x$lh; zoom in $zx,$zy ${zw}x$zh" >&2
if [ $((zx < lx + lw && lx < zx + zw && zy < ly + lh && ly < zy + zh)) = 1 ]; then
  fail "the zoom buttons cover the legend"
fi

step "5. unsaved changes: Cancel keeps, Discard quits"
gui_focus "$main"
gui_key ctrl+w
gui_wait_dialog '^Save changes to' 10 >/dev/null || fail "Ctrl+W did not ask about the changes"
gui_settle 0.5
gui_screenshot 06-save-changes.png
gui_atspi_press 'Cancel' 'push button' >/dev/null || fail "no Cancel button named 'Cancel'"
gui_settle 1
gui_app_alive || fail "Cancel closed the app"
title_of "$main" | grep -q '^• ' || fail "Cancel lost the changes"
gui_focus "$main"
gui_key ctrl+q
gui_wait_dialog '^Save changes to' 10 >/dev/null || fail "Ctrl+Q did not ask about the changes"
gui_atspi_press 'Discard' 'push button' >/dev/null || fail "no Discard button named 'Discard'"
gui_wait_exit 10 || fail "Discard did not quit"

step "6. in Russian"
GUI_WID=''
LANGUAGE=ru gui_launch "$app" || fail "could not launch $app in Russian"
gui_wait_window '^Карта каналов$' 30 >/dev/null || fail "no window titled 'Карта каналов'"
gui_settle 1
gui_screenshot 07-russian-start-page.png
gui_atspi_wait_name '^Открыть набор данных…$' 10 >/dev/null || fail "the start page is not in Russian"
gui_focus "$GUI_WID"
gui_key ctrl+q
gui_wait_exit 10 || fail "Ctrl+Q did not quit"

echo "e2e-scenarios: all steps passed; screenshots in $out" >&2
exit 0
