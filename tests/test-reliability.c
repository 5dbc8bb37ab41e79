/* SPDX-License-Identifier: GPL-3.0-or-later */

/* No file can crash, hang or fool the loader.
 *
 * - JSONTestSuite (../shared/corpora/jsontestsuite) through the loader,
 *   not only the parser: every n_ file is refused with a line and column,
 *   every y_ file passes the syntax layer and is then refused as "not a
 *   Channel Map dataset" (except the four that FORMAT.md refuses on
 *   purpose: duplicate keys and escaped NULs), i_ files are refused or
 *   loaded.  Each y_ and i_ value is also put inside a real dataset, where
 *   it must load (y_) and round-trip, and never bring invalid UTF-8 into
 *   the model.
 * - Numbers: any finite double saved as strict JSON loads back as itself.
 * - Limits, through `channel-map --check` as a user meets them: file size,
 *   actors, links, nesting depth, members per object, string length, each
 *   refused with its own message, in under a second.
 * - Corrupted datasets through `channel-map --check`: the example and the
 *   fixtures, damaged at random (byte flips, truncations, deletions,
 *   duplications, type swaps, deep nesting, bad escapes and encodings,
 *   duplicate keys, …): each refused with lines "FILE: $.path: message" or
 *   "FILE: LINE:COLUMN: message", or loaded, with exit status 1 or 0,
 *   within 2 s, and exactly as the library decides in process.
 *
 * Time bounds are the issue's own ("≤ 1 s" per JSONTestSuite file and per
 * limit, "within 2 s" per corrupted file), generous by orders of magnitude
 * (milliseconds are typical): the JSONTestSuite bound is on CPU time, which
 * a busy machine does not inflate.  Under a sanitizer or valgrind the
 * bounds are multiplied (CM_TIME_FACTOR, set by the test setups).
 *
 * The corrupted files come from a fixed seed (so a failure reproduces);
 * CM_MUTATE_SEED=N picks another, CM_MUTATE_COUNT=N their number, and
 * CM_MUTATE_KEEP=DIR keeps the files that were made.
 */

#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cm-dataset-io.h"
#include "cm-export.h"
#include "cm-fuzz.h"
#include "cm-import.h"
#include "cm-json.h"
#include "cm-model.h"

/* ---- Helpers ------------------------------------------------------------- */

static double
time_factor (void)
{
  const char *env = g_getenv ("CM_TIME_FACTOR");
  double factor = env != NULL ? g_ascii_strtod (env, NULL) : 1.0;

  return factor >= 1.0 ? factor : 1.0;
}

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cm-reliability-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The sorted names of the files in @dir, or NULL when it does not exist. */
static GPtrArray *
list_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  GPtrArray *names;
  const char *name;

  if (listing == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static char *
jsontestsuite_dir (const char *sub)
{
  const char *shared = g_getenv ("CM_SHARED_DIR");

  if (shared == NULL)
    return NULL;
  return g_build_filename (shared, "corpora", "jsontestsuite", sub, NULL);
}

/* Every string the model holds, checked for valid UTF-8: the loader must
 * never let a byte sequence through that a label or a saved file would
 * choke on. */
static void
assert_model_utf8 (CmDataset *dataset)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);
  const char *title = cm_dataset_get_title (dataset);
  const char *description = cm_dataset_get_description (dataset);

  g_assert_true (title == NULL || g_utf8_validate (title, -1, NULL));
  g_assert_true (description == NULL || g_utf8_validate (description, -1, NULL));
  for (guint i = 0; i < n; i++)
    {
      const char *fields[] = {
        cm_actor_get_id (actors[i]), cm_actor_get_name (actors[i]), cm_actor_get_role (actors[i]),
        cm_actor_get_group (actors[i]), cm_actor_get_notes (actors[i]),
      };
      GListModel *quotes = cm_actor_get_quotes (actors[i]);

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_true (fields[f] == NULL || g_utf8_validate (fields[f], -1, NULL));
      for (guint q = 0; q < g_list_model_get_n_items (quotes); q++)
        {
          g_autoptr(CmQuote) quote = g_list_model_get_item (quotes, q);
          const char *text = cm_quote_get_text (quote);
          const char *speaker = cm_quote_get_speaker (quote);

          g_assert_true (text == NULL || g_utf8_validate (text, -1, NULL));
          g_assert_true (speaker == NULL || g_utf8_validate (speaker, -1, NULL));
        }
    }
}

/* ---- JSONTestSuite through the loader ------------------------------------ */

/* The y_ files FORMAT.md refuses on purpose (README, "The dataset
 * format"): the same key twice in one object (tools disagree on which one
 * wins) and an escaped NUL (no C string, label or most tools can keep
 * it).  The JSON layer refuses them with their own message and position. */
static const struct
{
  const char *name;
  const char *message;
} y_refused[] = {
  { "y_object_duplicated_key.json", "1:10: the key \"a\" appears twice in the same object (first on line 1)" },
  { "y_object_duplicated_key_and_value.json", "1:10: the key \"a\" appears twice in the same object (first on line 1)" },
  { "y_object_escaped_null_in_key.json", "1:6: an escaped NUL (\\u0000) is not allowed" },
  { "y_string_null_escape.json", "1:3: an escaped NUL (\\u0000) is not allowed" },
};

static const char *
y_refused_message (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (y_refused); i++)
    if (g_str_equal (name, y_refused[i].name))
      return y_refused[i].message;
  return NULL;
}

static gboolean
starts_with_position (const char *message,
                      guint      *line,
                      guint      *column)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([0-9]+):([0-9]+): .", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, message, 0, &match))
    return FALSE;
  {
    g_autofree char *line_text = g_match_info_fetch (match, 1);
    g_autofree char *column_text = g_match_info_fetch (match, 2);

    *line = (guint) g_ascii_strtoull (line_text, NULL, 10);
    *column = (guint) g_ascii_strtoull (column_text, NULL, 10);
  }
  return TRUE;
}

static void
test_jsontestsuite_parsing (void)
{
  g_autofree char *dir = jsontestsuite_dir ("test_parsing");
  g_autoptr(GPtrArray) names = dir != NULL ? list_dir (dir) : NULL;
  guint n_y = 0, n_n = 0, n_i = 0, n_y_refused = 0, n_i_loaded = 0, n_i_refused = 0;
  gint64 max_wall = 0, max_cpu = 0;
  const char *slowest = NULL;
  double factor = time_factor ();

  if (names == NULL)
    {
      g_test_skip ("no JSONTestSuite (CM_SHARED_DIR/corpora/jsontestsuite)");
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      gint64 wall = g_get_monotonic_time ();
      gint64 cpu = thread_cpu_usec ();
      guint line, column;

      dataset = cm_dataset_load_from_file (file, NULL, &problems, &error);
      wall = g_get_monotonic_time () - wall;
      cpu = thread_cpu_usec () - cpu;
      if (wall > max_wall)
        {
          max_wall = wall;
          slowest = name;
        }
      max_cpu = MAX (max_cpu, cpu);
      /* The bound, "each ≤ 1 s", on CPU time. */
      if (cpu > 1000000 * factor)
        g_error ("%s took %.3f s of CPU", name, cpu / 1e6);

      if (g_str_has_prefix (name, "n_"))
        {
          n_n++;
          if (dataset != NULL)
            g_error ("%s: invalid JSON was loaded", name);
          /* A syntax error, or a limit of the JSON layer (nesting), with
           * the position where it was found. */
          if (!g_error_matches (error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX) &&
              !g_error_matches (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT))
            g_error ("%s: refused as %s, not as a syntax error", name, error->message);
          if (!starts_with_position (error->message, &line, &column) || line < 1 || column < 1)
            g_error ("%s: the message has no line and column: %s", name, error->message);
          g_assert_cmpuint (problems->len, ==, 1);
          g_assert_cmpuint (((CmProblem *) problems->pdata[0])->line, ==, line);
          g_assert_cmpuint (((CmProblem *) problems->pdata[0])->column, ==, column);
        }
      else if (g_str_has_prefix (name, "y_"))
        {
          const char *refused = y_refused_message (name);

          n_y++;
          g_assert_null (dataset);
          if (refused != NULL)
            {
              g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX);
              g_assert_cmpstr (error->message, ==, refused);
              n_y_refused++;
            }
          else
            {
              /* Past the syntax: valid JSON, but no dataset. */
              if (!g_error_matches (error, CM_DATASET_ERROR, CM_DATASET_ERROR_NOT_DATASET))
                g_error ("%s: valid JSON refused as %s", name, error->message);
              g_assert_nonnull (strstr (error->message, "not a Channel Map dataset"));
            }
        }
      else if (g_str_has_prefix (name, "i_"))
        {
          n_i++;
          if (dataset != NULL)
            {
              assert_model_utf8 (dataset);
              n_i_loaded++;
            }
          else
            {
              g_assert_nonnull (error);
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
              n_i_refused++;
            }
        }
    }

  /* The whole suite ran: 318 files, as its README counts them. */
  g_assert_cmpuint (n_y, ==, 95);
  g_assert_cmpuint (n_n, ==, 188);
  g_assert_cmpuint (n_i, ==, 35);
  g_assert_cmpuint (n_y_refused, ==, G_N_ELEMENTS (y_refused));
  g_test_message ("JSONTestSuite through the loader: %u n_ refused with line:column; "
                  "%u y_ past the syntax (%u refused by FORMAT.md's rules); "
                  "%u i_ refused, %u loaded; slowest %s: %.2f ms wall, max %.2f ms CPU",
                  n_n, n_y - n_y_refused, n_y_refused, n_i_refused, n_i_loaded,
                  slowest, max_wall / 1000.0, max_cpu / 1000.0);
}

/* The value of a y_ or i_ file put into a dataset: as an unknown key
 * (kept on save), and, when it is an array of one string, as an actor's
 * name and a quote's text, where the model holds it. */
static char *
wrap_in_dataset (const char *value,
                 gsize       length,
                 gboolean    as_name)
{
  GString *s = g_string_new ("{\"format\": \"channel-map\", \"version\": 1, \"actors\": [{\"id\": \"a\", ");

  if (as_name)
    {
      /* ["…"] → "…": strip the brackets. */
      const char *start = (const char *) memchr (value, '[', length) + 1;
      const char *end = value + length;

      while (end > start && end[-1] != ']')
        end--;
      g_string_append (s, "\"name\": ");
      g_string_append_len (s, start, end - 1 - start);
      g_string_append (s, ", \"quotes\": [{\"text\": ");
      g_string_append_len (s, start, end - 1 - start);
      g_string_append (s, "}]}]}");
    }
  else
    {
      g_string_append (s, "\"name\": \"A\", \"x-value\": ");
      g_string_append_len (s, value, length);
      g_string_append (s, "}], \"x-value\": ");
      g_string_append_len (s, value, length);
      g_string_append (s, "}");
    }
  return g_string_free (s, FALSE);
}

/* An array holding exactly one string, and nothing else: ["…"]. */
static gboolean
is_single_string_array (const char *value,
                        gsize       length)
{
  g_autoptr(CmJsonValue) parsed = cm_json_parse (value, length, NULL, NULL, NULL, NULL);

  return parsed != NULL && cm_json_value_get_value_type (parsed) == CM_JSON_ARRAY &&
         cm_json_array_get_length (parsed) == 1 &&
         cm_json_value_get_value_type (cm_json_array_get (parsed, 0)) == CM_JSON_STRING;
}

static void
test_jsontestsuite_wrapped (void)
{
  g_autofree char *dir = jsontestsuite_dir ("test_parsing");
  g_autoptr(GPtrArray) names = dir != NULL ? list_dir (dir) : NULL;
  guint n_loaded = 0, n_refused = 0, n_names = 0;

  if (names == NULL)
    {
      g_test_skip ("no JSONTestSuite (CM_SHARED_DIR/corpora/jsontestsuite)");
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *value = NULL;
      gsize length;
      gboolean is_y = g_str_has_prefix (name, "y_");

      if (!is_y && !g_str_has_prefix (name, "i_"))
        continue;
      g_assert_true (g_file_get_contents (path, &value, &length, NULL));

      for (int as_name = 0; as_name <= 1; as_name++)
        {
          g_autofree char *text = NULL;
          g_autoptr(CmDataset) dataset = NULL;
          g_autoptr(GError) error = NULL;

          /* A BOM or a UTF-16 text cannot be wrapped into another
           * document as it is: the loader sees those as whole files. */
          if (length >= 2 && ((guchar) value[0] >= 0xef || (guchar) value[0] == 0 || (guchar) value[1] == 0))
            continue;
          if (as_name && !is_single_string_array (value, length) &&
              !g_str_has_prefix (name, "i_string_"))
            continue;
          if (as_name && g_str_has_prefix (name, "i_string_") && memchr (value, '[', length) == NULL)
            continue;

          text = wrap_in_dataset (value, length, as_name);
          dataset = cm_dataset_load_from_data (text, strlen (text), NULL, &error);
          n_names += as_name;
          if (dataset == NULL)
            {
              /* Valid JSON inside a valid dataset loads, except what
               * FORMAT.md refuses, at the syntax layer. */
              if (is_y && y_refused_message (name) == NULL)
                g_error ("%s inside a dataset%s: %s", name, as_name ? " (as a name)" : "",
                         error->message);
              if (is_y)
                g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX);
              n_refused++;
              continue;
            }
          if (is_y && y_refused_message (name) != NULL)
            g_error ("%s inside a dataset was loaded", name);
          assert_model_utf8 (dataset);
          n_loaded++;

          /* And it survives a save, byte for byte on a second one. */
          cm_fuzz_dataset (NULL, (const uint8_t *) text, strlen (text));
        }
    }

  g_test_message ("JSONTestSuite y_ and i_ values inside a dataset (%u as names): "
                  "%u loaded and round-tripped, %u refused", n_names, n_loaded, n_refused);
  g_assert_cmpuint (n_loaded, >, 91);
}

/* The transform files hold values parsers read differently (huge
 * integers, 1e-999, NFC/NFD keys, escaped invalid code points): each is
 * refused or loaded inside a dataset, and what loads round-trips. */
static void
test_jsontestsuite_transform (void)
{
  g_autofree char *dir = jsontestsuite_dir ("test_transform");
  g_autoptr(GPtrArray) names = dir != NULL ? list_dir (dir) : NULL;
  g_autoptr(GString) report = g_string_new (NULL);

  if (names == NULL)
    {
      g_test_skip ("no JSONTestSuite (CM_SHARED_DIR/corpora/jsontestsuite)");
      return;
    }
  g_assert_cmpuint (names->len, ==, 22);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *value = NULL;
      g_autofree char *text = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (path);
      gsize length;

      /* As a file: JSON, but never a dataset. */
      dataset = cm_dataset_load_from_file (file, NULL, NULL, &error);
      g_assert_null (dataset);
      g_assert_nonnull (error);
      g_clear_error (&error);

      g_assert_true (g_file_get_contents (path, &value, &length, NULL));
      text = wrap_in_dataset (value, length, FALSE);
      dataset = cm_dataset_load_from_data (text, strlen (text), NULL, &error);
      g_string_append_printf (report, " %s:%s", name, dataset != NULL ? "loaded" : "refused");
      if (dataset != NULL)
        {
          assert_model_utf8 (dataset);
          cm_fuzz_dataset (NULL, (const uint8_t *) text, strlen (text));
        }
    }
  g_test_message ("test_transform inside a dataset:%s", report->str);
}

/* ---- Numbers --------------------------------------------------------------- */

static gboolean
same_double (double a,
             double b)
{
  return a == b && signbit (a) == signbit (b);
}

/* Positions set in the model (not read from a file, so no lexeme is
 * kept) are saved as strict JSON numbers that load back as the very same
 * doubles: the special values, then random bit patterns over the whole
 * range of finite doubles, subnormals included. */
static void
test_numbers_round_trip (void)
{
  static const double special[] = {
    1e17, 1e-8, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, -0.0, 0.0,
    2.2250738585072014e-308, 2.2250738585072009e-308, 4.9406564584124654e-324,
    9007199254740992.0, 9007199254740993.0, -9007199254740993.0, 1e22, 1e23, 0.1, 1.0 / 3.0,
    123456789012345678901234567890.0, 1e-7, 1e21, 100000000000000000000.0, -1.5, 0.5e-323,
  };
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CmDataset) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  guint n_actors;

  g_array_append_vals (values, special, G_N_ELEMENTS (special));
  while (values->len < 2000)
    {
      guint64 bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
      double d;

      memcpy (&d, &bits, sizeof d);
      if (isfinite (d))
        g_array_append_val (values, d);
    }
  /* Ordinary coordinates too, with few digits. */
  for (guint i = 0; i < 200; i++)
    {
      double d = g_test_rand_double_range (-1e4, 1e4);

      d = round (d * 100) / 100;
      g_array_append_val (values, d);
    }

  /* Two numbers per actor: x and y. */
  for (guint i = 0; i + 1 < values->len; i += 2)
    {
      g_autofree char *id = g_strdup_printf ("a%u", i / 2);
      g_autoptr(CmActor) actor = cm_actor_new (id, id);

      cm_actor_set_position (actor, g_array_index (values, double, i), g_array_index (values, double, i + 1));
      g_assert_true (cm_dataset_add_actor (dataset, actor));
    }

  text = cm_dataset_save_to_data (dataset, &length);

  /* Strict: our parser reads the whole text (RFC 8259, no NaN or
   * Infinity, nothing out of range). */
  {
    g_autoptr(CmJsonValue) root = cm_json_parse (text, length, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (root);
  }
  g_assert_null (strstr (text, "nan"));
  g_assert_null (strstr (text, "inf"));

  again = cm_dataset_load_from_data (text, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  n_actors = cm_dataset_get_n_actors (again);
  g_assert_cmpuint (n_actors, ==, values->len / 2);
  for (guint i = 0; i < n_actors; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%u", i);
      CmActor *actor = cm_dataset_lookup_actor (again, id);
      double x = g_array_index (values, double, 2 * i);
      double y = g_array_index (values, double, 2 * i + 1);

      g_assert_nonnull (actor);
      if (!same_double (cm_actor_get_x (actor), x) || !same_double (cm_actor_get_y (actor), y))
        g_error ("%s: saved (%.17g, %.17g), read back (%.17g, %.17g)", id, x, y,
                 cm_actor_get_x (actor), cm_actor_get_y (actor));
    }
  g_test_message ("%u doubles saved and read back exactly", values->len);
}

/* ---- Drawing hostile text ---------------------------------------------------- */

static void
append_long (GString *s,
             gsize    n)
{
  g_string_append_c (s, '"');
  for (gsize i = 0; i < n; i++)
    g_string_append_c (s, i % 7 == 6 ? ' ' : (char) ('a' + i % 26));
  g_string_append_c (s, '"');
}

/* 10 MB names, titles, mechanisms and sources, markup and bidi overrides,
 * drawn into PNG, SVG and PDF: each export finishes, bounded ("never
 * freezing") at 5 s of CPU; before drawn text was cut, a 10 MB title took
 * 49 s.  That text is drawn as text (markup kept, controls and bidi
 * overrides dropped) is for the render tests and test-ui-hostile. */
static void
test_render_hostile_text (void)
{
  g_autoptr(GString) s = g_string_new ("{\"format\": \"channel-map\", \"version\": 1, \"title\": ");
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  static const char * const outputs[] = { "hostile.png", "hostile.svg", "hostile.pdf" };

  append_long (s, 10 * 1024 * 1024);
  g_string_append (s, ", \"sources\": [{\"id\": \"s\", \"title\": ");
  append_long (s, 10 * 1024 * 1024);
  g_string_append (s, "}], \"actors\": [{\"id\": \"a\", \"name\": ");
  append_long (s, 10 * 1024 * 1024);
  g_string_append (s, ", \"x\": 0, \"y\": 0}, {\"id\": \"b\", \"name\": \"<b>NATO</b> &amp; \\u202eevil\\u0007\","
                      " \"x\": 300, \"y\": 0}], \"links\": [{\"source\": \"a\", \"target\": \"b\","
                      " \"channel\": \"indirect\", \"mechanism\": ");
  append_long (s, 10 * 1024 * 1024);
  g_string_append (s, ", \"quotes\": [{\"text\": \"q\", \"source\": \"s\"}]}]}");

  dataset = cm_dataset_load_from_data (s->str, s->len, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *path = g_build_filename (dir, outputs[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      CmExportOptions options;
      gint64 cpu = thread_cpu_usec ();

      cm_export_options_init (&options);
      g_assert_true (cm_export_format_from_filename (path, &options.format));
      options.width = 800;
      options.height = 600;
      g_assert_true (cm_export_to_file (dataset, file, &options, NULL, &error));
      g_assert_no_error (error);
      cpu = thread_cpu_usec () - cpu;
      g_test_message ("%s with four 10 MB texts: %.3f s of CPU", outputs[i], cpu / 1e6);
      if (cpu > 5000000 * time_factor ())
        g_error ("%s: drawing hostile text took %.2f s of CPU", outputs[i], cpu / 1e6);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- The command line ------------------------------------------------------ */

typedef struct
{
  int     status;     /* exit status, or -signal */
  char   *out;
  char   *err;
  gint64  usec;       /* wall time */
  gint64  cpu_usec;   /* CPU time of the process (user + system) */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static const char *
binary (void)
{
  return g_getenv ("CM_BINARY");
}

static gint64
children_cpu_usec (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* `channel-map --check FILE…`, headless, as a user runs it.  Timed in
 * wall time and in CPU time: the bounds are on CPU time, which other work
 * on a shared machine does not inflate (wall times there vary twofold). */
static void
run_check (Run                *run,
           const char * const *files)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (char *) binary ());
  g_ptr_array_add (argv, (char *) "--check");
  for (guint i = 0; files[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) files[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);

  run->cpu_usec = children_cpu_usec ();
  run->usec = g_get_monotonic_time ();
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  run->usec = g_get_monotonic_time () - run->usec;
  run->cpu_usec = children_cpu_usec () - run->cpu_usec;
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    run->status = -WTERMSIG (wait_status);
  else
    run->status = WEXITSTATUS (wait_status);
}

/* "FILE: $.path: message" or "FILE: LINE:COLUMN: message", the only two
 * forms a problem may take (README, "Command line"). */
static gboolean
is_problem_line (const char *line,
                 const char *file_name,
                 GRegex     *form)
{
  gsize n = strlen (file_name);

  return strncmp (line, file_name, n) == 0 && line[n] == ':' && line[n + 1] == ' ' &&
         g_regex_match (form, line + n + 2, 0, NULL);
}

static GRegex *
problem_form (void)
{
  /* $, then .key, [index] or ["any key"], then ": "; or LINE:COLUMN: */
  return g_regex_new ("^(\\$(\\.[A-Za-z_$][A-Za-z0-9_$]*|\\[[0-9]+\\]|\\[\"([^\"\\\\]|\\\\.)*\"\\])*"
                      "|[1-9][0-9]*:[1-9][0-9]*): [^\\n]+$",
                      G_REGEX_OPTIMIZE, 0, NULL);
}

/* Checks one --check run on one file: 0 with "ok" on stdout and nothing
 * on stderr, or 1 with problem lines only; within @max_usec. */
static void
assert_check_output (const Run  *run,
                     const char *file_name,
                     GRegex     *form,
                     gint64      max_usec,
                     const char *what)
{
  g_auto(GStrv) lines = NULL;

  if (run->status < 0)
    g_error ("%s: channel-map --check died of signal %d\n%s", what, -run->status, run->err);
  if (run->status != 0 && run->status != 1)
    g_error ("%s: exit status %d\n%s", what, run->status, run->err);
  if (run->cpu_usec > max_usec)
    g_error ("%s: took %.2f s of CPU (bound %.2f s)", what, run->cpu_usec / 1e6, max_usec / 1e6);

  if (run->status == 0)
    {
      g_autofree char *ok = g_strdup_printf ("%s: ok (", file_name);

      if (!g_str_has_prefix (run->out, ok) || run->err[0] != '\0')
        g_error ("%s: exit status 0, but\n%s%s", what, run->out, run->err);
      return;
    }

  if (run->err[0] == '\0')
    g_error ("%s: refused without a message", what);
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  lines = g_strsplit (run->err, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (!is_problem_line (lines[i], file_name, form))
      g_error ("%s: a line names no path and no line:column:\n%s", what, lines[i]);
}

#define SKIP_WITHOUT_BINARY() \
  G_STMT_START { \
    if (binary () == NULL) \
      { \
        g_test_skip ("no CM_BINARY (the channel-map program)"); \
        return; \
      } \
  } G_STMT_END

/* All of JSONTestSuite through --check at once: every file gets its
 * verdict, in the two forms. */
static void
test_cli_jsontestsuite (void)
{
  g_autofree char *dir = jsontestsuite_dir ("test_parsing");
  g_autoptr(GPtrArray) names = dir != NULL ? list_dir (dir) : NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) form = problem_form ();
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  SKIP_WITHOUT_BINARY ();
  if (names == NULL)
    {
      g_test_skip ("no JSONTestSuite (CM_SHARED_DIR/corpora/jsontestsuite)");
      return;
    }

  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (dir, names->pdata[i], NULL));
  g_ptr_array_add (paths, NULL);
  run_check (&run, (const char * const *) paths->pdata);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");

  lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      const char *name = g_ptr_array_index (names, i);
      guint n = 0;

      for (guint l = 0; lines[l] != NULL; l++)
        if (g_str_has_prefix (lines[l], path) && lines[l][strlen (path)] == ':')
          {
            if (!is_problem_line (lines[l], path, form))
              g_error ("%s", lines[l]);
            /* A syntax error is a position; a valid document is not a
             * dataset: "$: not a Channel Map dataset …". */
            if (g_str_has_prefix (name, "n_"))
              g_assert_true (g_ascii_isdigit (lines[l][strlen (path) + 2]));
            n++;
          }
      if (n == 0)
        g_error ("%s: no verdict", name);
    }
  g_test_message ("--check on all %u JSONTestSuite files: %.2f s", names->len, run.usec / 1e6);
  run_clear (&run);
}

/* ---- Limits ------------------------------------------------------------------ */

typedef enum
{
  LIMIT_FILE_SIZE,
  LIMIT_ACTORS,
  LIMIT_LINKS,
  LIMIT_DEPTH,
  LIMIT_MEMBERS,
  LIMIT_STRING,
} Limit;

static const struct
{
  const char *name;
  const char *message;   /* what the line says after "FILE: " */
} limits[] = {
  [LIMIT_FILE_SIZE] = { "file size", "The file is larger than 256 MiB, the most Channel Map opens" },
  [LIMIT_ACTORS] = { "actors", "$.actors: too many actors: 500001 (this version reads at most 500000)" },
  [LIMIT_LINKS] = { "links", "$.links: too many links: 2000001 (this version reads at most 2000000)" },
  [LIMIT_DEPTH] = { "depth", "nesting deeper than 128 levels" },
  [LIMIT_MEMBERS] = { "members", "an object with more than 10000 members" },
  [LIMIT_STRING] = { "string length", "a string longer than 16 MiB" },
};

/* Writes the smallest file over @limit, in @dir. */
static char *
write_over_limit (const char *dir,
                  Limit       limit)
{
  g_autofree char *name = g_strdup_printf ("over-%u.json", limit);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) s = g_string_new ("{\"format\": \"channel-map\", \"version\": 1, ");
  g_autoptr(GError) error = NULL;

  switch (limit)
    {
    case LIMIT_FILE_SIZE:
      {
        /* Sparse: 256 MiB + 1 byte that take no room on the disk. */
        int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

        g_assert_cmpint (fd, >=, 0);
        g_assert_cmpint (write (fd, s->str, s->len), ==, (gssize) s->len);
        g_assert_cmpint (ftruncate (fd, (off_t) CM_DATASET_MAX_FILE_SIZE + 1), ==, 0);
        close (fd);
        return path;
      }
    case LIMIT_ACTORS:
      g_string_append (s, "\"actors\": [");
      for (guint i = 0; i <= CM_DATASET_MAX_ACTORS; i++)
        g_string_append_printf (s, "%s{\"id\": \"a%u\", \"name\": \"A\"}", i > 0 ? ", " : "", i);
      g_string_append (s, "]}");
      break;
    case LIMIT_LINKS:
      /* Links are counted before they are read, so they may be empty
       * objects: 6 MB.  Real links (46 bytes each at the least) make a
       * 94 MB file, which only parsing takes over a second to read: the
       * README says so. */
      g_string_append (s, "\"actors\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"b\", \"name\": \"B\"}], "
                          "\"links\": [");
      for (guint i = 0; i <= CM_DATASET_MAX_LINKS; i++)
        g_string_append (s, i > 0 ? ",{}" : "{}");
      g_string_append (s, "]}");
      break;
    case LIMIT_DEPTH:
      g_string_append (s, "\"actors\": [], \"x\": ");
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, ']');
      g_string_append (s, "}");
      break;
    case LIMIT_MEMBERS:
      g_string_append (s, "\"actors\": [{\"id\": \"a\", \"name\": \"A\"");
      for (guint i = 0; i < CM_DATASET_MAX_MEMBERS; i++)
        g_string_append_printf (s, ", \"k%u\": %u", i, i);
      g_string_append (s, "}]}");
      break;
    case LIMIT_STRING:
      g_string_append (s, "\"actors\": [{\"id\": \"a\", \"name\": \"");
      for (gsize i = 0; i <= CM_DATASET_MAX_STRING_LENGTH; i++)
        g_string_append_c (s, 'x');
      g_string_append (s, "\"}]}");
      break;
    default:
      g_assert_not_reached ();
    }

  g_file_set_contents_full (path, s->str, (gssize) s->len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_cli_limit (gconstpointer data)
{
  Limit limit = GPOINTER_TO_INT (data);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GRegex) form = problem_form ();
  const char *files[2] = { NULL, NULL };
  GStatBuf st;
  Run run = { 0 };

  SKIP_WITHOUT_BINARY ();

  dir = make_temp_dir ();
  path = write_over_limit (dir, limit);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  files[0] = path;
  run_check (&run, files);

  g_test_message ("%s: %.1f MB refused in %.3f s (%.3f s of CPU): %s", limits[limit].name,
                  st.st_size / 1e6, run.usec / 1e6, run.cpu_usec / 1e6, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  /* One line: the limit's own message, nothing that follows from it. */
  g_assert_cmpuint (strlen (run.err), >, 0);
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
  g_assert_nonnull (strstr (run.err, limits[limit].message));
  if (limit != LIMIT_FILE_SIZE)
    assert_check_output (&run, path, form, G_MAXINT64, limits[limit].name);
  /* The bound: refused in under a second. */
  if (run.cpu_usec > 1000000 * time_factor ())
    g_error ("%s: refused in %.2f s of CPU, not under a second", limits[limit].name, run.cpu_usec / 1e6);

  run_clear (&run);
  remove_tree (dir);
}

/* ---- Corrupted datasets ---------------------------------------------------- */

typedef enum
{
  MUTATE_FLIP_BYTE,
  MUTATE_FLIP_BIT,
  MUTATE_TRUNCATE,
  MUTATE_DELETE,
  MUTATE_DUPLICATE,
  MUTATE_SWAP_TYPE,
  MUTATE_NEST,
  MUTATE_INSERT_TOKEN,
  MUTATE_DUPLICATE_MEMBER,
  MUTATE_SWAP_STRINGS,
  MUTATE_REPEAT_ELEMENT,
  MUTATE_SPLICE,
  N_MUTATIONS
} Mutation;

static const char * const mutation_names[N_MUTATIONS] = {
  "flip-byte", "flip-bit", "truncate", "delete", "duplicate", "swap-type", "nest",
  "insert-token", "duplicate-member", "swap-strings", "repeat-element", "splice",
};

/* Things a damaged or hostile file may hold where a value or a character
 * goes. */
static const char * const tokens[] = {
  "\\u0000", "\\ud800", "\\udc00x", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
  "\xef\xbb\xbf", "\x01", "\t", "\n", "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
  "-0", "1e-400", "0x42", "012", "+1", ".5", "1.", "/* comment */", "// comment\n", "'single'",
  ",", ",,", "]", "}", "[", "{", ":", "\"", "\\", "\\x41", "null", "true", "false", "[]", "{}",
  "\"\\u202e<b>&amp;</b>\"", "99999999999999999999999999999999999", "\"format\": \"channel-map\"",
  "\"version\": 2", "\"version\": 1.5", "\"version\": 0", "\"version\": -1",
  "\"channel\": \"sometimes\"", "\"group\": \"a\"", "\"x\": 1", "\"id\": \"\"",
  "\"url\": \"javascript:alert(1)\"", "\"date\": \"2022-13-45\"",
};

/* Offsets of the starts of JSON values in @s (roughly: after ':' , '['
 * or ',', skipping spaces), for mutations that work on values. */
static GArray *
value_starts (const GString *s)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gboolean in_string = FALSE;

  for (gsize i = 0; i < s->len; i++)
    {
      char c = s->str[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      if (c == ':' || c == '[' || c == ',')
        {
          gsize j = i + 1;

          while (j < s->len && g_ascii_isspace (s->str[j]))
            j++;
          if (j < s->len)
            g_array_append_val (starts, j);
        }
    }
  return starts;
}

/* The end of the value starting at @start (exclusive), or @start when it
 * cannot tell. */
static gsize
value_end (const GString *s,
           gsize          start)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = start; i < s->len; i++)
    {
      char c = s->str[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return i + 1;
            }
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        depth++;
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return i;
          if (--depth == 0)
            return i + 1;
        }
      else if (depth == 0 && (c == ',' || g_ascii_isspace (c)))
        return i;
    }
  return s->len;
}

static gsize
rand_offset (GRand *rand,
             gsize  length)
{
  return length > 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) MIN (length, G_MAXINT32)) : 0;
}

static void
mutate (GString       *s,
        Mutation       mutation,
        GRand         *rand,
        const GString *other)
{
  g_autoptr(GArray) starts = NULL;
  gsize at = rand_offset (rand, s->len);

  if (s->len == 0)
    {
      g_string_append (s, tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))]);
      return;
    }

  switch (mutation)
    {
    case MUTATE_FLIP_BYTE:
      s->str[at] = (char) g_rand_int_range (rand, 0, 256);
      break;
    case MUTATE_FLIP_BIT:
      s->str[at] ^= (char) (1 << g_rand_int_range (rand, 0, 8));
      break;
    case MUTATE_TRUNCATE:
      g_string_truncate (s, at);
      break;
    case MUTATE_DELETE:
      {
        gsize n = (gsize) g_rand_int_range (rand, 1, 65);   /* not inside MIN(): evaluated twice */

        g_string_erase (s, (gssize) at, (gssize) MIN (s->len - at, n));
      }
      break;
    case MUTATE_DUPLICATE:
      {
        gsize n = (gsize) g_rand_int_range (rand, 1, 257);

        n = MIN (s->len - at, n);
        g_autofree char *copy = g_strndup (s->str + at, n);

        g_string_insert_len (s, (gssize) rand_offset (rand, s->len), copy, (gssize) n);
      }
      break;
    case MUTATE_SWAP_TYPE:
      {
        static const char * const values[] = {
          "42", "-1.5e3", "\"text\"", "\"\"", "null", "true", "false", "[]", "{}", "[1, \"a\"]",
          "{\"k\": 1}", "\"direct\"", "0",
        };
        gsize start, end;

        starts = value_starts (s);
        if (starts->len == 0)
          break;
        start = g_array_index (starts, gsize, rand_offset (rand, starts->len));
        end = value_end (s, start);
        g_string_erase (s, (gssize) start, (gssize) (end - start));
        g_string_insert (s, (gssize) start, values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
      }
      break;
    case MUTATE_NEST:
      {
        static const guint depths[] = { 1, 10, 126, 127, 128, 129, 1000, 100000 };
        guint depth = depths[g_rand_int_range (rand, 0, G_N_ELEMENTS (depths))];
        gboolean objects = g_rand_boolean (rand);
        gsize start, end;
        GString *open = g_string_new (NULL);
        GString *close = g_string_new (NULL);

        starts = value_starts (s);
        if (starts->len == 0)
          {
            g_string_free (open, TRUE);
            g_string_free (close, TRUE);
            break;
          }
        start = g_array_index (starts, gsize, rand_offset (rand, starts->len));
        end = value_end (s, start);
        for (guint i = 0; i < depth; i++)
          {
            g_string_append (open, objects ? "{\"k\":" : "[");
            g_string_append_c (close, objects ? '}' : ']');
          }
        g_string_insert (s, (gssize) end, close->str);
        g_string_insert (s, (gssize) start, open->str);
        g_string_free (open, TRUE);
        g_string_free (close, TRUE);
      }
      break;
    case MUTATE_INSERT_TOKEN:
      g_string_insert (s, (gssize) at, tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))]);
      break;
    case MUTATE_DUPLICATE_MEMBER:
      {
        /* "key": value, → "key": value, "key": value, */
        const char *quote;
        gsize start, colon, end;

        quote = strchr (s->str + at, '"');
        if (quote == NULL)
          break;
        start = (gsize) (quote - s->str);
        colon = start + 1;
        while (colon < s->len && s->str[colon] != '"')
          colon++;
        colon++;
        while (colon < s->len && g_ascii_isspace (s->str[colon]))
          colon++;
        if (colon >= s->len || s->str[colon] != ':')
          break;
        end = value_end (s, colon + 1 + strspn (s->str + colon + 1, " \n\t\r"));
        {
          g_autofree char *member = g_strndup (s->str + start, end - start);
          g_autofree char *with_comma = g_strconcat (member, ", ", NULL);

          g_string_insert (s, (gssize) start, with_comma);
        }
      }
      break;
    case MUTATE_SWAP_STRINGS:
      {
        /* One string value becomes another one of the file (an id where a
         * reference was, a channel where a date was, …). */
        gsize a, b, a_end, b_end;

        starts = value_starts (s);
        if (starts->len < 2)
          break;
        a = g_array_index (starts, gsize, rand_offset (rand, starts->len));
        b = g_array_index (starts, gsize, rand_offset (rand, starts->len));
        if (s->str[a] != '"' || s->str[b] != '"')
          break;
        a_end = value_end (s, a);
        b_end = value_end (s, b);
        {
          g_autofree char *replacement = g_strndup (s->str + b, b_end - b);

          g_string_erase (s, (gssize) a, (gssize) (a_end - a));
          g_string_insert (s, (gssize) a, replacement);
        }
      }
      break;
    case MUTATE_REPEAT_ELEMENT:
      {
        /* An array element many times over: duplicate ids, more than
         * a hundred problems. */
        const char *bracket = strchr (s->str + at, '[');
        gsize start, end;
        guint times = (guint) g_rand_int_range (rand, 2, 400);

        if (bracket == NULL)
          break;
        start = (gsize) (bracket - s->str) + 1;
        start += strspn (s->str + start, " \n\t\r");
        end = value_end (s, start);
        if (end <= start || end - start > 100000)
          break;
        {
          g_autofree char *element = g_strndup (s->str + start, end - start);
          GString *many = g_string_new (NULL);

          for (guint i = 0; i < times; i++)
            {
              g_string_append (many, element);
              g_string_append (many, ", ");
            }
          g_string_insert (s, (gssize) start, many->str);
          g_string_free (many, TRUE);
        }
      }
      break;
    case MUTATE_SPLICE:
      {
        /* The start of this file and the end of another. */
        gsize from = rand_offset (rand, other->len);

        g_string_truncate (s, at);
        g_string_append_len (s, other->str + from, (gssize) (other->len - from));
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The datasets to damage: the example, the dataset fixtures, the
 * regression files of the loader. */
static GPtrArray *
originals (void)
{
  const char *root = g_getenv ("CM_SOURCE_ROOT");
  const char * const dirs[] = { "data/examples", "tests/data/io", "tests/data/import", "tests/data/regress/load" };
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_assert_nonnull (root);
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir = g_build_filename (root, dirs[d], NULL);
      g_autoptr(GPtrArray) names = list_dir (dir);

      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
          char *contents;
          gsize length;

          if (!g_str_has_suffix (path, ".json") || !g_file_get_contents (path, &contents, &length, NULL))
            continue;
          /* Channel Map datasets only: the other JSON fixtures are for
           * the node-link importer, whose messages are its own. */
          if (strstr (contents, "\"channel-map\"") == NULL)
            {
              g_free (contents);
              continue;
            }
          g_ptr_array_add (found, g_bytes_new_take (contents, length));
        }
    }
  g_assert_cmpuint (found->len, >, 0);
  return found;
}

static void
test_cli_corrupted (void)
{
  const char *seed_env = g_getenv ("CM_MUTATE_SEED");
  const char *count_env = g_getenv ("CM_MUTATE_COUNT");
  const char *keep = g_getenv ("CM_MUTATE_KEEP");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : 20221129;
  guint count = count_env != NULL ? (guint) g_ascii_strtoull (count_env, NULL, 10) : 240;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) sources = originals ();
  g_autoptr(GRegex) form = problem_form ();
  g_autofree char *dir = NULL;
  guint per_kind[N_MUTATIONS] = { 0 };
  guint n_loaded = 0, n_refused = 0;
  gint64 max_usec = 0, max_cpu_usec = 0;
  gint64 bound = (gint64) (2000000 * time_factor ());

  SKIP_WITHOUT_BINARY ();

  dir = keep != NULL ? g_strdup (keep) : make_temp_dir ();
  g_mkdir_with_parents (dir, 0755);
  g_test_message ("corrupting %u files with seed %u (CM_MUTATE_SEED)", count, seed);

  for (guint i = 0; i < count; i++)
    {
      GBytes *original = g_ptr_array_index (sources, g_rand_int_range (rand, 0, (gint32) sources->len));
      GBytes *other = g_ptr_array_index (sources, g_rand_int_range (rand, 0, (gint32) sources->len));
      gsize length;
      const char *data = g_bytes_get_data (original, &length);
      g_autoptr(GString) s = g_string_new_len (data, (gssize) length);
      g_autoptr(GString) o = g_string_new_len (g_bytes_get_data (other, NULL), (gssize) g_bytes_get_size (other));
      Mutation first = (Mutation) (i % N_MUTATIONS);   /* every kind, evenly */
      guint n_more = (guint) g_rand_int_range (rand, 0, 3);
      g_autofree char *name = g_strdup_printf ("corrupt-%04u-%s.json", i, mutation_names[first]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) in_process = NULL;
      const char *files[2] = { path, NULL };
      Run run = { 0 };

      mutate (s, first, rand, o);
      for (guint m = 0; m < n_more; m++)
        mutate (s, (Mutation) g_rand_int_range (rand, 0, N_MUTATIONS), rand, o);
      per_kind[first]++;

      g_file_set_contents_full (path, s->str, (gssize) s->len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
      g_assert_no_error (error);

      run_check (&run, files);
      assert_check_output (&run, path, form, bound, name);
      max_usec = MAX (max_usec, run.usec);
      max_cpu_usec = MAX (max_cpu_usec, run.cpu_usec);

      /* What the program said is what the library decides. */
      in_process = cm_dataset_open_data (name, s->str, s->len, NULL, NULL, NULL, &error);
      if ((in_process != NULL) != (run.status == 0))
        g_error ("%s: --check says %d, the library %s", name, run.status,
                 in_process != NULL ? "loads it" : error->message);
      /* And what loads, saves and loads back. */
      cm_fuzz_dataset (name, (const uint8_t *) s->str, s->len);
      if (in_process != NULL)
        assert_model_utf8 (in_process);

      n_loaded += run.status == 0;
      n_refused += run.status == 1;
      run_clear (&run);
      if (keep == NULL)
        g_unlink (path);
    }

  g_test_message ("%u corrupted datasets: %u refused, %u loaded; slowest --check %.3f s "
                  "(%.3f s of CPU)", count, n_refused, n_loaded, max_usec / 1e6, max_cpu_usec / 1e6);
  for (guint k = 0; k < N_MUTATIONS; k++)
    g_assert_cmpuint (per_kind[k], >, 0);
  if (keep == NULL)
    remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_test_add_func ("/reliability/jsontestsuite/parsing", test_jsontestsuite_parsing);
  g_test_add_func ("/reliability/jsontestsuite/wrapped", test_jsontestsuite_wrapped);
  g_test_add_func ("/reliability/jsontestsuite/transform", test_jsontestsuite_transform);
  g_test_add_func ("/reliability/numbers/round-trip", test_numbers_round_trip);
  g_test_add_func ("/reliability/render/hostile-text", test_render_hostile_text);
  g_test_add_func ("/reliability/cli/jsontestsuite", test_cli_jsontestsuite);
  g_test_add_data_func ("/reliability/cli/limit/file-size", GINT_TO_POINTER (LIMIT_FILE_SIZE), test_cli_limit);
  g_test_add_data_func ("/reliability/cli/limit/actors", GINT_TO_POINTER (LIMIT_ACTORS), test_cli_limit);
  g_test_add_data_func ("/reliability/cli/limit/links", GINT_TO_POINTER (LIMIT_LINKS), test_cli_limit);
  g_test_add_data_func ("/reliability/cli/limit/depth", GINT_TO_POINTER (LIMIT_DEPTH), test_cli_limit);
  g_test_add_data_func ("/reliability/cli/limit/members", GINT_TO_POINTER (LIMIT_MEMBERS), test_cli_limit);
  g_test_add_data_func ("/reliability/cli/limit/string-length", GINT_TO_POINTER (LIMIT_STRING), test_cli_limit);
  g_test_add_func ("/reliability/cli/corrupted", test_cli_corrupted);

  return g_test_run ();
}
