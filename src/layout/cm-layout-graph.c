/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-layout"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm-layout-private.h"

/* Below this many nodes a level is laid out directly: coarsening further
 * saves nothing and a random start is good enough. */
#define COARSEST_SIZE 24

void
_cm_layout_pair_direction (guint   i,
                           guint   j,
                           double *ux,
                           double *uy)
{
  CmRng rng;
  double angle;
  guint lo = MIN (i, j);
  guint hi = MAX (i, j);

  _cm_rng_init (&rng, ((guint64) lo << 32) | hi, 0x5eed);
  angle = 2.0 * G_PI * _cm_rng_double (&rng);
  *ux = cos (angle);
  *uy = sin (angle);
  /* Opposite directions for the two ends, so i and j move apart. */
  if (i > j)
    {
      *ux = -*ux;
      *uy = -*uy;
    }
}

static int
compare_edges (const void *pa,
               const void *pb)
{
  const CmLayoutEdge *a = pa;
  const CmLayoutEdge *b = pb;

  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  if (a->b != b->b)
    return a->b < b->b ? -1 : 1;
  /* Ordering equal pairs by weight too makes the summed weight independent
   * of the order the edges were added in. */
  if (a->w != b->w)
    return a->w < b->w ? -1 : 1;
  return 0;
}

void
_cm_layout_graph_build (CmLayoutGraph *graph,
                        guint          n,
                        CmLayoutEdge  *edges,
                        guint          n_edges)
{
  guint m = 0, u = 0;
  guint *cursor;

  for (guint e = 0; e < n_edges; e++)
    {
      CmLayoutEdge edge = edges[e];

      if (edge.a == edge.b)
        continue;
      if (edge.a > edge.b)
        {
          guint t = edge.a;
          edge.a = edge.b;
          edge.b = t;
        }
      edges[m++] = edge;
    }

  if (m > 1)
    qsort (edges, m, sizeof (CmLayoutEdge), compare_edges);

  for (guint e = 0; e < m; e++)
    {
      if (u > 0 && edges[u - 1].a == edges[e].a && edges[u - 1].b == edges[e].b)
        edges[u - 1].w += edges[e].w;
      else
        edges[u++] = edges[e];
    }

  graph->n = n;
  graph->offsets = g_new0 (guint, n + 1);
  graph->adj = g_new (guint, 2 * (gsize) u + 1);
  graph->weight = g_new (double, 2 * (gsize) u + 1);

  for (guint e = 0; e < u; e++)
    {
      graph->offsets[edges[e].a + 1]++;
      graph->offsets[edges[e].b + 1]++;
    }
  for (guint i = 0; i < n; i++)
    graph->offsets[i + 1] += graph->offsets[i];

  /* Edges are sorted by (a, b), so every list comes out sorted: a node's
   * smaller neighbours arrive (as b) before its larger ones (as a). */
  cursor = g_memdup2 (graph->offsets, sizeof (guint) * (n + 1));
  for (guint e = 0; e < u; e++)
    {
      guint a = edges[e].a, b = edges[e].b;

      graph->adj[cursor[a]] = b;
      graph->weight[cursor[a]++] = edges[e].w;
      graph->adj[cursor[b]] = a;
      graph->weight[cursor[b]++] = edges[e].w;
    }
  g_free (cursor);
}

void
_cm_layout_graph_clear (CmLayoutGraph *graph)
{
  g_clear_pointer (&graph->offsets, g_free);
  g_clear_pointer (&graph->adj, g_free);
  g_clear_pointer (&graph->weight, g_free);
  graph->n = 0;
}

guint
_cm_layout_graph_bfs (const CmLayoutGraph *graph,
                      guint                source,
                      guint               *dist,
                      guint               *queue)
{
  guint head = 0, tail = 0;

  for (guint i = 0; i < graph->n; i++)
    dist[i] = CM_LAYOUT_UNREACHED;

  dist[source] = 0;
  queue[tail++] = source;
  while (head < tail)
    {
      guint u = queue[head++];
      guint du = dist[u] + 1;

      for (guint e = graph->offsets[u]; e < graph->offsets[u + 1]; e++)
        {
          guint v = graph->adj[e];

          if (dist[v] == CM_LAYOUT_UNREACHED)
            {
              dist[v] = du;
              queue[tail++] = v;
            }
        }
    }

  return tail;
}

guint
_cm_layout_graph_components (const CmLayoutGraph *graph,
                             guint               *component)
{
  g_autofree guint *queue = g_new (guint, MAX (graph->n, 1));
  guint n_components = 0;

  for (guint i = 0; i < graph->n; i++)
    component[i] = CM_LAYOUT_UNREACHED;

  for (guint s = 0; s < graph->n; s++)
    {
      guint head = 0, tail = 0;

      if (component[s] != CM_LAYOUT_UNREACHED)
        continue;

      component[s] = n_components;
      queue[tail++] = s;
      while (head < tail)
        {
          guint u = queue[head++];

          for (guint e = graph->offsets[u]; e < graph->offsets[u + 1]; e++)
            {
              guint v = graph->adj[e];

              if (component[v] == CM_LAYOUT_UNREACHED)
                {
                  component[v] = n_components;
                  queue[tail++] = v;
                }
            }
        }
      n_components++;
    }

  return n_components;
}

typedef struct
{
  guint   degree;
  guint   key;
  guint   node;
} OrderItem;

static int
compare_order (const void *pa,
               const void *pb)
{
  const OrderItem *a = pa;
  const OrderItem *b = pb;

  if (a->degree != b->degree)
    return a->degree < b->degree ? -1 : 1;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return a->node < b->node ? -1 : (a->node > b->node);
}

/* Matching first, then every node left unmatched joins the lightest
 * neighbouring cluster.  Since the matching is maximal, an unmatched node
 * has only matched neighbours, so every cluster ends with at least two
 * nodes: each level is at most half the size of the one below, even on
 * stars and scale-free graphs where a plain matching stalls.  Clusters stay
 * contiguous (a pair plus satellites), which keeps the coarse graph
 * faithful. */
CmLayoutLevel *
_cm_layout_level_coarsen (CmLayoutLevel *fine,
                          CmRng         *rng)
{
  const CmLayoutGraph *g = &fine->graph;
  guint n = g->n;
  g_autofree OrderItem *order = NULL;
  g_autofree CmLayoutEdge *edges = NULL;
  guint *cluster;
  double *cmass;
  guint nc = 0, m = 0;
  CmLayoutLevel *coarse;

  if (n <= COARSEST_SIZE)
    return NULL;

  /* Low degree first, so that leaves and chains pair up before hubs swallow
   * them; random among equals so that the seed changes the hierarchy. */
  order = g_new (OrderItem, n);
  for (guint i = 0; i < n; i++)
    {
      order[i].degree = g->offsets[i + 1] - g->offsets[i];
      order[i].key = (guint) (_cm_rng_next (rng) >> 32);
      order[i].node = i;
    }
  qsort (order, n, sizeof (OrderItem), compare_order);

  cluster = g_new (guint, n);
  cmass = g_new (double, n);
  for (guint i = 0; i < n; i++)
    cluster[i] = CM_LAYOUT_UNREACHED;

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k].node;
      guint best = CM_LAYOUT_UNREACHED;
      double best_score = -1.0;

      if (cluster[i] != CM_LAYOUT_UNREACHED)
        continue;

      /* Heavy edge relative to the masses: strong ties between light
       * nodes merge first, keeping clusters balanced. */
      for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
        {
          guint j = g->adj[e];
          double score;

          if (cluster[j] != CM_LAYOUT_UNREACHED)
            continue;
          score = g->weight[e] / (fine->mass[i] * fine->mass[j]);
          if (score > best_score)
            {
              best_score = score;
              best = j;
            }
        }

      if (best != CM_LAYOUT_UNREACHED)
        {
          cluster[i] = cluster[best] = nc;
          cmass[nc++] = fine->mass[i] + fine->mass[best];
        }
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k].node;
      guint best = CM_LAYOUT_UNREACHED;
      double best_score = -1.0;

      if (cluster[i] != CM_LAYOUT_UNREACHED)
        continue;

      for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
        {
          guint c = cluster[g->adj[e]];
          double score;

          if (c == CM_LAYOUT_UNREACHED)
            continue;
          score = g->weight[e] / cmass[c];
          if (score > best_score)
            {
              best_score = score;
              best = c;
            }
        }

      if (best != CM_LAYOUT_UNREACHED)
        {
          cluster[i] = best;
          cmass[best] += fine->mass[i];
        }
      else
        {
          cluster[i] = nc;
          cmass[nc++] = fine->mass[i];
        }
    }

  /* Only possible with isolated nodes, which components rule out; never
   * loop on a level that does not shrink. */
  if (nc * 10 > n * 9)
    {
      g_free (cluster);
      g_free (cmass);
      return NULL;
    }

  edges = g_new (CmLayoutEdge, g->offsets[n] / 2 + 1);
  for (guint u = 0; u < n; u++)
    for (guint e = g->offsets[u]; e < g->offsets[u + 1]; e++)
      {
        guint v = g->adj[e];

        if (v > u && cluster[u] != cluster[v])
          {
            edges[m].a = cluster[u];
            edges[m].b = cluster[v];
            edges[m].w = g->weight[e];
            m++;
          }
      }

  coarse = g_new0 (CmLayoutLevel, 1);
  _cm_layout_graph_build (&coarse->graph, nc, edges, m);
  coarse->mass = g_renew (double, cmass, MAX (nc, 1));
  fine->parent = cluster;

  return coarse;
}

void
_cm_layout_level_free (CmLayoutLevel *level)
{
  if (level == NULL)
    return;
  _cm_layout_graph_clear (&level->graph);
  g_free (level->mass);
  g_free (level->parent);
  g_free (level);
}
