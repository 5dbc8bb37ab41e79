#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks of the files in data/ and po/, one check per call:
#
#   test-data.sh desktop   DESKTOP-FILE-VALIDATE DESKTOP-FILE SERVICE-FILE
#   test-data.sh appstream APPSTREAMCLI METAINFO-FILE
#   test-data.sh schemas   GLIB-COMPILE-SCHEMAS SCHEMA-DIR
#   test-data.sh svg       XMLLINT SVG-FILE...
#   test-data.sh po        MSGFMT PO-DIR
#   test-data.sh potfiles  SOURCE-ROOT
#
# A tool that meson did not find is passed as an empty string; the check is
# then skipped (exit 77) rather than passed.  Exit 1 means the check failed.

set -u

app_id=io.github.channelmap.ChannelMap

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

need_tool () {
  if [ -z "$1" ] || [ ! -x "$1" ]; then
    echo "SKIP: $2 was not found" >&2
    exit 77
  fi
}

check_desktop () {
  tool=$1 desktop=$2 service=$3
  need_tool "$tool" desktop-file-validate
  [ -f "$desktop" ] || fail "$desktop does not exist"
  echo "# $tool $desktop"
  out=$("$tool" "$desktop" 2>&1)
  status=$?
  [ -n "$out" ] && echo "$out"
  [ $status -eq 0 ] || fail "desktop-file-validate rejects $desktop"
  # desktop-file-validate passes hints; treat them as failures as well, so the
  # entry stays clean.
  if echo "$out" | grep -q 'hint:'; then
    fail "desktop-file-validate has hints for $desktop"
  fi

  # The entry is D-Bus activatable: its name must be the application id, and
  # the D-Bus service must start the program as a GApplication service.
  [ "$(basename "$desktop")" = "$app_id.desktop" ] ||
    fail "the desktop file must be named $app_id.desktop"
  grep -qx 'DBusActivatable=true' "$desktop" || fail "DBusActivatable=true is missing"
  grep -qx "Icon=$app_id" "$desktop" || fail "Icon=$app_id is missing"
  [ -f "$service" ] || fail "$service does not exist"
  grep -qx '\[D-BUS Service\]' "$service" || fail "$service has no [D-BUS Service] group"
  grep -qx "Name=$app_id" "$service" || fail "$service does not name $app_id"
  grep -qE '^Exec=/.*/channel-map --gapplication-service$' "$service" ||
    fail "$service must Exec an absolute path to channel-map with --gapplication-service"
  echo "ok: $desktop and $service"
}

check_appstream () {
  tool=$1 metainfo=$2
  need_tool "$tool" appstreamcli
  [ -f "$metainfo" ] || fail "$metainfo does not exist"
  echo "# $tool validate --no-net $metainfo"
  out=$("$tool" validate --no-net "$metainfo" 2>&1)
  status=$?
  echo "$out"
  [ $status -eq 0 ] || fail "appstreamcli rejects $metainfo"
  # appstreamcli exits 0 with warnings in some versions: count them as
  # failures too.  Pedantic and info notes are allowed.
  if echo "$out" | grep -qE '^[[:space:]]*[EW]: '; then
    fail "appstreamcli reports errors or warnings for $metainfo"
  fi
  echo "ok: $metainfo"
}

check_schemas () {
  tool=$1 dir=$2
  need_tool "$tool" glib-compile-schemas
  ls "$dir"/*.gschema.xml >/dev/null 2>&1 || fail "no schema in $dir"
  [ -f "$dir/$app_id.gschema.xml" ] || fail "$dir/$app_id.gschema.xml does not exist"
  echo "# $tool --strict --dry-run $dir"
  "$tool" --strict --dry-run "$dir" || fail "glib-compile-schemas rejects the schemas in $dir"
  grep -q 'gettext-domain="channel-map"' "$dir/$app_id.gschema.xml" ||
    fail "the schema has no gettext-domain=\"channel-map\""
  echo "ok: $dir/$app_id.gschema.xml"
}

check_svg () {
  tool=$1
  shift
  need_tool "$tool" xmllint
  [ $# -gt 0 ] || fail "no SVG given"
  for svg in "$@"; do
    echo "# $tool --noout $svg"
    "$tool" --noout "$svg" || fail "$svg is not well-formed XML"
    # Icons are self-contained: no external files, fonts or links.
    if grep -qiE '(href|src)="(https?:|file:|[^#"])' "$svg"; then
      fail "$svg refers to something outside itself"
    fi
    grep -q '<svg[^>]*xmlns="http://www.w3.org/2000/svg"' "$svg" ||
      fail "$svg has no SVG root element"
    case "$svg" in
      *-symbolic.svg)
        # GTK recolours symbolic icons by overriding fill: they must be
        # 16x16 and drawn with fills of the one colour #2e3436, no strokes.
        grep -q 'viewBox="0 0 16 16"' "$svg" || fail "$svg is not 16x16"
        if grep -q 'stroke' "$svg"; then
          fail "$svg uses strokes; symbolic icons must be fills only"
        fi
        others=$(grep -oiE '#[0-9a-f]{6}\b|#[0-9a-f]{3}\b' "$svg" | tr 'A-F' 'a-f' | grep -v '^#2e3436$' | sort -u)
        [ -z "$others" ] || fail "$svg uses colours other than #2e3436: $others"
        ;;
      *)
        grep -q 'viewBox="0 0 128 128"' "$svg" || fail "$svg is not 128x128"
        ;;
    esac
  done
  echo "ok: $# icons"
}

check_po () {
  tool=$1 podir=$2
  need_tool "$tool" msgfmt
  [ -f "$podir/LINGUAS" ] || fail "$podir/LINGUAS does not exist"
  langs=$(sed -e 's/#.*//' "$podir/LINGUAS" | tr -s '[:blank:]' '\n' | grep -v '^$')
  [ -n "$langs" ] || fail "$podir/LINGUAS lists no language"
  for po in "$podir"/*.po; do
    [ -f "$po" ] || continue
    lang=$(basename "$po" .po)
    echo "$langs" | grep -qx "$lang" || fail "$po is not listed in LINGUAS"
  done
  for lang in $langs; do
    po=$podir/$lang.po
    [ -f "$po" ] || fail "LINGUAS lists $lang, but $po does not exist"
    echo "# $tool --check --statistics $po"
    "$tool" --check --statistics -o /dev/null "$po" || fail "msgfmt rejects $po"
  done
  echo "ok: $(echo "$langs" | tr '\n' ' ' | sed 's/ $//')"
}

# Files that hold translatable strings: C sources that mark strings with _(),
# N_(), C_(), NC_(), Q_() or call g_dngettext()/ngettext(), builder files with
# translatable="yes", and the data files that are translated through po/.
translatable_files () {
  root=$1
  (
    cd "$root" || exit 1
    for dir in src ui; do
      [ -d "$dir" ] || continue
      find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -exec \
        grep -lE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2|ngettext)[[:space:]]*\(' -- {} +
      find "$dir" -type f -name '*.ui' -exec grep -l 'translatable="yes"' -- {} +
    done
    if [ -d data ]; then
      find data -maxdepth 1 -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
        -o -name '*.appdata.xml.in' -o -name '*.gschema.xml' \) -print
      find data -maxdepth 1 -type f -name '*.ui' -exec grep -l 'translatable="yes"' -- {} +
    fi
  ) | sed 's|^\./||' | sort -u
}

check_potfiles () {
  root=$1
  potfiles=$root/po/POTFILES.in
  [ -f "$potfiles" ] || fail "$potfiles does not exist"
  listed=$(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$potfiles" | grep -v '^$' | sort)
  status=0
  # Every listed file must exist, or xgettext fails.
  for f in $listed; do
    if [ ! -f "$root/$f" ]; then
      echo "po/POTFILES.in lists $f, which does not exist" >&2
      status=1
    fi
  done
  # Every file with translatable strings must be listed.
  for f in $(translatable_files "$root"); do
    if ! echo "$listed" | grep -qxF "$f"; then
      echo "$f has translatable strings but is missing from po/POTFILES.in" >&2
      status=1
    fi
  done
  # A file listed twice gives duplicate entries in the template.
  dups=$(echo "$listed" | uniq -d)
  if [ -n "$dups" ]; then
    echo "po/POTFILES.in lists more than once: $dups" >&2
    status=1
  fi
  [ $status -eq 0 ] || fail "po/POTFILES.in is not complete"
  echo "ok: po/POTFILES.in lists all $(echo "$listed" | wc -l) files with translatable strings"
}

[ $# -ge 1 ] || { echo "usage: $0 CHECK ARGS..." >&2; exit 2; }
check=$1
shift
case "$check" in
  desktop)   [ $# -eq 3 ] || exit 2; check_desktop "$@" ;;
  appstream) [ $# -eq 2 ] || exit 2; check_appstream "$@" ;;
  schemas)   [ $# -eq 2 ] || exit 2; check_schemas "$@" ;;
  svg)       [ $# -ge 1 ] || exit 2; check_svg "$@" ;;
  po)        [ $# -eq 2 ] || exit 2; check_po "$@" ;;
  potfiles)  [ $# -eq 1 ] || exit 2; check_potfiles "$@" ;;
  *) echo "unknown check: $check" >&2; exit 2 ;;
esac
