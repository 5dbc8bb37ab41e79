/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The dataset loader, saver and atomic file writer.
 *
 * The heart of it is a table of bad datasets, one or more per rule of
 * FORMAT.md, each with the error code and the exact problem lines a user
 * would read.  Then: several problems at once and in file order, positions,
 * limits, round trips that keep unknown keys and number lexemes, saving
 * after edits, and the atomic writer over plain files, symlinks, hard links
 * and failures. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cm-atomic-file.h"
#include "cm-dataset-io.h"
#include "cm-json.h"
#include "cm-model.h"

/* In src/io/cm-io-error.c; its declaration belongs in cm-dataset-io.h. */
guint cm_problems_count (GPtrArray *problems);

/* ---- Helpers ----------------------------------------------------------- */

/* Test JSON is written with ' for ", to keep the table readable. */
static char *
dq (const char *json)
{
  char *s = g_strdup (json);

  g_strdelimit (s, "'", '"');
  return s;
}

static CmDataset *
load_json (const char  *json,
           GPtrArray  **problems,
           GError     **error)
{
  g_autofree char *text = dq (json);

  return cm_dataset_load_from_data (text, strlen (text), problems, error);
}

/* Loads @json, which must be valid, and fails the test otherwise. */
static CmDataset *
load_valid (const char *json)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = load_json (json, &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 0);
  return dataset;
}

static char *
problem_string (GPtrArray *problems,
                guint      index)
{
  return cm_problem_to_string (g_ptr_array_index (problems, index));
}

static char *
get_example_path (void)
{
  const char *root = g_getenv ("CM_SOURCE_ROOT");

  if (root != NULL && *root != '\0')
    return g_build_filename (root, "data", "examples", "moscow-washington-2022.json", NULL);
  return g_build_filename (SOURCE_EXAMPLES_DIR, "moscow-washington-2022.json", NULL);
}

static char *
get_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "io", name, NULL);
}

static char *
read_text (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static CmDataset *
load_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_dataset_load_from_file (file, NULL, &problems, &error);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = problem_string (problems, i);

      g_test_message ("%s: %s", path, line);
    }
  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static CmDataset *
reload (CmDataset *dataset)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CmDataset *copy;
  gsize length;

  text = cm_dataset_save_to_data (dataset, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  copy = cm_dataset_load_from_data (text, length, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  return copy;
}

/* A temporary folder, removed with everything in it at the end. */
static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cm-test-io-XXXXXX", &error);

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

      g_chmod (path, 0755);
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

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces: "a.json link.json". */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* ---- Comparing datasets ------------------------------------------------ */

static void
assert_strv_equal (const char * const *a,
                   const char * const *b)
{
  guint na = a != NULL ? g_strv_length ((char **) a) : 0;
  guint nb = b != NULL ? g_strv_length ((char **) b) : 0;

  g_assert_cmpuint (na, ==, nb);
  for (guint i = 0; i < na; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_quotes_equal (GListModel *a,
                     GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(CmQuote) qa = g_list_model_get_item (a, i);
      g_autoptr(CmQuote) qb = g_list_model_get_item (b, i);

      g_assert_cmpstr (cm_quote_get_text (qa), ==, cm_quote_get_text (qb));
      g_assert_cmpstr (cm_quote_get_speaker (qa), ==, cm_quote_get_speaker (qb));
      g_assert_cmpstr (cm_quote_get_source (qa), ==, cm_quote_get_source (qb));
      g_assert_cmpstr (cm_quote_get_date (qa), ==, cm_quote_get_date (qb));
      g_assert_cmpstr (cm_quote_get_url (qa), ==, cm_quote_get_url (qb));
    }
}

static void
assert_datasets_equal (CmDataset *a,
                       CmDataset *b)
{
  GListModel *sa = cm_dataset_get_sources (a), *sb = cm_dataset_get_sources (b);
  CmActor **actors_a, **actors_b;
  CmLink **links_a, **links_b;
  guint na, nb;

  g_assert_cmpstr (cm_dataset_get_title (a), ==, cm_dataset_get_title (b));
  g_assert_cmpstr (cm_dataset_get_description (a), ==, cm_dataset_get_description (b));

  g_assert_cmpuint (g_list_model_get_n_items (sa), ==, g_list_model_get_n_items (sb));
  for (guint i = 0; i < g_list_model_get_n_items (sa); i++)
    {
      g_autoptr(CmSource) x = g_list_model_get_item (sa, i);
      g_autoptr(CmSource) y = g_list_model_get_item (sb, i);

      g_assert_cmpstr (cm_source_get_id (x), ==, cm_source_get_id (y));
      g_assert_cmpstr (cm_source_get_title (x), ==, cm_source_get_title (y));
      g_assert_cmpstr (cm_source_get_publisher (x), ==, cm_source_get_publisher (y));
      g_assert_cmpstr (cm_source_get_date (x), ==, cm_source_get_date (y));
      g_assert_cmpstr (cm_source_get_url (x), ==, cm_source_get_url (y));
      g_assert_cmpstr (cm_source_get_text (x), ==, cm_source_get_text (y));
    }

  actors_a = cm_dataset_peek_actors (a, &na);
  actors_b = cm_dataset_peek_actors (b, &nb);
  g_assert_cmpuint (na, ==, nb);
  for (guint i = 0; i < na; i++)
    {
      CmActor *x = actors_a[i], *y = actors_b[i];

      g_assert_cmpstr (cm_actor_get_id (x), ==, cm_actor_get_id (y));
      g_assert_cmpstr (cm_actor_get_name (x), ==, cm_actor_get_name (y));
      g_assert_cmpint (cm_actor_get_kind (x), ==, cm_actor_get_kind (y));
      g_assert_cmpstr (cm_actor_get_kind_name (x), ==, cm_actor_get_kind_name (y));
      g_assert_cmpstr (cm_actor_get_role (x), ==, cm_actor_get_role (y));
      g_assert_cmpstr (cm_actor_get_group (x), ==, cm_actor_get_group (y));
      g_assert_cmpstr (cm_actor_get_notes (x), ==, cm_actor_get_notes (y));
      g_assert_cmpint (cm_actor_get_pinned (x), ==, cm_actor_get_pinned (y));
      g_assert_cmpint (cm_actor_has_position (x), ==, cm_actor_has_position (y));
      if (cm_actor_has_position (x))
        {
          g_assert_cmpfloat (cm_actor_get_x (x), ==, cm_actor_get_x (y));
          g_assert_cmpfloat (cm_actor_get_y (x), ==, cm_actor_get_y (y));
        }
      assert_quotes_equal (cm_actor_get_quotes (x), cm_actor_get_quotes (y));
    }

  links_a = cm_dataset_peek_links (a, &na);
  links_b = cm_dataset_peek_links (b, &nb);
  g_assert_cmpuint (na, ==, nb);
  for (guint i = 0; i < na; i++)
    {
      CmLink *x = links_a[i], *y = links_b[i];

      g_assert_cmpstr (cm_link_get_id (x), ==, cm_link_get_id (y));
      g_assert_cmpstr (cm_link_get_source (x), ==, cm_link_get_source (y));
      g_assert_cmpstr (cm_link_get_target (x), ==, cm_link_get_target (y));
      g_assert_cmpint (cm_link_get_channel (x), ==, cm_link_get_channel (y));
      g_assert_cmpint (cm_link_get_directed (x), ==, cm_link_get_directed (y));
      g_assert_cmpstr (cm_link_get_topic (x), ==, cm_link_get_topic (y));
      g_assert_cmpstr (cm_link_get_mechanism (x), ==, cm_link_get_mechanism (y));
      assert_strv_equal (cm_link_get_via (x), cm_link_get_via (y));
      g_assert_cmpstr (cm_link_get_from (x), ==, cm_link_get_from (y));
      g_assert_cmpstr (cm_link_get_to (x), ==, cm_link_get_to (y));
      g_assert_cmpint (cm_link_get_ongoing (x), ==, cm_link_get_ongoing (y));
      assert_quotes_equal (cm_link_get_quotes (x), cm_link_get_quotes (y));
    }
}

/* Structural equality of two JSON trees, keys in order and numbers by
 * their exact text. */
static void
assert_json_equal (const CmJsonValue *a,
                   const CmJsonValue *b,
                   const char        *where)
{
  CmJsonType type = cm_json_value_get_value_type (a);

  if (type != cm_json_value_get_value_type (b))
    g_error ("%s: %s vs %s", where, cm_json_type_get_name (type),
             cm_json_type_get_name (cm_json_value_get_value_type (b)));

  switch (type)
    {
    case CM_JSON_NULL:
      break;
    case CM_JSON_BOOLEAN:
      g_assert_cmpint (cm_json_value_get_boolean (a), ==, cm_json_value_get_boolean (b));
      break;
    case CM_JSON_NUMBER:
      g_assert_cmpstr (cm_json_value_get_number_text (a), ==, cm_json_value_get_number_text (b));
      break;
    case CM_JSON_STRING:
      g_assert_cmpstr (cm_json_value_get_string (a), ==, cm_json_value_get_string (b));
      break;
    case CM_JSON_ARRAY:
      g_assert_cmpuint (cm_json_array_get_length (a), ==, cm_json_array_get_length (b));
      for (guint i = 0; i < cm_json_array_get_length (a); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s[%u]", where, i);

          assert_json_equal (cm_json_array_get (a, i), cm_json_array_get (b, i), inner);
        }
      break;
    case CM_JSON_OBJECT:
      if (cm_json_object_get_size (a) != cm_json_object_get_size (b))
        g_error ("%s: %u keys vs %u", where, cm_json_object_get_size (a), cm_json_object_get_size (b));
      for (guint i = 0; i < cm_json_object_get_size (a); i++)
        {
          g_autofree char *inner = g_strdup_printf ("%s.%s", where, cm_json_object_get_key (a, i));

          g_assert_cmpstr (cm_json_object_get_key (a, i), ==, cm_json_object_get_key (b, i));
          assert_json_equal (cm_json_object_get_value (a, i), cm_json_object_get_value (b, i), inner);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

static CmJsonValue *
parse (const char *text,
       gsize       length)
{
  g_autoptr(GError) error = NULL;
  CmJsonValue *value = cm_json_parse (text, length, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return value;
}

/* ---- The table of bad datasets ----------------------------------------- */

#define HEAD "'format':'channel-map','version':1,"
#define ABC "'actors':[{'id':'a','name':'A'},{'id':'b','name':'B'},{'id':'c','name':'C'}]"
#define SRC "'sources':[{'id':'s'}],"
#define LINK(body) "{" HEAD ABC ",'links':[" body "]}"
#define ACTOR(body) "{" HEAD "'actors':[{'id':'a','name':'A'},{'id':'b','name':'B'}," body "]}"
#define LINK_QUOTE(body) "{" HEAD SRC ABC ",'links':[{'source':'a','target':'b','channel':'direct','quotes':[" body "]}]}"

typedef struct
{
  const char     *name;
  const char     *json;         /* ' stands for " unless raw */
  CmDatasetError  code;
  const char     *problems[8];  /* cm_problem_to_string() of each, in order; a
                                 * trailing '*' matches by prefix */
  gboolean        raw;
} BadCase;

static const BadCase bad_cases[] = {
  /* Syntax: the parser's own message, with its position. */
  { "syntax/trailing-comma", "{" HEAD ABC ",}", CM_DATASET_ERROR_SYNTAX, { "1:114: *" } },
  { "syntax/comment", "{" HEAD ABC " // no\n}", CM_DATASET_ERROR_SYNTAX, { "1:114: *" } },
  { "syntax/single-quotes", "{'format': 'channel-map'}", CM_DATASET_ERROR_SYNTAX, { "1:2: *" }, TRUE },
  { "syntax/duplicate-key", "{" HEAD "'version':1," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:37: *" } },
  { "syntax/lone-surrogate", "{" HEAD "'title':'\\ud800'," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:46: *" } },
  { "syntax/escaped-nul", "{" HEAD "'title':'a\\u0000'," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:47: *" } },
  { "syntax/number-overflow", "{" HEAD "'n':1e400," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:41: *" } },
  { "syntax/empty", "", CM_DATASET_ERROR_SYNTAX, { "1:1: *" } },
  { "syntax/second-document", "{" HEAD ABC "} {}", CM_DATASET_ERROR_SYNTAX, { "1:115: *" } },
  { "syntax/nan", "{" HEAD "'x':NaN," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:41: *" } },
  { "syntax/leading-zero", "{" HEAD "'x':01," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:41: *" } },
  { "syntax/raw-control", "{" HEAD "'title':'a\tb'," ABC "}", CM_DATASET_ERROR_SYNTAX, { "1:47: *" } },

  /* Not a dataset at all. */
  { "not-dataset/root-is-array", "[1, 2]", CM_DATASET_ERROR_NOT_DATASET,
    { "$: not a Channel Map dataset: the file holds an array, not an object" } },
  { "not-dataset/root-is-string", "'channel-map'", CM_DATASET_ERROR_NOT_DATASET,
    { "$: not a Channel Map dataset: the file holds a string, not an object" } },
  { "not-dataset/format-missing", "{'version':1," ABC "}", CM_DATASET_ERROR_NOT_DATASET,
    { "$: not a Channel Map dataset: \"format\" is missing (a dataset starts with \"format\": \"channel-map\")" } },
  { "not-dataset/format-graphml", "{'format':'graphml','version':1}", CM_DATASET_ERROR_NOT_DATASET,
    { "$.format: not a Channel Map dataset: \"format\" is \"graphml\", not \"channel-map\"" } },
  { "not-dataset/format-number", "{'format':1,'version':1}", CM_DATASET_ERROR_NOT_DATASET,
    { "$.format: not a Channel Map dataset: \"format\" is 1, not \"channel-map\"" } },
  { "not-dataset/format-case", "{'format':'Channel-Map','version':1," ABC "}", CM_DATASET_ERROR_NOT_DATASET,
    { "$.format: not a Channel Map dataset: \"format\" is \"Channel-Map\", not \"channel-map\"" } },

  /* Version. */
  { "version/newer", "{'format':'channel-map','version':2,'actors':7}", CM_DATASET_ERROR_NEWER_VERSION,
    { "$.version: made by a newer Channel Map: version 2, this one reads 1" } },
  { "version/newer-2.0", "{'format':'channel-map','version':2.0}", CM_DATASET_ERROR_NEWER_VERSION,
    { "$.version: made by a newer Channel Map: version 2, this one reads 1" } },
  { "version/missing", "{'format':'channel-map'," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: is missing (a dataset says \"version\": 1)" } },
  { "version/fraction", "{'format':'channel-map','version':1.5," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: must be a positive integer, not 1.5" } },
  { "version/zero", "{'format':'channel-map','version':0," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: must be a positive integer, not 0" } },
  { "version/negative", "{'format':'channel-map','version':-1," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: must be a positive integer, not -1" } },
  { "version/string", "{'format':'channel-map','version':'1'," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: must be a positive integer, not \"1\"" } },
  { "version/boolean", "{'format':'channel-map','version':true," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.version: must be a positive integer, not true" } },

  /* Top level. */
  { "top/actors-missing", "{" HEAD "'links':[]}", CM_DATASET_ERROR_INVALID,
    { "$.actors: is missing (a dataset needs an \"actors\" array, which may be empty)" } },
  { "top/actors-object", "{" HEAD "'actors':{}}", CM_DATASET_ERROR_INVALID,
    { "$.actors: must be an array, not an object" } },
  /* Without actors, references are not checked: one problem, not three. */
  { "top/actors-object-with-links", "{" HEAD "'actors':{},'links':[{'source':'a','target':'b','channel':'direct','via':['c']}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors: must be an array, not an object", "$.links[0].via: only an indirect channel can have intermediaries" } },
  { "top/sources-object-with-quotes", "{" HEAD "'sources':{}," ABC ",'links':[{'source':'a','target':'b','channel':'direct','quotes':[{'text':'t','source':'s'}]}]}",
    CM_DATASET_ERROR_INVALID, { "$.sources: must be an array, not an object" } },
  { "top/actors-null", "{" HEAD "'actors':null}", CM_DATASET_ERROR_INVALID,
    { "$.actors: must be an array, not null" } },
  { "top/links-string", "{" HEAD ABC ",'links':'none'}", CM_DATASET_ERROR_INVALID,
    { "$.links: must be an array, not a string" } },
  { "top/sources-number", "{" HEAD "'sources':0," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources: must be an array, not a number" } },
  { "top/title-and-description", "{" HEAD "'title':['t'],'description':false," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.title: must be a string, not an array", "$.description: must be a string, not false" } },

  /* Sources. */
  { "source/not-object", "{" HEAD "'sources':['tass']," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0]: must be an object, not a string" } },
  { "source/id-missing", "{" HEAD "'sources':[{'title':'T'}]," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0].id: is missing (every source needs an id for quotes to refer to)" } },
  { "source/id-empty", "{" HEAD "'sources':[{'id':''}]," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0].id: must not be empty" } },
  { "source/id-duplicate", "{" HEAD "'sources':[{'id':'tass'},{'id':'rt'},{'id':'tass'}]," ABC "}",
    CM_DATASET_ERROR_INVALID, { "$.sources[2].id: the id \"tass\" is already used by $.sources[0]" } },
  { "source/date", "{" HEAD "'sources':[{'id':'s','date':'2022-13-01'}]," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0].date: \"2022-13-01\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" } },
  { "source/date-feb-30", "{" HEAD "'sources':[{'id':'s','date':'2023-02-29'}]," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0].date: \"2023-02-29\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" } },
  { "source/date-free-text", "{" HEAD "'sources':[{'id':'s','date':'29 Nov 2022'}]," ABC "}", CM_DATASET_ERROR_INVALID,
    { "$.sources[0].date: \"29 Nov 2022\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" } },
  { "source/types", "{" HEAD "'sources':[{'id':'s','title':1,'publisher':null,'url':{},'text':[],'date':2022}]," ABC "}",
    CM_DATASET_ERROR_INVALID,
    { "$.sources[0].title: must be a string, not a number",
      "$.sources[0].publisher: must be a string, not null",
      "$.sources[0].url: must be a string, not an object",
      "$.sources[0].text: must be a string, not an array",
      "$.sources[0].date: must be a string, not a number" } },

  /* Actors. */
  { "actor/not-object", ACTOR ("7"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2]: must be an object, not a number" } },
  { "actor/id-missing", ACTOR ("{'name':'C'}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].id: is missing (every actor needs an id for links to refer to)" } },
  { "actor/id-empty", "{" HEAD "'actors':[{'id':'','name':'A'}]}", CM_DATASET_ERROR_INVALID,
    { "$.actors[0].id: must not be empty" } },
  { "actor/id-number", ACTOR ("{'id':3,'name':'C'}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].id: must be a string, not a number" } },
  { "actor/id-duplicate", "{" HEAD "'actors':[{'id':'nato','name':'NATO'},{'id':'usa','name':'USA'},{'id':'nato','name':'N'}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors[2].id: the id \"nato\" is already used by $.actors[0]" } },
  { "actor/name-missing", ACTOR ("{'id':'c'}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].name: is missing (every actor needs a name to show)" } },
  { "actor/name-number", ACTOR ("{'id':'c','name':42}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].name: must be a string, not a number" } },
  { "actor/kind-number", ACTOR ("{'id':'c','name':'C','kind':1}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].kind: must be a string, not a number" } },
  { "actor/x-without-y", "{" HEAD "'actors':[{'id':'a','name':'A'},{'id':'b','name':'B'},{'id':'c','name':'C'},{'id':'d','name':'D'},{'id':'e','name':'E','x':1}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors[4]: has \"x\" but no \"y\" (give both or neither)" } },
  { "actor/y-without-x", ACTOR ("{'id':'c','name':'C','y':1}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2]: has \"y\" but no \"x\" (give both or neither)" } },
  { "actor/x-string", "{" HEAD "'actors':[{'id':'a','name':'A'},{'id':'b','name':'B','x':'1','y':2}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors[1].x: must be a number, not a string" } },
  { "actor/y-null", ACTOR ("{'id':'c','name':'C','x':1,'y':null}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].y: must be a number, not null" } },
  { "actor/pinned", "{" HEAD "'actors':[{'id':'a','name':'A','pinned':'yes'}]}", CM_DATASET_ERROR_INVALID,
    { "$.actors[0].pinned: must be true or false" } },
  { "actor/role-notes", ACTOR ("{'id':'c','name':'C','role':true,'notes':{}}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].role: must be a string, not true", "$.actors[2].notes: must be a string, not an object" } },
  { "actor/group-unknown", ACTOR ("{'id':'c','name':'C','group':'usaa'}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].group: no actor has the id \"usaa\"" } },
  { "actor/group-number", ACTOR ("{'id':'c','name':'C','group':0}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].group: must be a string, not a number" } },
  { "actor/group-self", "{" HEAD "'actors':[{'id':'a','name':'A','group':'a'}]}", CM_DATASET_ERROR_INVALID,
    { "$.actors[0].group: an actor cannot belong to itself" } },
  { "actor/group-cycle", "{" HEAD "'actors':[{'id':'x','name':'X'},{'id':'y','name':'Y','group':'x'},{'id':'z','name':'Z'},{'id':'a','name':'A','group':'b'},{'id':'b','name':'B','group':'c'},{'id':'c','name':'C','group':'a'},{'id':'d','name':'D','group':'a'}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors[3].group: groups form a cycle: a → b → c → a" } },
  { "actor/group-cycle-first-in-file", "{" HEAD "'actors':[{'id':'p','name':'P','group':'q'},{'id':'q','name':'Q','group':'p'},{'id':'r','name':'R','group':'r'}]}",
    CM_DATASET_ERROR_INVALID,
    { "$.actors[0].group: groups form a cycle: p → q → p", "$.actors[2].group: an actor cannot belong to itself" } },
  { "actor/group-cycle-long", "{" HEAD "'actors':[{'id':'a1','name':'N','group':'a2'},{'id':'a2','name':'N','group':'a3'},{'id':'a3','name':'N','group':'a4'},{'id':'a4','name':'N','group':'a5'},{'id':'a5','name':'N','group':'a6'},{'id':'a6','name':'N','group':'a7'},{'id':'a7','name':'N','group':'a8'},{'id':'a8','name':'N','group':'a9'},{'id':'a9','name':'N','group':'a1'}]}",
    CM_DATASET_ERROR_INVALID,
    { "$.actors[0].group: groups form a cycle: a1 → a2 → a3 → a4 → a5 → a6 → a7 → a8 → … → a1" } },
  { "actor/quotes-object", ACTOR ("{'id':'c','name':'C','quotes':{}}"), CM_DATASET_ERROR_INVALID,
    { "$.actors[2].quotes: must be an array, not an object" } },
  { "actor/quote-source", "{" HEAD SRC "'actors':[{'id':'a','name':'A','quotes':[{'text':'t','source':'s'},{'text':'u','source':'tass'}]}]}",
    CM_DATASET_ERROR_INVALID, { "$.actors[0].quotes[1].source: no source has the id \"tass\"" } },

  /* Links. */
  { "link/not-object", LINK ("null"), CM_DATASET_ERROR_INVALID, { "$.links[0]: must be an object, not null" } },
  { "link/ends-missing", LINK ("{'channel':'direct'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].source: is missing (every link joins a source actor to a target actor)",
      "$.links[0].target: is missing (every link joins a source actor to a target actor)" } },
  { "link/target-unknown", LINK ("{'source':'a','target':'b','channel':'direct'},{'source':'a','target':'c','channel':'direct'},{'source':'b','target':'c','channel':'direct'},{'source':'a','target':'usaa','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID, { "$.links[3].target: no actor has the id \"usaa\"" } },
  { "link/source-number", LINK ("{'source':1,'target':'b','channel':'direct'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].source: must be a string, not a number" } },
  { "link/same-ends", LINK ("{'source':'a','target':'b','channel':'direct'},{'source':'c','target':'c','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID, { "$.links[1]: source and target are the same actor \"c\"" } },
  { "link/channel-missing", LINK ("{'source':'a','target':'b'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].channel: is missing (give \"direct\", \"indirect\" or \"absent\")" } },
  { "link/channel-unknown", LINK ("{'source':'a','target':'b','channel':'sometimes'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].channel: must be \"direct\", \"indirect\" or \"absent\", not \"sometimes\"" } },
  { "link/channel-case", LINK ("{'source':'a','target':'b','channel':'Direct'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].channel: must be \"direct\", \"indirect\" or \"absent\", not \"Direct\"" } },
  { "link/channel-boolean", LINK ("{'source':'a','target':'b','channel':true}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].channel: must be \"direct\", \"indirect\" or \"absent\", not true" } },
  { "link/id-duplicate", LINK ("{'id':'l','source':'a','target':'b','channel':'direct'},{'id':'l','source':'a','target':'c','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID, { "$.links[1].id: the id \"l\" is already used by $.links[0]" } },
  { "link/id-empty", LINK ("{'id':'','source':'a','target':'b','channel':'direct'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].id: must not be empty" } },
  { "link/directed", LINK ("{'source':'a','target':'b','channel':'direct','directed':1}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].directed: must be true or false" } },
  { "link/topic-mechanism", LINK ("{'source':'a','target':'b','channel':'indirect','topic':1,'mechanism':[]}"),
    CM_DATASET_ERROR_INVALID,
    { "$.links[0].topic: must be a string, not a number", "$.links[0].mechanism: must be a string, not an array" } },
  { "link/via-not-indirect", LINK ("{'source':'a','target':'b','channel':'direct'},{'source':'a','target':'b','channel':'absent'},{'source':'a','target':'b','channel':'direct','via':['c']}"),
    CM_DATASET_ERROR_INVALID, { "$.links[2].via: only an indirect channel can have intermediaries" } },
  { "link/via-string", LINK ("{'source':'a','target':'b','channel':'indirect','via':'c'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].via: must be an array, not a string" } },
  { "link/via-unknown", LINK ("{'source':'a','target':'b','channel':'indirect','via':['c','d']}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].via[1]: no actor has the id \"d\"" } },
  { "link/via-end", LINK ("{'source':'a','target':'b','channel':'indirect','via':['b']}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].via[0]: \"b\" is an end of this link, not an intermediary" } },
  { "link/via-duplicate", LINK ("{'source':'a','target':'b','channel':'indirect','via':['c','c']}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].via[1]: \"c\" is already listed as an intermediary" } },
  { "link/via-entry-type", LINK ("{'source':'a','target':'b','channel':'indirect','via':[{}]}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].via[0]: must be an actor id (a string), not an object" } },
  { "link/from-date", LINK ("{'source':'a','target':'b','channel':'direct','from':'2022-1'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].from: \"2022-1\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" } },
  { "link/to-number", LINK ("{'source':'a','target':'b','channel':'direct','to':2023}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].to: must be a date (a string) or null, not a number" } },
  { "link/to-before-from", LINK ("{'source':'a','target':'b','channel':'direct','from':'2022-03','to':'2022-02-28'}"),
    CM_DATASET_ERROR_INVALID,
    { "$.links[0].to: the channel cannot end (\"2022-02-28\") before it starts (\"2022-03\")" } },
  { "link/quotes-string", LINK ("{'source':'a','target':'b','channel':'direct','quotes':'x'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes: must be an array, not a string" } },

  /* Quotes. */
  { "quote/not-object", LINK_QUOTE ("'words'"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[0]: must be an object, not a string" } },
  { "quote/text-missing", LINK_QUOTE ("{'text':'t'},{'speaker':'a'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[1].text: is missing (every quote needs its words)" } },
  { "quote/text-number", LINK_QUOTE ("{'text':5}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[0].text: must be a string, not a number" } },
  { "quote/source-unknown", LINK_QUOTE ("{'text':'a'},{'text':'b'},{'text':'c','source':'tass'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[2].source: no source has the id \"tass\"" } },
  { "quote/date", LINK_QUOTE ("{'text':'t','date':'2022-11-31'}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[0].date: \"2022-11-31\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" } },
  { "quote/speaker-url", LINK_QUOTE ("{'text':'t','speaker':['a'],'url':false}"), CM_DATASET_ERROR_INVALID,
    { "$.links[0].quotes[0].speaker: must be a string, not an array",
      "$.links[0].quotes[0].url: must be a string, not false" } },

  /* How values are shown in messages. */
  { "message/long-value-shortened", LINK ("{'source':'a','target':'an id that is far too long to be shown in full in a message line','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID,
    { "$.links[0].target: no actor has the id \"an id that is far too long to be shown in full in a message…\"" } },
  { "message/control-characters", LINK ("{'source':'a','target':'x\\u001b[31my\\nz\\u202e','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID, { "$.links[0].target: no actor has the id \"x\\u001B[31my\\nz\\u202E\"" } },
  { "message/markup-kept", LINK ("{'source':'a','target':'<b>NATO</b> & co','channel':'direct'}"),
    CM_DATASET_ERROR_INVALID, { "$.links[0].target: no actor has the id \"<b>NATO</b> & co\"" } },
};

static gboolean
matches (const char *expected,
         const char *actual)
{
  gsize n = strlen (expected);

  if (n > 0 && expected[n - 1] == '*')
    return strncmp (expected, actual, n - 1) == 0;
  return strcmp (expected, actual) == 0;
}

static void
test_bad_case (gconstpointer data)
{
  const BadCase *bad = data;
  g_autofree char *text = bad->raw ? g_strdup (bad->json) : dq (bad->json);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  guint n_expected = 0;

  while (n_expected < G_N_ELEMENTS (bad->problems) && bad->problems[n_expected] != NULL)
    n_expected++;

  dataset = cm_dataset_load_from_data (text, strlen (text), &problems, &error);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = problem_string (problems, i);

      g_test_message ("problem %u: %s", i, line);
    }

  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, (int) bad->code);
  g_assert_nonnull (problems);
  if (problems->len != n_expected)
    {
      g_test_fail_printf ("%u problems, expected %u", problems->len, n_expected);
      return;
    }

  for (guint i = 0; i < n_expected; i++)
    {
      g_autofree char *line = problem_string (problems, i);
      const CmProblem *problem = g_ptr_array_index (problems, i);

      if (!matches (bad->problems[i], line))
        {
          g_test_fail_printf ("problem %u:\n  expected: %s\n  got:      %s", i, bad->problems[i], line);
          return;
        }

      /* Every problem has a position in the text. */
      g_assert_cmpuint (problem->line, >=, 1);
      g_assert_cmpuint (problem->column, >=, 1);
      /* Syntax problems are about the text (line:column); every other
       * problem names the JSON path of what is wrong. */
      if (bad->code == CM_DATASET_ERROR_SYNTAX)
        g_assert_null (problem->path);
      else
        g_assert_nonnull (problem->path);
    }

  /* One problem: the error says it; more: it counts them. */
  if (n_expected == 1)
    {
      g_autofree char *line = problem_string (problems, 0);

      g_assert_cmpstr (error->message, ==, line);
    }
  else
    {
      g_autofree char *summary = g_strdup_printf ("%u problems in the dataset", n_expected);

      g_assert_cmpstr (error->message, ==, summary);
    }
}

/* ---- Valid files ------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *json;
} GoodCase;

static const GoodCase good_cases[] = {
  { "minimal", "{" HEAD "'actors':[]}" },
  { "version-1.0", "{'format':'channel-map','version':1.0,'actors':[]}" },
  { "version-1e0", "{'format':'channel-map','version':1e0,'actors':[]}" },
  { "unknown-kind", "{" HEAD "'actors':[{'id':'a','name':'A','kind':'ngo'}]}" },
  { "unknown-keys", "{" HEAD "'x-tool':{'a':[1,{'b':null}]},'actors':[{'id':'a','name':'A','colour':'red','quotes':[{'text':'t','mood':'calm'}]}]}" },
  { "empty-strings", "{" HEAD "'title':'','actors':[{'id':'a','name':'','role':'','notes':'','quotes':[{'text':''}]}]}" },
  { "speaker-free-name", LINK ("{'source':'a','target':'b','channel':'direct','quotes':[{'text':'t','speaker':'a diplomat, unnamed'}]}") },
  { "url-any-string", "{" HEAD "'sources':[{'id':'s','url':'javascript:alert(1)'}]," ABC ",'links':[{'source':'a','target':'b','channel':'direct','quotes':[{'text':'t','url':'file:///etc/passwd','source':'s'}]}]}" },
  { "to-null", LINK ("{'source':'a','target':'b','channel':'direct','from':'2022','to':null}") },
  { "from-null", LINK ("{'source':'a','target':'b','channel':'direct','from':null}") },
  { "partial-dates-overlap", LINK ("{'source':'a','target':'b','channel':'direct','from':'2022-03-15','to':'2022'}") },
  { "empty-via-on-direct", LINK ("{'source':'a','target':'b','channel':'direct','via':[]}") },
  { "via-ordered", LINK ("{'source':'a','target':'b','channel':'indirect','via':['c']}") },
  { "parallel-links", LINK ("{'source':'a','target':'b','channel':'absent'},{'source':'b','target':'a','channel':'indirect'},{'source':'a','target':'b','channel':'absent'}") },
  { "group-chain", "{" HEAD "'actors':[{'id':'c','name':'C','group':'b'},{'id':'b','name':'B','group':'a'},{'id':'a','name':'A'}]}" },
  { "markup-in-names", "{" HEAD "'actors':[{'id':'<b>','name':'<b>NATO</b>'}]}" },
  { "huge-and-tiny-numbers", "{" HEAD "'actors':[{'id':'a','name':'A','x':1e300,'y':-1e-300}]}" },
  { "bom", "\xef\xbb\xbf{" HEAD "'actors':[]}" },
};

static void
test_good_case (gconstpointer data)
{
  const GoodCase *good = data;
  g_autoptr(CmDataset) dataset = load_valid (good->json);
  g_autoptr(CmDataset) copy = reload (dataset);

  assert_datasets_equal (dataset, copy);
}

/* ---- Several problems, positions, limits ------------------------------- */

static void
test_all_problems_at_once (void)
{
  static const char json[] =
    "{\n"
    "  'format': 'channel-map', 'version': 1,\n"
    "  'sources': [{'id': 's', 'date': 'soon'}],\n"
    "  'actors': [\n"
    "    {'id': 'a', 'name': 'A', 'x': 1},\n"
    "    {'id': 'a', 'name': 'A2'},\n"
    "    {'id': 'b', 'name': 'B'}\n"
    "  ],\n"
    "  'links': [\n"
    "    {'source': 'a', 'target': 'usaa', 'channel': 'direct'},\n"
    "    {'source': 'a', 'target': 'b', 'channel': 'sometimes'}\n"
    "  ]\n"
    "}\n";
  static const struct { const char *text; guint line, column; } expected[] = {
    { "$.sources[0].date: \"soon\" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", 3, 35 },
    { "$.actors[0]: has \"x\" but no \"y\" (give both or neither)", 5, 5 },
    { "$.actors[1].id: the id \"a\" is already used by $.actors[0]", 6, 12 },
    { "$.links[0].target: no actor has the id \"usaa\"", 10, 31 },
    { "$.links[1].channel: must be \"direct\", \"indirect\" or \"absent\", not \"sometimes\"", 11, 47 },
  };
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_json (json, &problems, &error);

  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "5 problems in the dataset");
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CmProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = problem_string (problems, i);

      g_assert_cmpstr (line, ==, expected[i].text);
      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_cmpuint (problem->column, ==, expected[i].column);
    }
}

static void
test_problem_cap (void)
{
  g_autoptr(GString) json = g_string_new ("{" HEAD "'links':[");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  g_autofree char *last = NULL;
  const guint n_links = 150, n_actors = 100;

  /* The links come before the actors in this file, but are checked after
   * them (they refer to actors): the problems kept must still be the
   * first ones in the file, in file order. */
  for (guint i = 0; i < n_links; i++)
    g_string_append_printf (json, "%s{'source':'a0','target':'t%u','channel':'direct'}", i ? "," : "", i);
  g_string_append (json, "],'actors':[");
  for (guint i = 0; i < n_actors; i++)
    g_string_append_printf (json, "%s{'id':'a%u','name':'A','group':'g%u'}", i ? "," : "", i, i);
  g_string_append (json, "]}");

  dataset = load_json (json->str, &problems, &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "250 problems in the dataset");
  g_assert_cmpuint (problems->len, ==, CM_DATASET_MAX_PROBLEMS + 1);
  for (guint i = 0; i < CM_DATASET_MAX_PROBLEMS; i++)
    {
      g_autofree char *line = problem_string (problems, i);
      g_autofree char *expected = g_strdup_printf ("$.links[%u].target: no actor has the id \"t%u\"", i, i);

      g_assert_cmpstr (line, ==, expected);
    }
  last = problem_string (problems, CM_DATASET_MAX_PROBLEMS);
  g_assert_cmpstr (last, ==, "$: … and 150 more problems");

  /* 100 lines and "… and 150 more" are 250 problems, not 101, and stay
   * so through a copy of the array. */
  g_assert_cmpuint (cm_problems_count (problems), ==, 250);
  {
    g_autoptr(GPtrArray) copy = g_ptr_array_copy (problems, (GCopyFunc) cm_problem_copy, NULL);

    g_ptr_array_set_free_func (copy, (GDestroyNotify) cm_problem_free);
    g_assert_cmpuint (cm_problems_count (copy), ==, 250);
  }
}

static void
test_syntax_position (void)
{
  static const char json[] = "{\n  'format': 'channel-map',\n  'version': 1 'actors': []\n}\n";
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_json (json, &problems, &error);
  const CmProblem *problem;

  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "3:16: "));
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_null (problem->path);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpuint (problem->column, ==, 16);
  g_assert_cmpstr (problem->message, ==, error->message);
}

/* Columns count characters, not bytes: an editor jumps to the right place
 * after non-ASCII text. */
static void
test_position_after_unicode (void)
{
  static const char json[] = "{'format':'channel-map','version':1,'title':'Москва–Вашингтон','actors':[{'id':'a','name':5}]}";
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = load_json (json, &problems, &error);
  const CmProblem *problem;

  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->path, ==, "$.actors[0].name");
  g_assert_cmpuint (problem->line, ==, 1);
  g_assert_cmpuint (problem->column, ==, g_utf8_strlen (json, strstr (json, "5}") - json) + 1);
}

/* "'k1':v1,'k2':v2" from @pairs (key, value, key, value, ..., NULL), with
 * @key's value replaced by @value, or @key added when it is not there. */
static char *
members_with (const char * const *pairs,
              const char         *key,
              const char         *value)
{
  GString *out = g_string_new (NULL);
  gboolean replaced = FALSE;

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      gboolean match = key != NULL && strcmp (pairs[i], key) == 0;

      g_string_append_printf (out, "%s'%s':%s", out->len ? "," : "", pairs[i], match ? value : pairs[i + 1]);
      replaced |= match;
    }
  if (key != NULL && !replaced)
    g_string_append_printf (out, "%s'%s':%s", out->len ? "," : "", key, value);
  return g_string_free (out, FALSE);
}

/* Every known key, given a value of the wrong type, gives a problem at
 * that key, first. */
static void
test_every_type_mismatch (void)
{
  static const struct { const char *where; const char *key; const char *expected; } keys[] = {
    { "root", "title", "must be a string" }, { "root", "description", "must be a string" },
    { "root", "sources", "must be an array" }, { "root", "links", "must be an array" },
    { "root", "actors", "must be an array" },
    { "source", "id", "must be a string" }, { "source", "title", "must be a string" },
    { "source", "publisher", "must be a string" }, { "source", "date", "must be a string" },
    { "source", "url", "must be a string" }, { "source", "text", "must be a string" },
    { "actor", "id", "must be a string" }, { "actor", "name", "must be a string" },
    { "actor", "kind", "must be a string" }, { "actor", "role", "must be a string" },
    { "actor", "group", "must be a string" }, { "actor", "pinned", "must be true or false" },
    { "actor", "notes", "must be a string" }, { "actor", "quotes", "must be an array" },
    { "link", "id", "must be a string" }, { "link", "source", "must be a string" },
    { "link", "target", "must be a string" }, { "link", "channel", "must be \"direct\", \"indirect\" or \"absent\"" },
    { "link", "directed", "must be true or false" }, { "link", "topic", "must be a string" },
    { "link", "via", "must be an array" }, { "link", "mechanism", "must be a string" },
    { "link", "from", "must be a date (a string) or null" }, { "link", "to", "must be a date (a string) or null" },
    { "link", "quotes", "must be an array" },
    { "quote", "text", "must be a string" }, { "quote", "speaker", "must be a string" },
    { "quote", "source", "must be a string" }, { "quote", "date", "must be a string" },
    { "quote", "url", "must be a string" },
  };
  static const char * const source_pairs[] = { "id", "'s'", NULL };
  static const char * const actor_pairs[] = { "id", "'a'", "name", "'A'", NULL };
  static const char * const quote_pairs[] = { "text", "'t'", NULL };
  /* An object is nowhere a valid value of a known key. */
  static const char wrong[] = "{'wrong':1}";

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *where = keys[i].where;
      const char *key = keys[i].key;
#define KEY_IN(w) (strcmp (where, (w)) == 0 ? key : NULL)
      g_autofree char *source = members_with (source_pairs, KEY_IN ("source"), wrong);
      g_autofree char *actor = members_with (actor_pairs, KEY_IN ("actor"), wrong);
      g_autofree char *quote = members_with (quote_pairs, KEY_IN ("quote"), wrong);
      g_autofree char *sources = g_strdup_printf ("[{%s}]", source);
      g_autofree char *actors = g_strdup_printf ("[{%s},{'id':'b','name':'B'}]", actor);
      g_autofree char *quotes = g_strdup_printf ("[{%s}]", quote);
      const char * const link_pairs[] = {
        "source", "'a'", "target", "'b'", "channel", "'indirect'", "quotes", quotes, NULL
      };
      g_autofree char *link = members_with (link_pairs, KEY_IN ("link"), wrong);
      g_autofree char *links = g_strdup_printf ("[{%s}]", link);
      const char * const root_pairs[] = {
        "format", "'channel-map'", "version", "1", "sources", sources, "actors", actors, "links", links, NULL
      };
      g_autofree char *root = members_with (root_pairs, KEY_IN ("root"), wrong);
      g_autofree char *json = g_strdup_printf ("{%s}", root);
      g_autofree char *path = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *line = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
#undef KEY_IN

      if (strcmp (where, "root") == 0)
        path = g_strdup_printf ("$.%s", key);
      else if (strcmp (where, "source") == 0)
        path = g_strdup_printf ("$.sources[0].%s", key);
      else if (strcmp (where, "actor") == 0)
        path = g_strdup_printf ("$.actors[0].%s", key);
      else if (strcmp (where, "link") == 0)
        path = g_strdup_printf ("$.links[0].%s", key);
      else
        path = g_strdup_printf ("$.links[0].quotes[0].%s", key);

      dataset = load_json (json, &problems, &error);
      g_assert_null (dataset);
      g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID);

      /* A wrong id or end also leaves references dangling: the type
       * problem must be there, and first. */
      g_assert_cmpuint (problems->len, >=, 1);
      line = problem_string (problems, 0);
      expected = g_strdup_printf ("%s: %s", path, keys[i].expected);
      if (!g_str_has_prefix (line, expected))
        g_error ("%s.%s: expected \"%s…\", got \"%s\" for %s", where, key, expected, line, json);
      if (strcmp (keys[i].expected, "must be true or false") != 0)
        g_assert_true (g_str_has_suffix (line, ", not an object"));
    }
}

static void
test_limit_actors_and_links (void)
{
  const guint counts[] = { CM_DATASET_MAX_ACTORS + 1, CM_DATASET_MAX_LINKS + 1 };
  const char *keys[] = { "actors", "links" };

  /* In a subprocess: millions of small values leave a heap that makes the
   * following tests crawl under meson's MALLOC_PERTURB_. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GString) json = g_string_new ("{\"format\":\"channel-map\",\"version\":1,");
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = NULL;
      g_autofree char *expected = NULL;
      gint64 start;

      if (k == 1)
        g_string_append (json, "\"actors\":[],");
      g_string_append_printf (json, "\"%s\":[0", keys[k]);
      for (guint i = 1; i < counts[k]; i++)
        g_string_append (json, ",0");
      g_string_append (json, "]}");

      start = g_get_monotonic_time ();
      dataset = cm_dataset_load_from_data (json->str, json->len, &problems, &error);
      g_test_message ("%u %s refused in %.3f s", counts[k], keys[k],
                      (g_get_monotonic_time () - start) / 1e6);
      g_assert_null (dataset);
      g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT);
      expected = g_strdup_printf ("$.%s: too many %s: %u (this version reads at most %u)",
                                  keys[k], keys[k], counts[k], counts[k] - 1);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_cmpuint (problems->len, ==, 1);
    }
}

static void
test_limit_json (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"format\":\"channel-map\",\"version\":1,\"actors\":[],\"x\":");
  g_autoptr(GString) wide = g_string_new ("{\"format\":\"channel-map\",\"version\":1,\"actors\":[],\"x\":{");
  g_autoptr(GString) longstr = g_string_new ("{\"format\":\"channel-map\",\"version\":1,\"actors\":[],\"x\":\"");
  GString *cases[3];

  for (guint i = 0; i < CM_DATASET_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < CM_DATASET_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  for (guint i = 0; i <= CM_DATASET_MAX_MEMBERS; i++)
    g_string_append_printf (wide, "%s\"k%u\":0", i ? "," : "", i);
  g_string_append (wide, "}}");

  g_string_set_size (longstr, longstr->len + CM_DATASET_MAX_STRING_LENGTH + 1);
  memset (longstr->str + longstr->len - CM_DATASET_MAX_STRING_LENGTH - 1, 'a', CM_DATASET_MAX_STRING_LENGTH + 1);
  g_string_append (longstr, "\"}");

  cases[0] = deep;
  cases[1] = wide;
  cases[2] = longstr;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CmDataset) dataset = cm_dataset_load_from_data (cases[i]->str, cases[i]->len,
                                                                &problems, &error);

      g_assert_null (dataset);
      g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT);
      g_test_message ("limit %u: %s", i, error->message);
      g_assert_cmpuint (problems->len, ==, 1);
    }

  /* One level less, one member less, one byte less: all fine. */
  {
    g_autoptr(GString) ok = g_string_new ("{\"format\":\"channel-map\",\"version\":1,\"actors\":[],\"x\":");
    g_autoptr(CmDataset) dataset = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < CM_DATASET_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, '[');
    for (guint i = 0; i < CM_DATASET_MAX_DEPTH - 1; i++)
      g_string_append_c (ok, ']');
    g_string_append_c (ok, '}');
    dataset = cm_dataset_load_from_data (ok->str, ok->len, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (dataset);
  }
}

/* A file over the size limit is refused from its size, before it is read:
 * a sparse file takes no disk space and would take seconds to read. */
static void
test_limit_file_size (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;
  gint64 start, elapsed;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) CM_DATASET_MAX_FILE_SIZE + 1024 * 1024), ==, 0);
  close (fd);

  start = g_get_monotonic_time ();
  dataset = cm_dataset_load_from_file (file, NULL, &problems, &error);
  elapsed = g_get_monotonic_time () - start;
  /* Gone before any assertion can stop the test. */
  remove_tree (dir);

  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT);
  g_test_message ("%s", error->message);
  g_assert_true (strstr (error->message, "256 MiB") != NULL);
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_load_file_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  dataset = cm_dataset_load_from_file (file, NULL, &problems, &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO);
  g_assert_true (strstr (error->message, "missing.json") != NULL);
  g_assert_cmpuint (problems->len, ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  dataset = cm_dataset_load_from_file (folder, NULL, &problems, &error);
  g_assert_null (dataset);
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO);
  g_clear_error (&error);

  remove_tree (dir);
}

static void
test_load_cancelled (void)
{
  g_autofree char *path = get_example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = NULL;

  g_cancellable_cancel (cancellable);
  dataset = cm_dataset_load_from_file (file, cancellable, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gpointer
load_in_thread (gpointer data)
{
  GFile *file = data;
  CmDataset *dataset = cm_dataset_load_from_file (file, NULL, NULL, NULL);

  g_assert_nonnull (dataset);
  return dataset;
}

/* The UI loads in a GTask worker: several at once must not interfere. */
static void
test_load_in_threads (void)
{
  g_autofree char *path = get_example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GThread *threads[4];
  g_autoptr(CmDataset) reference = load_path (path);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("load", load_in_thread, file);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      CmDataset *dataset = g_thread_join (threads[i]);

      assert_datasets_equal (reference, dataset);
      g_assert_finalize_object (dataset);
    }
}

static void
test_problem_api (void)
{
  g_autoptr(CmProblem) problem = cm_problem_new ("$.actors[0].id", 3, 7, "must not be empty");
  g_autoptr(CmProblem) copy = cm_problem_copy (problem);
  g_autoptr(CmProblem) whole = cm_problem_new (NULL, 1, 2, "1:2: unexpected 'x'");
  g_autofree char *line = cm_problem_to_string (copy);
  g_autofree char *whole_line = cm_problem_to_string (whole);

  g_assert_cmpstr (line, ==, "$.actors[0].id: must not be empty");
  g_assert_cmpuint (copy->line, ==, 3);
  g_assert_cmpuint (copy->column, ==, 7);
  g_assert_cmpstr (whole_line, ==, "1:2: unexpected 'x'");
  g_assert_true (G_TYPE_IS_BOXED (CM_TYPE_PROBLEM));

  /* Problems made by an importer each count once. */
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new ();

    g_assert_cmpuint (cm_problems_count (NULL), ==, 0);
    g_assert_cmpuint (cm_problems_count (problems), ==, 0);
    g_ptr_array_add (problems, problem);
    g_ptr_array_add (problems, whole);
    g_assert_cmpuint (cm_problems_count (problems), ==, 2);
  }
}

/* ---- What loads -------------------------------------------------------- */

static void
test_load_values (void)
{
  g_autoptr(CmDataset) dataset = load_valid (
    "{" HEAD "'title':'T','description':'D',"
    "'sources':[{'id':'s','title':'ST','publisher':'P','date':'2022-11-29','url':'https://x.org/','text':'full'}],"
    "'actors':[{'id':'a','name':'A','kind':'person','role':'R','group':'b','x':-120.5,'y':40,'pinned':true,'notes':'N',"
    "'quotes':[{'text':'q','speaker':'a','source':'s','date':'2022','url':'u'}]},"
    "{'id':'b','name':'B','kind':'ngo'},{'id':'c','name':'C'}],"
    "'links':[{'id':'l','source':'a','target':'b','channel':'indirect','directed':true,'topic':'Ukraine',"
    "'via':['c'],'mechanism':'signals','from':'2022-02','to':null}]}");
  CmActor *a = cm_dataset_lookup_actor (dataset, "a");
  CmActor *b = cm_dataset_lookup_actor (dataset, "b");
  CmActor *c = cm_dataset_lookup_actor (dataset, "c");
  CmLink *link = cm_dataset_lookup_link (dataset, "l");
  CmSource *source = cm_dataset_lookup_source (dataset, "s");
  g_autoptr(CmQuote) quote = NULL;
  const char * const via[] = { "c", NULL };

  g_assert_cmpstr (cm_dataset_get_title (dataset), ==, "T");
  g_assert_cmpstr (cm_dataset_get_description (dataset), ==, "D");
  g_assert_nonnull (source);
  g_assert_cmpstr (cm_source_get_title (source), ==, "ST");
  g_assert_cmpstr (cm_source_get_publisher (source), ==, "P");
  g_assert_cmpstr (cm_source_get_date (source), ==, "2022-11-29");
  g_assert_cmpstr (cm_source_get_url (source), ==, "https://x.org/");
  g_assert_cmpstr (cm_source_get_text (source), ==, "full");

  g_assert_cmpstr (cm_actor_get_name (a), ==, "A");
  g_assert_cmpint (cm_actor_get_kind (a), ==, CM_ACTOR_KIND_PERSON);
  g_assert_cmpstr (cm_actor_get_role (a), ==, "R");
  g_assert_cmpstr (cm_actor_get_group (a), ==, "b");
  g_assert_true (cm_actor_has_position (a));
  g_assert_cmpfloat (cm_actor_get_x (a), ==, -120.5);
  g_assert_cmpfloat (cm_actor_get_y (a), ==, 40.0);
  g_assert_true (cm_actor_get_pinned (a));
  g_assert_cmpstr (cm_actor_get_notes (a), ==, "N");
  quote = g_list_model_get_item (cm_actor_get_quotes (a), 0);
  g_assert_cmpstr (cm_quote_get_text (quote), ==, "q");
  g_assert_cmpstr (cm_quote_get_speaker (quote), ==, "a");
  g_assert_cmpstr (cm_quote_get_source (quote), ==, "s");
  g_assert_cmpstr (cm_quote_get_date (quote), ==, "2022");
  g_assert_cmpstr (cm_quote_get_url (quote), ==, "u");

  /* Unknown kinds load as other, and keep their word. */
  g_assert_cmpint (cm_actor_get_kind (b), ==, CM_ACTOR_KIND_OTHER);
  g_assert_cmpstr (cm_actor_get_kind_name (b), ==, "ngo");
  g_assert_null (cm_actor_get_kind_name (c));
  g_assert_false (cm_actor_has_position (c));

  g_assert_nonnull (link);
  g_assert_cmpstr (cm_link_get_source (link), ==, "a");
  g_assert_cmpstr (cm_link_get_target (link), ==, "b");
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_INDIRECT);
  g_assert_true (cm_link_get_directed (link));
  g_assert_cmpstr (cm_link_get_topic (link), ==, "Ukraine");
  assert_strv_equal (cm_link_get_via (link), via);
  g_assert_cmpstr (cm_link_get_mechanism (link), ==, "signals");
  g_assert_cmpstr (cm_link_get_from (link), ==, "2022-02");
  g_assert_null (cm_link_get_to (link));
  g_assert_true (cm_link_get_ongoing (link));
}

/* Links without an id get one, unique even against ids that come later in
 * the file, and it is written on save, first among the link's keys. */
static void
test_generated_link_ids (void)
{
  g_autoptr(CmDataset) dataset = load_valid (
    LINK ("{'source':'a','target':'b','channel':'direct'},"
          "{'source':'a','target':'b','channel':'absent'},"
          "{'source':'a','target':'b','channel':'indirect'},"
          "{'id':'a-b-2','source':'b','target':'c','channel':'direct'},"
          "{'source':'b','target':'c','channel':'direct'}"));
  g_autoptr(CmDataset) copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CmJsonValue) root = NULL;
  const CmJsonValue *links;
  CmLink **items;
  guint n;

  items = cm_dataset_peek_links (dataset, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (cm_link_get_id (items[0]), ==, "a-b");
  g_assert_cmpstr (cm_link_get_id (items[1]), ==, "a-b-3");
  g_assert_cmpstr (cm_link_get_id (items[2]), ==, "a-b-4");
  g_assert_cmpstr (cm_link_get_id (items[3]), ==, "a-b-2");
  g_assert_cmpstr (cm_link_get_id (items[4]), ==, "b-c");

  text = cm_dataset_save_to_data (dataset, NULL);
  root = parse (text, strlen (text));
  links = cm_json_object_lookup (root, "links");
  for (guint i = 0; i < n; i++)
    {
      const CmJsonValue *link = cm_json_array_get (links, i);

      g_assert_cmpstr (cm_json_object_get_key (link, 0), ==, "id");
      g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (link, 0)), ==, cm_link_get_id (items[i]));
    }

  copy = reload (dataset);
  assert_datasets_equal (dataset, copy);
}

/* Many id-less links between the same two actors get "a-b", "a-b-2", ...
 * (generated from a per-pair counter, not by probing from 2 each time;
 * bench it with more links: the count here is kept small because tearing
 * down a dataset costs the model time per link). */
static void
test_generated_link_ids_many (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"channel-map\",\"version\":1,"
                                          "\"actors\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"}],"
                                          "\"links\":[");
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 3000;
  gint64 start;
  CmLink **links;
  guint n_links;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"source\":\"a\",\"target\":\"b\",\"channel\":\"direct\"}", i ? "," : "");
  g_string_append (json, "]}");

  start = g_get_monotonic_time ();
  dataset = cm_dataset_load_from_data (json->str, json->len, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%u id-less parallel links loaded in %.3f s", n, (g_get_monotonic_time () - start) / 1e6);
  links = cm_dataset_peek_links (dataset, &n_links);
  g_assert_cmpuint (n_links, ==, n);
  g_assert_cmpstr (cm_link_get_id (links[1]), ==, "a-b-2");
  g_assert_cmpstr (cm_link_get_id (links[n - 1]), ==, "a-b-3000");
}

/* ---- Round trips ------------------------------------------------------- */

static void
test_round_trip_example (void)
{
  g_autofree char *path = get_example_path ();
  g_autoptr(CmDataset) dataset = load_path (path);
  g_autoptr(CmDataset) copy = NULL;
  g_autofree char *original = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autoptr(CmJsonValue) original_json = NULL;
  g_autoptr(CmJsonValue) saved_json = NULL;
  gsize original_length, saved_length;

  original = read_text (path, &original_length);
  saved = cm_dataset_save_to_data (dataset, &saved_length);

  /* Same JSON, key for key, in the same order. */
  original_json = parse (original, original_length);
  saved_json = parse (saved, saved_length);
  assert_json_equal (original_json, saved_json, "$");

  /* The same dataset, and saving again changes nothing. */
  copy = reload (dataset);
  assert_datasets_equal (dataset, copy);
  saved_again = cm_dataset_save_to_data (copy, NULL);
  g_assert_cmpstr (saved, ==, saved_again);
}

static void
test_round_trip_unknown_keys (void)
{
  g_autofree char *path = get_fixture_path ("unknown-keys.json");
  g_autoptr(CmDataset) dataset = load_path (path);
  g_autoptr(CmDataset) copy = NULL;
  g_autofree char *original = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autoptr(CmJsonValue) original_json = NULL;
  g_autoptr(CmJsonValue) saved_json = NULL;
  gsize original_length, saved_length;
  const CmJsonValue *numbers;
  static const char * const lexemes[] = {
    "1.50", "1E5", "-0", "1e-8", "100000000000000000000", "0.1", "-2.5e-3", "123456789012345678901234567890",
  };

  original = read_text (path, &original_length);
  saved = cm_dataset_save_to_data (dataset, &saved_length);
  original_json = parse (original, original_length);
  saved_json = parse (saved, saved_length);

  /* Links that had no id got one, first; apart from that, the same JSON
   * key for key, in the same order. */
  for (guint i = 0; i < cm_json_array_get_length (cm_json_object_lookup (original_json, "links")); i++)
    {
      CmJsonValue *link = cm_json_array_get (cm_json_object_lookup (original_json, "links"), i);
      CmJsonValue *saved_link = cm_json_array_get (cm_json_object_lookup (saved_json, "links"), i);

      if (cm_json_object_lookup (link, "id") != NULL)
        continue;
      g_assert_cmpstr (cm_json_object_get_key (saved_link, 0), ==, "id");
      g_assert_true (cm_json_object_remove (saved_link, "id"));
    }
  assert_json_equal (original_json, saved_json, "$");

  /* Byte for byte, as text: the numbers keep their lexemes. */
  numbers = cm_json_object_lookup (saved_json, "numbers");
  for (guint i = 0; i < G_N_ELEMENTS (lexemes); i++)
    g_assert_cmpstr (cm_json_value_get_number_text (cm_json_array_get (numbers, i)), ==, lexemes[i]);
  g_assert_nonnull (strstr (saved, "\"version\": 1.0,"));
  g_assert_nonnull (strstr (saved, "\"x\": 1.50,"));
  g_assert_nonnull (strstr (saved, "\"y\": -0,"));
  g_assert_nonnull (strstr (saved, "\"weight\": 100000000000000000000"));
  g_assert_nonnull (strstr (saved, "\"from\": null,"));
  g_assert_nonnull (strstr (saved, "\"to\": null,"));
  g_assert_nonnull (strstr (saved, "\"kind\": \"ngo\""));
  g_assert_true (g_str_has_suffix (saved, "}\n"));

  copy = reload (dataset);
  assert_datasets_equal (dataset, copy);
  saved_again = cm_dataset_save_to_data (copy, NULL);
  g_assert_cmpstr (saved, ==, saved_again);
}

/* ---- Saving ------------------------------------------------------------ */

static void
test_save_new_dataset (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autoptr(CmActor) a = cm_actor_new ("a", "Alpha");
  g_autoptr(CmActor) b = cm_actor_new ("b", "Beta");
  g_autoptr(CmLink) channel = cm_link_new ("a-b", "a", "b", CM_CHANNEL_ABSENT);
  g_autoptr(CmQuote) quote = cm_quote_new ("no line");
  g_autoptr(CmSource) source = cm_source_new ("s");
  g_autoptr(CmDataset) copy = NULL;
  g_autofree char *text = NULL;
  static const char expected[] =
    "{\n"
    "  \"format\": \"channel-map\",\n"
    "  \"version\": 1,\n"
    "  \"title\": \"New\",\n"
    "  \"sources\": [\n"
    "    {\n"
    "      \"id\": \"s\",\n"
    "      \"date\": \"2022\"\n"
    "    }\n"
    "  ],\n"
    "  \"actors\": [\n"
    "    {\n"
    "      \"id\": \"a\",\n"
    "      \"name\": \"Alpha\",\n"
    "      \"kind\": \"state\",\n"
    "      \"x\": 0.5,\n"
    "      \"y\": -2,\n"
    "      \"pinned\": true\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"b\",\n"
    "      \"name\": \"Beta\",\n"
    "      \"group\": \"a\"\n"
    "    }\n"
    "  ],\n"
    "  \"links\": [\n"
    "    {\n"
    "      \"id\": \"a-b\",\n"
    "      \"source\": \"a\",\n"
    "      \"target\": \"b\",\n"
    "      \"channel\": \"absent\",\n"
    "      \"topic\": \"Ukraine\",\n"
    "      \"to\": null,\n"
    "      \"quotes\": [\n"
    "        {\n"
    "          \"text\": \"no line\",\n"
    "          \"source\": \"s\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

  cm_dataset_set_title (dataset, "New");
  cm_source_set_date (source, "2022");
  cm_dataset_add_source (dataset, source);
  cm_actor_set_kind (a, CM_ACTOR_KIND_STATE);
  cm_actor_set_position (a, 0.5, -2);
  cm_actor_set_pinned (a, TRUE);
  cm_actor_set_group (b, "a");
  cm_dataset_add_actor (dataset, a);
  cm_dataset_add_actor (dataset, b);
  cm_link_set_topic (channel, "Ukraine");
  cm_link_set_ongoing (channel, TRUE);
  cm_quote_set_source (quote, "s");
  cm_link_add_quote (channel, quote);
  cm_dataset_add_link (dataset, channel);

  text = cm_dataset_save_to_data (dataset, NULL);
  g_assert_cmpstr (text, ==, expected);

  copy = reload (dataset);
  assert_datasets_equal (dataset, copy);
}

static void
test_save_empty_dataset (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autofree char *text = cm_dataset_save_to_data (dataset, NULL);
  g_autoptr(CmDataset) copy = NULL;

  g_assert_cmpstr (text, ==, "{\n  \"format\": \"channel-map\",\n  \"version\": 1,\n  \"actors\": []\n}\n");
  copy = reload (dataset);
  g_assert_cmpuint (cm_dataset_get_n_actors (copy), ==, 0);
}

/* Edits: move an actor, rename one, add a link, remove an actor (with its
 * links), clear a date, end an ongoing channel; the file loads back to the
 * edited dataset and keeps the unknown keys of what is left. */
static void
test_save_after_edits (void)
{
  g_autofree char *path = get_fixture_path ("unknown-keys.json");
  g_autoptr(CmDataset) dataset = load_path (path);
  g_autoptr(CmDataset) copy = NULL;
  g_autoptr(CmLink) new_link = cm_link_new ("new", "c", "a", CM_CHANNEL_DIRECT);
  g_autoptr(CmQuote) quote = cm_quote_new ("added");
  g_autofree char *text = NULL;
  g_autoptr(CmJsonValue) root = NULL;
  const CmJsonValue *actor, *link_json;

  cm_actor_set_position (cm_dataset_lookup_actor (dataset, "a"), 1.5, 7);
  cm_actor_set_name (cm_dataset_lookup_actor (dataset, "a"), "Alpha, renamed");
  cm_actor_set_position (cm_dataset_lookup_actor (dataset, "c"), -3, 4);
  cm_quote_set_speaker (quote, "a");
  cm_link_add_quote (new_link, quote);
  cm_dataset_add_link (dataset, new_link);
  cm_link_set_ongoing (cm_dataset_lookup_link (dataset, "c-a"), FALSE);
  cm_link_set_from (cm_dataset_lookup_link (dataset, "c-a"), "2021");
  cm_dataset_remove_actor (dataset, cm_dataset_lookup_actor (dataset, "b"));
  g_assert_cmpuint (cm_dataset_get_n_links (dataset), ==, 2);

  text = cm_dataset_save_to_data (dataset, NULL);
  copy = reload (dataset);
  assert_datasets_equal (dataset, copy);

  root = parse (text, strlen (text));
  g_assert_nonnull (cm_json_object_lookup (root, "generator"));
  g_assert_nonnull (cm_json_object_lookup (root, "trailer"));

  /* The moved actor keeps its key order and unknown keys; x keeps its
   * lexeme since 1.50 is still 1.5, y was rewritten. */
  actor = cm_json_array_get (cm_json_object_lookup (root, "actors"), 0);
  g_assert_cmpstr (cm_json_object_get_key (actor, 0), ==, "name");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (actor, 0)), ==, "Alpha, renamed");
  g_assert_cmpstr (cm_json_object_get_key (actor, 2), ==, "color");
  g_assert_cmpstr (cm_json_value_get_number_text (cm_json_object_lookup (actor, "x")), ==, "1.50");
  g_assert_cmpstr (cm_json_value_get_number_text (cm_json_object_lookup (actor, "y")), ==, "7");

  /* An actor that had no position gets x and y after its group. */
  actor = cm_json_array_get (cm_json_object_lookup (root, "actors"), 1);
  g_assert_cmpstr (cm_json_object_get_key (actor, 2), ==, "group");
  g_assert_cmpstr (cm_json_object_get_key (actor, 3), ==, "x");
  g_assert_cmpstr (cm_json_object_get_key (actor, 4), ==, "y");
  g_assert_cmpstr (cm_json_object_get_key (actor, 5), ==, "meta");

  /* The links whose end went are gone.  The one left has its generated id
   * first, its unknown key in place, the new "from", and no "to" since it
   * no longer holds. */
  link_json = cm_json_array_get (cm_json_object_lookup (root, "links"), 0);
  g_assert_cmpuint (cm_json_object_get_size (link_json), ==, 6);
  g_assert_cmpstr (cm_json_object_get_key (link_json, 0), ==, "id");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (link_json, 0)), ==, "c-a");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 3), ==, "note");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 5), ==, "from");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (link_json, 5)), ==, "2021");
  g_assert_null (cm_json_object_lookup (link_json, "to"));

  /* The new link is in FORMAT.md's order. */
  link_json = cm_json_array_get (cm_json_object_lookup (root, "links"), 1);
  g_assert_cmpuint (cm_json_object_get_size (link_json), ==, 5);
  g_assert_cmpstr (cm_json_object_get_key (link_json, 0), ==, "id");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 1), ==, "source");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 2), ==, "target");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 3), ==, "channel");
  g_assert_cmpstr (cm_json_object_get_key (link_json, 4), ==, "quotes");
}

static void
test_save_link_dates (void)
{
  g_autoptr(CmDataset) dataset = load_valid (
    LINK ("{'id':'x','source':'a','target':'b','channel':'direct','from':null,'to':null,'via':[]}"));
  CmLink *link = cm_dataset_lookup_link (dataset, "x");
  g_autofree char *text = NULL;
  g_autoptr(CmJsonValue) root = NULL;
  const CmJsonValue *json;

  /* Unchanged: null stays null, [] stays []. */
  text = cm_dataset_save_to_data (dataset, NULL);
  root = parse (text, strlen (text));
  json = cm_json_array_get (cm_json_object_lookup (root, "links"), 0);
  g_assert_cmpint (cm_json_value_get_value_type (cm_json_object_lookup (json, "from")), ==, CM_JSON_NULL);
  g_assert_cmpint (cm_json_value_get_value_type (cm_json_object_lookup (json, "to")), ==, CM_JSON_NULL);
  g_assert_cmpuint (cm_json_array_get_length (cm_json_object_lookup (json, "via")), ==, 0);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&root, cm_json_value_unref);

  /* An end date replaces "to": null in place. */
  cm_link_set_ongoing (link, FALSE);
  cm_link_set_to (link, "2023-01");
  cm_link_set_from (link, "2022");
  text = cm_dataset_save_to_data (dataset, NULL);
  root = parse (text, strlen (text));
  json = cm_json_array_get (cm_json_object_lookup (root, "links"), 0);
  g_assert_cmpstr (cm_json_object_get_key (json, 4), ==, "from");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (json, 4)), ==, "2022");
  g_assert_cmpstr (cm_json_object_get_key (json, 5), ==, "to");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_get_value (json, 5)), ==, "2023-01");
}

/* ---- Atomic files ------------------------------------------------------ */

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
assert_file_text (const char *path,
                  const char *expected)
{
  g_autofree char *text = read_text (path, NULL);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_dir_lists (const char *dir,
                  const char *expected)
{
  g_autofree char *names = list_dir (dir);

  g_assert_cmpstr (names, ==, expected);
}

static gboolean
atomic_write (const char  *path,
              const char  *text,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cm_atomic_file_write (file, text, strlen (text), NULL, error);
}

static void
test_atomic_plain (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_text (path, "old contents, longer than the new");
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);

  g_assert_true (atomic_write (path, "new", &error));
  g_assert_no_error (error);
  assert_file_text (path, "new");
  assert_dir_lists (dir, "data.json");

  /* The permissions are the old file's, not the umask's. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);

  /* Empty contents are contents too. */
  g_assert_true (atomic_write (path, "", &error));
  assert_file_text (path, "");

  remove_tree (dir);
}

static void
test_atomic_new_name (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "new.json", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  mode_t mask = umask (022);

  umask (mask);
  g_assert_true (atomic_write (path, "fresh", &error));
  g_assert_no_error (error);
  assert_file_text (path, "fresh");
  assert_dir_lists (dir, "new.json");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);

  remove_tree (dir);
}

static void
test_atomic_symlink (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *real_dir = g_build_filename (dir, "real", NULL);
  g_autofree char *target = g_build_filename (real_dir, "target.json", NULL);
  g_autofree char *link_path = g_build_filename (dir, "link.json", NULL);
  g_autofree char *chain = g_build_filename (dir, "chain.json", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.json", NULL);
  g_autofree char *link_target = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (real_dir, 0755), ==, 0);
  write_text (target, "old");
  /* A relative symlink, and a symlink to a symlink. */
  g_assert_cmpint (symlink ("real/target.json", link_path), ==, 0);
  g_assert_cmpint (symlink ("link.json", chain), ==, 0);

  g_assert_true (atomic_write (link_path, "through the link", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link_path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  link_target = g_file_read_link (link_path, &error);
  g_assert_cmpstr (link_target, ==, "real/target.json");
  assert_file_text (target, "through the link");

  g_assert_true (atomic_write (chain, "through the chain", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (chain, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  assert_file_text (target, "through the chain");

  /* The temporary file was made next to the real file, and is gone. */
  assert_dir_lists (dir, "chain.json link.json real");
  assert_dir_lists (real_dir, "target.json");

  /* A dangling symlink: its target is created. */
  g_assert_cmpint (symlink ("real/created.json", dangling), ==, 0);
  g_assert_true (atomic_write (dangling, "created", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  assert_dir_lists (real_dir, "created.json target.json");

  remove_tree (dir);
}

static void
test_atomic_symlink_loop (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("b.json", a), ==, 0);
  g_assert_cmpint (symlink ("a.json", b), ==, 0);
  g_assert_false (atomic_write (a, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
  assert_dir_lists (dir, "a.json b.json");

  remove_tree (dir);
}

/* Over a file with two names: this name gets the new contents; the other
 * name keeps the old ones (documented in cm-atomic-file.h). */
static void
test_atomic_hard_link (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "one.json", NULL);
  g_autofree char *other = g_build_filename (dir, "two.json", NULL);
  g_autoptr(GError) error = NULL;

  write_text (path, "old");
  g_assert_cmpint (link (path, other), ==, 0);

  g_assert_true (atomic_write (path, "new", &error));
  g_assert_no_error (error);
  assert_file_text (path, "new");
  assert_file_text (other, "old");
  assert_dir_lists (dir, "one.json two.json");

  remove_tree (dir);
}

static void
test_atomic_read_only_dir (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *sub = g_build_filename (dir, "ro", NULL);
  g_autofree char *path = g_build_filename (sub, "data.json", NULL);
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      /* Root writes into read-only folders; the failure paths are covered
       * by the missing-folder and file-size-limit tests. */
      remove_tree (dir);
      g_test_skip ("running as root: permissions do not apply");
      return;
    }

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  write_text (path, "old");
  g_assert_cmpint (g_chmod (sub, 0555), ==, 0);

  g_assert_false (atomic_write (path, "new", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "Could not save “data.json”: Permission denied");
  assert_file_text (path, "old");
  assert_dir_lists (sub, "data.json");

  remove_tree (dir);
}

static void
test_atomic_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "x.json", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (dir, "data.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (atomic_write (missing, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Could not save “x.json”: No such file or directory");
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (atomic_write (folder, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);

  write_text (path, "old");
  g_cancellable_cancel (cancellable);
  g_assert_false (cm_atomic_file_write (file, "new", 3, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_file_text (path, "old");

  assert_dir_lists (dir, "data.json folder");
  remove_tree (dir);
}

/* A write that fails half way (here: the file size limit, which root too
 * obeys; a full disk takes the same path) leaves the old file and no
 * temporary file.  In a subprocess, since it changes a process limit. */
static void
test_atomic_write_fails (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (g_test_subprocess ())
    {
      struct rlimit limit = { 4096, 4096 };
      g_autoptr(GError) error = NULL;
      g_autofree char *big = g_malloc (100000);

      dir = g_strdup (g_getenv ("CM_TEST_DIR"));
      path = g_build_filename (dir, "data.json", NULL);
      memset (big, 'x', 99999);
      big[99999] = '\0';

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (atomic_write (path, big, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_cmpstr (error->message, ==, "Could not save “data.json”: File too large");
      return;
    }

  dir = make_temp_dir ();
  path = g_build_filename (dir, "data.json", NULL);
  write_text (path, "old");
  g_setenv ("CM_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  assert_file_text (path, "old");
  assert_dir_lists (dir, "data.json");
  remove_tree (dir);
}

static void
test_save_to_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *example = get_example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmDataset) dataset = load_path (example);
  g_autoptr(CmDataset) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = cm_dataset_save_to_data (dataset, NULL);

  g_assert_true (cm_dataset_save_to_file (dataset, file, NULL, &error));
  g_assert_no_error (error);
  assert_file_text (path, expected);
  assert_dir_lists (dir, "saved.json");

  copy = load_path (path);
  assert_datasets_equal (dataset, copy);

  remove_tree (dir);
}

/* ---- Main -------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/io/bad/%s", bad_cases[i].name);

      g_test_add_data_func (name, &bad_cases[i], test_bad_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/io/good/%s", good_cases[i].name);

      g_test_add_data_func (name, &good_cases[i], test_good_case);
    }

  g_test_add_func ("/io/load/all-problems-at-once", test_all_problems_at_once);
  g_test_add_func ("/io/load/problem-cap", test_problem_cap);
  g_test_add_func ("/io/load/syntax-position", test_syntax_position);
  g_test_add_func ("/io/load/position-after-unicode", test_position_after_unicode);
  g_test_add_func ("/io/load/every-type-mismatch", test_every_type_mismatch);
  g_test_add_func ("/io/load/limit-actors-links", test_limit_actors_and_links);
  g_test_add_func ("/io/load/limit-json", test_limit_json);
  g_test_add_func ("/io/load/limit-file-size", test_limit_file_size);
  g_test_add_func ("/io/load/file-errors", test_load_file_errors);
  g_test_add_func ("/io/load/cancelled", test_load_cancelled);
  g_test_add_func ("/io/load/threads", test_load_in_threads);
  g_test_add_func ("/io/load/values", test_load_values);
  g_test_add_func ("/io/load/generated-link-ids", test_generated_link_ids);
  g_test_add_func ("/io/load/generated-link-ids-many", test_generated_link_ids_many);
  g_test_add_func ("/io/problem/api", test_problem_api);
  g_test_add_func ("/io/round-trip/example", test_round_trip_example);
  g_test_add_func ("/io/round-trip/unknown-keys", test_round_trip_unknown_keys);
  g_test_add_func ("/io/save/new-dataset", test_save_new_dataset);
  g_test_add_func ("/io/save/empty-dataset", test_save_empty_dataset);
  g_test_add_func ("/io/save/after-edits", test_save_after_edits);
  g_test_add_func ("/io/save/link-dates", test_save_link_dates);
  g_test_add_func ("/io/save/to-file", test_save_to_file);
  g_test_add_func ("/io/atomic/plain", test_atomic_plain);
  g_test_add_func ("/io/atomic/new-name", test_atomic_new_name);
  g_test_add_func ("/io/atomic/symlink", test_atomic_symlink);
  g_test_add_func ("/io/atomic/symlink-loop", test_atomic_symlink_loop);
  g_test_add_func ("/io/atomic/hard-link", test_atomic_hard_link);
  g_test_add_func ("/io/atomic/read-only-dir", test_atomic_read_only_dir);
  g_test_add_func ("/io/atomic/errors", test_atomic_errors);
  g_test_add_func ("/io/atomic/write-fails", test_atomic_write_fails);

  return g_test_run ();
}
