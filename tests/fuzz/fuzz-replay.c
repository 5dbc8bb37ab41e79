/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replays every file of tests/data/regress/TARGET/ through the fuzz
 * targets' property (cm-fuzz.h), in every build, libFuzzer or not: each
 * crash the fuzzers ever found stays fixed.  The folder names the target
 * ("load", "graphml", "gexf", "gml", "csv", "dot", "gdelt", "node-link").
 *
 *   fuzz-replay                      the regression files, as a test
 *   fuzz-replay TARGET FILE…         some files, e.g. a crash libFuzzer wrote
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cm-fuzz.h"

typedef struct
{
  char *hint;
  char *path;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->hint);
  g_free (c->path);
  g_free (c);
}

static void
replay (const char *hint,
        const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_autofree char *exact = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  /* As libFuzzer gives them: exactly @length bytes, no NUL after them, so
   * that a sanitizer build catches a read past the end. */
  exact = g_memdup2 (contents, length);
  cm_fuzz_dataset (hint, (const uint8_t *) exact, length);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;

  replay (c->hint, c->path);
}

static void
add_target_dir (const char *root,
                const char *target)
{
  g_autofree char *dir_path = g_build_filename (root, target, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *hint;
  const char *name;

  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    return;
  /* A folder that names no target would be skipped in silence. */
  if (!cm_fuzz_hint_for_target (target, &hint))
    g_error ("%s: no fuzz target is called “%s”", dir_path, target);

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);   /* a stable order */

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/regress/%s/%s", target, file);
      Case *c = g_new0 (Case, 1);

      c->hint = g_strdup (hint);
      c->path = g_build_filename (dir_path, file, NULL);
      g_test_add_data_func_full (test_path, c, test_case, case_free);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *root = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  if (argc >= 3)
    {
      const char *hint;

      if (!cm_fuzz_hint_for_target (argv[1], &hint))
        g_error ("no fuzz target is called “%s”", argv[1]);
      for (int i = 2; i < argc; i++)
        {
          replay (hint, argv[i]);
          g_print ("%s: ok\n", argv[i]);
        }
      return 0;
    }

  root = g_test_build_filename (G_TEST_DIST, "data", "regress", NULL);
  dir = g_dir_open (root, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    add_target_dir (root, name);

  return g_test_run ();
}
