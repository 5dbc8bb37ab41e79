/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm-dataset-io.h"
#include "cm-import.h"
#include "cm-fuzz.h"

/* Reports a broken property and aborts: SIGABRT, which libFuzzer catches
 * and saves the input for (g_error() raises SIGTRAP). */
static void fail (const char *format, ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

static const struct
{
  const char *target;
  const char *hint;
} targets[] = {
  { "load", NULL },
  { "graphml", "fuzz.graphml" },
  { "gexf", "fuzz.gexf" },
  { "gml", "fuzz.gml" },
  { "csv", "fuzz.csv" },
  { "dot", "fuzz.dot" },
  /* The name a raw GDELT 2.0 export has. */
  { "gdelt", "20221129000000.export.CSV" },
  { "node-link", "fuzz-node-link.json" },
};

gboolean
cm_fuzz_hint_for_target (const char  *target,
                         const char **hint)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (targets[i].target, target))
      {
        *hint = targets[i].hint;
        return TRUE;
      }
  return FALSE;
}

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  /* FORMAT.md: a file that is not valid JSON is refused with the
   * parser's line and column. */
  if (g_error_matches (error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX))
    {
      guint line = 0, column = 0;

      if (sscanf (error->message, "%u:%u: ", &line, &column) == 2)
        g_assert_true (line >= 1 && column >= 1);
    }
}

static void
check_problems (GPtrArray *problems)
{
  if (problems == NULL)
    return;
  g_assert_cmpuint (problems->len, <=, CM_DATASET_MAX_PROBLEMS + 1);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));

      g_assert_true (g_utf8_validate (line, -1, NULL));
      /* One line each: --check prints them one per line. */
      g_assert_null (strchr (line, '\n'));
    }
}

void
cm_fuzz_dataset (const char    *hint,
                 const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(CmDataset) reloaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *resaved = NULL;
  gsize saved_length = 0;
  gsize resaved_length = 0;

  if (hint == NULL)
    dataset = cm_dataset_load_from_data ((const char *) data, size, &problems, &error);
  else
    dataset = cm_dataset_open_data (hint, (const char *) data, size, NULL, &notes, &problems, &error);

  check_problems (problems);
  /* Notes are printed by --check and shown in the window: text too. */
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (notes, i), -1, NULL));
  if (dataset == NULL)
    {
      check_error (error);
      return;
    }
  g_assert_no_error (error);

  saved = cm_dataset_save_to_data (dataset, &saved_length);
  g_assert_nonnull (saved);
  g_assert_true (g_utf8_validate (saved, saved_length, NULL));

  g_clear_pointer (&problems, g_ptr_array_unref);
  reloaded = cm_dataset_load_from_data (saved, saved_length, &problems, &error);
  if (reloaded == NULL)
    {
      g_autofree char *first = NULL;

      if (problems != NULL && problems->len > 0)
        first = cm_problem_to_string (g_ptr_array_index (problems, 0));
      fail ("a saved dataset does not load back: %s (%s)\n%.*s", error->message,
               first != NULL ? first : "", (int) MIN (saved_length, 4096), saved);
    }

  g_assert_cmpuint (cm_dataset_get_n_actors (reloaded), ==, cm_dataset_get_n_actors (dataset));
  g_assert_cmpuint (cm_dataset_get_n_links (reloaded), ==, cm_dataset_get_n_links (dataset));

  resaved = cm_dataset_save_to_data (reloaded, &resaved_length);
  if (resaved_length != saved_length || memcmp (saved, resaved, saved_length) != 0)
    fail ("load → save is not a fixed point:\n--- first save\n%.*s\n--- second save\n%.*s",
             (int) MIN (saved_length, 4096), saved,
             (int) MIN (resaved_length, 4096), resaved);
}
