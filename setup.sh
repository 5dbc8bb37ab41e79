#!/usr/bin/env bash
# Channel Map: set up a Debian 12 machine, build, and run the app or the tests.
#
#   ./setup.sh run     install what is missing, build, open the app on the example
#   ./setup.sh test    install what is missing, build (warnings are errors), run every test
#
# Both are idempotent: packages already installed are not touched, an
# existing build directory is reused.  Installing needs root or sudo.
set -euo pipefail

cd "$(dirname "$0")"
mode=${1:-}
case "$mode" in
  run|test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

# What building needs.
build_packages=(
  meson ninja-build gcc pkg-config gettext libgraphviz-dev
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libcairo2-dev libpango1.0-dev
  libglib-testing-0-dev
  desktop-file-utils appstream libxml2-utils
  fonts-cantarell fonts-dejavu-core
)
# What the tests need besides: a virtual display, a D-Bus session, the
# accessibility bus and tools to drive the real window from outside.
test_packages=(
  xvfb xauth xdotool imagemagick dbus dbus-bin at-spi2-core
  python3-gi gir1.2-atspi-2.0 librsvg2-bin
  graphviz   # sfdp and neato: the yardstick of bench/cm-bench
)

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$mode" = run ]; then
  [ -d build ] || meson setup build
  meson compile -C build
  exec ./build/src/ui/channel-map data/examples/moscow-washington-2022.json
fi

# Tests, twice, as CI does: a build with -Werror (build-test), then the same
# suite in a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan), where any memory error, any leak but those in
# tests/lsan.supp, and any undefined behaviour fails the test.
status=0

summary () {
  # One summary line per build, whatever the runner printed above.
  python3 - "$1/meson-logs/testlog.json" "$1" <<'PY' || true
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print(f"{sys.argv[2]}: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

run_suite () {
  local dir=$1
  shift
  [ -d "$dir" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
    meson test -C "$dir" --print-errorlogs --num-processes 2 || status=$?
}

run_suite build-test --werror
# -Db_lundef=false: the sanitizer runtimes resolve symbols at load time.
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false
summary build-test
summary build-asan
exit $status
