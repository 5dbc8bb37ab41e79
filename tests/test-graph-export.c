/* SPDX-License-Identifier: GPL-3.0-or-later */

/* GraphML and DOT writers: what they write is read back by our importers
 * to the same map (GraphML exactly, DOT up to what DOT can hold), and is
 * well-formed for the tools that read these formats. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <gio/gio.h>

#include "cm-model.h"
#include "cm-dataset-io.h"
#include "cm-import.h"
#include "cm-graph-export.h"
#include "cm-dataset-io-private.h"

static char *
shared_path (const char *relative)
{
  const char *dir = g_getenv ("CM_SHARED_DIR");

  if (dir == NULL || *dir == '\0')
    return NULL;
  return g_build_filename (dir, "datasets", relative, NULL);
}

static CmDataset *
open_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CmDataset *dataset = cm_dataset_open_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

static CmDataset *
open_text (const char *name,
           const char *text,
           gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  CmDataset *dataset = cm_dataset_open_data (name, text, length, NULL, NULL, &problems, &error);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));

      g_test_message ("%s: %s", name, line);
    }
  g_assert_no_error (error);
  return dataset;
}

/* Every field a graph file can carry, compared; a description of the first
 * difference, or NULL. */
static char *
compare (CmDataset *a,
         CmDataset *b,
         gboolean   exact_positions)
{
  guint na, nb;
  CmActor **aa = cm_dataset_peek_actors (a, &na);
  CmActor **ab = cm_dataset_peek_actors (b, &nb);
  CmLink **la, **lb;

  if (na != nb)
    return g_strdup_printf ("%u actors, then %u", na, nb);
  for (guint i = 0; i < na; i++)
    {
      CmActor *x = aa[i], *y = ab[i];

#define SAME_STR(what, fx, fy) \
      if (g_strcmp0 (fx, fy) != 0) \
        return g_strdup_printf ("%s %s: “%s”, then “%s”", what, cm_actor_get_id (x), fx, fy)
      SAME_STR ("id of", cm_actor_get_id (x), cm_actor_get_id (y));
      SAME_STR ("name of", cm_actor_get_name (x), cm_actor_get_name (y));
      SAME_STR ("kind of", cm_actor_get_kind_name (x), cm_actor_get_kind_name (y));
      SAME_STR ("role of", cm_actor_get_role (x), cm_actor_get_role (y));
      SAME_STR ("group of", cm_actor_get_group (x), cm_actor_get_group (y));
#undef SAME_STR
      if (cm_actor_has_position (x) != cm_actor_has_position (y))
        return g_strdup_printf ("position of %s", cm_actor_get_id (x));
      if (cm_actor_has_position (x))
        {
          double tolerance = exact_positions ? 0 : 1e-9;

          if (fabs (cm_actor_get_x (x) - cm_actor_get_x (y)) > tolerance
              || fabs (cm_actor_get_y (x) - cm_actor_get_y (y)) > tolerance)
            return g_strdup_printf ("position of %s: %.17g,%.17g then %.17g,%.17g", cm_actor_get_id (x),
                                    cm_actor_get_x (x), cm_actor_get_y (x),
                                    cm_actor_get_x (y), cm_actor_get_y (y));
        }
    }

  la = cm_dataset_peek_links (a, &na);
  lb = cm_dataset_peek_links (b, &nb);
  if (na != nb)
    return g_strdup_printf ("%u links, then %u", na, nb);
  for (guint i = 0; i < na; i++)
    {
      CmLink *x = la[i], *y = lb[i];

#define SAME_STR(what, fx, fy) \
      if (g_strcmp0 (fx, fy) != 0) \
        return g_strdup_printf ("%s %s: “%s”, then “%s”", what, cm_link_get_id (x), fx, fy)
      SAME_STR ("id of", cm_link_get_id (x), cm_link_get_id (y));
      SAME_STR ("source of", cm_link_get_source (x), cm_link_get_source (y));
      SAME_STR ("target of", cm_link_get_target (x), cm_link_get_target (y));
      SAME_STR ("topic of", cm_link_get_topic (x), cm_link_get_topic (y));
      SAME_STR ("mechanism of", cm_link_get_mechanism (x), cm_link_get_mechanism (y));
      SAME_STR ("from of", cm_link_get_from (x), cm_link_get_from (y));
      SAME_STR ("to of", cm_link_get_to (x), cm_link_get_to (y));
#undef SAME_STR
      if (cm_link_get_channel (x) != cm_link_get_channel (y))
        return g_strdup_printf ("channel of %s", cm_link_get_id (x));
      if (cm_link_get_directed (x) != cm_link_get_directed (y))
        return g_strdup_printf ("direction of %s", cm_link_get_id (x));
    }
  if (g_strcmp0 (cm_dataset_get_title (a), cm_dataset_get_title (b)) != 0)
    return g_strdup_printf ("title: “%s”, then “%s”", cm_dataset_get_title (a), cm_dataset_get_title (b));
  return NULL;
}

/* The attributes kept on @object (what an importer had no field for), as
 * "name=type:value" lines in file order: FORMAT.md's own names left out
 * (a map loaded from .json holds them all). */
static char *
kept_text (gpointer object)
{
  static const char *const own[] = {
    "id", "name", "kind", "role", "group", "x", "y", "pinned", "notes", "quotes", "source",
    "target", "channel", "directed", "topic", "via", "mechanism", "from", "to", NULL };
  CmJsonValue *json = _cm_dataset_io_get_json (object);
  GString *out = g_string_new (NULL);

  for (guint i = 0; json != NULL && i < cm_json_object_get_size (json); i++)
    {
      const char *name = cm_json_object_get_key (json, i);
      CmJsonValue *value = cm_json_object_get_value (json, i);

      if (g_strv_contains (own, name))
        continue;
      switch (cm_json_value_get_value_type (value))
        {
        case CM_JSON_NUMBER:
          g_string_append_printf (out, "%s=number:%.17g\n", name, cm_json_value_get_number (value));
          break;
        case CM_JSON_STRING:
          g_string_append_printf (out, "%s=string:%s\n", name, cm_json_value_get_string (value));
          break;
        case CM_JSON_BOOLEAN:
          g_string_append_printf (out, "%s=boolean:%d\n", name, cm_json_value_get_boolean (value));
          break;
        default:
          {
            g_autofree char *text = cm_json_write (value, FALSE, NULL);

            g_string_append_printf (out, "%s=json:%s\n", name, text);
          }
        }
    }
  return g_string_free (out, FALSE);
}

/* The first actor or link whose kept attributes differ, or NULL (the
 * counts are compared elsewhere). */
static char *
compare_kept (CmDataset *a,
              CmDataset *b)
{
  guint na, nb;
  CmActor **aa = cm_dataset_peek_actors (a, &na);
  CmActor **ab = cm_dataset_peek_actors (b, &nb);
  CmLink **la, **lb;

  for (guint i = 0; i < MIN (na, nb); i++)
    {
      g_autofree char *x = kept_text (aa[i]);
      g_autofree char *y = kept_text (ab[i]);

      if (strcmp (x, y) != 0)
        return g_strdup_printf ("attributes of actor %s:\n%s\nthen\n%s", cm_actor_get_id (aa[i]), x, y);
    }
  la = cm_dataset_peek_links (a, &na);
  lb = cm_dataset_peek_links (b, &nb);
  for (guint i = 0; i < MIN (na, nb); i++)
    {
      g_autofree char *x = kept_text (la[i]);
      g_autofree char *y = kept_text (lb[i]);

      if (strcmp (x, y) != 0)
        return g_strdup_printf ("attributes of link %s:\n%s\nthen\n%s", cm_link_get_id (la[i]), x, y);
    }
  return NULL;
}

/* A map with every field and the characters that break writers. */
static CmDataset *
make_tricky_dataset (void)
{
  CmDataset *dataset = cm_dataset_new ();
  CmActor *actors[5];
  CmLink *links[4];
  g_autoptr(CmQuote) quote = cm_quote_new ("no direct, formal line");

  cm_dataset_set_title (dataset, "Moscow–Washington \"channels\" & <signals>");
  cm_dataset_set_description (dataset, "two\nlines");
  actors[0] = cm_actor_new ("russia", "Russia");
  cm_actor_set_kind (actors[0], CM_ACTOR_KIND_STATE);
  cm_actor_set_position (actors[0], -120.5, 40.25);
  actors[1] = cm_actor_new ("ryabkov", "Sergei \"the\" Ryabkov");
  cm_actor_set_kind (actors[1], CM_ACTOR_KIND_PERSON);
  cm_actor_set_role (actors[1], "Deputy Foreign Minister & <negotiator>");
  cm_actor_set_group (actors[1], "russia");
  cm_actor_set_position (actors[1], 0.1, -1e-3);
  actors[2] = cm_actor_new ("usa", "United States\nof America");
  cm_actor_set_kind_name (actors[2], "superpower");
  actors[3] = cm_actor_new ("back\\slash id", "Back\\slash ☺");
  actors[4] = cm_actor_new ("nato", "<b>NATO</b>");
  cm_actor_set_kind (actors[4], CM_ACTOR_KIND_ORGANIZATION);
  cm_actor_set_position (actors[4], 1e6, 123456.789012345);
  g_assert_true (cm_dataset_add_actors (dataset, actors, G_N_ELEMENTS (actors)));

  links[0] = cm_link_new ("ru-us-formal", "russia", "usa", CM_CHANNEL_ABSENT);
  cm_link_set_topic (links[0], "Ukraine");
  cm_link_set_from (links[0], "2022-02");
  cm_link_add_quote (links[0], quote);
  links[1] = cm_link_new ("ru-us-signals", "russia", "usa", CM_CHANNEL_INDIRECT);
  cm_link_set_mechanism (links[1], "public statements; \"signals\"");
  cm_link_set_directed (links[1], TRUE);
  links[2] = cm_link_new ("us-nato", "usa", "nato", CM_CHANNEL_DIRECT);
  cm_link_set_from (links[2], "2022-11-29");
  cm_link_set_to (links[2], "2022-11-30");
  links[3] = cm_link_new ("odd id <&>", "back\\slash id", "nato", CM_CHANNEL_DIRECT);
  g_assert_true (cm_dataset_add_links (dataset, links, G_N_ELEMENTS (links)));

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    g_object_unref (actors[i]);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    g_object_unref (links[i]);
  return dataset;
}

/* ---- GraphML ---------------------------------------------------------------- */

static void
markup_start_cb (GMarkupParseContext  *context,
                 const char           *element_name,
                 const char          **names,
                 const char          **values,
                 gpointer              user_data,
                 GError              **error)
{
  GString *seen = user_data;

  if (strcmp (element_name, "key") == 0)
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (strcmp (names[i], "attr.name") == 0)
          g_string_append_printf (seen, "key:%s ", values[i]);
    }
  if (strcmp (element_name, "graph") == 0)
    for (guint i = 0; names[i] != NULL; i++)
      if (strcmp (names[i], "edgedefault") == 0)
        g_string_append_printf (seen, "edgedefault:%s ", values[i]);
}

static void
test_graphml_well_formed (void)
{
  g_autoptr(CmDataset) dataset = make_tricky_dataset ();
  g_autofree char *text = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  GMarkupParser parser = { markup_start_cb, NULL, NULL, NULL, NULL };
  gsize length = 0;

  text = cm_graphml_write (dataset, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (g_str_has_suffix (text, "</graphml>\n"));
  context = g_markup_parse_context_new (&parser, 0, seen, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, length, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);

  /* networkx/igraph conventions */
  g_assert_nonnull (strstr (text, "<key id=\"d7\" for=\"edge\" attr.name=\"channel\" attr.type=\"string\"/>"));
  g_assert_nonnull (strstr (seen->str, "key:quotes "));
  g_assert_nonnull (strstr (seen->str, "key:x "));
  g_assert_nonnull (strstr (seen->str, "key:y "));
  g_assert_nonnull (strstr (seen->str, "key:name "));
  g_assert_nonnull (strstr (seen->str, "key:kind "));
  g_assert_nonnull (strstr (seen->str, "key:group "));
  g_assert_nonnull (strstr (seen->str, "key:topic "));
  g_assert_nonnull (strstr (seen->str, "key:mechanism "));
  g_assert_nonnull (strstr (seen->str, "edgedefault:undirected "));
  g_assert_nonnull (strstr (text, "source=\"russia\" target=\"usa\" directed=\"true\">"));
  g_assert_nonnull (strstr (text, "<data key=\"d8\">1</data>"));
  /* x/y keys are y up, as Gephi writes and reads them */
  g_assert_nonnull (strstr (text, "<data key=\"d5\">-120.5</data>\n      <data key=\"d6\">-40.25</data>"));
  g_assert_nonnull (strstr (text, "&lt;b&gt;NATO&lt;/b&gt;"));
}

static void
check_graphml_round_trip (CmDataset  *first,
                          const char *what)
{
  g_autofree char *text1 = cm_graphml_write (first, NULL);
  g_autoptr(CmDataset) second = open_text ("round-trip.graphml", text1, strlen (text1));
  g_autofree char *text2 = cm_graphml_write (second, NULL);
  g_autoptr(CmDataset) third = open_text ("round-trip.graphml", text2, strlen (text2));
  g_autofree char *difference = compare (first, second, TRUE);

  if (difference != NULL)
    g_test_fail_printf ("%s: model → GraphML → model differs: %s", what, difference);
  g_clear_pointer (&difference, g_free);
  difference = compare (second, third, TRUE);
  if (difference != NULL)
    g_test_fail_printf ("%s: GraphML → model → GraphML → model differs: %s", what, difference);
  g_clear_pointer (&difference, g_free);
  /* the attributes the importer kept: written as typed keys, read back
   * the same */
  difference = compare_kept (first, second);
  if (difference != NULL)
    g_test_fail_printf ("%s: model → GraphML → model loses attributes: %s", what, difference);
  g_clear_pointer (&difference, g_free);
  difference = compare_kept (second, third);
  if (difference != NULL)
    g_test_fail_printf ("%s: GraphML → model → GraphML → model loses attributes: %s", what, difference);
  /* and writing again gives the same bytes (the first write may differ
   * only in quote counts: a graph file holds counts, not quotes) */
  {
    g_autofree char *text3 = cm_graphml_write (third, NULL);

    g_assert_cmpstr (text2, ==, text3);
  }
}

static void
test_graphml_round_trip_tricky (void)
{
  g_autoptr(CmDataset) dataset = make_tricky_dataset ();

  check_graphml_round_trip (dataset, "tricky map");
}

static void
test_graphml_round_trip_files (void)
{
  static const char *const files[] = {
    "les-miserables/miserables.graphml",
    "graphml-graphology-tests/mixed_multigraph.graphml",
    "graphml-calpano-testdata/nested-sample-graph.graphml",
    "graphml-calpano-testdata/flask-pulsar.graphml",
    "graphml-igraph-tests/yfiles.graphml",
    "les-miserables/lesmis.gexf",
    "dot-pydot-tests/clust4.dot",
  };
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "import", "channels.graphml", NULL);
  g_autoptr(CmDataset) own = open_path (fixture);

  check_graphml_round_trip (own, "channels.graphml");
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = shared_path (files[i]);
      g_autoptr(CmDataset) dataset = NULL;

      if (path == NULL)
        {
          g_test_skip ("CM_SHARED_DIR is not set");
          return;
        }
      dataset = open_path (path);
      g_assert_nonnull (dataset);
      check_graphml_round_trip (dataset, files[i]);
    }
}

/* networkx reads a directed graph only when edgedefault says "directed"
 * (it refuses directed="true" in an undirected graph): edgedefault is what
 * most links are, and only the others say otherwise. */
static void
test_graphml_edgedefault (void)
{
  static const struct { const char *file; const char *edgedefault; guint n_marked; } files[] = {
    { "dot-pydot-tests/fsm.dot", "edgedefault=\"directed\"", 0 },
    { "communication-email-eu-core/email-Eu-core.csv", "edgedefault=\"directed\"", 0 },
    { "les-miserables/miserables.graphml", "edgedefault=\"undirected\"", 0 },
    { "graphml-graphology-tests/mixed_multigraph.graphml", "edgedefault=\"undirected\"", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = shared_path (files[i].file);
      g_autoptr(CmDataset) dataset = NULL;
      g_autofree char *text = NULL;
      guint n_marked = 0;

      if (path == NULL)
        {
          g_test_skip ("CM_SHARED_DIR is not set");
          return;
        }
      dataset = open_path (path);
      text = cm_graphml_write (dataset, NULL);
      for (const char *p = strstr (text, "<edge "); p != NULL; p = strstr (p + 1, " directed=\""))
        if (p != text && strncmp (p, " directed=\"", 11) == 0)
          n_marked++;
      g_test_message ("%s: %s, %u edges marked", files[i].file, files[i].edgedefault, n_marked);
      g_assert_nonnull (strstr (text, files[i].edgedefault));
      g_assert_cmpuint (n_marked, ==, files[i].n_marked);
      check_graphml_round_trip (dataset, files[i].file);
    }

  /* mixed, mostly directed: the undirected one says directed="false" */
  {
    g_autoptr(CmDataset) dataset = make_tricky_dataset ();
    CmLink **links = cm_dataset_peek_links (dataset, NULL);
    g_autofree char *text = NULL;

    cm_link_set_directed (links[0], TRUE);
    cm_link_set_directed (links[2], TRUE);
    text = cm_graphml_write (dataset, NULL);
    g_assert_nonnull (strstr (text, "edgedefault=\"directed\""));
    g_assert_nonnull (strstr (text, "source=\"back\\slash id\" target=\"nato\" directed=\"false\">"));
    g_assert_null (strstr (text, "directed=\"true\""));
    check_graphml_round_trip (dataset, "mostly directed");
  }
}

/* GraphML → model → GraphML → model kept nothing an importer had kept:
 * miserables.graphml has weight on 254 links, 0 came back. */
static void
test_graphml_round_trip_attributes (void)
{
  g_autofree char *path = shared_path ("les-miserables/miserables.graphml");
  g_autoptr(CmDataset) first = NULL;
  g_autoptr(CmDataset) second = NULL;
  g_autofree char *text = NULL;
  CmLink **links1, **links2;
  guint n;

  if (path == NULL)
    {
      g_test_skip ("CM_SHARED_DIR is not set");
      return;
    }
  first = open_path (path);
  text = cm_graphml_write (first, NULL);
  g_assert_nonnull (strstr (text, "attr.name=\"weight\" attr.type=\"int\""));
  g_assert_nonnull (strstr (text, "attr.name=\"Modularity Class\" attr.type=\"int\""));
  g_assert_nonnull (strstr (text, "attr.name=\"size\" attr.type=\"double\""));
  second = open_text ("round-trip.graphml", text, strlen (text));
  links1 = cm_dataset_peek_links (first, &n);
  links2 = cm_dataset_peek_links (second, NULL);
  g_assert_cmpuint (n, ==, 254);
  for (guint i = 0; i < n; i++)
    {
      CmJsonValue *w1 = cm_json_object_lookup (_cm_dataset_io_get_json (links1[i]), "weight");
      CmJsonValue *w2 = cm_json_object_lookup (_cm_dataset_io_get_json (links2[i]), "weight");

      g_assert_nonnull (w1);
      g_assert_nonnull (w2);
      g_assert_cmpfloat (cm_json_value_get_number (w2), ==, cm_json_value_get_number (w1));
    }
  {
    CmActor *valjean = cm_dataset_lookup_actor (second, "11");
    CmJsonValue *json = _cm_dataset_io_get_json (valjean);

    g_assert_cmpfloat (cm_json_value_get_number (cm_json_object_lookup (json, "r")), ==, 245);
    g_assert_cmpfloat (cm_json_value_get_number (cm_json_object_lookup (json, "size")), ==, 100);
    g_assert_cmpfloat (cm_json_value_get_number (cm_json_object_lookup (json, "Modularity Class")), ==, 1);
  }

  /* GEXF colours, sizes, modularity class; Quakers' gender; airports'
   * lat/lon; a CSV's columns: all kept through GraphML, twice */
  {
    static const char *const files[] = {
      "les-miserables/lesmis.gexf",
      "csv-quakers/quakers.gexf",
      "csv-quakers/quakers_edgelist.csv",
      "graphml-calpano-testdata/airportsAndCoord.graphml.xml",
      "graphml-calpano-testdata/graphml-key-data.graphml.xml",
      "gexf-graphology-tests/liststring.gexf",
    };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *file = shared_path (files[i]);
        g_autoptr(CmDataset) dataset = open_path (file);

        check_graphml_round_trip (dataset, files[i]);
      }
  }
  {
    g_autofree char *quakers = shared_path ("csv-quakers/quakers.gexf");
    g_autoptr(CmDataset) dataset = open_path (quakers);
    g_autofree char *graphml = cm_graphml_write (dataset, NULL);
    g_autoptr(CmDataset) back = open_text ("quakers.graphml", graphml, strlen (graphml));
    g_autofree char *kept = kept_text (cm_dataset_peek_actors (back, NULL)[0]);

    g_test_message ("quakers.gexf → GraphML → model, first actor:\n%s", kept);
    g_assert_nonnull (strstr (kept, "gender=string:"));
    g_assert_nonnull (strstr (kept, "degree=number:"));
    g_assert_nonnull (strstr (kept, "betweenness=number:"));
  }
}

/* ---- DOT -------------------------------------------------------------------- */

/* DOT holds the kept attributes as attributes (as text: DOT has no types),
 * and reads them back. */
static void
test_dot_round_trip_attributes (void)
{
  g_autofree char *path = shared_path ("les-miserables/miserables.graphml");
  g_autoptr(CmDataset) first = NULL;
  g_autoptr(CmDataset) second = NULL;
  g_autoptr(CmDataset) third = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  g_autofree char *difference = NULL;
  CmLink **links;
  guint n;

  if (path == NULL)
    {
      g_test_skip ("CM_SHARED_DIR is not set");
      return;
    }
  first = open_path (path);
  text1 = cm_dot_write (first, NULL);
  second = open_text ("round-trip.dot", text1, strlen (text1));
  links = cm_dataset_peek_links (second, &n);
  g_assert_cmpuint (n, ==, 254);
  for (guint i = 0; i < n; i++)
    g_assert_nonnull (cm_json_object_lookup (_cm_dataset_io_get_json (links[i]), "weight"));
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_lookup (_cm_dataset_io_get_json (
                     cm_dataset_lookup_actor (second, "11")), "Modularity Class")), ==, "1");
  text2 = cm_dot_write (second, NULL);
  third = open_text ("round-trip.dot", text2, strlen (text2));
  difference = compare_kept (second, third);
  if (difference != NULL)
    g_test_fail_printf ("DOT → model → DOT → model loses attributes: %s", difference);
  text3 = cm_dot_write (third, NULL);
  g_assert_cmpstr (text2, ==, text3);
}

static void
test_dot_output (void)
{
  g_autoptr(CmDataset) dataset = make_tricky_dataset ();
  g_autofree char *text = cm_dot_write (dataset, NULL);

  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "/*"));
  g_assert_nonnull (strstr (text, "digraph "));
  g_assert_nonnull (strstr (text, "\"russia\" -> \"usa\" [channel=absent, style=dotted, quotes=1, dir=none, label=\"Ukraine\", from=\"2022-02\"]"));
  g_assert_nonnull (strstr (text, "channel=indirect, style=dashed"));
  g_assert_nonnull (strstr (text, "channel=direct, style=solid"));
  /* y up in Graphviz; "!" pins */
  g_assert_nonnull (strstr (text, "pos=\"-120.5,-40.25!\""));
  g_assert_nonnull (strstr (text, "label=\"Sergei \\\"the\\\" Ryabkov\""));
  g_assert_nonnull (strstr (text, "label=\"United States\\nof America\""));
  g_assert_true (g_str_has_suffix (text, "}\n"));
}

static void
test_dot_round_trip (void)
{
  g_autoptr(CmDataset) first = make_tricky_dataset ();
  g_autofree char *text = cm_dot_write (first, NULL);
  g_autoptr(CmDataset) second = open_text ("round-trip.dot", text, strlen (text));
  CmActor *a, *b;
  guint n;
  CmActor **actors;

  g_assert_nonnull (second);
  g_assert_cmpuint (cm_dataset_get_n_actors (second), ==, 5);
  g_assert_cmpuint (cm_dataset_get_n_links (second), ==, 4);
  g_assert_cmpuint (cm_dataset_count_links (second, CM_CHANNEL_ABSENT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (second, CM_CHANNEL_INDIRECT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (second, CM_CHANNEL_DIRECT), ==, 2);
  g_assert_cmpstr (cm_dataset_get_title (second), ==, cm_dataset_get_title (first));

  /* names, kinds, roles, groups, positions survive; ids too, where DOT can
   * hold them (a backslash in an id cannot be written safely) */
  actors = cm_dataset_peek_actors (first, &n);
  for (guint i = 0; i < n; i++)
    {
      a = actors[i];
      b = cm_dataset_peek_actors (second, NULL)[i];
      g_assert_cmpstr (cm_actor_get_name (b), ==, cm_actor_get_name (a));
      g_assert_cmpstr (cm_actor_get_kind_name (b), ==, cm_actor_get_kind_name (a));
      g_assert_cmpstr (cm_actor_get_role (b), ==, cm_actor_get_role (a));
      g_assert_cmpstr (cm_actor_get_group (b), ==, cm_actor_get_group (a));
      g_assert_true (cm_actor_has_position (b) == cm_actor_has_position (a));
      if (cm_actor_has_position (a))
        {
          g_assert_cmpfloat (cm_actor_get_x (b), ==, cm_actor_get_x (a));
          g_assert_cmpfloat (cm_actor_get_y (b), ==, cm_actor_get_y (a));
          g_assert_true (cm_actor_get_pinned (b));
        }
      if (strchr (cm_actor_get_id (a), '\\') == NULL)
        g_assert_cmpstr (cm_actor_get_id (b), ==, cm_actor_get_id (a));
    }
  b = cm_dataset_lookup_actor (second, "usa");
  g_assert_nonnull (b);
  {
    CmLink **links = cm_dataset_peek_links (second, &n);

    g_assert_cmpstr (cm_link_get_topic (links[0]), ==, "Ukraine");
    g_assert_cmpstr (cm_link_get_from (links[0]), ==, "2022-02");
    g_assert_cmpstr (cm_link_get_from (links[2]), ==, "2022-11-29");
    g_assert_cmpstr (cm_link_get_to (links[2]), ==, "2022-11-30");
    g_assert_false (cm_link_get_directed (links[0]));
    g_assert_true (cm_link_get_directed (links[1]));
    g_assert_cmpstr (cm_link_get_mechanism (links[1]), ==, "public statements; \"signals\"");
  }
}

static void
test_dot_empty (void)
{
  g_autoptr(CmDataset) empty = cm_dataset_new ();
  g_autofree char *dot = cm_dot_write (empty, NULL);
  g_autofree char *graphml = cm_graphml_write (empty, NULL);
  g_autoptr(CmDataset) back = open_text ("empty.dot", dot, strlen (dot));
  g_autoptr(CmDataset) back2 = open_text ("empty.graphml", graphml, strlen (graphml));

  g_assert_cmpuint (cm_dataset_get_n_actors (back), ==, 0);
  g_assert_cmpuint (cm_dataset_get_n_actors (back2), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-export/graphml/well-formed", test_graphml_well_formed);
  g_test_add_func ("/graph-export/graphml/round-trip-tricky", test_graphml_round_trip_tricky);
  g_test_add_func ("/graph-export/graphml/round-trip-files", test_graphml_round_trip_files);
  g_test_add_func ("/graph-export/graphml/edgedefault", test_graphml_edgedefault);
  g_test_add_func ("/graph-export/graphml/round-trip-attributes", test_graphml_round_trip_attributes);
  g_test_add_func ("/graph-export/dot/round-trip-attributes", test_dot_round_trip_attributes);
  g_test_add_func ("/graph-export/dot/output", test_dot_output);
  g_test_add_func ("/graph-export/dot/round-trip", test_dot_round_trip);
  g_test_add_func ("/graph-export/empty", test_dot_empty);

  return g_test_run ();
}
