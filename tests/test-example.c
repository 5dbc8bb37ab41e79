/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The bundled example, data/examples/moscow-washington-2022.json, is the
 * first thing users see.  It is built from the seed article: these tests
 * load it through the real loader and check that it still says what the
 * article says, word for word. */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <gio/gio.h>

#include "cm-model.h"
#include "cm-dataset-io.h"

#define EXAMPLE_NAME "moscow-washington-2022.json"

static CmDataset *example;
static char *seed_text;
static char *seed_path;

/* Helpers */

static char *
get_example_path (void)
{
  const char *root = g_getenv ("CM_SOURCE_ROOT");

  if (root != NULL && *root != '\0')
    return g_build_filename (root, "data", "examples", EXAMPLE_NAME, NULL);

  return g_build_filename (SOURCE_EXAMPLES_DIR, EXAMPLE_NAME, NULL);
}

/* Loads the example once; fails the calling test (and returns NULL) when
 * it cannot be loaded. */
static CmDataset *
get_example (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = NULL;

  if (example != NULL)
    return example;

  path = get_example_path ();
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_fail_printf ("the example dataset is missing: %s", path);
      return NULL;
    }

  file = g_file_new_for_path (path);
  example = cm_dataset_load_from_file (file, NULL, &problems, &error);

  /* Print every problem, so a failure says what to fix. */
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));

      g_test_message ("%s: %s", path, line);
    }

  if (example == NULL)
    {
      g_test_fail_printf ("%s does not load: %s", path,
                          error != NULL ? error->message : "(no error set)");
      g_clear_pointer (&problems, g_ptr_array_unref);
      return NULL;
    }

  if (problems != NULL && problems->len > 0)
    g_test_fail_printf ("%s loads, but with %u problem(s)", path, problems->len);
  g_clear_pointer (&problems, g_ptr_array_unref);

  return example;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Reads the seed article: the one .txt file in $CM_SHARED_DIR/seed/.
 * Fails the calling test (and returns NULL) when there is none. */
static const char *
get_seed_text (void)
{
  const char *shared = g_getenv ("CM_SHARED_DIR");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *name;

  if (seed_text != NULL)
    return seed_text;

  if (shared == NULL || *shared == '\0')
    {
      g_test_fail_printf ("CM_SHARED_DIR is not set: cannot find the seed article");
      return NULL;
    }

  dir_path = g_build_filename (shared, "seed", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    {
      g_test_fail_printf ("cannot open the seed folder %s: %s",
                          dir_path, error->message);
      return NULL;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));

  if (names->len == 0)
    {
      g_test_fail_printf ("no seed article (*.txt) in %s", dir_path);
      return NULL;
    }
  if (names->len > 1)
    {
      g_test_fail_printf ("%u .txt files in %s; expected the one seed article",
                          names->len, dir_path);
      return NULL;
    }

  g_ptr_array_sort (names, compare_strings);
  seed_path = g_build_filename (dir_path, g_ptr_array_index (names, 0), NULL);
  if (!g_file_get_contents (seed_path, &contents, &length, &error))
    {
      g_test_fail_printf ("cannot read the seed article %s: %s",
                          seed_path, error->message);
      g_clear_pointer (&seed_path, g_free);
      return NULL;
    }

  if (length == 0 || !g_utf8_validate_len (contents, length, NULL)
      || strlen (contents) != length)
    {
      g_test_fail_printf ("the seed article %s is empty or not UTF-8 text",
                          seed_path);
      g_clear_pointer (&seed_path, g_free);
      return NULL;
    }

  seed_text = g_steal_pointer (&contents);
  return seed_text;
}

typedef struct
{
  CmQuote *quote;
  char    *where;
} QuoteRef;

static void
quote_ref_free (gpointer data)
{
  QuoteRef *ref = data;

  g_clear_object (&ref->quote);
  g_free (ref->where);
  g_free (ref);
}

static void
add_quotes (GPtrArray  *refs,
            GListModel *quotes,
            const char *owner)
{
  guint n = g_list_model_get_n_items (quotes);

  for (guint i = 0; i < n; i++)
    {
      QuoteRef *ref = g_new0 (QuoteRef, 1);

      ref->quote = g_list_model_get_item (quotes, i);
      ref->where = g_strdup_printf ("%s, quote %u", owner, i + 1);
      g_ptr_array_add (refs, ref);
    }
}

/* Every quote in @dataset, actors' first, then links', with where it is. */
static GPtrArray *
collect_quotes (CmDataset *dataset)
{
  GPtrArray *refs = g_ptr_array_new_with_free_func (quote_ref_free);
  GListModel *actors = cm_dataset_get_actors (dataset);
  GListModel *links = cm_dataset_get_links (dataset);

  for (guint i = 0; i < g_list_model_get_n_items (actors); i++)
    {
      g_autoptr(CmActor) actor = g_list_model_get_item (actors, i);
      g_autofree char *owner = g_strdup_printf ("actor \"%s\"",
                                                cm_actor_get_id (actor));

      add_quotes (refs, cm_actor_get_quotes (actor), owner);
    }

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(CmLink) link = g_list_model_get_item (links, i);
      g_autofree char *owner = g_strdup_printf ("link \"%s\"",
                                                cm_link_get_id (link));

      add_quotes (refs, cm_link_get_quotes (link), owner);
    }

  return refs;
}

/* The length in bytes of the longest start of @quote, cut at a character
 * boundary, that occurs in @text: where a quote stops being word for word. */
static gsize
longest_prefix_in (const char *text,
                   const char *quote)
{
  gsize best = 0;

  for (const char *end = quote; *end != '\0'; end = g_utf8_next_char (end))
    {
      g_autofree char *prefix = g_strndup (quote, g_utf8_next_char (end) - quote);

      if (strstr (text, prefix) == NULL)
        break;
      best = strlen (prefix);
    }

  return best;
}

/* Does @link join the actors @a and @b (either way round) by @channel? */
static gboolean
link_matches (CmLink     *link,
              const char *a,
              const char *b,
              CmChannel   channel)
{
  const char *source = cm_link_get_source (link);
  const char *target = cm_link_get_target (link);

  if (cm_link_get_channel (link) != channel)
    return FALSE;

  return (g_strcmp0 (source, a) == 0 && g_strcmp0 (target, b) == 0)
         || (g_strcmp0 (source, b) == 0 && g_strcmp0 (target, a) == 0);
}

static guint
count_links_between (CmDataset  *dataset,
                     const char *a,
                     const char *b,
                     CmChannel   channel)
{
  GListModel *links = cm_dataset_get_links (dataset);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(CmLink) link = g_list_model_get_item (links, i);

      if (link_matches (link, a, b, channel))
        count++;
    }

  return count;
}

/* Tests */

static void
test_example_loads (void)
{
  CmDataset *dataset = get_example ();

  if (dataset == NULL)
    return;

  g_assert_true (CM_IS_DATASET (dataset));
  g_assert_cmpstr (cm_dataset_get_title (dataset), !=, NULL);
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), >=, 12);
  g_assert_cmpuint (cm_dataset_get_n_links (dataset), >=, 6);
  g_assert_cmpuint (g_list_model_get_n_items (cm_dataset_get_sources (dataset)), >=, 1);
}

static void
test_example_seed_found (void)
{
  const char *text = get_seed_text ();

  if (text == NULL)
    return;

  g_test_message ("seed article: %s", seed_path);
  g_assert_cmpuint (strlen (text), >, 0);
}

static void
test_example_quotes_in_seed (void)
{
  CmDataset *dataset = get_example ();
  const char *text = get_seed_text ();
  g_autoptr(GPtrArray) refs = NULL;

  if (dataset == NULL || text == NULL)
    return;

  refs = collect_quotes (dataset);
  g_assert_cmpuint (refs->len, >, 0);

  for (guint i = 0; i < refs->len; i++)
    {
      QuoteRef *ref = g_ptr_array_index (refs, i);
      const char *quote = cm_quote_get_text (ref->quote);

      if (quote == NULL || *quote == '\0')
        {
          g_test_fail_printf ("%s is empty", ref->where);
          return;
        }

      if (strstr (text, quote) == NULL)
        {
          gsize matching = longest_prefix_in (text, quote);

          g_test_fail_printf ("%s is not word for word in the seed article %s "
                              "(it departs from it after byte %" G_GSIZE_FORMAT
                              "): \"%s\"",
                              ref->where, seed_path, matching, quote);
          return;
        }
    }
}

static void
test_example_source_text (void)
{
  CmDataset *dataset = get_example ();
  const char *text = get_seed_text ();
  GListModel *sources;
  gboolean found = FALSE;

  if (dataset == NULL || text == NULL)
    return;

  /* The article's full text is in the dataset, so quotes show in context. */
  sources = cm_dataset_get_sources (dataset);
  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(CmSource) source = g_list_model_get_item (sources, i);

      if (g_strcmp0 (cm_source_get_text (source), text) == 0)
        found = TRUE;
    }

  if (!found)
    g_test_fail_printf ("no source in the example holds the seed article's "
                        "exact text (%s)", seed_path);
}

static void
test_example_channel_kinds (void)
{
  CmDataset *dataset = get_example ();
  GListModel *links;
  guint counts[CM_N_CHANNELS] = { 0, };

  if (dataset == NULL)
    return;

  links = cm_dataset_get_links (dataset);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(CmLink) link = g_list_model_get_item (links, i);
      CmChannel channel = cm_link_get_channel (link);

      g_assert_cmpint (channel, >=, 0);
      g_assert_cmpint (channel, <, CM_N_CHANNELS);
      counts[channel]++;
    }

  g_assert_cmpuint (counts[CM_CHANNEL_DIRECT], >=, 1);
  g_assert_cmpuint (counts[CM_CHANNEL_INDIRECT], >=, 1);
  g_assert_cmpuint (counts[CM_CHANNEL_ABSENT], >=, 1);
}

static void
test_example_russia_usa (void)
{
  CmDataset *dataset = get_example ();

  if (dataset == NULL)
    return;

  g_assert_nonnull (cm_dataset_lookup_actor (dataset, "russia"));
  g_assert_nonnull (cm_dataset_lookup_actor (dataset, "usa"));

  /* The reported absence of a formal line, and beside it the signals that
   * do pass: both, as separate links between the same two actors. */
  g_assert_cmpuint (count_links_between (dataset, "russia", "usa",
                                         CM_CHANNEL_ABSENT), >=, 1);
  g_assert_cmpuint (count_links_between (dataset, "russia", "usa",
                                         CM_CHANNEL_INDIRECT), >=, 1);
}

static void
test_example_blinken_aurescu (void)
{
  CmDataset *dataset = get_example ();

  if (dataset == NULL)
    return;

  g_assert_nonnull (cm_dataset_lookup_actor (dataset, "blinken"));
  g_assert_nonnull (cm_dataset_lookup_actor (dataset, "aurescu"));
  g_assert_cmpuint (count_links_between (dataset, "blinken", "aurescu",
                                         CM_CHANNEL_DIRECT), >=, 1);
}

static void
test_example_actors (void)
{
  /* Every actor the article names, by a fragment of its name; "a|b" means
   * either fragment will do. */
  static const char * const fragments[] = {
    "Ryabkov",
    "Russia",
    "foreign ministry|ministry of foreign affairs",
    "United States",
    "Blinken",
    "Aurescu",
    "Romania",
    "NATO",
    "Ukraine",
    "TASS",
    "Gorchakov",
    "allies",
  };
  CmDataset *dataset = get_example ();
  GListModel *actors;
  g_autoptr(GPtrArray) names = NULL;

  if (dataset == NULL)
    return;

  actors = cm_dataset_get_actors (dataset);
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (actors); i++)
    {
      g_autoptr(CmActor) actor = g_list_model_get_item (actors, i);
      const char *name = cm_actor_get_name (actor);

      g_assert_nonnull (name);
      g_ptr_array_add (names, g_utf8_casefold (name, -1));
    }

  for (guint f = 0; f < G_N_ELEMENTS (fragments); f++)
    {
      g_auto(GStrv) alternatives = g_strsplit (fragments[f], "|", -1);
      gboolean found = FALSE;

      for (guint a = 0; alternatives[a] != NULL && !found; a++)
        {
          g_autofree char *folded = g_utf8_casefold (alternatives[a], -1);

          for (guint i = 0; i < names->len && !found; i++)
            if (strstr (g_ptr_array_index (names, i), folded) != NULL)
              found = TRUE;
        }

      if (!found)
        {
          g_test_fail_printf ("no actor's name contains \"%s\"", fragments[f]);
          return;
        }
    }
}

static void
test_example_links_have_quotes (void)
{
  CmDataset *dataset = get_example ();
  GListModel *links;

  if (dataset == NULL)
    return;

  links = cm_dataset_get_links (dataset);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(CmLink) link = g_list_model_get_item (links, i);

      if (g_list_model_get_n_items (cm_link_get_quotes (link)) == 0)
        {
          g_test_fail_printf ("link \"%s\" (%s -> %s) has no quote",
                              cm_link_get_id (link),
                              cm_link_get_source (link),
                              cm_link_get_target (link));
          return;
        }
    }
}

static void
test_example_quote_sources (void)
{
  CmDataset *dataset = get_example ();
  g_autoptr(GPtrArray) refs = NULL;

  if (dataset == NULL)
    return;

  refs = collect_quotes (dataset);
  for (guint i = 0; i < refs->len; i++)
    {
      QuoteRef *ref = g_ptr_array_index (refs, i);
      const char *source = cm_quote_get_source (ref->quote);

      if (source == NULL)
        {
          g_test_fail_printf ("%s has no source: \"%s\"",
                              ref->where, cm_quote_get_text (ref->quote));
          return;
        }
      if (cm_dataset_lookup_source (dataset, source) == NULL)
        {
          g_test_fail_printf ("%s names the source \"%s\", which the "
                              "dataset does not have",
                              ref->where, source);
          return;
        }
    }
}

static void
test_example_references (void)
{
  CmDataset *dataset = get_example ();
  GListModel *actors;
  GListModel *links;

  if (dataset == NULL)
    return;

  /* The loader refuses dangling ids; this guards the example against a
   * loader that someday lets one through. */
  links = cm_dataset_get_links (dataset);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(CmLink) link = g_list_model_get_item (links, i);
      const char * const *via = cm_link_get_via (link);

      g_assert_nonnull (cm_dataset_lookup_actor (dataset, cm_link_get_source (link)));
      g_assert_nonnull (cm_dataset_lookup_actor (dataset, cm_link_get_target (link)));
      g_assert_cmpstr (cm_link_get_source (link), !=, cm_link_get_target (link));
      for (guint v = 0; via != NULL && via[v] != NULL; v++)
        g_assert_nonnull (cm_dataset_lookup_actor (dataset, via[v]));
    }

  actors = cm_dataset_get_actors (dataset);
  for (guint i = 0; i < g_list_model_get_n_items (actors); i++)
    {
      g_autoptr(CmActor) actor = g_list_model_get_item (actors, i);
      const char *group = cm_actor_get_group (actor);
      guint steps = 0;

      /* Walk up the groups: each must exist, and the walk must end. */
      while (group != NULL)
        {
          CmActor *parent = cm_dataset_lookup_actor (dataset, group);

          g_assert_nonnull (parent);
          g_assert_cmpuint (++steps, <=, cm_dataset_get_n_actors (dataset));
          group = cm_actor_get_group (parent);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/example/loads", test_example_loads);
  g_test_add_func ("/example/seed-found", test_example_seed_found);
  g_test_add_func ("/example/quotes-in-seed", test_example_quotes_in_seed);
  g_test_add_func ("/example/source-text", test_example_source_text);
  g_test_add_func ("/example/channel-kinds", test_example_channel_kinds);
  g_test_add_func ("/example/russia-usa", test_example_russia_usa);
  g_test_add_func ("/example/blinken-aurescu", test_example_blinken_aurescu);
  g_test_add_func ("/example/actors", test_example_actors);
  g_test_add_func ("/example/links-have-quotes", test_example_links_have_quotes);
  g_test_add_func ("/example/quote-sources", test_example_quote_sources);
  g_test_add_func ("/example/references", test_example_references);

  ret = g_test_run ();

  g_clear_object (&example);
  g_clear_pointer (&seed_text, g_free);
  g_clear_pointer (&seed_path, g_free);

  return ret;
}
