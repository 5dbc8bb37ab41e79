#!/usr/bin/env bash
# The layers stay clean: model, io, layout and render never include GTK,
# GDK or libadwaita, and the core's compile flags could not find them if
# they tried.  TAP output.
set -u
root=${CM_SOURCE_ROOT:?}
cc=${CC:-cc}
n=0 fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); fail=1; echo "not ok $n - $1"; }

bad=$(grep -RlE '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|adwaita\.h|gsk/)' \
        "$root/src/model" "$root/src/io" "$root/src/layout" "$root/src/render" 2>/dev/null)
if [ -z "$bad" ]; then ok "no core file includes GTK, GDK or libadwaita"
else not_ok "core files include GTK: $bad"; fi

# With exactly the core's dependencies (meson's core_deps), <gtk/gtk.h>
# is not on the include path, so such an include cannot compile.
flags=$(pkg-config --cflags glib-2.0 gobject-2.0 gio-2.0 cairo pango pangocairo)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include <gtk/gtk.h>\nint main (void) { return 0; }\n' > "$tmp/gtk.c"
printf '#include <glib.h>\n#include <cairo.h>\n#include <pango/pangocairo.h>\nint main (void) { return 0; }\n' > "$tmp/core.c"
# shellcheck disable=SC2086
if $cc -fsyntax-only $flags "$tmp/core.c" 2>/dev/null; then ok "the core's flags compile a core file"
else not_ok "the core's flags do not even compile a core file"; fi
# shellcheck disable=SC2086
if $cc -fsyntax-only $flags "$tmp/gtk.c" 2>/dev/null; then not_ok "a GTK include compiles with the core's flags"
else ok "a GTK include fails to compile with the core's flags"; fi

echo "1..$n"
exit $fail
