/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Importers, on the real files of ../shared/datasets (read in place through
 * CM_SHARED_DIR, never copied) and on small fixtures of our own in
 * tests/data/import.  The counts are those the datasets' READMEs give. */

#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cm-model.h"
#include "cm-dataset-io.h"
#include "cm-dataset-io-private.h"
#include "cm-import.h"

/* ---- Helpers -------------------------------------------------------------- */

static char *
shared_path (const char *relative)
{
  const char *dir = g_getenv ("CM_SHARED_DIR");

  if (dir == NULL || *dir == '\0')
    return NULL;
  return g_build_filename (dir, "datasets", relative, NULL);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

typedef struct
{
  CmDataset   *dataset;
  CmFileFormat format;
  GPtrArray   *notes;
  GPtrArray   *problems;
  GError      *error;
} Opened;

static void
opened_clear (Opened *o)
{
  g_clear_object (&o->dataset);
  g_clear_pointer (&o->notes, g_ptr_array_unref);
  g_clear_pointer (&o->problems, g_ptr_array_unref);
  g_clear_error (&o->error);
}

static void
print_opened (const char *what,
              Opened     *o)
{
  for (guint i = 0; o->notes != NULL && i < o->notes->len; i++)
    g_test_message ("%s: note: %s", what, (const char *) g_ptr_array_index (o->notes, i));
  for (guint i = 0; o->problems != NULL && i < o->problems->len; i++)
    {
      g_autofree char *line = cm_problem_to_string (g_ptr_array_index (o->problems, i));

      g_test_message ("%s: problem: %s", what, line);
    }
  if (o->error != NULL)
    g_test_message ("%s: error: %s", what, o->error->message);
}

static void
open_path (const char *path,
           Opened     *o)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  memset (o, 0, sizeof *o);
  o->dataset = cm_dataset_open_file (file, NULL, &o->format, &o->notes, &o->problems, &o->error);
  print_opened (path, o);
}

/* Opens a shared dataset; FALSE (and the test skipped) when the datasets
 * are not there, so the suite still runs from a lone checkout. */
static gboolean
open_shared (const char *relative,
             Opened     *o)
{
  g_autofree char *path = shared_path (relative);

  memset (o, 0, sizeof *o);
  if (path == NULL)
    {
      g_test_skip ("CM_SHARED_DIR is not set");
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_fail_printf ("shared dataset missing: %s", path);
      return FALSE;
    }
  open_path (path, o);
  return TRUE;
}

static void
open_fixture (const char *name,
              Opened     *o)
{
  g_autofree char *path = fixture_path (name);

  open_path (path, o);
}

static gboolean
notes_contain (Opened     *o,
               const char *text)
{
  for (guint i = 0; o->notes != NULL && i < o->notes->len; i++)
    if (strstr (g_ptr_array_index (o->notes, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_counts (Opened     *o,
               const char *what,
               guint       n_actors,
               guint       n_links)
{
  if (o->dataset == NULL)
    {
      g_test_fail_printf ("%s did not open: %s", what, o->error ? o->error->message : "?");
      return;
    }
  g_assert_no_error (o->error);
  g_assert_cmpuint (cm_dataset_get_n_actors (o->dataset), ==, n_actors);
  g_assert_cmpuint (cm_dataset_get_n_links (o->dataset), ==, n_links);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted actor names, joined: two files with the same names compare equal. */
static char *
sorted_names (CmDataset *dataset)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) cm_actor_get_name (actors[i]));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

/* The links as unordered pairs of names, sorted: the same graph whatever
 * ids or direction a writer chose. */
static char *
sorted_pairs (CmDataset *dataset)
{
  guint n;
  CmLink **links = cm_dataset_peek_links (dataset, &n);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      const char *a = cm_actor_get_name (cm_dataset_lookup_actor (dataset, cm_link_get_source (links[i])));
      const char *b = cm_actor_get_name (cm_dataset_lookup_actor (dataset, cm_link_get_target (links[i])));

      g_ptr_array_add (pairs, strcmp (a, b) < 0 ? g_strdup_printf ("%s|%s", a, b)
                                                : g_strdup_printf ("%s|%s", b, a));
    }
  g_ptr_array_sort (pairs, compare_strings);
  {
    GString *out = g_string_new (NULL);

    for (guint i = 0; i < pairs->len; i++)
      g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (pairs, i));
    return g_string_free (out, FALSE);
  }
}

static CmActor *
actor_named (CmDataset  *dataset,
             const char *name)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (cm_actor_get_name (actors[i]), name) == 0)
      return actors[i];
  return NULL;
}

static CmJsonValue *
kept (gpointer    object,
      const char *key)
{
  CmJsonValue *json = _cm_dataset_io_get_json (object);

  return json != NULL ? cm_json_object_lookup (json, key) : NULL;
}

static guint
count_groups (CmDataset *dataset)
{
  guint n, count = 0;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);

  for (guint i = 0; i < n; i++)
    if (cm_actor_get_group (actors[i]) != NULL)
      count++;
  return count;
}

static void check_refused (const char *what, Opened *o, int code);

/* ---- Les Misérables: five files, one graph -------------------------------- */

static void
test_lesmis_all_formats (void)
{
  static const char *const files[] = {
    "les-miserables/Les Miserables.gexf",
    "les-miserables/lesmis.gexf",
    "les-miserables/les_miserables.gexf",
    "les-miserables/miserables.graphml",
    "les-miserables/lesmis.gml",
  };
  static const CmFileFormat formats[] = {
    CM_FILE_FORMAT_GEXF, CM_FILE_FORMAT_GEXF, CM_FILE_FORMAT_GEXF,
    CM_FILE_FORMAT_GRAPHML, CM_FILE_FORMAT_GML,
  };
  g_autofree char *names0 = NULL;
  g_autofree char *pairs0 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;
      g_autofree char *names = NULL;
      g_autofree char *pairs = NULL;

      if (!open_shared (files[i], &o))
        return;
      assert_counts (&o, files[i], 77, 254);
      g_assert_cmpint (o.format, ==, formats[i]);
      g_assert_true (notes_contain (&o, "all 254 links are direct"));
      g_assert_nonnull (actor_named (o.dataset, "Valjean"));
      g_assert_nonnull (actor_named (o.dataset, "Myriel"));

      names = sorted_names (o.dataset);
      pairs = sorted_pairs (o.dataset);
      if (i == 0)
        {
          names0 = g_steal_pointer (&names);
          pairs0 = g_steal_pointer (&pairs);
        }
      else
        {
          g_assert_cmpstr (names, ==, names0);
          g_assert_cmpstr (pairs, ==, pairs0);
        }
      opened_clear (&o);
    }
}

static void
test_lesmis_viz (void)
{
  Opened o;
  CmActor *valjean;
  CmJsonValue *color, *size, *weight;
  CmLink *first;
  guint n;

  /* viz elements under the wrong "http:///…1.1draft/viz" namespace */
  if (!open_shared ("les-miserables/Les Miserables.gexf", &o))
    return;
  valjean = cm_dataset_lookup_actor (o.dataset, "11");
  g_assert_nonnull (valjean);
  g_assert_cmpstr (cm_actor_get_name (valjean), ==, "Valjean");
  g_assert_true (cm_actor_has_position (valjean));
  /* scaled to the map's link length (the shape kept); Gephi's y axis
   * points up, the map's down */
  g_assert_true (notes_contain (&o, "Positions were scaled by ×0.552 to the map's link length"));
  g_assert_cmpfloat (cm_actor_get_x (valjean), <, 0);
  g_assert_cmpfloat (cm_actor_get_y (valjean), <, 0);
  g_assert_cmpfloat_with_epsilon (cm_actor_get_y (valjean) / cm_actor_get_x (valjean),
                                  -6.8120565 / -87.93029, 1e-12);
  color = kept (valjean, "color");
  g_assert_nonnull (color);
  g_assert_cmpstr (cm_json_value_get_string (color), ==, "#f55b5b");
  size = kept (valjean, "size");
  g_assert_nonnull (size);
  g_assert_cmpfloat (cm_json_value_get_number (size), ==, 100);
  g_assert_nonnull (kept (valjean, "modularity_class"));

  /* the first edge has no weight attribute, the others do */
  first = cm_dataset_peek_links (o.dataset, &n)[0];
  g_assert_null (kept (first, "weight"));
  weight = kept (cm_dataset_peek_links (o.dataset, &n)[1], "weight");
  g_assert_nonnull (weight);
  g_assert_cmpfloat (cm_json_value_get_number (weight), ==, 8);
  opened_clear (&o);
}

/* ---- Positions -------------------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median_link_length (CmDataset *dataset)
{
  guint n;
  CmLink **links = cm_dataset_peek_links (dataset, &n);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      CmActor *a = cm_dataset_lookup_actor (dataset, cm_link_get_source (links[i]));
      CmActor *b = cm_dataset_lookup_actor (dataset, cm_link_get_target (links[i]));
      double d;

      if (!cm_actor_has_position (a) || !cm_actor_has_position (b))
        continue;
      d = hypot (cm_actor_get_x (a) - cm_actor_get_x (b), cm_actor_get_y (a) - cm_actor_get_y (b));
      if (d > 0)
        g_array_append_val (lengths, d);
    }
  g_assert_cmpuint (lengths->len, >, 0);
  g_array_sort (lengths, compare_double);
  return lengths->len % 2 == 1 ? g_array_index (lengths, double, lengths->len / 2)
    : (g_array_index (lengths, double, lengths->len / 2 - 1) + g_array_index (lengths, double, lengths->len / 2)) / 2;
}

/* By brute force, over every placed actor. */
static double
median_nearest_distance (CmDataset *dataset)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);
  g_autoptr(GArray) nearest = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      double best = G_MAXDOUBLE;

      for (guint j = 0; j < n; j++)
        if (j != i)
          best = MIN (best, hypot (cm_actor_get_x (actors[i]) - cm_actor_get_x (actors[j]),
                                   cm_actor_get_y (actors[i]) - cm_actor_get_y (actors[j])));
      g_array_append_val (nearest, best);
    }
  g_array_sort (nearest, compare_double);
  return n % 2 == 1 ? g_array_index (nearest, double, n / 2)
    : (g_array_index (nearest, double, n / 2 - 1) + g_array_index (nearest, double, n / 2)) / 2;
}

static double
distance (CmDataset  *dataset,
          const char *a,
          const char *b)
{
  CmActor *x = cm_dataset_lookup_actor (dataset, a);
  CmActor *y = cm_dataset_lookup_actor (dataset, b);

  g_assert_nonnull (x);
  g_assert_nonnull (y);
  return hypot (cm_actor_get_x (x) - cm_actor_get_x (y), cm_actor_get_y (x) - cm_actor_get_y (y));
}

/* Imported positions are scaled, all by one factor, to the map's link
 * length (100, cm-layout.h's default ideal edge length): Gephi's power grid
 * (a random scatter, actors 7 units apart) was a solid blob. */
static void
test_positions_scaled (void)
{
  static const char *const at_link_length[] = {
    "les-miserables/miserables.graphml",
    "les-miserables/lesmis.gexf",
    "graphml-calpano-testdata/nested-sample-graph.graphml",   /* yEd */
    "graphml-calpano-testdata/flask-pulsar.graphml",          /* yEd */
    "graphml-igraph-tests/yfiles.graphml",                    /* yFiles */
  };
  Opened o;

  for (guint i = 0; i < G_N_ELEMENTS (at_link_length); i++)
    {
      if (!open_shared (at_link_length[i], &o))
        return;
      g_assert_nonnull (o.dataset);
      g_test_message ("%s: median link %.6f", at_link_length[i], median_link_length (o.dataset));
      g_assert_cmpfloat_with_epsilon (median_link_length (o.dataset), 100, 1e-9);
      g_assert_true (notes_contain (&o, "to the map's link length"));
      opened_clear (&o);
    }

  /* the shape kept: distances keep their ratios, x and y one factor */
  if (!open_shared ("gephi-lite-samples/Power Grid.gexf", &o))
    return;
  g_assert_nonnull (o.dataset);
  {
    /* <node id="6">: -172.98965, -230.98422; "7": -172.94016, -292.76468;
     * "8": -372.45126, 169.28775 (y up in the file) */
    double raw_68 = hypot (-172.98965 + 372.45126, -230.98422 - 169.28775);
    double raw_67 = hypot (-172.98965 + 172.94016, -230.98422 + 292.76468);
    double factor = distance (o.dataset, "6", "8") / raw_68;
    CmActor *eight = cm_dataset_lookup_actor (o.dataset, "8");
    double spacing = median_nearest_distance (o.dataset);

    g_test_message ("Power Grid: x%g, median link %g, median nearest neighbour %g", factor,
                    median_link_length (o.dataset), spacing);
    g_assert_cmpfloat_with_epsilon (distance (o.dataset, "6", "7") / raw_67, factor, 1e-9 * factor);
    g_assert_cmpfloat_with_epsilon (cm_actor_get_x (eight), -372.45126 * factor, 1e-6);
    g_assert_cmpfloat_with_epsilon (cm_actor_get_y (eight), -169.28775 * factor, 1e-6);
    /* a random scatter: its links are long whatever the scale, so it is
     * spread until actors stand as far apart as the layout's closest (0.3
     * of a link), not shrunk to links 100 long */
    g_assert_cmpfloat (factor, >, 4);
    g_assert_cmpfloat_with_epsilon (spacing, 30, 1e-6);
    g_assert_cmpfloat (median_link_length (o.dataset), >, 100);
    g_assert_true (notes_contain (&o, "Positions were scaled by ×4.53 so that actors stand no closer "
                                      "than the map's own layout puts them"));
  }
  opened_clear (&o);

  /* no positions, no note */
  if (!open_shared ("karate/karate.gml", &o))
    return;
  g_assert_false (notes_contain (&o, "scaled"));
  opened_clear (&o);
}

/* Gephi writes y up in GEXF and in GraphML's plain x/y keys alike: both
 * files of the same Gephi drawing come out the same way up (GraphML was
 * drawn upside down).  yEd's geometry is y down: not flipped. */
static void
test_positions_orientation (void)
{
  static const char *const files[] = {
    "les-miserables/miserables.graphml",
    "les-miserables/lesmis.gexf",
  };
  double valjean_x[2], valjean_y[2];

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;
      guint n;
      CmActor **actors;
      CmActor *valjean;
      double cx = 0, cy = 0;

      if (!open_shared (files[i], &o))
        return;
      actors = cm_dataset_peek_actors (o.dataset, &n);
      for (guint j = 0; j < n; j++)
        {
          cx += cm_actor_get_x (actors[j]) / n;
          cy += cm_actor_get_y (actors[j]) / n;
        }
      valjean = cm_dataset_lookup_actor (o.dataset, "11");
      g_assert_cmpstr (cm_actor_get_name (valjean), ==, "Valjean");
      valjean_x[i] = cm_actor_get_x (valjean) - cx;
      valjean_y[i] = cm_actor_get_y (valjean) - cy;
      g_test_message ("%s: Valjean at %+g, %+g from the centre", files[i], valjean_x[i], valjean_y[i]);
      opened_clear (&o);
    }
  g_assert_true ((valjean_x[0] > 0) == (valjean_x[1] > 0));
  g_assert_true ((valjean_y[0] > 0) == (valjean_y[1] > 0));
  g_assert_cmpfloat_with_epsilon (valjean_x[0], valjean_x[1], 1e-3);
  g_assert_cmpfloat_with_epsilon (valjean_y[0], valjean_y[1], 1e-3);

  /* yEd: n0 of graph1.graphml is above n1 in the file (y 149.7 < 282.7,
   * y down), and stays above */
  {
    Opened o;

    if (!open_shared ("graphml-calpano-testdata/graph1.graphml", &o))
      return;
    g_assert_cmpfloat (cm_actor_get_y (cm_dataset_lookup_actor (o.dataset, "n0")), <,
                       cm_actor_get_y (cm_dataset_lookup_actor (o.dataset, "n1")));
    opened_clear (&o);
  }
}

/* ---- Karate, email, CSV tables -------------------------------------------- */

static void
test_karate (void)
{
  Opened o;

  if (!open_shared ("karate/karate.gml", &o))
    return;
  assert_counts (&o, "karate.gml", 34, 78);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GML);
  opened_clear (&o);

  /* header-less, space-separated, every edge listed both ways */
  if (!open_shared ("karate/karate.csv", &o))
    return;
  assert_counts (&o, "karate.csv", 34, 78);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_CSV);
  g_assert_true (notes_contain (&o, "listed in both directions"));
  g_assert_true (notes_contain (&o, "no header row"));
  g_assert_false (cm_link_get_directed (cm_dataset_peek_links (o.dataset, NULL)[0]));
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "0"));
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "33"));
  opened_clear (&o);
}

static void
test_email_eu_core (void)
{
  Opened o;
  gint64 start = g_get_monotonic_time ();

  if (!open_shared ("communication-email-eu-core/email-Eu-core.csv", &o))
    return;
  g_test_message ("email-Eu-core: %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  /* 25,571 rows, 642 self-loops left out; some pairs both ways: directed */
  assert_counts (&o, "email-Eu-core", 1005, 25571 - 642);
  g_assert_true (notes_contain (&o, "642 links from an actor to itself"));
  g_assert_true (notes_contain (&o, "directed link"));
  g_assert_true (cm_link_get_directed (cm_dataset_peek_links (o.dataset, NULL)[0]));
  opened_clear (&o);
}

static void
test_quakers (void)
{
  Opened o;
  g_autofree char *names_csv = NULL;
  g_autofree char *pairs_csv = NULL;
  g_autofree char *names_gexf = NULL;
  g_autofree char *pairs_gexf = NULL;
  CmActor *keith;
  CmJsonValue *gender;

  /* the edge list, with its node table read from beside it */
  if (!open_shared ("csv-quakers/quakers_edgelist.csv", &o))
    return;
  assert_counts (&o, "quakers_edgelist.csv", 119, 174);
  g_assert_true (notes_contain (&o, "quakers_nodelist.csv"));
  keith = cm_dataset_lookup_actor (o.dataset, "George Keith");
  g_assert_nonnull (keith);
  g_assert_cmpstr (cm_actor_get_role (keith), ==, "Quaker schismatic and Church of England clergyman");
  gender = kept (keith, "Gender");
  g_assert_nonnull (gender);
  g_assert_cmpstr (cm_json_value_get_string (gender), ==, "male");
  g_assert_cmpint (cm_json_value_get_value_type (kept (keith, "ID")), ==, CM_JSON_NUMBER);
  names_csv = sorted_names (o.dataset);
  pairs_csv = sorted_pairs (o.dataset);
  opened_clear (&o);

  /* the node table opened: the same dataset */
  if (!open_shared ("csv-quakers/quakers_nodelist.csv", &o))
    return;
  assert_counts (&o, "quakers_nodelist.csv", 119, 174);
  opened_clear (&o);

  /* the GEXF networkx wrote from the same CSVs */
  if (!open_shared ("csv-quakers/quakers.gexf", &o))
    return;
  assert_counts (&o, "quakers.gexf", 119, 174);
  names_gexf = sorted_names (o.dataset);
  pairs_gexf = sorted_pairs (o.dataset);
  g_assert_cmpstr (names_gexf, ==, names_csv);
  g_assert_cmpstr (pairs_gexf, ==, pairs_csv);
  opened_clear (&o);
}

static void
test_quakers_data_reads_no_companion (void)
{
  g_autofree char *path = shared_path ("csv-quakers/quakers_edgelist.csv");
  g_autofree char *contents = NULL;
  gsize length;
  Opened o = { 0 };

  if (path == NULL)
    {
      g_test_skip ("CM_SHARED_DIR is not set");
      return;
    }
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* bytes alone: no other file is read, actors come from the links */
  o.dataset = cm_dataset_open_data (path, contents, length, &o.format, &o.notes, &o.problems, &o.error);
  g_assert_no_error (o.error);
  g_assert_cmpuint (cm_dataset_get_n_links (o.dataset), ==, 174);
  g_assert_cmpuint (cm_dataset_get_n_actors (o.dataset), <=, 119);
  g_assert_false (notes_contain (&o, "quakers_nodelist.csv"));
  g_assert_null (cm_actor_get_role (cm_dataset_lookup_actor (o.dataset, "George Keith")));
  opened_clear (&o);
}

static void
test_journals (void)
{
  Opened o;
  guint n;
  CmActor **actors;

  if (!open_shared ("csv-journals-1902/JournalEdges1902.csv", &o))
    return;
  /* 321 rows, one self-loop (1,1,11) left out */
  assert_counts (&o, "JournalEdges1902.csv", 276, 320);
  g_assert_true (notes_contain (&o, "JournalNodes1902.csv"));
  g_assert_true (notes_contain (&o, "1 link from an actor to itself"));
  g_assert_nonnull (actor_named (o.dataset, "The American Journal of Insanity"));
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "36")), ==,
                   "The American Journal of Insanity");
  /* the BOM is not part of the first column's name */
  actors = cm_dataset_peek_actors (o.dataset, &n);
  g_assert_nonnull (kept (actors[0], "JournalType"));
  g_assert_cmpint (cm_json_value_get_value_type (kept (actors[0], "Latitude")), ==, CM_JSON_NUMBER);
  g_assert_nonnull (kept (cm_dataset_peek_links (o.dataset, NULL)[0], "weight"));
  opened_clear (&o);
}

static void
test_political (void)
{
  Opened o;
  guint n;
  CmLink **links;
  gboolean found_range = FALSE;

  if (!open_shared ("political-diplomatic/polbooks.gml", &o))
    return;
  assert_counts (&o, "polbooks.gml", 105, 441);
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_lookup_actor (o.dataset, "1"), "value")), ==, "c");
  opened_clear (&o);

  /* bipartite node-link JSON: treaties and countries */
  if (!open_shared ("political-diplomatic/peacetreaties.json", &o))
    return;
  assert_counts (&o, "peacetreaties.json", 301, 624);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_NODE_LINK_JSON);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "C1")), ==, "Generalstaaten");
  opened_clear (&o);

  /* parties in one cell: every pair a link, Roman-month dates */
  if (!open_shared ("political-diplomatic/peace_treaties_rus.csv", &o))
    return;
  g_assert_no_error (o.error);
  g_assert_nonnull (o.dataset);
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "Russland"));
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "Polen"));
  g_assert_true (notes_contain (&o, "7 rows with three or more parties"));
  links = cm_dataset_peek_links (o.dataset, &n);
  g_assert_cmpstr (cm_link_get_from (links[0]), ==, "1514-08-04");
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (cm_link_get_from (links[i]), "1522-12-25") == 0
        && g_strcmp0 (cm_link_get_to (links[i]), "1523-01-04") == 0)
      found_range = TRUE;
  g_assert_true (found_range);
  opened_clear (&o);
}

/* ---- DOT ------------------------------------------------------------------ */

static void
test_dot_all_files (void)
{
  static const struct { const char *file; guint actors, links; } files[] = {
    { "Latin1.dot", 1, 0 }, { "b545.dot", 2, 1 }, { "clust4.dot", 12, 13 },
    { "complex_edges.dot", 8, 8 }, { "crazy.dot", 41, 49 }, { "escaped_quoted_label.dot", 1, 0 },
    { "fsm.dot", 9, 12 }, { "html.dot", 3, 2 }, { "multi.dot", 2, 1 },
    { "numeric_ids_unicode.dot", 4, 0 }, { "parsing_test.dot", 11, 30 }, { "ports.dot", 12, 20 },
    { "russian.dot", 11, 7 }, { "structs.dot", 3, 2 }, { "unix.dot", 41, 49 },
    { "url.dot", 10, 6 }, { "world.dot", 48, 69 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *rel = g_build_filename ("dot-pydot-tests", files[i].file, NULL);
      Opened o;

      if (!open_shared (rel, &o))
        return;
      g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_DOT);
      assert_counts (&o, rel, files[i].actors, files[i].links);
      opened_clear (&o);
    }
}

static void
test_dot_features (void)
{
  Opened o;
  CmActor *a;
  guint n;
  CmActor **actors;

  /* clusters: group actors */
  if (!open_shared ("dot-pydot-tests/clust4.dot", &o))
    return;
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "cluster_0"));
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "cluster_0")), ==, "process #1");
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "a0")), ==, "cluster_0");
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "b3")), ==, "cluster_1");
  g_assert_null (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "start")));
  opened_clear (&o);

  /* ports stripped: no actor is named "a:p" */
  if (!open_shared ("dot-pydot-tests/ports.dot", &o))
    return;
  actors = cm_dataset_peek_actors (o.dataset, &n);
  for (guint i = 0; i < n; i++)
    g_assert_null (strchr (cm_actor_get_id (actors[i]), ':'));
  g_assert_true (notes_contain (&o, "Ports were ignored"));
  opened_clear (&o);

  /* HTML labels reduced to their text */
  if (!open_shared ("dot-pydot-tests/html.dot", &o))
    return;
  a = cm_dataset_lookup_actor (o.dataset, "struct1");
  g_assert_cmpstr (cm_actor_get_name (a), ==, "left mid dle right");
  g_assert_null (strchr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "struct3")), '<'));
  opened_clear (&o);

  /* record labels: their fields */
  if (!open_shared ("dot-pydot-tests/structs.dot", &o))
    return;
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "struct1")), ==,
                   "left | middle | right");
  opened_clear (&o);

  /* Latin-1 */
  if (!open_shared ("dot-pydot-tests/Latin1.dot", &o))
    return;
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "a")), ==,
                   "áâãäåæçèéêëìíîïðñòóôõöøùúûü");
  g_assert_true (notes_contain (&o, "Latin-1"));
  opened_clear (&o);

  /* UTF-8 Cyrillic ids */
  if (!open_shared ("dot-pydot-tests/russian.dot", &o))
    return;
  actors = cm_dataset_peek_actors (o.dataset, &n);
  g_assert_true (g_utf8_validate (cm_actor_get_id (actors[0]), -1, NULL));
  g_assert_cmpuint ((guchar) cm_actor_get_id (actors[0])[0], >=, 0x80);
  opened_clear (&o);

  /* two graphs: the first, and a note */
  if (!open_shared ("dot-pydot-tests/multi.dot", &o))
    return;
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "a"));
  g_assert_null (cm_dataset_lookup_actor (o.dataset, "c"));
  g_assert_true (notes_contain (&o, "1 more graph"));
  opened_clear (&o);

  /* -Tdot positions, y flipped (and scaled: ×0.982) */
  if (!open_shared ("dot-pydot-tests/parsing_test.dot", &o))
    return;
  a = cm_dataset_lookup_actor (o.dataset, "1");
  g_assert_true (cm_actor_has_position (a));
  g_assert_true (notes_contain (&o, "Positions were scaled by ×0.982"));
  g_assert_cmpfloat (cm_actor_get_x (a), >, 0);
  g_assert_cmpfloat_with_epsilon (cm_actor_get_y (a) / cm_actor_get_x (a), -162.0 / 99, 1e-12);
  opened_clear (&o);

  /* escaped quotes */
  if (!open_shared ("dot-pydot-tests/escaped_quoted_label.dot", &o))
    return;
  g_assert_nonnull (strstr (cm_actor_get_name (cm_dataset_peek_actors (o.dataset, NULL)[0]), "\"-\""));
  opened_clear (&o);
}

static void
test_dot_channels (void)
{
  Opened o;
  CmLink *link;

  open_fixture ("channels.dot", &o);
  assert_counts (&o, "channels.dot", 4, 3);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_DIRECT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_INDIRECT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_ABSENT), ==, 1);
  /* style=dotted, but channel=direct wins */
  link = cm_dataset_lookup_link (o.dataset, "lavrov-usa-2");
  g_assert_nonnull (link);
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_DIRECT);
  link = cm_dataset_lookup_link (o.dataset, "ryabkov-usa");
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_ABSENT);
  g_assert_cmpstr (cm_link_get_topic (link), ==, "Ukraine");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "ryabkov")), ==, "Sergei\nRyabkov");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "usa")), ==, "United States");
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "lavrov")), ==, "cluster_russia");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "cluster_russia")), ==, "Russia");
  g_assert_true (cm_actor_get_pinned (cm_dataset_lookup_actor (o.dataset, "usa")));
  /* pos="100,-50!", y up; the one link between placed actors (to ryabkov
   * at 10,20) is scaled to the map's link length, 100 */
  g_assert_cmpfloat_with_epsilon (cm_actor_get_y (cm_dataset_lookup_actor (o.dataset, "usa")),
                                  50 * 100 / hypot (90, 70), 1e-9);
  g_assert_true (notes_contain (&o, "1 link from an actor to itself"));
  opened_clear (&o);
}

static void
test_dot_error_then_good (void)
{
  Opened o;

  /* cgraph keeps its lexer in globals: a syntax error must not leak into
   * the next file, nor the rest of a file with two graphs */
  for (guint round = 0; round < 3; round++)
    {
      open_fixture ("syntax-error.dot", &o);
      g_assert_error (o.error, CM_DATASET_ERROR, CM_DATASET_ERROR_SYNTAX);
      g_assert_null (o.dataset);
      g_assert_nonnull (strstr (o.error->message, "line 3"));
      opened_clear (&o);

      open_fixture ("channels.dot", &o);
      assert_counts (&o, "channels.dot", 4, 3);
      opened_clear (&o);
    }
}

/* ---- GEXF ----------------------------------------------------------------- */

static void
test_gexf_all_files (void)
{
  static const struct { const char *file; guint actors, links; } files[] = {
    { "gexf-spec-examples/WebAtlas_EuroSiS.gexf", 1285, 7524 },
    { "gexf-spec-examples/__dynamics.gexf", 87, 219 },
    { "gexf-spec-examples/basic.gexf", 2, 1 },
    { "gexf-spec-examples/data.gexf", 4, 5 },
    { "gexf-spec-examples/dynamics.gexf", 4, 5 },
    { "gexf-spec-examples/dynamics_edgeweight.gexf", 4, 5 },
    { "gexf-spec-examples/dynamics_openintervals.gexf", 2, 1 },
    { "gexf-spec-examples/hello-world.gexf", 2, 1 },
    { "gexf-spec-examples/hierarchy1.gexf", 10, 9 },
    { "gexf-spec-examples/hierarchy2.gexf", 7, 4 },
    { "gexf-spec-examples/hierarchy3.gexf", 7, 4 },
    { "gexf-spec-examples/hierarchy4.gexf", 7, 4 },
    /* 394 <node>s, one listed twice; 623 edges, two of them self-loops */
    { "gexf-spec-examples/photoviz-dynamic.gexf", 393, 621 },
    { "gexf-spec-examples/phylogeny.gexf", 3, 0 },
    { "gexf-spec-examples/simple.gexf", 2, 1 },
    { "gexf-spec-examples/viz-examples.gexf", 3, 3 },
    { "gexf-spec-examples/viz.gexf", 1, 0 },
    { "gexf-graphology-tests/edge_viz.gexf", 2, 1 },
    { "gexf-graphology-tests/liststring.gexf", 4, 5 },
    { "gexf-graphology-tests/minimal.gexf", 2, 1 },
    { "gexf-graphology-tests/missing_nodes.gexf", 6, 4 },
    { "gexf-graphology-tests/mixed.gexf", 3, 3 },
    { "gexf-graphology-tests/pedantic.gexf", 0, 0 },
    { "gexf-graphology-tests/undeclared_attribute.gexf", 2, 1 },
    { "gexf-graphology-tests/v1_3.gexf", 2, 1 },
    { "gephi-lite-samples/Power Grid.gexf", 4941, 6594 },
    { "gephi-lite-samples/Java.gexf", 1538, 8032 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;

      if (!open_shared (files[i].file, &o))
        return;
      g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GEXF);
      assert_counts (&o, files[i].file, files[i].actors, files[i].links);
      opened_clear (&o);
    }
}

static void
test_gexf_features (void)
{
  Opened o;
  CmLink *link;
  guint n;
  CmLink **links;
  gboolean some_directed = FALSE, some_undirected = FALSE;

  /* nesting: the parent is the group */
  if (!open_shared ("gexf-spec-examples/hierarchy1.gexf", &o))
    return;
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "c")), ==, "b");
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "b")), ==, "a");
  g_assert_null (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "a")));
  opened_clear (&o);

  /* pid given before the parent is listed */
  if (!open_shared ("gexf-spec-examples/hierarchy4.gexf", &o))
    return;
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "g")), ==, "e");
  g_assert_cmpuint (count_groups (o.dataset), ==, 6);
  opened_clear (&o);

  /* two parents: the first */
  if (!open_shared ("gexf-spec-examples/phylogeny.gexf", &o))
    return;
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "c")), ==, "a");
  g_assert_true (notes_contain (&o, "several parents"));
  opened_clear (&o);

  /* start/end and spells as the link's period */
  if (!open_shared ("gexf-spec-examples/dynamics.gexf", &o))
    return;
  link = cm_dataset_peek_links (o.dataset, &n)[1];
  g_assert_cmpstr (cm_link_get_from (link), ==, "2009-03-01");
  g_assert_cmpstr (cm_link_get_to (link), ==, "2009-03-10");
  g_assert_true (kept (cm_dataset_lookup_actor (o.dataset, "0"), "frog") != NULL);
  g_assert_true (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "0"), "frog")));
  g_assert_false (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "3"), "frog")));
  opened_clear (&o);

  /* integer times are no dates */
  if (!open_shared ("gexf-spec-examples/photoviz-dynamic.gexf", &o))
    return;
  g_assert_null (cm_link_get_from (cm_dataset_peek_links (o.dataset, NULL)[0]));
  opened_clear (&o);

  /* edge viz:shape dotted: absent */
  if (!open_shared ("gexf-graphology-tests/edge_viz.gexf", &o))
    return;
  g_assert_cmpint (cm_link_get_channel (cm_dataset_peek_links (o.dataset, NULL)[0]), ==, CM_CHANNEL_ABSENT);
  opened_clear (&o);

  /* a directed graph with one undirected edge */
  if (!open_shared ("gexf-graphology-tests/mixed.gexf", &o))
    return;
  links = cm_dataset_peek_links (o.dataset, &n);
  for (guint i = 0; i < n; i++)
    {
      some_directed = some_directed || cm_link_get_directed (links[i]);
      some_undirected = some_undirected || !cm_link_get_directed (links[i]);
    }
  g_assert_true (some_directed && some_undirected);
  opened_clear (&o);

  /* edges naming undeclared nodes */
  if (!open_shared ("gexf-graphology-tests/missing_nodes.gexf", &o))
    return;
  g_assert_true (notes_contain (&o, "named only by links"));
  opened_clear (&o);

  /* hex colours, undeclared attribute kept under its id */
  if (!open_shared ("gexf-graphology-tests/v1_3.gexf", &o))
    return;
  g_assert_nonnull (kept (cm_dataset_peek_actors (o.dataset, NULL)[0], "pipe"));
  opened_clear (&o);
  if (!open_shared ("gexf-graphology-tests/undeclared_attribute.gexf", &o))
    return;
  g_assert_nonnull (kept (cm_dataset_peek_actors (o.dataset, NULL)[0], "url"));
  opened_clear (&o);
}

/* ---- GraphML --------------------------------------------------------------- */

static void
test_graphml_all_files (void)
{
  static const struct { const char *file; guint actors, links; } files[] = {
    { "graphml-graphology-tests/attributes.graphml", 6, 7 },
    { "graphml-graphology-tests/basic.graphml", 11, 12 },
    { "graphml-graphology-tests/miserables_broken.graphml", 77, 254 },
    { "graphml-graphology-tests/missing_nodes.graphml", 51, 37 },
    { "graphml-graphology-tests/mixed_multigraph.graphml", 6, 8 },
    { "graphml-graphology-tests/multigraph.graphml", 6, 9 },
    { "graphml-igraph-tests/bug_2506_3.graphml", 0, 0 },
    { "graphml-igraph-tests/cattr_bool_bug.graphml", 10, 9 },
    { "graphml-igraph-tests/cattr_bool_bug2.graphml", 0, 0 },
    { "graphml-igraph-tests/test.graphml", 6, 7 },
    /* 4 edges, one a self-loop */
    { "graphml-igraph-tests/yfiles.graphml", 4, 3 },
    { "graphml-calpano-testdata/airportsAndCoord.graphml.xml", 3373, 13547 },
    { "graphml-calpano-testdata/flask-pulsar.graphml", 17, 11 },
    { "graphml-calpano-testdata/graph-nested.graphml", 2, 0 },
    { "graphml-calpano-testdata/graph-with-nested-ports.graphml", 2, 1 },
    { "graphml-calpano-testdata/graph1.graphml", 20, 30 },
    /* 2 edges + 2 hyperedges of 3 ends, 3 links each */
    { "graphml-calpano-testdata/graphml-key-data.graphml.xml", 6, 8 },
    { "graphml-calpano-testdata/kubernetes-ci-cd-process.graphml", 38, 26 },
    { "graphml-calpano-testdata/nested-sample-graph.graphml", 55, 50 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;

      if (!open_shared (files[i].file, &o))
        return;
      g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GRAPHML);
      assert_counts (&o, files[i].file, files[i].actors, files[i].links);
      opened_clear (&o);
    }
}

static void
test_graphml_features (void)
{
  Opened o;
  CmActor *a;
  CmLink *link;
  guint n;
  CmLink **links;
  guint n_directed = 0;

  /* key defaults */
  if (!open_shared ("graphml-graphology-tests/attributes.graphml", &o))
    return;
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_lookup_actor (o.dataset, "n1"), "color")), ==, "yellow");
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_lookup_actor (o.dataset, "n0"), "color")), ==, "green");
  opened_clear (&o);

  /* typed values: booleans whatever their case and blanks, defaults */
  if (!open_shared ("graphml-igraph-tests/test.graphml", &o))
    return;
  g_assert_true (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "n0"), "gender")));
  g_assert_true (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "n1"), "gender")));
  g_assert_false (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "n2"), "gender")));
  g_assert_false (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "n5"), "gender")));
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_lookup_actor (o.dataset, "n3"), "color")), ==,
                   "red \"with entities\"");
  g_assert_cmpfloat (cm_json_value_get_number (kept (cm_dataset_lookup_link (o.dataset, "e2"), "weight")), ==, 2.0);
  g_assert_true (notes_contain (&o, "declared for another kind of element"));
  opened_clear (&o);

  /* parallel edges kept, per-edge direction */
  if (!open_shared ("graphml-graphology-tests/mixed_multigraph.graphml", &o))
    return;
  links = cm_dataset_peek_links (o.dataset, &n);
  for (guint i = 0; i < n; i++)
    n_directed += cm_link_get_directed (links[i]) ? 1 : 0;
  g_assert_cmpuint (n_directed, >, 0);
  g_assert_cmpuint (n_directed, <, n);
  opened_clear (&o);

  /* undeclared keys: the labels are still read */
  if (!open_shared ("graphml-graphology-tests/miserables_broken.graphml", &o))
    return;
  g_assert_nonnull (actor_named (o.dataset, "Valjean"));
  opened_clear (&o);

  /* yFiles for HTML: labels and geometry */
  if (!open_shared ("graphml-igraph-tests/yfiles.graphml", &o))
    return;
  a = cm_dataset_lookup_actor (o.dataset, "n1");
  g_assert_cmpstr (cm_actor_get_name (a), ==, "Star");
  /* the centre of its RectD, (680, 435), scaled to the map's link length */
  g_assert_true (notes_contain (&o, "Positions were scaled by ×0.44 "));
  g_assert_cmpfloat (cm_actor_get_x (a), >, 0);
  g_assert_cmpfloat_with_epsilon (cm_actor_get_y (a) / cm_actor_get_x (a), 435.0 / 680, 1e-12);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n2")), ==, "őð中");
  opened_clear (&o);

  /* yEd: NodeLabel text and the geometry's centre, group nodes */
  if (!open_shared ("graphml-calpano-testdata/flask-pulsar.graphml", &o))
    return;
  a = cm_dataset_lookup_actor (o.dataset, "n0::n0");
  g_assert_cmpstr (cm_actor_get_name (a), ==, "Flask");
  g_assert_cmpstr (cm_actor_get_group (a), ==, "n0");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n0")), ==, "Research Data Services");
  g_assert_true (cm_actor_has_position (a));
  g_assert_true (notes_contain (&o, "nested graphs"));
  opened_clear (&o);

  if (!open_shared ("graphml-calpano-testdata/nested-sample-graph.graphml", &o))
    return;
  g_assert_true (notes_contain (&o, "11 nodes hold nested graphs"));
  g_assert_cmpuint (count_groups (o.dataset), >, 0);
  opened_clear (&o);

  if (!open_shared ("graphml-calpano-testdata/graph-nested.graphml", &o))
    return;
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (o.dataset, "node-nested")), ==, "node2-with-graph");
  opened_clear (&o);

  /* hyperedges flattened, ports ignored; every key type */
  if (!open_shared ("graphml-calpano-testdata/graphml-key-data.graphml.xml", &o))
    return;
  g_assert_true (notes_contain (&o, "2 hyperedges were flattened into 6 links"));
  g_assert_true (notes_contain (&o, "Ports were ignored"));
  a = cm_dataset_lookup_actor (o.dataset, "id--node1");
  g_assert_false (cm_json_value_get_boolean (kept (a, "name--key-graph-boolean")));
  g_assert_cmpfloat (cm_json_value_get_number (kept (a, "name--key-graph-long")), ==, 10);
  g_assert_cmpfloat (cm_json_value_get_number (kept (a, "name--key-graph-double")), ==, 1000.99);
  a = cm_dataset_lookup_actor (o.dataset, "id--node2");
  g_assert_true (cm_json_value_get_boolean (kept (a, "name--key-graph-boolean")));
  g_assert_cmpfloat (cm_json_value_get_number (kept (a, "name--key-graph-int")), ==, 2);
  /* in → out of a hyperedge is a directed link */
  link = cm_dataset_lookup_link (o.dataset, "id--node2-id--node1");
  g_assert_nonnull (link);
  g_assert_true (cm_link_get_directed (link));
  opened_clear (&o);

  /* scale: 3,373 airports */
  if (!open_shared ("graphml-calpano-testdata/airportsAndCoord.graphml.xml", &o))
    return;
  g_assert_cmpint (cm_json_value_get_value_type (kept (cm_dataset_peek_actors (o.dataset, NULL)[0], "lat")), ==, CM_JSON_NUMBER);
  opened_clear (&o);
}

static void
test_graphml_channels (void)
{
  Opened o;
  CmActor *ru;
  CmLink *said;

  open_fixture ("channels.graphml", &o);
  assert_counts (&o, "channels.graphml", 3, 3);
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "formal")), ==, CM_CHANNEL_ABSENT);
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "signals")), ==, CM_CHANNEL_INDIRECT);
  said = cm_dataset_lookup_link (o.dataset, "said");
  g_assert_cmpint (cm_link_get_channel (said), ==, CM_CHANNEL_DIRECT);
  g_assert_true (cm_link_get_directed (said));
  g_assert_cmpfloat (cm_json_value_get_number (kept (said, "weight")), ==, 3);
  g_assert_cmpfloat (cm_json_value_get_number (kept (cm_dataset_lookup_link (o.dataset, "formal"), "weight")), ==, 1.5);
  g_assert_cmpstr (cm_link_get_from (cm_dataset_lookup_link (o.dataset, "formal")), ==, "2022-02");
  g_assert_cmpstr (cm_link_get_topic (cm_dataset_lookup_link (o.dataset, "formal")), ==, "Ukraine");
  ru = cm_dataset_lookup_actor (o.dataset, "ru");
  g_assert_cmpstr (cm_actor_get_name (ru), ==, "Russia");
  g_assert_cmpint (cm_actor_get_kind (ru), ==, CM_ACTOR_KIND_STATE);
  g_assert_cmpint (cm_actor_get_kind (cm_dataset_lookup_actor (o.dataset, "ryabkov")), ==, CM_ACTOR_KIND_PERSON);
  g_assert_cmpfloat (cm_actor_get_x (ru), ==, -100);
  /* plain x/y keys: y up, as Gephi writes them */
  g_assert_cmpfloat (cm_actor_get_y (ru), ==, -20.5);
  g_assert_cmpfloat (cm_json_value_get_number (kept (ru, "population")), ==, 144000000);
  g_assert_true (cm_json_value_get_boolean (kept (cm_dataset_lookup_actor (o.dataset, "us"), "secret")));
  g_assert_false (cm_json_value_get_boolean (kept (ru, "secret")));
  g_assert_false (notes_contain (&o, "No channel kind"));
  opened_clear (&o);

  /* yEd line styles and arrows */
  open_fixture ("yed-styles.graphml", &o);
  assert_counts (&o, "yed-styles.graphml", 3, 3);
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "e0")), ==, CM_CHANNEL_ABSENT);
  g_assert_false (cm_link_get_directed (cm_dataset_lookup_link (o.dataset, "e0")));
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "e1")), ==, CM_CHANNEL_INDIRECT);
  g_assert_true (cm_link_get_directed (cm_dataset_lookup_link (o.dataset, "e1")));
  g_assert_cmpstr (cm_link_get_topic (cm_dataset_lookup_link (o.dataset, "e1")), ==, "public signals");
  /* an arrow at the source only: the link points the other way */
  g_assert_cmpstr (cm_link_get_source (cm_dataset_lookup_link (o.dataset, "e2")), ==, "n2");
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "e2")), ==, CM_CHANNEL_DIRECT);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n0")), ==, "Moscow");
  /* the centre of its geometry, (30, 35), scaled to the map's link length */
  g_assert_true (notes_contain (&o, "to the map's link length"));
  g_assert_cmpfloat_with_epsilon (cm_actor_get_y (cm_dataset_lookup_actor (o.dataset, "n0"))
                                  / cm_actor_get_x (cm_dataset_lookup_actor (o.dataset, "n0")), 35.0 / 30, 1e-12);
  opened_clear (&o);
}

/* Labels that are HTML draw their text: yFiles' markup labels and yEd's
 * "<html>" labels lose their tags (n3 of yfiles.graphml was named
 * "<p>regular <strong>bold</strong>…"); a name key is never HTML. */
static void
test_graphml_html_labels (void)
{
  static const char yed[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:y=\"http://www.yworks.com/xml/graphml\">\n"
    "  <key for=\"node\" id=\"d6\" yfiles.type=\"nodegraphics\"/>\n"
    "  <key for=\"node\" id=\"d1\" attr.name=\"name\" attr.type=\"string\"/>\n"
    "  <graph id=\"G\" edgedefault=\"directed\">\n"
    "    <node id=\"n0\"><data key=\"d6\"><y:ShapeNode><y:NodeLabel>&lt;html&gt;&lt;head&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;/head&gt;"
    "&lt;div style=\"color:red\"&gt;&lt;b&gt;NA&lt;/b&gt;TO &amp;amp; &lt;i&gt;partners&lt;/i&gt;&lt;br/&gt;since&amp;nbsp;1949\t"
    "&amp;#8211;  today&lt;/div&gt;&lt;/html&gt;</y:NodeLabel></y:ShapeNode></data></node>\n"
    "    <node id=\"n1\"><data key=\"d6\"><y:ShapeNode><y:NodeLabel>a &lt; b</y:NodeLabel></y:ShapeNode></data></node>\n"
    "    <node id=\"n2\"><data key=\"d1\">&lt;b&gt;kept&lt;/b&gt;</data></node>\n"
    "  </graph>\n"
    "</graphml>\n";
  Opened o = { 0 };

  if (!open_shared ("graphml-igraph-tests/yfiles.graphml", &o))
    return;
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n3")), ==, "regular bold italic newline");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n0")), ==, "Top left rounded rectangle");
  g_assert_true (notes_contain (&o, "1 label is HTML"));
  opened_clear (&o);

  o.dataset = cm_dataset_open_data ("html.graphml", yed, sizeof yed - 1, &o.format, &o.notes, &o.problems, &o.error);
  print_opened ("inline yEd", &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n0")), ==,
                   "NATO & partners since 1949 – today");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n1")), ==, "a < b");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "n2")), ==, "<b>kept</b>");
  opened_clear (&o);

  /* a Graphviz HTML label in a Latin-1 file: the bytes read as Latin-1,
   * then the entities decoded */
  {
    static const char dot[] = "graph { charset=latin1; a [label=<<b>Jos\xe9</b> &eacute;t&eacute;&nbsp;&amp;\tx>]; a -- b }";

    o.dataset = cm_dataset_open_data ("latin1.dot", dot, sizeof dot - 1, &o.format, &o.notes, &o.problems, &o.error);
    g_assert_no_error (o.error);
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "a")), ==, "José été & x");
    opened_clear (&o);
  }

  /* and Graphviz's tabs in a record label (b545.dot) are one space */
  if (!open_shared ("dot-pydot-tests/b545.dot", &o))
    return;
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "N11")), ==, "WFSt | 1571 as Ref: 1338 D");
  opened_clear (&o);
}

/* ---- CSV, GML, node-link fixtures ----------------------------------------- */

static void
test_csv_channels (void)
{
  Opened o;
  CmLink *link;

  open_fixture ("channels.csv", &o);
  assert_counts (&o, "channels.csv", 3, 3);
  link = cm_dataset_lookup_link (o.dataset, "Moscow-Washington");
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_ABSENT);
  g_assert_cmpstr (cm_link_get_from (link), ==, "2022-02");
  g_assert_cmpstr (cm_link_get_topic (link), ==, "Ukraine");
  g_assert_cmpstr (cm_json_value_get_string (kept (link, "note")), ==, "no formal line; \"none\" at all");
  link = cm_dataset_lookup_link (o.dataset, "Moscow-Washington-2");
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_INDIRECT);
  g_assert_cmpstr (cm_json_value_get_string (kept (link, "note")), ==, "signals\nthrough briefings");
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "Washington-Bucharest")), ==, CM_CHANNEL_DIRECT);
  g_assert_true (notes_contain (&o, "1 link from an actor to itself"));
  opened_clear (&o);
}

static Opened
open_inline (const char *name,
             const char *text)
{
  Opened o = { 0 };

  o.dataset = cm_dataset_open_data (name, text, strlen (text), &o.format, &o.notes, &o.problems, &o.error);
  print_opened (name, &o);
  return o;
}

static void
test_csv_dialects (void)
{
  Opened o;
  CmLink *link;

  /* Kumu's From,To; Gephi's Type column; tabs */
  o = open_inline ("kumu.tsv", "From\tTo\tType\tChannel\nAlice\tBob\tDirected\tindirect\nBob\tCarol\tUndirected\t\n");
  g_assert_no_error (o.error);
  g_assert_cmpuint (cm_dataset_get_n_links (o.dataset), ==, 2);
  link = cm_dataset_lookup_link (o.dataset, "Alice-Bob");
  g_assert_true (cm_link_get_directed (link));
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_INDIRECT);
  g_assert_false (cm_link_get_directed (cm_dataset_lookup_link (o.dataset, "Bob-Carol")));
  g_assert_true (notes_contain (&o, "1 link of 2 has no channel kind"));
  opened_clear (&o);

  /* source,target beside from,to: those are dates; a BOM; CRLF */
  o = open_inline ("dated.csv", "\xEF\xBB\xBFsource,target,from,to,mechanism\r\na,b,2020-01-02,2021,briefings\r\n");
  g_assert_no_error (o.error);
  link = cm_dataset_lookup_link (o.dataset, "a-b");
  g_assert_nonnull (link);
  g_assert_cmpstr (cm_link_get_from (link), ==, "2020-01-02");
  g_assert_cmpstr (cm_link_get_to (link), ==, "2021");
  g_assert_cmpstr (cm_link_get_mechanism (link), ==, "briefings");
  opened_clear (&o);

  /* node1,node2 with semicolons and quoted separators */
  o = open_inline ("pairs.csv", "node1;node2;weight\n\"Smith; John\";\"O\"\"Brien\";2\n");
  g_assert_no_error (o.error);
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "Smith; John"));
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "O\"Brien"));
  g_assert_cmpint (cm_json_value_get_value_type (kept (cm_dataset_peek_links (o.dataset, NULL)[0], "weight")), ==, CM_JSON_NUMBER);
  opened_clear (&o);

  /* a Gephi node table alone: actors, no links */
  o = open_inline ("nodes.csv", "Id,Label,kind\n1,Russia,state\n2,Sergei Ryabkov,person\n");
  g_assert_no_error (o.error);
  g_assert_cmpuint (cm_dataset_get_n_actors (o.dataset), ==, 2);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "2")), ==, "Sergei Ryabkov");
  g_assert_cmpint (cm_actor_get_kind (cm_dataset_lookup_actor (o.dataset, "2")), ==, CM_ACTOR_KIND_PERSON);
  g_assert_true (notes_contain (&o, "table of actors"));
  opened_clear (&o);

  /* codes with leading zeros stay text, in a column of numbers */
  o = open_inline ("codes.csv", "source,target,code,weight\na,b,010,1.5\nb,c,12,2\n");
  g_assert_no_error (o.error);
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_peek_links (o.dataset, NULL)[0], "code")), ==, "010");
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_peek_links (o.dataset, NULL)[1], "code")), ==, "12");
  g_assert_cmpfloat (cm_json_value_get_number (kept (cm_dataset_peek_links (o.dataset, NULL)[0], "weight")), ==, 1.5);
  opened_clear (&o);

  /* the CAMEO codebook: a table of 312 codes, no links, said so; "010"
   * is not the number 10 */
  if (!open_shared ("cameo-codebook/cameo-codes.csv", &o))
    return;
  assert_counts (&o, "cameo-codes.csv", 312, 0);
  g_assert_true (notes_contain (&o, "there are no links"));
  g_assert_cmpstr (cm_json_value_get_string (kept (cm_dataset_lookup_actor (o.dataset, "Make statement"), "code")), ==, "010");
  g_assert_cmpfloat (cm_json_value_get_number (kept (cm_dataset_lookup_actor (o.dataset, "Decline comment"), "goldstein")), ==, -0.1);
  opened_clear (&o);

  /* an empty end is a problem, with its row and column */
  o = open_inline ("holes.csv", "source,target\na,b\nc,\n");
  check_refused ("holes.csv", &o, CM_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (o.error->message, "row 3, column “target”"));
  opened_clear (&o);

  /* Windows-1252 text */
  o = open_inline ("latin.csv", "source,target\nJos\xE9,Fran\xE7ois\n");
  g_assert_no_error (o.error);
  g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, "José"));
  g_assert_true (notes_contain (&o, "Windows-1252"));
  opened_clear (&o);
}

static void
test_gml_features (void)
{
  Opened o;
  CmActor *a;

  open_fixture ("gml-entities.gml", &o);
  assert_counts (&o, "gml-entities.gml", 2, 2);
  g_assert_cmpstr (cm_dataset_get_title (o.dataset), ==, "Tom & Jerry");
  a = cm_dataset_lookup_actor (o.dataset, "0");
  g_assert_cmpstr (cm_actor_get_name (a), ==, "Café ☺ \"x\"");
  g_assert_cmpfloat (cm_actor_get_x (a), ==, 1.5);
  g_assert_cmpfloat (cm_actor_get_y (a), ==, -2);
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "0-1")), ==, CM_CHANNEL_INDIRECT);
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "1-0")), ==, CM_CHANNEL_ABSENT);
  g_assert_true (cm_link_get_directed (cm_dataset_lookup_link (o.dataset, "0-1")));
  g_assert_cmpfloat (cm_json_value_get_number (kept (cm_dataset_lookup_link (o.dataset, "0-1"), "weight")), ==, 4);
  opened_clear (&o);
}

static void
test_node_link (void)
{
  Opened o;

  open_fixture ("node-link.json", &o);
  assert_counts (&o, "node-link.json", 3, 2);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_NODE_LINK_JSON);
  g_assert_cmpstr (cm_dataset_get_title (o.dataset), ==, "Small");
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "a")), ==, "Alpha");
  g_assert_cmpint (cm_actor_get_kind (cm_dataset_lookup_actor (o.dataset, "a")), ==, CM_ACTOR_KIND_STATE);
  g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "2")), ==, "Beta");
  g_assert_cmpint (cm_link_get_channel (cm_dataset_lookup_link (o.dataset, "a-2")), ==, CM_CHANNEL_INDIRECT);
  g_assert_true (cm_link_get_directed (cm_dataset_lookup_link (o.dataset, "a-2")));
  g_assert_cmpstr (cm_link_get_from (cm_dataset_lookup_link (o.dataset, "2-c")), ==, "1577");
  g_assert_true (notes_contain (&o, "1 link of 2 has no channel kind"));
  opened_clear (&o);
}

/* ---- GDELT ---------------------------------------------------------------- */

static void
test_gdelt (void)
{
  Opened o;
  gint64 start;
  guint n, quotes[CM_N_CHANNELS] = { 0 };
  CmLink **links;
  CmActor *saugov;

  start = g_get_monotonic_time ();
  if (!open_shared ("event-data-gdelt/events2samps.csv", &o))
    return;
  g_test_message ("GDELT sample (6,090 events): imported in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (o.error);
  g_assert_nonnull (o.dataset);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GDELT);

  /* all three kinds */
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_DIRECT), >, 0);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_INDIRECT), >, 0);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_ABSENT), >, 0);

  links = cm_dataset_peek_links (o.dataset, &n);
  for (guint i = 0; i < n; i++)
    {
      GListModel *list = cm_link_get_quotes (links[i]);
      guint nq = g_list_model_get_n_items (list);

      g_assert_cmpuint (nq, >, 0);
      g_assert_false (cm_link_get_directed (links[i]));
      quotes[cm_link_get_channel (links[i])] += nq;
      if (cm_link_get_channel (links[i]) == CM_CHANNEL_INDIRECT)
        g_assert_cmpstr (cm_link_get_mechanism (links[i]), ==, "reported statements");
      for (guint q = 0; q < nq; q++)
        {
          g_autoptr(CmQuote) quote = g_list_model_get_item (list, q);

          g_assert_nonnull (cm_quote_get_url (quote));
          g_assert_nonnull (cm_dataset_lookup_source (o.dataset, cm_quote_get_source (quote)));
          g_assert_true (cm_date_is_valid (cm_quote_get_date (quote)));
          g_assert_nonnull (cm_dataset_lookup_actor (o.dataset, cm_quote_get_speaker (quote)));
        }
    }
  /* CHANNELS.md: 983 direct events among the 3,911 with both actors, two
   * of them an actor with itself; absent: 160 ×16, 161 ×13, 125 ×9, 164 and
   * 166 once each (162 is aid, not communication) */
  g_assert_cmpuint (quotes[CM_CHANNEL_DIRECT], ==, 981);
  g_assert_cmpuint (quotes[CM_CHANNEL_ABSENT], ==, 40);
  g_assert_cmpuint (quotes[CM_CHANNEL_INDIRECT], >, 873);

  /* actors written several ways, one per CAMEO code */
  saugov = cm_dataset_lookup_actor (o.dataset, "SAUGOV");
  g_assert_nonnull (saugov);
  g_assert_cmpstr (cm_actor_get_group (saugov), ==, "SAU");
  g_assert_cmpint (cm_actor_get_kind (saugov), ==, CM_ACTOR_KIND_ORGANIZATION);
  g_assert_cmpint (cm_actor_get_kind (cm_dataset_lookup_actor (o.dataset, "SAU")), ==, CM_ACTOR_KIND_STATE);
  g_assert_true (notes_contain (&o, "not proof"));
  g_assert_true (notes_contain (&o, "left out"));

  /* GDELT names 73 of its actors by a root they share ("KENYA" for KEN,
   * KENCOP, KENHLH, KENMED, KENBUS, KENLEG; "UNITED STATES" for fifteen
   * codes): the CAMEO roles in the codes tell them apart */
  {
    CmActor **actors = cm_dataset_peek_actors (o.dataset, &n);
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
    guint n_united_states = 0;

    for (guint i = 0; i < n; i++)
      {
        const char *name = cm_actor_get_name (actors[i]);

        if (g_hash_table_contains (names, name))
          g_test_fail_printf ("two actors are named “%s”: %s and %s", name,
                              (const char *) g_hash_table_lookup (names, name), cm_actor_get_id (actors[i]));
        g_hash_table_insert (names, (gpointer) name, (gpointer) cm_actor_get_id (actors[i]));
        if (g_str_has_prefix (name, "UNITED STATES"))
          n_united_states++;
      }
    g_assert_cmpuint (n_united_states, ==, 15);
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "KEN")), ==, "KENYA");
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "KENCOP")), ==, "KENYA (police)");
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "KENHLH")), ==, "KENYA (health)");
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "KENLEG")), ==, "KENYA (legislature)");
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "CANGOVMIL")), ==,
                     "CANADA (government, military)");
    /* no type column: the role from the code */
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "USAPTY")), ==,
                     "UNITED STATES (political party)");
    g_assert_cmpstr (cm_actor_get_role (cm_dataset_lookup_actor (o.dataset, "USAPTY")), ==, "political party");
    /* a name no other actor has is left alone */
    g_assert_cmpstr (cm_actor_get_name (cm_dataset_lookup_actor (o.dataset, "USAGOV")), ==, "THE WHITE HOUSE");
  }
  opened_clear (&o);
}

static void
test_gdelt_quote_text (void)
{
  /* 125 is "Reject proposal to meet" in CAMEO; gdeltPyR's description
   * column says "Reject mediation" — the codebook wins, and it is absent */
  static const char data[] =
    "GLOBALEVENTID,SQLDATE,Actor1Code,Actor1Name,Actor2Code,Actor2Name,EventCode,CAMEOCodeDescription,SOURCEURL\n"
    "1,20221129,RUS,RUSSIA,USA,UNITED STATES,125,Reject mediation,https://tass.com/a\n"
    "2,20221129,USA,UNITED STATES,RUS,RUSSIA,042,Make a visit,https://www.example.org/b\n"
    "3,20221130,RUS,RUSSIA,USA,UNITED STATES,043,Host a visit,https://tass.com/a\n"
    "4,20221130,RUS,RUSSIA,USA,UNITED STATES,190,Use force,https://tass.com/c\n"
    "4,20221130,RUS,RUSSIA,USA,UNITED STATES,190,Use force,https://tass.com/c\n";
  Opened o = { 0 };
  CmLink *absent = NULL, *direct = NULL;
  guint n;
  CmLink **links;
  g_autoptr(CmQuote) quote = NULL;

  o.dataset = cm_dataset_open_data ("events.csv", data, sizeof data - 1, &o.format, &o.notes, &o.problems, &o.error);
  print_opened ("inline GDELT", &o);
  g_assert_no_error (o.error);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GDELT);
  links = cm_dataset_peek_links (o.dataset, &n);
  g_assert_cmpuint (n, ==, 2);
  for (guint i = 0; i < n; i++)
    {
      if (cm_link_get_channel (links[i]) == CM_CHANNEL_ABSENT)
        absent = links[i];
      if (cm_link_get_channel (links[i]) == CM_CHANNEL_DIRECT)
        direct = links[i];
    }
  g_assert_nonnull (absent);
  g_assert_nonnull (direct);
  quote = g_list_model_get_item (cm_link_get_quotes (absent), 0);
  g_assert_nonnull (strstr (cm_quote_get_text (quote), "Reject proposal to meet, discuss, or negotiate"));
  g_assert_cmpstr (cm_quote_get_date (quote), ==, "2022-11-29");
  /* 042 A→B and 043 B→A: one undirected link, two quotes */
  g_assert_cmpuint (cm_link_get_n_quotes (direct), ==, 2);
  g_assert_cmpstr (cm_link_get_from (direct), ==, "2022-11-29");
  g_assert_cmpstr (cm_link_get_to (direct), ==, "2022-11-30");
  /* one source per URL, titled by its host */
  g_assert_cmpuint (cm_dataset_get_n_actors (o.dataset), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (cm_dataset_get_sources (o.dataset)), ==, 2);
  g_assert_true (notes_contain (&o, "1 event is listed twice"));
  g_assert_true (notes_contain (&o, "1 event of another kind"));
  opened_clear (&o);
}

static void
test_gdelt_raw_export (void)
{
  /* a GDELT 2.0 export as downloaded: tab-separated, 61 columns, no header */
  g_autoptr(GString) data = g_string_new (NULL);
  Opened o = { 0 };
  CmLink *link;

  for (guint row = 0; row < 2; row++)
    {
      const char *fields[61] = { NULL };

      fields[0] = row == 0 ? "1000" : "1001";
      fields[1] = "20170701";
      fields[5] = row == 0 ? "USA" : "RUS";
      fields[6] = row == 0 ? "UNITED STATES" : "RUSSIA";
      fields[15] = row == 0 ? "RUS" : "USA";
      fields[16] = row == 0 ? "RUSSIA" : "UNITED STATES";
      fields[26] = row == 0 ? "161" : "036";
      fields[59] = "20170701234500";
      fields[60] = "https://example.com/article";
      for (guint i = 0; i < 61; i++)
        g_string_append_printf (data, "%s%s", i > 0 ? "\t" : "", fields[i] != NULL ? fields[i] : "");
      g_string_append_c (data, '\n');
    }
  o.dataset = cm_dataset_open_data ("20170701234500.export.CSV", data->str, data->len,
                                    &o.format, &o.notes, &o.problems, &o.error);
  print_opened ("raw GDELT", &o);
  g_assert_no_error (o.error);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_GDELT);
  g_assert_cmpint (cm_file_format_detect (NULL, data->str, data->len), ==, CM_FILE_FORMAT_GDELT);
  g_assert_cmpuint (cm_dataset_get_n_links (o.dataset), ==, 2);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_ABSENT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_INDIRECT), ==, 1);
  link = cm_dataset_peek_links (o.dataset, NULL)[0];
  g_assert_cmpstr (cm_source_get_title (cm_dataset_lookup_source (o.dataset, "gdelt-source-1")), ==, "example.com");
  g_assert_cmpstr (cm_source_get_date (cm_dataset_lookup_source (o.dataset, "gdelt-source-1")), ==, "2017-07-01");
  g_assert_cmpuint (cm_link_get_n_quotes (link), ==, 1);
  opened_clear (&o);
}

/* ---- Errors --------------------------------------------------------------- */

static void
check_refused (const char *what,
               Opened     *o,
               int         code)
{
  g_assert_null (o->dataset);
  if (o->error == NULL)
    {
      g_test_fail_printf ("%s opened, but should not", what);
      return;
    }
  g_assert_error (o->error, CM_DATASET_ERROR, code);
  g_assert_cmpuint (strlen (o->error->message), >, 10);
  g_assert_nonnull (o->problems);
  g_assert_cmpuint (o->problems->len, >, 0);
}

static void
test_malformed_shared (void)
{
  static const struct { const char *file; int code; } files[] = {
    { "graphml-igraph-tests/invalid1.graphml", CM_DATASET_ERROR_SYNTAX },
    { "graphml-igraph-tests/invalid2.graphml", CM_DATASET_ERROR_INVALID },
    { "graphml-igraph-tests/invalid3.graphml", CM_DATASET_ERROR_SYNTAX },
    { "graphml-igraph-tests/invalid4.graphml", CM_DATASET_ERROR_SYNTAX },
    { "graphml-igraph-tests/invalid5.graphml", CM_DATASET_ERROR_SYNTAX },
    { "graphml-igraph-tests/invalid6.graphml", CM_DATASET_ERROR_SYNTAX },
    { "graphml-igraph-tests/bug_1970.graphml", CM_DATASET_ERROR_INVALID },
    { "event-data-gdelt/mentionssamp.csv", CM_DATASET_ERROR_NOT_DATASET },
    { "event-data-gdelt/cameoCodes.json", CM_DATASET_ERROR_NOT_DATASET },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;

      if (!open_shared (files[i].file, &o))
        return;
      check_refused (files[i].file, &o, files[i].code);
      opened_clear (&o);
    }
}

static void
test_malformed_fixtures (void)
{
  static const struct { const char *file; int code; const char *words; } files[] = {
    { "empty.gexf", CM_DATASET_ERROR_SYNTAX, "empty" },
    { "blank.csv", CM_DATASET_ERROR_SYNTAX, "empty" },
    { "truncated.gexf", CM_DATASET_ERROR_SYNTAX, "line 6" },
    { "unclosed.gml", CM_DATASET_ERROR_SYNTAX, "line 5" },
    { "unterminated.csv", CM_DATASET_ERROR_SYNTAX, "row 3" },
    { "syntax-error.dot", CM_DATASET_ERROR_SYNTAX, "line 3" },
    { "not-graphml.graphml", CM_DATASET_ERROR_NOT_DATASET, "<html>" },
    { "gdelt-missing-columns.csv", CM_DATASET_ERROR_INVALID, "Actor1Name" },
    { "node-link-broken.json", CM_DATASET_ERROR_INVALID, "$.links[2].source" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      Opened o;

      open_fixture (files[i].file, &o);
      check_refused (files[i].file, &o, files[i].code);
      if (o.error != NULL && strstr (o.error->message, files[i].words) == NULL)
        g_test_fail_printf ("%s: “%s” does not say “%s”", files[i].file, o.error->message, files[i].words);
      opened_clear (&o);
    }
}

static void
test_garbage_never_crashes (void)
{
  /* every prefix of a few files, and bytes flipped: an error or a map,
   * never a crash (the sanitizer build checks the rest) */
  static const char *const names[] = { "channels.graphml", "channels.dot", "gml-entities.gml",
                                       "channels.csv", "node-link.json", "yed-styles.graphml" };
  GRand *rand = g_rand_new_with_seed (42);

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *path = fixture_path (names[f]);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      for (gsize cut = 0; cut <= length; cut += 7)
        {
          g_autofree char *copy = g_memdup2 (contents, length);
          Opened o = { 0 };

          if (cut > 0 && cut < length)
            copy[g_rand_int_range (rand, 0, (gint32) cut)] = (char) g_rand_int_range (rand, 0, 256);
          o.dataset = cm_dataset_open_data (names[f], copy, cut, &o.format, &o.notes, &o.problems, &o.error);
          g_assert_true ((o.dataset != NULL) != (o.error != NULL));
          opened_clear (&o);
        }
    }
  g_rand_free (rand);
}

static void
test_limits (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.graphml", NULL);
  Opened o;
  int fd;

  /* a sparse file over the limit is refused before it is read */
  fd = g_open (path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) CM_DATASET_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);
  open_path (path, &o);
  check_refused ("huge.graphml", &o, CM_DATASET_ERROR_LIMIT);
  g_assert_nonnull (strstr (o.error->message, "256 MiB"));
  opened_clear (&o);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_actor_limit (void)
{
  GString *csv = g_string_new ("id\n");
  Opened o = { 0 };

  if (!g_test_slow ())
    {
      g_test_skip ("slow: run with -m slow");
      g_string_free (csv, TRUE);
      return;
    }
  for (guint i = 0; i <= CM_DATASET_MAX_ACTORS; i++)
    g_string_append_printf (csv, "a%u\n", i);
  o.dataset = cm_dataset_open_data ("actors.csv", csv->str, csv->len, &o.format, &o.notes, &o.problems, &o.error);
  check_refused ("actors.csv", &o, CM_DATASET_ERROR_LIMIT);
  opened_clear (&o);
  g_string_free (csv, TRUE);
}

static void
test_cancel (void)
{
  g_autofree char *path = fixture_path ("channels.graphml");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CmDataset *dataset;

  g_cancellable_cancel (cancellable);
  dataset = cm_dataset_open_file (file, cancellable, NULL, NULL, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/dir/map.graphml");
  g_autoptr(GError) error = NULL;
  CmFileFormat format = CM_FILE_FORMAT_UNKNOWN;

  g_assert_null (cm_dataset_open_file (file, NULL, &format, NULL, NULL, &error));
  g_assert_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO);
  g_assert_cmpint (format, ==, CM_FILE_FORMAT_GRAPHML);
}

/* ---- Threads ----------------------------------------------------------- */

static gpointer
open_many_cb (gpointer data)
{
  static const char *const names[] = { "channels.dot", "syntax-error.dot", "channels.graphml",
                                       "channels.csv", "gml-entities.gml" };
  guint failures = 0;

  for (guint round = 0; round < 20; round++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = fixture_path (names[i]);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        g_autoptr(CmDataset) dataset = cm_dataset_open_file (file, NULL, NULL, NULL, NULL, &error);
        gboolean should_fail = strcmp (names[i], "syntax-error.dot") == 0;

        if ((dataset == NULL) != should_fail)
          failures++;
        if (dataset != NULL && strcmp (names[i], "channels.dot") == 0
            && cm_dataset_get_n_actors (dataset) != 4)
          failures++;
      }
  return GUINT_TO_POINTER (failures);
}

static void
test_threads (void)
{
  GThread *threads[4];
  guint failures = 0;

  /* cgraph is not thread-safe; the importer serialises it */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("import", open_many_cb, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    failures += GPOINTER_TO_UINT (g_thread_join (threads[i]));
  g_assert_cmpuint (failures, ==, 0);
}

/* ---- Detection -------------------------------------------------------------- */

static void
test_detect (void)
{
  static const struct { const char *name; const char *data; CmFileFormat format; } cases[] = {
    /* by extension, when there is nothing to look at */
    { "a.graphml", NULL, CM_FILE_FORMAT_GRAPHML },
    { "a.GraphML", NULL, CM_FILE_FORMAT_GRAPHML },
    { "airports.graphml.xml", NULL, CM_FILE_FORMAT_GRAPHML },
    { "a.gexf", NULL, CM_FILE_FORMAT_GEXF },
    { "a.gml", NULL, CM_FILE_FORMAT_GML },
    { "a.csv", NULL, CM_FILE_FORMAT_CSV },
    { "a.tsv", NULL, CM_FILE_FORMAT_CSV },
    { "a.dot", NULL, CM_FILE_FORMAT_DOT },
    { "a.gv", NULL, CM_FILE_FORMAT_DOT },
    { "20170701.export.CSV", NULL, CM_FILE_FORMAT_GDELT },
    { "a.json", NULL, CM_FILE_FORMAT_CHANNEL_MAP },
    { "a.png", NULL, CM_FILE_FORMAT_UNKNOWN },
    { NULL, NULL, CM_FILE_FORMAT_UNKNOWN },
    /* by content, whatever the name says */
    { "graph.txt", "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"/>", CM_FILE_FORMAT_GRAPHML },
    { "graph.csv", "\xEF\xBB\xBF<?xml version=\"1.0\"?><gexf version=\"1.3\"/>", CM_FILE_FORMAT_GEXF },
    { NULL, "<y:graphml xmlns:y=\"http://graphml.graphdrawing.org/xmlns\"/>", CM_FILE_FORMAT_GRAPHML },
    { "graph.txt", "// comment\nstrict digraph \"G\" { a -> b }", CM_FILE_FORMAT_DOT },
    { NULL, "/* c */ graph { a -- b }", CM_FILE_FORMAT_DOT },
    { "graph.txt", "Creator \"me\"\ngraph\n[\n node [ id 1 ]\n]\n", CM_FILE_FORMAT_GML },
    { NULL, "# comment\ngraph [ directed 0 ]", CM_FILE_FORMAT_GML },
    { "events.csv", "GLOBALEVENTID,SQLDATE,Actor1Code,Actor1Name\n", CM_FILE_FORMAT_GDELT },
    { "map.json", "{\"format\": \"channel-map\", \"version\": 1, \"actors\": []}", CM_FILE_FORMAT_CHANNEL_MAP },
    { "graph.json", "{\"directed\": false, \"nodes\": [], \"links\": []}", CM_FILE_FORMAT_NODE_LINK_JSON },
    { "other.json", "{\"anything\": 1}", CM_FILE_FORMAT_CHANNEL_MAP },
    { NULL, "source,target\na,b\nb,c\n", CM_FILE_FORMAT_CSV },
    { "edges.txt", "1 2\n2 3\n3 1\n", CM_FILE_FORMAT_CSV },
    { "notes.md", "# Title\n\nSome prose, with a comma.\nAnd more text here\n", CM_FILE_FORMAT_UNKNOWN },
    { NULL, "\x89PNG\r\n\x1a\n\0\0\0", CM_FILE_FORMAT_UNKNOWN },
    /* an empty file: the name decides */
    { "empty.gexf", "", CM_FILE_FORMAT_GEXF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].data != NULL ? strlen (cases[i].data) : 0;
      CmFileFormat got;

      if (cases[i].data != NULL && cases[i].data[0] == '\x89')
        length = 11;
      got = cm_file_format_detect (cases[i].name, cases[i].data, length);
      if (got != cases[i].format)
        g_test_fail_printf ("case %u (%s): detected %s, expected %s", i,
                            cases[i].name != NULL ? cases[i].name : "no name",
                            cm_file_format_get_name (got), cm_file_format_get_name (cases[i].format));
    }

  for (int f = CM_FILE_FORMAT_CHANNEL_MAP; f < CM_N_FILE_FORMATS; f++)
    {
      const char * const *patterns = cm_file_format_get_patterns (f);

      g_assert_nonnull (cm_file_format_get_name (f));
      g_assert_nonnull (patterns);
      g_assert_nonnull (patterns[0]);
      g_assert_true (g_str_has_prefix (patterns[0], "*."));
    }
  g_assert_null (cm_file_format_get_patterns (CM_FILE_FORMAT_UNKNOWN)[0]);
  g_assert_true (g_strv_contains (cm_file_format_get_all_patterns (), "*.graphml"));
  g_assert_true (g_strv_contains (cm_file_format_get_all_patterns (), "*.dot"));
}

static void
test_native_passthrough (void)
{
  static const char data[] = "{\"format\": \"channel-map\", \"version\": 1, \"actors\": ["
                             "{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"b\", \"name\": \"B\"}],"
                             " \"links\": [{\"source\": \"a\", \"target\": \"b\", \"channel\": \"absent\"}]}";
  static const char broken[] = "{\"format\": \"channel-map\", \"version\": 1, \"actors\": [], "
                               "\"links\": [{\"source\": \"a\", \"target\": \"b\", \"channel\": \"absent\"}]}";
  Opened o = { 0 };

  o.dataset = cm_dataset_open_data ("map.json", data, sizeof data - 1, &o.format, &o.notes, &o.problems, &o.error);
  g_assert_no_error (o.error);
  g_assert_cmpint (o.format, ==, CM_FILE_FORMAT_CHANNEL_MAP);
  g_assert_cmpuint (cm_dataset_count_links (o.dataset, CM_CHANNEL_ABSENT), ==, 1);
  opened_clear (&o);

  o.dataset = cm_dataset_open_data ("map.json", broken, sizeof broken - 1, &o.format, &o.notes, &o.problems, &o.error);
  g_assert_error (o.error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID);
  opened_clear (&o);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/detect", test_detect);
  g_test_add_func ("/import/native-passthrough", test_native_passthrough);
  g_test_add_func ("/import/lesmis/all-formats", test_lesmis_all_formats);
  g_test_add_func ("/import/lesmis/viz", test_lesmis_viz);
  g_test_add_func ("/import/positions/scaled", test_positions_scaled);
  g_test_add_func ("/import/positions/orientation", test_positions_orientation);
  g_test_add_func ("/import/karate", test_karate);
  g_test_add_func ("/import/csv/email-eu-core", test_email_eu_core);
  g_test_add_func ("/import/csv/quakers", test_quakers);
  g_test_add_func ("/import/csv/data-reads-no-companion", test_quakers_data_reads_no_companion);
  g_test_add_func ("/import/csv/journals", test_journals);
  g_test_add_func ("/import/csv/channels", test_csv_channels);
  g_test_add_func ("/import/csv/dialects", test_csv_dialects);
  g_test_add_func ("/import/political", test_political);
  g_test_add_func ("/import/dot/all-files", test_dot_all_files);
  g_test_add_func ("/import/dot/features", test_dot_features);
  g_test_add_func ("/import/dot/channels", test_dot_channels);
  g_test_add_func ("/import/dot/error-then-good", test_dot_error_then_good);
  g_test_add_func ("/import/gexf/all-files", test_gexf_all_files);
  g_test_add_func ("/import/gexf/features", test_gexf_features);
  g_test_add_func ("/import/graphml/all-files", test_graphml_all_files);
  g_test_add_func ("/import/graphml/features", test_graphml_features);
  g_test_add_func ("/import/graphml/channels", test_graphml_channels);
  g_test_add_func ("/import/graphml/html-labels", test_graphml_html_labels);
  g_test_add_func ("/import/gml/features", test_gml_features);
  g_test_add_func ("/import/node-link", test_node_link);
  g_test_add_func ("/import/gdelt/sample", test_gdelt);
  g_test_add_func ("/import/gdelt/quote-text", test_gdelt_quote_text);
  g_test_add_func ("/import/gdelt/raw-export", test_gdelt_raw_export);
  g_test_add_func ("/import/errors/shared", test_malformed_shared);
  g_test_add_func ("/import/errors/fixtures", test_malformed_fixtures);
  g_test_add_func ("/import/errors/garbage", test_garbage_never_crashes);
  g_test_add_func ("/import/errors/missing-file", test_missing_file);
  g_test_add_func ("/import/limits/file-size", test_limits);
  g_test_add_func ("/import/limits/actors", test_actor_limit);
  g_test_add_func ("/import/cancel", test_cancel);
  g_test_add_func ("/import/threads", test_threads);

  return g_test_run ();
}
