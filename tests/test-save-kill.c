/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Saving never loses data.
 *
 * A child process saves a large dataset (a few MB) with
 * cm_dataset_save_to_file() and the parent kills it with SIGKILL at a
 * random moment of the save; afterwards the target must be byte for byte
 * the old file or the new one, and load.  Over a plain file, through a
 * symlink, over a hard-linked file, to a new name, and with a child that
 * saves two versions in turn, again and again.
 *
 * A killed save leaves its temporary file (nothing can remove it at the
 * moment of the kill); the next save of the same file removes it, so
 * there is never more than one, and none after a save that finished.
 *
 * Then the failures a save can meet while the process lives: a full disk
 * (a 1 MiB tmpfs in a private mount namespace, when the system lets us
 * make one), and write errors injected through the writer's test hook.
 * Each gives a message that names the file and the reason, keeps the old
 * file and leaves no temporary file.
 *
 * The moments are random: GTest's seed, printed at the start of the run,
 * reproduces them (--seed).  CM_SAVE_KILL_RUNS sets the number of kills
 * per case (default 50).
 */

#define _GNU_SOURCE 1   /* unshare(), CLONE_NEWNS */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cm-atomic-file-private.h"
#include "cm-dataset-io.h"
#include "cm-model.h"

/* ---- Fixtures ------------------------------------------------------------ */

/* A dataset of about @n_actors * 600 bytes: actors with long names and
 * notes, links with quotes.  @tag makes the versions differ everywhere,
 * not only at the start, so a file mixing two versions cannot pass for
 * either. */
static char *
make_dataset_text (guint       n_actors,
                   const char *tag)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\n  \"format\": \"channel-map\",\n  \"version\": 1,\n"
                             "  \"title\": \"Save test %s\",\n  \"actors\": [\n", tag);
  for (guint i = 0; i < n_actors; i++)
    g_string_append_printf (s,
                            "    { \"id\": \"a%u\", \"name\": \"Actor %u (%s)\", \"kind\": \"person\","
                            " \"x\": %u.5, \"y\": -%u.25,"
                            " \"notes\": \"%s: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
                            "eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, "
                            "quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.\" }%s\n",
                            i, i, tag, i % 1000, i % 777, tag, i + 1 < n_actors ? "," : "");
  g_string_append (s, "  ],\n  \"links\": [\n");
  for (guint i = 0; i + 1 < n_actors; i++)
    g_string_append_printf (s,
                            "    { \"id\": \"l%u\", \"source\": \"a%u\", \"target\": \"a%u\", \"channel\": \"%s\","
                            " \"quotes\": [ { \"text\": \"%s says %u: duis aute irure dolor in reprehenderit\" } ] }%s\n",
                            i, i, i + 1, (i % 3 == 0) ? "direct" : (i % 3 == 1) ? "indirect" : "absent",
                            tag, i, i + 2 < n_actors ? "," : "");
  g_string_append (s, "  ]\n}\n");
  return g_string_free (s, FALSE);
}

static CmDataset *
load_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_dataset_load_from_data (text, strlen (text), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

typedef struct
{
  CmDataset *old_dataset;
  CmDataset *new_dataset;
  char      *old_bytes;     /* exactly what saving old_dataset writes */
  gsize      old_length;
  char      *new_bytes;
  gsize      new_length;
  gint64     save_usec;     /* how long one save in a child takes, measured */
  gint64     write_usec;    /* when, in it, the file starts being written */
} Versions;

static Versions versions;

static guint
n_runs (void)
{
  const char *env = g_getenv ("CM_SAVE_KILL_RUNS");
  guint64 n;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 100000, &n, NULL))
    return (guint) n;
  return 50;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cm-save-kill-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Puts a fixture in place, without the fsync that g_file_set_contents()
 * does: hundreds of them would cost more than the saves under test.
 * (GLib 2.74 writes in place without truncating when asked for no
 * consistency, hence the unlink.) */
static void
write_bytes (const char *path,
             const char *data,
             gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

/* Temporary files of saves to @base in @dir: ".BASE.XXXXXX". */
static guint
count_temp_files (const char *dir,
                  const char *base)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix) && strlen (name) == strlen (prefix) + 6)
      n++;
  return n;
}

typedef enum
{
  STATE_ABSENT,
  STATE_OLD,
  STATE_NEW,
} FileState;

/* What @path holds: nothing, the old version or the new one.  Anything
 * else fails the test.  Both versions are loaded once, in
 * setup_versions(): a file identical to one of them loads. */
static FileState
file_state (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  FileState state;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return STATE_ABSENT;
    }

  if (length == versions.old_length && memcmp (contents, versions.old_bytes, length) == 0)
    state = STATE_OLD;
  else if (length == versions.new_length && memcmp (contents, versions.new_bytes, length) == 0)
    state = STATE_NEW;
  else
    g_error ("%s is neither the old nor the new version (%" G_GSIZE_FORMAT " bytes; old %"
             G_GSIZE_FORMAT ", new %" G_GSIZE_FORMAT ")",
             path, length, versions.old_length, versions.new_length);
  return state;
}

/* Waits until a file whose name starts with @prefix is created in the
 * folder @inotify_fd watches, for at most @timeout_usec. */
static gboolean
wait_for_creation (int         inotify_fd,
                   const char *prefix,
                   gint64      timeout_usec)
{
  gint64 end = g_get_monotonic_time () + timeout_usec;
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  for (;;)
    {
      gint64 left = end - g_get_monotonic_time ();
      struct pollfd pfd = { inotify_fd, POLLIN, 0 };
      ssize_t n;

      if (left <= 0 || poll (&pfd, 1, (int) (left / 1000) + 1) <= 0)
        return FALSE;
      n = read (inotify_fd, buffer, sizeof buffer);
      for (char *p = buffer; n > 0 && p < buffer + n; )
        {
          const struct inotify_event *event = (const struct inotify_event *) p;

          if (event->len > 0 && g_str_has_prefix (event->name, prefix))
            return TRUE;
          p += sizeof (struct inotify_event) + event->len;
        }
    }
}

/* Forks a child that saves (the new version, or both in turn when
 * @alternate) to @path, and kills it @delay_usec after it started, or,
 * when @watch_dir is set, after it created its temporary file there (the
 * moment the writing starts).  Returns TRUE when the kill came first
 * (FALSE: the child had finished). */
static gboolean
save_and_kill (const char *path,
               gboolean    alternate,
               const char *watch_dir,
               const char *temp_prefix,
               gint64      delay_usec)
{
  int inotify_fd = -1;
  int status;
  pid_t pid;

  if (watch_dir != NULL)
    {
      inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
      g_assert_cmpint (inotify_fd, >=, 0);
      g_assert_cmpint (inotify_add_watch (inotify_fd, watch_dir, IN_CREATE), >=, 0);
    }

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      for (guint i = 0; ; i++)
        {
          CmDataset *dataset = (alternate && i % 2 == 1) ? versions.old_dataset : versions.new_dataset;

          if (!cm_dataset_save_to_file (dataset, file, NULL, NULL))
            _exit (1);
          if (!alternate)
            _exit (0);
        }
    }

  if (inotify_fd >= 0)
    {
      wait_for_creation (inotify_fd, temp_prefix, 10 * versions.save_usec);
      close (inotify_fd);
    }
  if (delay_usec > 0)
    g_usleep ((gulong) delay_usec);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFSIGNALED (status))
    {
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      return TRUE;
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return FALSE;
}

static void
setup_versions (void)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (versions.old_dataset != NULL)
    return;

  /* About 2.5 MB each. */
  old_text = make_dataset_text (4000, "old");
  new_text = make_dataset_text (4100, "new");
  versions.old_dataset = load_text (old_text);
  versions.new_dataset = load_text (new_text);
  versions.old_bytes = cm_dataset_save_to_data (versions.old_dataset, &versions.old_length);
  versions.new_bytes = cm_dataset_save_to_data (versions.new_dataset, &versions.new_length);
  g_assert_cmpuint (versions.new_length, >, 2 * 1024 * 1024);

  /* What is saved loads back (file_state() then compares bytes only). */
  {
    g_autoptr(CmDataset) old_again = cm_dataset_load_from_data (versions.old_bytes, versions.old_length,
                                                                NULL, &error);
    g_autoptr(CmDataset) new_again = NULL;

    g_assert_no_error (error);
    new_again = cm_dataset_load_from_data (versions.new_bytes, versions.new_length, NULL, &error);
    g_assert_no_error (error);
  }

  /* Under valgrind nothing forks (skip_forking()): no moments to time. */
  if (g_getenv ("CM_VALGRIND") != NULL)
    {
      versions.save_usec = versions.write_usec = 1000;
      return;
    }

  /* Saves in a child, timed as the parent sees them (fork to exit), set
   * the range of the kill moments: the slowest of three.  A save first
   * turns the dataset into text (that part alone is timed too), then
   * writes it, syncs and renames: the moments that matter. */
  dir = make_temp_dir ();
  path = g_build_filename (dir, "timing.json", NULL);
  for (guint i = 0; i < 6; i++)
    {
      gboolean text_only = i % 2 == 1;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;
      int status;
      pid_t pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          g_autoptr(GFile) file = g_file_new_for_path (path);

          if (text_only)
            {
              g_free (cm_dataset_save_to_data (versions.new_dataset, NULL));
              _exit (0);
            }
          _exit (cm_dataset_save_to_file (versions.new_dataset, file, NULL, NULL) ? 0 : 1);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      elapsed = g_get_monotonic_time () - start;
      if (text_only)
        versions.write_usec = MAX (versions.write_usec, elapsed);
      else
        versions.save_usec = MAX (versions.save_usec, elapsed);
    }
  versions.write_usec = MIN (versions.write_usec, versions.save_usec);
  remove_tree (dir);
  g_test_message ("one save of %" G_GSIZE_FORMAT " bytes in a child takes %.1f ms, "
                  "writing from %.1f ms on",
                  versions.new_length, versions.save_usec / 1000.0, versions.write_usec / 1000.0);
}

/* ---- SIGKILL during a save ------------------------------------------------ */

/* Under valgrind (meson test --setup valgrind) every forked child is
 * checked for leaks when it exits or is killed, and a child that exits
 * without freeing what it inherited fails it: the tests that fork skip.
 * The injected failures run there, in process. */
static gboolean
skip_forking (void)
{
  if (g_getenv ("CM_VALGRIND") == NULL)
    return FALSE;
  g_test_skip ("forks children, which valgrind checks for leaks at their exit");
  return TRUE;
}


typedef enum
{
  TARGET_PLAIN,
  TARGET_SYMLINK,
  TARGET_HARDLINK,
  TARGET_NEW_NAME,
  TARGET_ALTERNATING,
} TargetKind;

typedef struct
{
  char *dir;
  char *path;        /* what the child saves to */
  char *real;        /* the file whose contents change */
  char *base;        /* its base name: temporary files are ".BASE.XXXXXX" */
  char *other_name;  /* the hard link's other name */
} Target;

static void
target_clear (Target *t)
{
  remove_tree (t->dir);
  g_free (t->dir);
  g_free (t->path);
  g_free (t->real);
  g_free (t->base);
  g_free (t->other_name);
}

/* Puts the old version in place again (or nothing, for a new name). */
static void
target_reset (Target     *t,
              TargetKind  kind)
{
  switch (kind)
    {
    case TARGET_PLAIN:
    case TARGET_ALTERNATING:
    case TARGET_SYMLINK:
      write_bytes (t->real, versions.old_bytes, versions.old_length);
      break;
    case TARGET_HARDLINK:
      /* A finished save gave the name a new inode: link it again. */
      g_unlink (t->path);
      g_assert_cmpint (link (t->other_name, t->path), ==, 0);
      break;
    case TARGET_NEW_NAME:
      g_unlink (t->path);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
target_init (Target     *t,
             TargetKind  kind)
{
  t->dir = make_temp_dir ();
  switch (kind)
    {
    case TARGET_PLAIN:
    case TARGET_ALTERNATING:
    case TARGET_NEW_NAME:
      t->path = g_build_filename (t->dir, "map.json", NULL);
      t->real = g_strdup (t->path);
      t->base = g_strdup ("map.json");
      break;
    case TARGET_SYMLINK:
      {
        g_autofree char *sub = g_build_filename (t->dir, "real", NULL);

        g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
        t->real = g_build_filename (sub, "target.json", NULL);
        t->path = g_build_filename (t->dir, "link.json", NULL);
        t->base = g_strdup ("target.json");
        g_assert_cmpint (symlink ("real/target.json", t->path), ==, 0);
      }
      break;
    case TARGET_HARDLINK:
      t->path = g_build_filename (t->dir, "map.json", NULL);
      t->real = g_strdup (t->path);
      t->base = g_strdup ("map.json");
      t->other_name = g_build_filename (t->dir, "other-name.json", NULL);
      write_bytes (t->other_name, versions.old_bytes, versions.old_length);
      break;
    default:
      g_assert_not_reached ();
    }
  target_reset (t, kind);
}

static void
test_kill_during_save (gconstpointer data)
{
  TargetKind kind = GPOINTER_TO_INT (data);
  guint runs = n_runs ();
  guint n_old = 0, n_new = 0, n_absent = 0, n_finished = 0, n_temp_left = 0;
  gint64 range;
  Target t = { 0 };

  if (skip_forking ())
    return;
  setup_versions ();
  /* A quarter of the moments anywhere in the save and a little past it;
   * the others while the file is written, synced and renamed (from the
   * creation of the temporary file on).  An alternating child saves
   * several times in a row. */
  range = versions.save_usec * (kind == TARGET_ALTERNATING ? 3 : 1) * 12 / 10;
  target_init (&t, kind);

  for (guint i = 0; i < runs; i++)
    {
      gboolean anywhere = i % 4 == 0 || kind == TARGET_ALTERNATING;
      g_autofree char *real_dir = g_path_get_dirname (t.real);
      g_autofree char *prefix = g_strdup_printf (".%s.", t.base);
      gint64 delay = anywhere
        ? (gint64) g_test_rand_double_range (0, (double) range)
        : (gint64) g_test_rand_double_range (0, (versions.save_usec - versions.write_usec) * 1.2);
      gboolean killed = save_and_kill (t.path, kind == TARGET_ALTERNATING,
                                       anywhere ? NULL : real_dir, prefix, delay);
      FileState state = file_state (t.real);
      guint temps = count_temp_files (t.dir, t.base);

      if (kind == TARGET_SYMLINK)
        {
          g_autofree char *dir = g_path_get_dirname (t.real);
          GStatBuf st;

          /* The link stays a link, to the same file. */
          g_assert_cmpint (g_lstat (t.path, &st), ==, 0);
          g_assert_true (S_ISLNK (st.st_mode));
          temps = count_temp_files (dir, t.base);
        }
      if (kind == TARGET_HARDLINK)
        /* The other name keeps the old contents, always. */
        g_assert_cmpint (file_state (t.other_name), ==, STATE_OLD);

      if (kind == TARGET_NEW_NAME)
        g_assert_cmpint (state, !=, STATE_OLD);
      else
        g_assert_cmpint (state, !=, STATE_ABSENT);
      if (!killed && kind != TARGET_ALTERNATING)
        g_assert_cmpint (state, ==, STATE_NEW);

      /* At most the one the kill left: the save before it removed any
       * earlier one. */
      g_assert_cmpuint (temps, <=, 1);

      n_old += state == STATE_OLD;
      n_new += state == STATE_NEW;
      n_absent += state == STATE_ABSENT;
      n_finished += !killed;
      n_temp_left += temps;

      target_reset (&t, kind);
    }

  g_test_message ("%u kills: %u old, %u new, %u absent; %u saves had finished; "
                  "%u kills left a temporary file",
                  runs, n_old, n_new, n_absent, n_finished, n_temp_left);

  /* A save that finishes removes what the killed ones left. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (t.path);
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_path_get_dirname (t.real);

    g_assert_true (cm_dataset_save_to_file (versions.new_dataset, file, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (file_state (t.real), ==, STATE_NEW);
    g_assert_cmpuint (count_temp_files (dir, t.base), ==, 0);
  }

  target_clear (&t);
}

/* A temporary file that a save in progress holds is not removed by
 * another save of the same file: only files whose lock nobody holds are
 * taken for leftovers. */
static void
test_busy_temp_file_kept (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "map.json", NULL);
  g_autofree char *busy = g_build_filename (dir, ".map.json.AbC123", NULL);
  g_autofree char *stale = g_build_filename (dir, ".map.json.XyZ789", NULL);
  g_autofree char *unrelated = g_build_filename (dir, ".map.json.tmp", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  int fd;

  if (skip_forking ())
    return;
  setup_versions ();
  write_bytes (busy, "busy", 4);
  write_bytes (stale, "stale", 5);
  write_bytes (unrelated, "unrelated", 9);
  fd = open (busy, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  /* flock() locks belong to the open file: a child process, which could
   * never take this lock, does the save. */
  {
    pid_t pid = fork ();
    int status;

    g_assert_cmpint (pid, >=, 0);
    if (pid == 0)
      {
        close (fd);
        _exit (cm_dataset_save_to_file (versions.old_dataset, file, NULL, NULL) ? 0 : 1);
      }
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  }

  g_assert_true (g_file_test (busy, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));
  g_assert_cmpint (file_state (path), ==, STATE_OLD);
  close (fd);

  /* Unlocked now: the next save removes it. */
  g_assert_true (cm_dataset_save_to_file (versions.new_dataset, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (busy, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* ---- A full disk ---------------------------------------------------------- */

/* In a child: a private mount namespace with a 1 MiB tmpfs, the old
 * version of a small dataset in it, and a save of the large one.  Exit
 * status 0: passed; 77: the system does not let us mount (skip); other:
 * failed (the reason is on stderr). */
static int
full_disk_child (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *small = make_dataset_text (100, "small");
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  gboolean ok;

  if (unshare (CLONE_NEWNS) != 0 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      g_printerr ("# cannot make a mount namespace: %s\n", g_strerror (errno));
      return 77;
    }
  dir = make_temp_dir ();
  if (mount ("cm-test-full", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
    {
      g_printerr ("# cannot mount a tmpfs: %s\n", g_strerror (errno));
      g_rmdir (dir);
      return 77;
    }

  path = g_build_filename (dir, "full.json", NULL);
  file = g_file_new_for_path (path);
  write_bytes (path, small, strlen (small));

  ok = cm_dataset_save_to_file (versions.new_dataset, file, NULL, &error);
  if (ok || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      g_printerr ("# a save to a full disk %s: %s\n", ok ? "succeeded" : "failed with the wrong error",
                  error != NULL ? error->message : "no error");
      return 1;
    }
  g_printerr ("# full disk: %s\n", error->message);
  if (strstr (error->message, "full.json") == NULL ||
      strstr (error->message, g_strerror (ENOSPC)) == NULL)
    {
      g_printerr ("# the message does not name the file and the reason\n");
      return 1;
    }
  if (!g_file_get_contents (path, &contents, &length, NULL) || strcmp (contents, small) != 0)
    {
      g_printerr ("# the old file was not kept\n");
      return 1;
    }
  if (count_temp_files (dir, "full.json") != 0)
    {
      g_printerr ("# a temporary file was left\n");
      return 1;
    }

  umount2 (dir, MNT_DETACH);
  g_rmdir (dir);
  return 0;
}

static void
test_full_disk (void)
{
  pid_t pid;
  int status;

  if (skip_forking ())
    return;
  setup_versions ();
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (full_disk_child ());
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == 77)
    {
      g_test_skip ("no private tmpfs (needs CAP_SYS_ADMIN; the injected failures cover the path)");
      return;
    }
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* ---- Injected write failures ---------------------------------------------- */

static int injected_errno;
static gsize injected_budget;   /* bytes that go through before the failure */

static ssize_t
failing_write (int         fd,
               const void *buf,
               size_t      count)
{
  ssize_t n;

  if (injected_budget == 0)
    {
      errno = injected_errno;
      return -1;
    }
  /* Short writes on the way there, as a real disk may give. */
  n = write (fd, buf, MIN (count, MIN (injected_budget, 65536)));
  if (n > 0)
    injected_budget -= (gsize) n;
  return n;
}

static void
test_injected_failure (void)
{
  static const struct { int error; GIOErrorEnum code; } cases[] = {
    { ENOSPC, G_IO_ERROR_NO_SPACE },
    { EDQUOT, G_IO_ERROR_FAILED },
    { EIO, G_IO_ERROR_FAILED },
  };
  static const gsize budgets[] = { 0, 1, 100000, 2 * 1024 * 1024 };
  g_autofree char *dir = NULL;

  setup_versions ();
  dir = make_temp_dir ();

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint b = 0; b < G_N_ELEMENTS (budgets); b++)
      {
        g_autofree char *path = g_build_filename (dir, "data set.json", NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        g_autofree char *expected = g_strdup_printf ("Could not save “data set.json”: %s",
                                                     g_strerror (cases[c].error));
        gboolean ok;

        write_bytes (path, versions.old_bytes, versions.old_length);
        injected_errno = cases[c].error;
        injected_budget = budgets[b];
        _cm_atomic_file_set_write_func (failing_write);
        ok = cm_dataset_save_to_file (versions.new_dataset, file, NULL, &error);
        _cm_atomic_file_set_write_func (NULL);

        g_assert_false (ok);
        g_assert_nonnull (error);
        g_assert_cmpint (error->domain, ==, G_IO_ERROR);
        if (cases[c].code != G_IO_ERROR_FAILED)
          g_assert_cmpint (error->code, ==, cases[c].code);
        g_assert_cmpstr (error->message, ==, expected);
        g_assert_cmpint (file_state (path), ==, STATE_OLD);
        g_assert_cmpuint (count_temp_files (dir, "data set.json"), ==, 0);
      }

  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/save-kill/plain", GINT_TO_POINTER (TARGET_PLAIN), test_kill_during_save);
  g_test_add_data_func ("/save-kill/symlink", GINT_TO_POINTER (TARGET_SYMLINK), test_kill_during_save);
  g_test_add_data_func ("/save-kill/hard-link", GINT_TO_POINTER (TARGET_HARDLINK), test_kill_during_save);
  g_test_add_data_func ("/save-kill/new-name", GINT_TO_POINTER (TARGET_NEW_NAME), test_kill_during_save);
  g_test_add_data_func ("/save-kill/alternating", GINT_TO_POINTER (TARGET_ALTERNATING),
                        test_kill_during_save);
  g_test_add_func ("/save-kill/busy-temp-file-kept", test_busy_temp_file_kept);
  g_test_add_func ("/save-fail/full-disk", test_full_disk);
  g_test_add_func ("/save-fail/injected", test_injected_failure);

  status = g_test_run ();

  g_clear_object (&versions.old_dataset);
  g_clear_object (&versions.new_dataset);
  g_free (versions.old_bytes);
  g_free (versions.new_bytes);
  return status;
}
