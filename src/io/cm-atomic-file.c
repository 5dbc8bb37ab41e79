/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cm-atomic-file.h"
#include "cm-atomic-file-private.h"

/* Hops through symlinks before giving up, as the kernel does (ELOOP). */
#define MAX_SYMLINK_HOPS 40
/* Bytes of the target's name kept in the temporary file's name, so that
 * ".NAME.XXXXXX" stays within NAME_MAX (255) for any NAME. */
#define MAX_TEMP_STEM 200
/* Some kernels refuse writes of 2 GiB or more in one call. */
#define MAX_WRITE ((gsize) 1 << 30)
/* Tries at a temporary file another save's clean-up removed under us. */
#define MAX_TEMP_TRIES 8

/* What writes the data: write(2), or a test's stand-in that fails as a
 * full disk would (_cm_atomic_file_set_write_func()). */
static CmAtomicWriteFunc write_func = write;

void
_cm_atomic_file_set_write_func (CmAtomicWriteFunc func)
{
  write_func = func != NULL ? func : write;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *display_name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save “%s”: %s"), display_name, g_strerror (saved_errno));
  return FALSE;
}

/* Follows @path through symlinks to the name that is really replaced,
 * which may not exist yet (a new file, or a dangling symlink's target). */
static char *
resolve_symlinks (const char *path,
                  int        *saved_errno)
{
  g_autofree char *current = g_strdup (path);

  for (guint hops = 0; ; hops++)
    {
      g_autofree char *dir = NULL;
      char target[PATH_MAX];
      GStatBuf st;
      ssize_t n;

      if (g_lstat (current, &st) != 0)
        {
          if (errno == ENOENT)
            return g_steal_pointer (&current);
          *saved_errno = errno;
          return NULL;
        }
      if (!S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      if (hops == MAX_SYMLINK_HOPS)
        {
          *saved_errno = ELOOP;
          return NULL;
        }

      n = readlink (current, target, sizeof target - 1);
      if (n < 0)
        {
          *saved_errno = errno;
          return NULL;
        }
      target[n] = '\0';

      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_strdup (target);
        }
      else
        {
          dir = g_path_get_dirname (current);
          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length,
           int        *saved_errno)
{
  while (length > 0)
    {
      ssize_t n = write_func (fd, data, MIN (length, MAX_WRITE));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }
      /* A short write is not an error: write the rest. */
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static int
fsync_retrying (int fd)
{
  int r;

  do
    r = fsync (fd);
  while (r != 0 && errno == EINTR);
  return r;
}

/* Syncs the folder, so the rename itself survives a crash.  Its failure
 * is not reported: the new contents are already in place under the name,
 * and saying "could not save" then would be wrong.  Some file systems do
 * not support syncing a folder at all (EINVAL). */
static void
sync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync_retrying (fd) != 0)
    g_debug ("Could not sync the folder %s: %s", dir, g_strerror (errno));
  close (fd);
}

/* TRUE for ".BASE.XXXXXX", the names g_mkstemp_full() gives our
 * temporary files (six letters or digits). */
static gboolean
is_temp_name (const char *name,
              const char *base)
{
  gsize base_len = strlen (base);
  const char *suffix;

  if (name[0] != '.' || strncmp (name + 1, base, base_len) != 0 || name[1 + base_len] != '.')
    return FALSE;
  suffix = name + 1 + base_len + 1;
  if (strlen (suffix) != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isalnum (suffix[i]))
      return FALSE;
  return TRUE;
}

/* A save that was killed (or lost its power) leaves its temporary file
 * behind; the next save of the same file removes it, so they never
 * accumulate.  A save in progress, in this process or another, holds a
 * lock on its temporary file until it is renamed: a file whose lock we
 * can take belongs to nobody any more.  Anything else (another name, a
 * symlink, a locked file, a file that changed while we looked) is left
 * alone. */
static void
remove_stale_temp_files (const char *dir,
                         const char *base)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf by_fd, by_name;
      int fd;

      if (!is_temp_name (name, base))
        continue;

      path = g_build_filename (dir, name, NULL);
      fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (fstat (fd, &by_fd) == 0 && S_ISREG (by_fd.st_mode) &&
          flock (fd, LOCK_EX | LOCK_NB) == 0 &&
          g_lstat (path, &by_name) == 0 &&
          by_name.st_dev == by_fd.st_dev && by_name.st_ino == by_fd.st_ino)
        {
          if (g_unlink (path) == 0)
            g_debug ("Removed %s, left by a save that did not finish", path);
        }
      close (fd);
    }
}

/* Creates the temporary file for @target, locked (see
 * remove_stale_temp_files()), and fills @temp_path.  Returns the open
 * descriptor, or -1 with @saved_errno set. */
static int
create_locked_temp (const char  *dir,
                    const char  *base,
                    char       **temp_path,
                    int         *saved_errno)
{
  for (guint tries = 0; tries < MAX_TEMP_TRIES; tries++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
      GStatBuf by_fd, by_name;
      int fd;

      /* O_EXCL (added by g_mkstemp_full) so an existing file, or a symlink
       * an attacker planted under the temporary name, is never written
       * through. */
      fd = g_mkstemp_full (candidate, O_WRONLY | O_CLOEXEC, 0666);
      if (fd < 0)
        {
          *saved_errno = errno;
          return -1;
        }

      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          if (errno != EWOULDBLOCK)
            {
              /* No locks on this file system (some FUSE ones): nobody
               * can remove the file as stale either, so go on without. */
              *temp_path = g_steal_pointer (&candidate);
              return fd;
            }
          /* Another save's clean-up took the new file for a stale one
           * between its creation and our lock, and is removing it. */
          close (fd);
          continue;
        }
      /* Or it already did: then the name is gone, or is another file. */
      if (fstat (fd, &by_fd) == 0 && g_lstat (candidate, &by_name) == 0 &&
          by_name.st_dev == by_fd.st_dev && by_name.st_ino == by_fd.st_ino)
        {
          *temp_path = g_steal_pointer (&candidate);
          return fd;
        }
      close (fd);
    }

  *saved_errno = EEXIST;
  return -1;
}

static gboolean
write_local (const char    *path,
             const char    *data,
             gsize          length,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *display_name = g_filename_display_basename (path);
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp_path = NULL;
  gboolean existed;
  GStatBuf st;
  int saved_errno = 0;
  int fd;
  int lock_fd;

  target = resolve_symlinks (path, &saved_errno);
  if (target == NULL)
    return set_errno_error (error, saved_errno, display_name);

  existed = g_stat (target, &st) == 0;
  if (!existed && errno != ENOENT)
    return set_errno_error (error, errno, display_name);
  if (existed && S_ISDIR (st.st_mode))
    return set_errno_error (error, EISDIR, display_name);
  if (existed && !S_ISREG (st.st_mode))
    {
      /* A FIFO or a device: renaming over it would replace the special
       * file with a regular one, which is not what "save" means. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("Could not save “%s”: it is not a regular file"), display_name);
      return FALSE;
    }
  if (existed && access (target, W_OK) != 0)
    return set_errno_error (error, errno, display_name);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  if (strlen (base) > MAX_TEMP_STEM)
    base[MAX_TEMP_STEM] = '\0';

  remove_stale_temp_files (dir, base);
  fd = create_locked_temp (dir, base, &temp_path, &saved_errno);
  if (fd < 0)
    return set_errno_error (error, saved_errno, display_name);
  /* The lock must outlive the close() below, which is where some file
   * systems report write errors, until the rename: a second descriptor of
   * the same open file keeps it. */
  lock_fd = dup (fd);

  if (existed)
    {
      /* Keep the old file's permissions exactly (the umask would otherwise
       * widen or narrow them) and, when allowed, its owner. */
      if (fchmod (fd, st.st_mode & 07777) != 0)
        g_debug ("Could not copy the permissions of %s: %s", target, g_strerror (errno));
      if ((st.st_uid != geteuid () || st.st_gid != getegid ()) &&
          fchown (fd, st.st_uid, st.st_gid) != 0)
        g_debug ("Could not copy the owner of %s: %s", target, g_strerror (errno));
    }

  if (!write_all (fd, data, length, &saved_errno))
    goto fail_open;
  /* Data must be on disk before the rename makes it the file: otherwise a
   * crash can leave an empty file under the name (ext4 delayed allocation). */
  if (fsync_retrying (fd) != 0)
    {
      saved_errno = errno;
      goto fail_open;
    }
  /* NFS and some FUSE file systems report write errors (EDQUOT, ENOSPC,
   * EIO) only at close.  On Linux the descriptor is closed even when close
   * fails with EINTR, so it is never retried. */
  if (close (fd) != 0 && errno != EINTR)
    {
      saved_errno = errno;
      goto fail_closed;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_unlink (temp_path);
      if (lock_fd >= 0)
        close (lock_fd);
      return FALSE;
    }

  if (g_rename (temp_path, target) != 0)
    {
      saved_errno = errno;
      goto fail_closed;
    }
  if (lock_fd >= 0)
    close (lock_fd);

  sync_directory (dir);
  return TRUE;

fail_open:
  close (fd);
fail_closed:
  g_unlink (temp_path);
  if (lock_fd >= 0)
    close (lock_fd);
  return set_errno_error (error, saved_errno, display_name);
}

gboolean
cm_atomic_file_write (GFile         *file,
                      const char    *data,
                      gsize          length,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    return g_file_replace_contents (file, data != NULL ? data : "", length, NULL, FALSE,
                                    G_FILE_CREATE_NONE, NULL, cancellable, error);

  return write_local (path, data != NULL ? data : "", length, cancellable, error);
}
