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
  clang libclang-rt-14-dev   # the libFuzzer targets (build-fuzz)
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

# Tests, three times, as CI does: a build with -Werror (build-test), then
# the same suite in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan), where any memory error, any leak
# but those in tests/lsan.supp, and any undefined behaviour fails the test;
# then the libFuzzer targets for a minute in all (build-fuzz, clang).
status=0

# Writes, per build, the names of the tests that failed (one per line) to
# DIR/failed-tests, and prints a summary line.  With "details", also the
# end of each failed test's output, so the last screen of a CI log says
# which test failed and why.
summary () {
  python3 - "$1" "${2:-}" <<'PY' || true
import json, os, sys
build, details = sys.argv[1], sys.argv[2] == "details"
logs = os.path.join(build, "meson-logs")
def read(name):
    path = os.path.join(logs, name)
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []
# After a second run of the failed tests, their results replace the first.
results = {r["name"]: r for r in read("testlog-first.json")}
results.update({r["name"]: r for r in read("testlog.json")})
passed = failed = skipped = 0
failures = []
for r in results.values():
    if r["result"] in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r["result"] == "SKIP": skipped += 1
    else:
        failed += 1
        failures.append(r)
with open(os.path.join(build, "failed-tests"), "w") as f:
    for r in failures:
        f.write(r["name"].split(" / ")[-1] + "\n")
if details:
    for r in failures:
        print(f"---- {build}: {r['name']} {r['result']} (exit {r['returncode']}), the end of its output:")
        print("\n".join((r.get("stdout") or "").splitlines()[-25:]))
print(f"{build}: {passed} passed, {failed} failed, {skipped} skipped"
      + (": " + ", ".join(r["name"] for r in failures) if failures else ""))
PY
}

run_tests () {
  local dir=$1
  shift
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
    meson test -C "$dir" --print-errorlogs "$@"
}

# A test that fails is run once more, alone.  It is reported either way:
# failing twice fails the run; passing the second time is printed as
# FLAKY with the output of the first failure, to be fixed, not forgotten.
run_suite () {
  local dir=$1 failed_first
  shift
  [ -d "$dir" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
  rm -f "$dir/meson-logs/testlog-first.json"
  run_tests "$dir" --num-processes 2 && return 0
  summary "$dir" details
  mapfile -t failed_first < "$dir/failed-tests"
  [ ${#failed_first[@]} -gt 0 ] || { status=1; return; }
  cp "$dir/meson-logs/testlog.json" "$dir/meson-logs/testlog-first.json"
  echo "Running again, alone: ${failed_first[*]}"
  if run_tests "$dir" --num-processes 1 "${failed_first[@]}"; then
    echo "FLAKY in $dir (failed once, then passed): ${failed_first[*]}"
    flaky+=("$dir: ${failed_first[*]}")
  else
    status=1
  fi
}

flaky=()
run_suite build-test --werror
# -Db_lundef=false: the sanitizer runtimes resolve symbols at load time.
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false
[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzzing=true \
  -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-fuzz
meson test -C build-fuzz --suite fuzz --print-errorlogs --num-processes 1 || status=1
summary build-test details
summary build-asan details
summary build-fuzz details
for f in "${flaky[@]}"; do
  echo "FLAKY: $f; the end of the first run's output:"
  python3 - "${f%%:*}/meson-logs/testlog-first.json" <<'PY' || true
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["result"] not in ("OK", "EXPECTEDFAIL", "SKIP"):
        print(f"---- {r['name']} {r['result']}:")
        print("\n".join((r.get("stdout") or "").splitlines()[-25:]))
PY
done
exit $status
