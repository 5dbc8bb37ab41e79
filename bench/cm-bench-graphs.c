/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cm-bench-graphs.h"

/* Each family stands for a kind of file people bring to the app:
 *
 *  scale-free   event data and social networks: a few hubs with hundreds
 *               of links, most actors with two or three (Barabási–Albert,
 *               m = 2, so the mean degree is 4);
 *  communities  coalitions and blocs: dense groups of 20–80 actors with
 *               sparse links between them (stochastic block model, mean
 *               degree 6 inside a group and 1 across);
 *  geometric    regional networks where neighbours talk to neighbours
 *               (random geometric graph, mean degree 6): long paths, the
 *               shape a good layout must unfold;
 *  diplomatic   what the app is for: states, their ministries and the
 *               people in them (a tree of `group`s, drawn as direct
 *               links too), international organizations and media, and
 *               channels across states that are direct, indirect (through
 *               an intermediary, with a mechanism) or absent, each backed
 *               by quotes from sources.
 *
 * Channels are mixed in every family, so that every stroke style is drawn
 * and timed, but only the diplomatic family carries quotes: the others
 * measure the layout and the drawing, that one the loader as well. */

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint
rng_uint (Rng   *rng,
          guint  bound)
{
  return (guint) (((rng_next (rng) >> 32) * (guint64) bound) >> 32);
}

static double
rng_double (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static const char * const family_names[BENCH_N_FAMILIES] = {
  "scale-free", "communities", "geometric", "diplomatic",
};

static const char * const kind_names[] = {
  "person", "state", "organization", "media", "other",
};

static const char * const kind_labels[] = {
  "Person", "State", "Org", "Media", "Actor",
};

static const char * const channel_names[] = {
  "direct", "indirect", "absent",
};

static const char * const mechanisms[] = {
  "public statements", "back channel", "briefings", "third-party mediation",
  "press conferences", "written notes",
};

const char *
bench_family_name (BenchFamily family)
{
  g_return_val_if_fail (family < BENCH_N_FAMILIES, "?");
  return family_names[family];
}

gboolean
bench_family_parse (const char  *name,
                    BenchFamily *family)
{
  for (guint f = 0; f < BENCH_N_FAMILIES; f++)
    if (g_str_equal (name, family_names[f]))
      {
        *family = f;
        return TRUE;
      }
  return FALSE;
}

static void
add_link (BenchGraph *graph,
          guint       a,
          guint       b,
          guint8      channel,
          guint8      n_quotes,
          gint        via)
{
  BenchLink link = { a, b, channel, n_quotes, via };

  g_array_append_val (graph->links, link);
}

/* 70 % direct, 20 % indirect, 10 % absent. */
static guint8
mixed_channel (Rng *rng)
{
  double u = rng_double (rng);

  return u < 0.7 ? BENCH_DIRECT : u < 0.9 ? BENCH_INDIRECT : BENCH_ABSENT;
}

/* Kinds of the families without a hierarchy: mostly people. */
static void
mixed_kinds (BenchGraph *graph,
             Rng        *rng)
{
  for (guint i = 0; i < graph->n; i++)
    {
      guint u = rng_uint (rng, 10);

      graph->kind[i] = u < 6 ? 0 : u == 6 ? 2 : u == 7 ? 3 : u == 8 ? 1 : 4;
    }
}

static void
gen_scale_free (BenchGraph *graph,
                Rng        *rng)
{
  guint n = graph->n;
  g_autofree guint *ends = g_new (guint, 4 * (gsize) n + 6);
  guint n_ends = 0;

  for (guint v = 0; v < MIN (n, 3); v++)
    for (guint u = 0; u < v; u++)
      {
        add_link (graph, u, v, mixed_channel (rng), 0, -1);
        ends[n_ends++] = u;
        ends[n_ends++] = v;
      }
  /* Preferential attachment by picking a random end of a random edge. */
  for (guint v = 3; v < n; v++)
    {
      guint a = ends[rng_uint (rng, n_ends)];
      guint b;

      do
        b = ends[rng_uint (rng, n_ends)];
      while (b == a);
      add_link (graph, v, a, mixed_channel (rng), 0, -1);
      add_link (graph, v, b, mixed_channel (rng), 0, -1);
      ends[n_ends++] = v;
      ends[n_ends++] = a;
      ends[n_ends++] = v;
      ends[n_ends++] = b;
    }
  mixed_kinds (graph, rng);
}

/* A set of unordered pairs, so no link is drawn twice. */
static gboolean
pair_add (GHashTable *pairs,
          guint       a,
          guint       b)
{
  guint64 key = (guint64) MIN (a, b) << 32 | MAX (a, b);
  gpointer p = GSIZE_TO_POINTER (key);

  G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));
  if (a == b || g_hash_table_contains (pairs, p))
    return FALSE;
  g_hash_table_add (pairs, p);
  return TRUE;
}

static guint
pair_hash (gconstpointer p)
{
  guint64 k = GPOINTER_TO_SIZE (p) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return (guint) (k >> 32);
}

static void
gen_communities (BenchGraph *graph,
                 Rng        *rng)
{
  guint n = graph->n;
  g_autoptr(GHashTable) pairs = g_hash_table_new (pair_hash, g_direct_equal);
  g_autofree guint *block = g_new (guint, n + 1);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_blocks;

  for (guint start = 0; start < n;)
    {
      guint size = MIN (20 + rng_uint (rng, 61), n - start);

      g_array_append_val (starts, start);
      for (guint i = start; i < start + size; i++)
        block[i] = starts->len - 1;
      start += size;
    }
  n_blocks = starts->len;
  g_array_append_val (starts, n);

  /* Inside each block: 3 links per member (mean degree 6), or all pairs
   * of a block too small for that. */
  for (guint b = 0; b < n_blocks; b++)
    {
      guint s = g_array_index (starts, guint, b);
      guint size = g_array_index (starts, guint, b + 1) - s;
      guint64 want = MIN (3 * (guint64) size, (guint64) size * (size - 1) / 2);

      for (guint64 k = 0; k < want;)
        {
          guint a = s + rng_uint (rng, size), c = s + rng_uint (rng, size);

          if (pair_add (pairs, a, c))
            {
              add_link (graph, a, c, mixed_channel (rng), 0, -1);
              k++;
            }
        }
    }
  /* Across blocks: half a link per actor (mean degree 1). */
  if (n_blocks > 1)
    for (guint k = 0; k < n / 2;)
      {
        guint a = rng_uint (rng, n), c = rng_uint (rng, n);

        if (block[a] != block[c] && pair_add (pairs, a, c))
          {
            add_link (graph, a, c, mixed_channel (rng), 0, -1);
            k++;
          }
      }
  mixed_kinds (graph, rng);
}

static void
gen_geometric (BenchGraph *graph,
               Rng        *rng)
{
  guint n = graph->n;
  /* π r² n = 6: mean degree 6. */
  double r = sqrt (6.0 / (G_PI * MAX (n, 1)));
  guint cells = MAX (1, (guint) floor (1.0 / r));
  g_autofree double *xy = g_new (double, 2 * (gsize) n + 2);
  g_autofree guint *head = g_new (guint, (gsize) cells * cells);
  g_autofree guint *next = g_new (guint, n + 1);

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = rng_double (rng);
      xy[2 * i + 1] = rng_double (rng);
    }
  /* A grid of cells at least r wide: neighbours are in the 3 × 3 around. */
  for (guint c = 0; c < cells * cells; c++)
    head[c] = G_MAXUINT;
  for (guint i = n; i-- > 0;)
    {
      guint cx = MIN ((guint) (xy[2 * i] * cells), cells - 1);
      guint cy = MIN ((guint) (xy[2 * i + 1] * cells), cells - 1);

      next[i] = head[cy * cells + cx];
      head[cy * cells + cx] = i;
    }
  for (guint i = 0; i < n; i++)
    {
      int cx = MIN ((int) (xy[2 * i] * cells), (int) cells - 1);
      int cy = MIN ((int) (xy[2 * i + 1] * cells), (int) cells - 1);

      for (int oy = -1; oy <= 1; oy++)
        for (int ox = -1; ox <= 1; ox++)
          {
            int x = cx + ox, y = cy + oy;

            if (x < 0 || y < 0 || x >= (int) cells || y >= (int) cells)
              continue;
            for (guint j = head[y * cells + x]; j != G_MAXUINT; j = next[j])
              if (j > i && hypot (xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]) < r)
                add_link (graph, i, j, mixed_channel (rng), 0, -1);
          }
    }
  mixed_kinds (graph, rng);
}

/* A channel across states: half direct, 30 % indirect through one of the
 * intermediaries when there are any, 20 % absent. */
static void
add_diplomatic_link (BenchGraph *graph,
                     Rng        *rng,
                     guint       a,
                     guint       b,
                     GArray     *intermediaries)
{
  double u = rng_double (rng);
  guint8 quotes = 1 + rng_uint (rng, 3);

  if (u < 0.5)
    add_link (graph, a, b, BENCH_DIRECT, quotes, -1);
  else if (u < 0.8)
    {
      gint via = -1;

      if (intermediaries->len > 0 && rng_uint (rng, 2) == 0)
        via = g_array_index (intermediaries, guint, rng_uint (rng, intermediaries->len));
      if (via == (gint) a || via == (gint) b)
        via = -1;
      add_link (graph, a, b, BENCH_INDIRECT, quotes, via);
    }
  else
    add_link (graph, a, b, BENCH_ABSENT, quotes, -1);
}

static void
gen_diplomatic (BenchGraph *graph,
                Rng        *rng)
{
  guint n = graph->n;
  guint n_global = MAX (n / 20, MIN (n, 2));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) ministries = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) people = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) globals = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) pairs = g_hash_table_new (pair_hash, g_direct_equal);
  g_autofree guint *state_of = g_new (guint, n + 1);
  guint next = 0;

  /* International organizations and media first: they are the
   * intermediaries of indirect channels. */
  for (; next < n_global; next++)
    {
      graph->kind[next] = next % 3 == 2 ? 3 : 2;
      state_of[next] = G_MAXUINT;
      g_array_append_val (globals, next);
    }

  /* States, each with 3–6 ministries of 3–10 people, until n actors. */
  while (next < n)
    {
      guint state = next++, n_min = 3 + rng_uint (rng, 4);

      graph->kind[state] = 1;
      state_of[state] = state;
      g_array_append_val (states, state);
      for (guint m = 0; m < n_min && next < n; m++)
        {
          guint ministry = next++, n_people = 3 + rng_uint (rng, 8);

          graph->kind[ministry] = 2;
          graph->group[ministry] = state;
          state_of[ministry] = state;
          g_array_append_val (ministries, ministry);
          add_link (graph, ministry, state, BENCH_DIRECT, 1, -1);
          pair_add (pairs, ministry, state);
          for (guint p = 0; p < n_people && next < n; p++)
            {
              guint person = next++;

              graph->kind[person] = 0;
              graph->group[person] = ministry;
              state_of[person] = state;
              g_array_append_val (people, person);
              add_link (graph, person, ministry, BENCH_DIRECT, 1, -1);
              pair_add (pairs, person, ministry);
            }
        }
    }

#define PICK(array) g_array_index ((array), guint, rng_uint (rng, (array)->len))

  /* States talk to 2–4 other states; ministries to one or two abroad; a
   * third of the people to someone abroad; organizations and media to a
   * few states and people. */
  if (states->len > 1)
    {
      for (guint k = 0; k < states->len; k++)
        for (guint c = 2 + rng_uint (rng, 3); c > 0; c--)
          {
            guint a = g_array_index (states, guint, k), b = PICK (states);

            if (pair_add (pairs, a, b))
              add_diplomatic_link (graph, rng, a, b, globals);
          }
      for (guint k = 0; k < ministries->len; k++)
        for (guint c = 1 + rng_uint (rng, 2); c > 0; c--)
          {
            guint a = g_array_index (ministries, guint, k), b = PICK (ministries);

            if (state_of[a] != state_of[b] && pair_add (pairs, a, b))
              add_diplomatic_link (graph, rng, a, b, globals);
          }
      for (guint k = 0; k < people->len; k++)
        if (rng_uint (rng, 3) == 0)
          {
            guint a = g_array_index (people, guint, k), b = PICK (people);

            if (state_of[a] != state_of[b] && pair_add (pairs, a, b))
              add_diplomatic_link (graph, rng, a, b, globals);
          }
    }
  if (states->len > 0)
    for (guint k = 0; k < globals->len; k++)
      for (guint c = 3 + rng_uint (rng, 6); c > 0; c--)
        {
          guint a = g_array_index (globals, guint, k);
          guint b = rng_uint (rng, 2) == 0 || people->len == 0 ? PICK (states) : PICK (people);

          if (pair_add (pairs, a, b))
            add_diplomatic_link (graph, rng, a, b, states);
        }
#undef PICK

  graph->n_sources = MAX (1, n / 50);
}

BenchGraph *
bench_graph_new (BenchFamily family,
                 guint       n,
                 guint64     seed)
{
  BenchGraph *graph = g_new0 (BenchGraph, 1);
  Rng rng = { seed * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d) + family + 1 };

  graph->family = family;
  graph->n = n;
  graph->kind = g_new0 (guint8, n + 1);
  graph->group = g_new (gint, n + 1);
  for (guint i = 0; i < n; i++)
    graph->group[i] = -1;
  graph->links = g_array_new (FALSE, FALSE, sizeof (BenchLink));

  switch (family)
    {
    case BENCH_SCALE_FREE:
      gen_scale_free (graph, &rng);
      break;
    case BENCH_COMMUNITIES:
      gen_communities (graph, &rng);
      break;
    case BENCH_GEOMETRIC:
      gen_geometric (graph, &rng);
      break;
    case BENCH_DIPLOMATIC:
    default:
      gen_diplomatic (graph, &rng);
      break;
    }

  return graph;
}

void
bench_graph_free (BenchGraph *graph)
{
  if (graph == NULL)
    return;
  g_free (graph->kind);
  g_free (graph->group);
  g_array_unref (graph->links);
  g_free (graph);
}

guint *
bench_graph_edges (BenchGraph *graph,
                   guint      *n_edges)
{
  guint *edges = g_new (guint, 2 * (gsize) graph->links->len + 2);

  for (guint k = 0; k < graph->links->len; k++)
    {
      const BenchLink *l = &g_array_index (graph->links, BenchLink, k);

      edges[2 * k] = l->source;
      edges[2 * k + 1] = l->target;
    }
  *n_edges = graph->links->len;
  return edges;
}

static void
write_name (FILE       *f,
            BenchGraph *graph,
            guint       i)
{
  fprintf (f, "%s %u", kind_labels[graph->kind[i]], i);
}

static gboolean
close_file (FILE        *f,
            const char  *filename,
            GError     **error)
{
  int failed = ferror (f);

  if (fclose (f) != 0 || failed)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", filename, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static FILE *
open_file (const char  *filename,
           GError     **error)
{
  FILE *f = g_fopen (filename, "w");

  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", filename, g_strerror (saved));
    }
  return f;
}

gboolean
bench_graph_write_json (BenchGraph  *graph,
                        const char  *filename,
                        GError     **error)
{
  FILE *f = open_file (filename, error);
  guint quote = 0;

  if (f == NULL)
    return FALSE;

  fprintf (f, "{\n  \"format\": \"channel-map\",\n  \"version\": 1,\n"
              "  \"title\": \"Benchmark: %s, %u actors\",\n  \"sources\": [",
           family_names[graph->family], graph->n);
  for (guint s = 0; s < graph->n_sources; s++)
    fprintf (f, "%s\n    {\"id\": \"s%u\", \"title\": \"Report %u\", \"publisher\": \"Wire %u\", "
                "\"date\": \"2022-%02u-%02u\", \"url\": \"https://example.org/reports/%u\"}",
             s ? "," : "", s, s, s % 7, 1 + s % 12, 1 + s % 28, s);
  fprintf (f, "\n  ],\n  \"actors\": [");
  for (guint i = 0; i < graph->n; i++)
    {
      fprintf (f, "%s\n    {\"id\": \"a%u\", \"name\": \"", i ? "," : "", i);
      write_name (f, graph, i);
      fprintf (f, "\", \"kind\": \"%s\"", kind_names[graph->kind[i]]);
      if (graph->group[i] >= 0)
        fprintf (f, ", \"group\": \"a%d\"", graph->group[i]);
      fputc ('}', f);
    }
  fprintf (f, "\n  ],\n  \"links\": [");
  for (guint k = 0; k < graph->links->len; k++)
    {
      const BenchLink *l = &g_array_index (graph->links, BenchLink, k);

      fprintf (f, "%s\n    {\"id\": \"l%u\", \"source\": \"a%u\", \"target\": \"a%u\", \"channel\": \"%s\"",
               k ? "," : "", k, l->source, l->target, channel_names[l->channel]);
      if (l->via >= 0)
        fprintf (f, ", \"via\": [\"a%d\"]", l->via);
      if (l->channel == BENCH_INDIRECT && graph->family == BENCH_DIPLOMATIC)
        fprintf (f, ", \"mechanism\": \"%s\"", mechanisms[k % G_N_ELEMENTS (mechanisms)]);
      if (l->n_quotes > 0)
        {
          fprintf (f, ", \"quotes\": [");
          for (guint q = 0; q < l->n_quotes; q++, quote++)
            fprintf (f, "%s{\"text\": \"Statement %u on the talks between actors %u and %u, "
                        "as reported at the time.\", \"speaker\": \"a%u\", \"source\": \"s%u\", "
                        "\"date\": \"2022-%02u-%02u\"}",
                     q ? ", " : "", quote, l->source, l->target,
                     q % 2 ? l->target : l->source, quote % graph->n_sources,
                     1 + quote % 12, 1 + quote % 28);
          fputc (']', f);
        }
      fputc ('}', f);
    }
  fprintf (f, "\n  ]\n}\n");

  return close_file (f, filename, error);
}

/* Graphviz gets the same picture to draw: a label per node, a shape per
 * kind, a line style per channel.  No positions: sfdp and neato lay it
 * out. */
gboolean
bench_graph_write_dot (BenchGraph  *graph,
                       const char  *filename,
                       GError     **error)
{
  static const char * const shapes[] = {
    "ellipse", "box", "hexagon", "diamond", "circle",
  };
  static const char * const styles[] = {
    "solid", "dashed", "dotted",
  };
  FILE *f = open_file (filename, error);

  if (f == NULL)
    return FALSE;

  fprintf (f, "graph bench {\n  node [fontsize=10];\n");
  for (guint i = 0; i < graph->n; i++)
    {
      fprintf (f, "  a%u [label=\"", i);
      write_name (f, graph, i);
      fprintf (f, "\", shape=%s];\n", shapes[graph->kind[i]]);
    }
  for (guint k = 0; k < graph->links->len; k++)
    {
      const BenchLink *l = &g_array_index (graph->links, BenchLink, k);

      fprintf (f, "  a%u -- a%u [style=%s];\n", l->source, l->target, styles[l->channel]);
    }
  fprintf (f, "}\n");

  return close_file (f, filename, error);
}
