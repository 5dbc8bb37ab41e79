/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Writes @data to @file so that, whatever happens (a crash, a full disk, a
 * cancelled save), @file holds either its old contents or the new ones,
 * complete and synced to disk, never a mix or a truncated file.
 *
 * The data goes to a new temporary file in the same folder as the target
 * (so the rename cannot cross file systems), which is synced, closed, and
 * renamed over the target; then the folder is synced.  On failure the
 * temporary file is removed and the target is untouched.
 *
 * A save that is killed leaves its temporary file (".NAME.XXXXXX"); the
 * next save of the same file removes it.  A save holds a lock (flock) on
 * its temporary file until the rename, and only files whose lock can be
 * taken are removed, so a save running in another process is never
 * disturbed.
 *
 * - A symlink is followed: it stays a symlink, and the file it points to
 *   (which may not exist yet) is replaced.
 * - A file with several hard links is replaced under this name only: the
 *   rename gives this name a new inode, and the other names keep the old
 *   contents.  That is the price of never writing a file in place.
 * - The new file gets the old file's permissions (and owner, when the
 *   process may set it); a new file gets 0666 minus the umask.
 * - A read-only file is not replaced, even from a writable folder.
 * - Files that are not local (no path) are written with
 *   g_file_replace_contents(), which the GVfs backend makes atomic.
 *
 * Errors are in the G_IO_ERROR domain, with a message that names the file
 * and the reason: "Could not save “x.json”: No space left on device".
 */
gboolean cm_atomic_file_write (GFile         *file,
                               const char    *data,
                               gsize          length,
                               GCancellable  *cancellable,
                               GError       **error);

G_END_DECLS
