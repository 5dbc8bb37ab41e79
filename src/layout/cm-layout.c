/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-layout"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm-layout.h"
#include "cm-layout-private.h"

/* How it works, one connected component at a time:
 *
 *  free component      multilevel spring-electrical layout (coarsen by
 *                      matching, lay out the coarsest graph from random
 *                      points, refine level by level with Barnes–Hut
 *                      repulsion); then stress: all pairs for small
 *                      components (stochastic gradient descent, then
 *                      majorization), the sparse pivot model for large
 *                      ones; then overlap removal, alternating with stress
 *                      sweeps, after scaling the drawing up if it is too
 *                      crowded for its nodes; turned long axis horizontal.
 *  relayout component  (relayout_all, placed nodes, nothing fixed) the same
 *                      stress, starting warm from the given positions.
 *  anchored component  (holds a node that must not move) a few free nodes
 *                      start next to their positioned neighbours, then
 *                      stress with local weights moves only them; a mostly
 *                      new component is laid out as a free one and fitted
 *                      onto its fixed nodes first.
 *
 * Free and relayout components are then packed in shelves, largest first,
 * beside the anchored ones, and a last overlap pass over the whole drawing
 * checks that no nodes of different components touch.
 *
 * All of it is a resumable state machine: cm_layout_step() runs it for a
 * bounded amount of work, cm_layout_run() until the end.  No decision
 * depends on where a step ends, so both give the same bits. */

#define DEFAULT_RADIUS       12.0
#define DEFAULT_LENGTH       100.0
/* Work units are pair interactions, a few nanoseconds each. */
#define STEP_BUDGET          250000
#define N_PIVOTS             200
#define OVERLAP_MAX_PASSES   2000
#define PACK_ASPECT          1.5
/* Work per level of the force layout, in node-iterations (n × log n):
 * the stress polish that follows does the fine work, so the force layout
 * only has to untangle.  Measured on the benchmark's four families at
 * 1000–20 000 actors (bench/cm-bench): a third of 1e6 and 8 sweeps at
 * the finest levels give the same stress within 1 %, in 55 % of the
 * time. */
#define FORCE_BUDGET         3.0e5
#define FORCE_MIN_ITER       8.0
#define FRESH_MIN            20
#define SEP_FACTOR           0.3
#define SEP_MAX_ITER         4

enum
{
  FLAG_PLACED = 1 << 0,
  FLAG_PINNED = 1 << 1,
};

typedef enum
{
  COMP_FREE,
  COMP_RESTART,
  COMP_ANCHORED,
} CompKind;

typedef struct
{
  guint    first;      /* into run->comp_nodes */
  guint    n;
  CompKind kind;
  guint    n_movable;
  gboolean fresh;      /* anchored, but mostly unplaced nodes */
  double   cost;       /* estimated work, for progress only */
  double   x0, y0, x1, y1;
  double   ox, oy;     /* packing offset */
} Comp;

typedef enum
{
  PHASE_PREPARE,
  PHASE_COMPONENTS,
  PHASE_PACK,
  PHASE_FINAL,
  PHASE_DONE,
} Phase;

typedef enum
{
  STAGE_SETUP,
  STAGE_COARSEN,
  STAGE_FORCE,
  STAGE_STRESS_PREPARE,
  STAGE_STRESS,
  STAGE_OVERLAP,
  STAGE_FINISH,
} Stage;

typedef struct
{
  Phase           phase;
  double          unit;         /* ideal edge length actually used */
  double          gap;
  CmLayoutGraph   graph;        /* whole graph */
  guint8         *movable;      /* n */
  double         *pos;          /* 2n: each component in its own frame */
  guint          *comp_of;      /* n */
  guint          *comp_nodes;   /* n, grouped by component */
  guint          *local_of;     /* n: index within its component */
  Comp           *comps;
  guint           n_comps;
  guint           cur;
  double          cost_total;
  double          cost_done;

  /* the component being laid out */
  Stage           stage;
  CmRng           rng;
  double          cunit;
  CmLayoutLevel **levels;
  guint           n_levels;
  guint           level;        /* level being refined */
  double         *lpos;         /* positions at that level */
  CmLayoutForce  *force;
  CmLayoutStress *stress;
  gboolean        need_fit;
  gboolean        as_free;      /* stress as for a free component */
  gboolean        fitted;       /* a fresh anchored one, fitted */
  double         *cpos;
  double         *cradius;
  guint8         *cmov;
  guint           overlap_passes;
  CmOverlapPasses *overlap;     /* the passes so far, resumed step by step */
  guint           expansions;
  gboolean        spread;       /* crowds set out before pushing */
  double          comp_sep;
} CmRun;

struct _CmLayout
{
  guint     n;
  GArray   *edges;        /* CmLayoutEdge */
  double   *radius;
  double   *given;        /* 2n */
  guint8   *flags;
  guint64   seed;
  gboolean  relayout_all;
  double    ideal_length;

  double   *out;          /* 2n */
  gboolean  stale;        /* out no longer reflects the inputs */
  CmRun    *run;
  gboolean  done;
  double    progress;
};

static void compute_packing (CmRun *run);

/* Run state {{{ */

static void
active_clear (CmRun *run)
{
  _cm_layout_force_free (run->force);
  run->force = NULL;
  _cm_layout_stress_free (run->stress);
  run->stress = NULL;
  for (guint l = 0; l < run->n_levels; l++)
    _cm_layout_level_free (run->levels[l]);
  g_clear_pointer (&run->levels, g_free);
  run->n_levels = 0;
  if (run->lpos != run->cpos)
    g_free (run->lpos);
  run->lpos = NULL;
  g_clear_pointer (&run->cpos, g_free);
  g_clear_pointer (&run->cradius, g_free);
  g_clear_pointer (&run->cmov, g_free);
}

static void
run_free (CmRun *run)
{
  if (run == NULL)
    return;
  active_clear (run);
  g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
  _cm_layout_graph_clear (&run->graph);
  g_free (run->movable);
  g_free (run->pos);
  g_free (run->comp_of);
  g_free (run->comp_nodes);
  g_free (run->local_of);
  g_free (run->comps);
  g_free (run);
}

static inline gboolean
node_is_placed (CmLayout *self,
                guint     i)
{
  return (self->flags[i] & FLAG_PLACED) != 0;
}

static inline gboolean
node_is_fixed (CmLayout *self,
               guint     i)
{
  return node_is_placed (self, i) &&
         ((self->flags[i] & FLAG_PINNED) || !self->relayout_all);
}

static void
reset_output (CmLayout *self)
{
  if (!self->stale)
    return;
  self->stale = FALSE;
  for (guint i = 0; i < self->n; i++)
    {
      gboolean placed = node_is_placed (self, i);

      self->out[2 * i] = placed ? self->given[2 * i] : 0.0;
      self->out[2 * i + 1] = placed ? self->given[2 * i + 1] : 0.0;
    }
}

/* O(1): adding edges one by one must not cost O(n) each.  The output is
 * brought back to the inputs when next looked at. */
static void
invalidate (CmLayout *self)
{
  g_clear_pointer (&self->run, run_free);
  self->done = FALSE;
  self->progress = 0.0;
  self->stale = TRUE;
}

static double
estimate_cost (const Comp *comp)
{
  double n = comp->n;

  if (comp->n_movable == 0 || comp->n < 2)
    return 1.0;
  if (comp->kind == COMP_FREE)
    return n * (log2 (n) + 8.0) * 60.0 +
           (_cm_layout_stress_use_full (comp->n, comp->n) ? n * n * 60.0 : n * N_PIVOTS * 60.0);
  return _cm_layout_stress_use_full (comp->n_movable, comp->n) ?
         (double) comp->n_movable * n * 80.0 : (double) comp->n_movable * N_PIVOTS * 80.0;
}

static void
run_prepare (CmLayout *self)
{
  CmRun *run = self->run;
  guint n = self->n;
  g_autofree CmLayoutEdge *edges = NULL;
  g_autofree guint *fill = NULL;
  double mean_r = 0.0, base;

  edges = g_memdup2 (self->edges->data, sizeof (CmLayoutEdge) * MAX (self->edges->len, 1));
  _cm_layout_graph_build (&run->graph, n, edges, self->edges->len);

  for (guint i = 0; i < n; i++)
    mean_r += self->radius[i];
  mean_r = n > 0 ? mean_r / n : DEFAULT_RADIUS;
  /* Never ask for edges so short that two average nodes would touch. */
  base = MAX (self->ideal_length, 2.0 * mean_r);
  run->gap = 0.05 * base;
  run->unit = MAX (self->ideal_length, 2.0 * mean_r + run->gap);

  run->movable = g_new (guint8, MAX (n, 1));
  run->pos = g_new (double, 2 * (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      run->movable[i] = !node_is_fixed (self, i);
      run->pos[2 * i] = node_is_placed (self, i) ? self->given[2 * i] : 0.0;
      run->pos[2 * i + 1] = node_is_placed (self, i) ? self->given[2 * i + 1] : 0.0;
    }

  run->comp_of = g_new (guint, MAX (n, 1));
  run->n_comps = _cm_layout_graph_components (&run->graph, run->comp_of);
  run->comps = g_new0 (Comp, MAX (run->n_comps, 1));
  run->comp_nodes = g_new (guint, MAX (n, 1));
  run->local_of = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    run->comps[run->comp_of[i]].n++;
  for (guint c = 1; c < run->n_comps; c++)
    run->comps[c].first = run->comps[c - 1].first + run->comps[c - 1].n;
  fill = g_new0 (guint, MAX (run->n_comps, 1));
  for (guint i = 0; i < n; i++)
    {
      Comp *comp = &run->comps[run->comp_of[i]];

      run->local_of[i] = fill[run->comp_of[i]];
      run->comp_nodes[comp->first + fill[run->comp_of[i]]++] = i;
    }

  for (guint c = 0; c < run->n_comps; c++)
    {
      Comp *comp = &run->comps[c];
      gboolean anchored = FALSE, placed = FALSE;
      guint n_placed = 0;
      double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

      for (guint k = 0; k < comp->n; k++)
        {
          guint i = run->comp_nodes[comp->first + k];

          if (!run->movable[i])
            anchored = TRUE;
          else
            comp->n_movable++;
          if (node_is_placed (self, i))
            {
              placed = TRUE;
              n_placed++;
              x0 = MIN (x0, self->given[2 * i]);
              x1 = MAX (x1, self->given[2 * i]);
              y0 = MIN (y0, self->given[2 * i + 1]);
              y1 = MAX (y1, self->given[2 * i + 1]);
            }
        }

      /* A few nodes added to a drawing are placed next to their
       * neighbours; a drawing that is mostly new is laid out as a free one
       * and then fitted onto the few nodes that are placed. */
      comp->fresh = comp->n - n_placed >= MAX (FRESH_MIN, n_placed);
      if (anchored)
        comp->kind = COMP_ANCHORED;
      else if (placed && hypot (x1 - x0, y1 - y0) > 1e-3 * run->unit)
        comp->kind = COMP_RESTART;
      else
        /* Relaying out from a single point would only give a poor start:
         * start afresh instead. */
        comp->kind = COMP_FREE;

      comp->cost = estimate_cost (comp);
      run->cost_total += comp->cost;

      /* A guess of its box, for a provisional packing that shows the
       * components apart while they are laid out. */
      if (comp->kind == COMP_ANCHORED)
        {
          comp->x0 = x0;
          comp->y0 = y0;
          comp->x1 = x1;
          comp->y1 = y1;
        }
      else
        {
          double half = 0.5 * run->unit * (1.0 + sqrt (comp->n));

          comp->x0 = comp->y0 = -half;
          comp->x1 = comp->y1 = half;
        }
    }

  /* Provisional centres, shown until the real packing. */
  compute_packing (run);
  for (guint c = 0; c < run->n_comps; c++)
    {
      Comp *comp = &run->comps[c];

      if (comp->kind == COMP_ANCHORED)
        continue;
      for (guint k = 0; k < comp->n; k++)
        {
          guint i = run->comp_nodes[comp->first + k];

          if (!node_is_placed (self, i))
            {
              self->out[2 * i] = comp->ox;
              self->out[2 * i + 1] = comp->oy;
            }
        }
    }

  run->phase = run->n_comps > 0 ? PHASE_COMPONENTS : PHASE_PACK;
  run->cur = 0;
  run->stage = STAGE_SETUP;
}

/* }}} */

/* One component {{{ */

static guint64
comp_setup (CmLayout *self)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  const CmLayoutGraph *g = &run->graph;
  CmLayoutLevel *level0;
  guint n = comp->n;
  guint m = 0;

  _cm_rng_init (&run->rng, self->seed, run->cur + 1);

  /* The component's own graph, in local indices.  Nodes are listed in
   * increasing order, so mapped adjacency lists stay sorted. */
  level0 = g_new0 (CmLayoutLevel, 1);
  level0->graph.n = n;
  level0->graph.offsets = g_new (guint, n + 1);
  level0->graph.offsets[0] = 0;
  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];

      m += g->offsets[i + 1] - g->offsets[i];
      level0->graph.offsets[k + 1] = m;
    }
  level0->graph.adj = g_new (guint, MAX (m, 1));
  level0->graph.weight = g_new (double, MAX (m, 1));
  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];
      guint o = level0->graph.offsets[k];

      for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
        {
          level0->graph.adj[o] = run->local_of[g->adj[e]];
          level0->graph.weight[o++] = g->weight[e];
        }
    }
  level0->mass = g_new (double, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    level0->mass[k] = 1.0;

  run->levels = g_new0 (CmLayoutLevel *, 1);
  run->levels[0] = level0;
  run->n_levels = 1;

  run->cpos = g_new (double, 2 * (gsize) n);
  run->cradius = g_new (double, n);
  run->cmov = g_new (guint8, n);
  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];

      run->cpos[2 * k] = run->pos[2 * i];
      run->cpos[2 * k + 1] = run->pos[2 * i + 1];
      run->cradius[k] = self->radius[i];
      /* Every node moves in the first, free pass over a fresh anchored
       * component. */
      run->cmov[k] = run->movable[i] || (comp->kind == COMP_ANCHORED && comp->fresh);
    }
  run->cunit = run->unit;
  run->fitted = FALSE;
  run->overlap_passes = 0;
  g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
  run->expansions = 0;
  run->spread = FALSE;

  if (comp->n_movable == 0)
    run->stage = STAGE_FINISH;
  else if (n == 1)
    {
      if (comp->kind == COMP_FREE)
        run->cpos[0] = run->cpos[1] = 0.0;
      run->stage = STAGE_FINISH;
    }
  else if (comp->kind == COMP_FREE || (comp->kind == COMP_ANCHORED && comp->fresh))
    run->stage = STAGE_COARSEN;
  else
    run->stage = STAGE_STRESS_PREPARE;

  return (guint64) n + m;
}

static guint
force_max_iter (guint n,
                gboolean coarsest)
{
  double per_iter = n * (log2 (MAX (n, 2)) + 4.0);

  if (coarsest)
    return 300;
  /* A fixed total per level: big levels start from a good prolongation and
   * the stress polish follows anyway. */
  return (guint) CLAMP (FORCE_BUDGET / per_iter, FORCE_MIN_ITER, 150.0);
}

static void
force_start_level (CmRun *run,
                   gboolean coarsest)
{
  CmLayoutLevel *level = run->levels[run->level];
  double k = run->cunit;
  double step = coarsest ? k * MAX (1.0, sqrt (level->graph.n) * 0.5) : 0.5 * k;

  run->force = _cm_layout_force_new (level, run->lpos, k, step,
                                     force_max_iter (level->graph.n, coarsest));
}

static guint64
comp_coarsen (CmLayout *self)
{
  CmRun *run = self->run;
  CmLayoutLevel *top = run->levels[run->n_levels - 1];
  CmLayoutLevel *coarse = _cm_layout_level_coarsen (top, &run->rng);
  guint64 work = (guint64) top->graph.n + top->graph.offsets[top->graph.n];

  if (coarse != NULL)
    {
      run->levels = g_renew (CmLayoutLevel *, run->levels, run->n_levels + 1);
      run->levels[run->n_levels++] = coarse;
      return work;
    }

  /* The coarsest level starts from random points in a disc that fits its
   * nodes at about one unit apart. */
  run->level = run->n_levels - 1;
  run->lpos = run->level == 0 ? run->cpos : g_new (double, 2 * (gsize) top->graph.n);
  {
    double radius = run->cunit * sqrt (top->graph.n) * 0.5;

    for (guint v = 0; v < top->graph.n; v++)
      {
        double r = radius * sqrt (_cm_rng_double (&run->rng));
        double a = 2.0 * G_PI * _cm_rng_double (&run->rng);

        run->lpos[2 * v] = r * cos (a);
        run->lpos[2 * v + 1] = r * sin (a);
      }
  }
  force_start_level (run, TRUE);
  run->stage = STAGE_FORCE;
  return work;
}

static guint64
comp_force (CmLayout *self)
{
  CmRun *run = self->run;
  gboolean converged;
  guint64 work = _cm_layout_force_iterate (run->force, &converged);
  CmLayoutLevel *fine;
  double *fpos;

  if (!converged)
    return work;

  _cm_layout_force_free (run->force);
  run->force = NULL;

  if (run->level == 0)
    {
      run->stage = STAGE_STRESS_PREPARE;
      return work;
    }

  /* Prolongation: every node starts where its cluster was, spread over a
   * disc as big as the cluster will need, so they do not all start on one
   * point. */
  fine = run->levels[run->level - 1];
  fpos = run->level - 1 == 0 ? run->cpos : g_new (double, 2 * (gsize) fine->graph.n);
  for (guint v = 0; v < fine->graph.n; v++)
    {
      guint p = fine->parent[v];
      double spread = 0.25 * run->cunit * sqrt (run->levels[run->level]->mass[p]);
      double r = spread * sqrt (_cm_rng_double (&run->rng));
      double a = 2.0 * G_PI * _cm_rng_double (&run->rng);

      fpos[2 * v] = run->lpos[2 * p] + r * cos (a);
      fpos[2 * v + 1] = run->lpos[2 * p + 1] + r * sin (a);
    }
  g_free (run->lpos);
  run->lpos = fpos;
  run->level--;
  force_start_level (run, FALSE);

  return work + fine->graph.n;
}

static int
compare_doubles (const void *pa,
                 const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;

  return a < b ? -1 : (a > b);
}

/* Free nodes of anchored (or relayout) components start one unit from their
 * positioned neighbours, layer by layer outwards (breadth first from all
 * positioned nodes at once); siblings fan out by the golden angle around
 * the direction pointing away from where the neighbour's own neighbours
 * are.  Stress majorization then settles them. */
static guint64
place_from_neighbours (CmLayout *self)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  const CmLayoutGraph *g = &run->levels[0]->graph;
  guint n = comp->n;
  /* 0 unknown, 1 positioned, 2 in the layer being placed */
  g_autofree guint8 *known = g_new0 (guint8, n);
  g_autofree guint *fanned = g_new0 (guint, n);
  g_autofree guint *queue = g_new (guint, n);
  double *pos = run->cpos;
  const double golden = G_PI * (3.0 - sqrt (5.0));
  guint head = 0, tail = 0;

  for (guint k = 0; k < n; k++)
    if (node_is_placed (self, run->comp_nodes[comp->first + k]))
      {
        known[k] = 1;
        queue[tail++] = k;
      }

  /* Scale of the existing drawing, so that new nodes match it: the median
   * length of the edges between positioned nodes. */
  if (comp->kind == COMP_ANCHORED)
    {
      g_autofree double *lengths = g_new (double, g->offsets[n] / 2 + 1);
      guint n_lengths = 0;

      for (guint u = 0; u < n; u++)
        for (guint e = g->offsets[u]; e < g->offsets[u + 1]; e++)
          {
            guint v = g->adj[e];
            double len;

            if (v < u || !known[u] || !known[v])
              continue;
            len = hypot (pos[2 * u] - pos[2 * v], pos[2 * u + 1] - pos[2 * v + 1]);
            if (len > 0.0 && isfinite (len))
              lengths[n_lengths++] = len;
          }
      if (n_lengths >= 3)
        {
          qsort (lengths, n_lengths, sizeof (double), compare_doubles);
          run->cunit = lengths[n_lengths / 2];
        }
    }

  while (head < tail)
    {
      guint layer_start = tail;

      /* The next layer: unknown neighbours of the current one, in the
       * order found. */
      for (guint q = head; q < layer_start; q++)
        {
          guint u = queue[q];

          for (guint e = g->offsets[u]; e < g->offsets[u + 1]; e++)
            if (known[g->adj[e]] == 0)
              {
                known[g->adj[e]] = 2;
                queue[tail++] = g->adj[e];
              }
        }
      head = layer_start;

      for (guint q = layer_start; q < tail; q++)
        {
          guint v = queue[q];
          guint n_known = 0, u = 0;
          double mx = 0.0, my = 0.0;

          for (guint e = g->offsets[v]; e < g->offsets[v + 1]; e++)
            if (known[g->adj[e]] == 1)
              {
                u = g->adj[e];
                mx += pos[2 * u];
                my += pos[2 * u + 1];
                n_known++;
              }
          mx /= n_known;
          my /= n_known;

          if (n_known == 1)
            {
              double cx = 0.0, cy = 0.0, dx, dy, a;
              guint n_c = 0;

              for (guint e = g->offsets[u]; e < g->offsets[u + 1]; e++)
                if (known[g->adj[e]] == 1)
                  {
                    cx += pos[2 * g->adj[e]];
                    cy += pos[2 * g->adj[e] + 1];
                    n_c++;
                  }
              dx = n_c > 0 ? mx - cx / n_c : 0.0;
              dy = n_c > 0 ? my - cy / n_c : 0.0;
              a = hypot (dx, dy) > 1e-9 * run->cunit ? atan2 (dy, dx)
                                                     : 2.0 * G_PI * _cm_rng_double (&run->rng);
              a += golden * fanned[u]++;
              pos[2 * v] = mx + run->cunit * cos (a);
              pos[2 * v + 1] = my + run->cunit * sin (a);
            }
          else
            {
              double a = 2.0 * G_PI * _cm_rng_double (&run->rng);

              pos[2 * v] = mx + 0.3 * run->cunit * cos (a);
              pos[2 * v + 1] = my + 0.3 * run->cunit * sin (a);
            }
        }

      /* The whole layer becomes positioned at once, so that its nodes are
       * placed from the previous layers only. */
      for (guint q = layer_start; q < tail; q++)
        known[queue[q]] = 1;
    }

  return (guint64) n + g->offsets[n];
}

/* A mostly new component is laid out as if free (at whatever scale its
 * crowding asked for), then fitted onto its placed nodes: turned (and
 * mirrored if that fits better), scaled when two or more give a scale, and
 * moved so that they fall as close as they can to where they are, which
 * they then take exactly.  A constrained polish follows. */
static guint64
align_to_anchors (CmLayout *self)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  double *pos = run->cpos;
  double ax = 0.0, ay = 0.0, bx = 0.0, by = 0.0;
  double best_residual = G_MAXDOUBLE, best_c = 1.0, best_s = 0.0, best_m = 1.0, best_scale = 1.0;
  guint n = comp->n, n_anchors = 0;

  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];

      if (!node_is_placed (self, i))
        continue;
      ax += pos[2 * k];
      ay += pos[2 * k + 1];
      bx += self->given[2 * i];
      by += self->given[2 * i + 1];
      n_anchors++;
    }
  ax /= n_anchors;
  ay /= n_anchors;
  bx /= n_anchors;
  by /= n_anchors;

  /* Least squares (Procrustes), plain and mirrored. */
  for (double m = 1.0; m >= -1.0; m -= 2.0)
    {
      double h00 = 0.0, h01 = 0.0, h10 = 0.0, h11 = 0.0, pp = 0.0, qq = 0.0, qrp = 0.0;
      double angle, c, s, scale = 1.0, residual = 0.0;

      for (guint k = 0; k < n; k++)
        {
          guint i = run->comp_nodes[comp->first + k];
          double px, py, qx, qy;

          if (!node_is_placed (self, i))
            continue;
          px = m * (pos[2 * k] - ax);
          py = pos[2 * k + 1] - ay;
          qx = self->given[2 * i] - bx;
          qy = self->given[2 * i + 1] - by;
          h00 += px * qx;
          h01 += px * qy;
          h10 += py * qx;
          h11 += py * qy;
          pp += px * px + py * py;
          qq += qx * qx + qy * qy;
        }
      angle = atan2 (h01 - h10, h00 + h11);
      c = cos (angle);
      s = sin (angle);
      qrp = c * (h00 + h11) + s * (h01 - h10);
      /* The scale that fits best, if the fit says anything: placed nodes
       * that do not agree with the layout's shape would otherwise blow it
       * up or shrink it. */
      if (n_anchors >= 2 && pp > 1e-12 * run->cunit * run->cunit && qrp > 0.0 &&
          qq - qrp * qrp / pp < 0.25 * qq)
        scale = CLAMP (qrp / pp, 0.2, 5.0);
      for (guint k = 0; k < n; k++)
        {
          guint i = run->comp_nodes[comp->first + k];
          double px, py;

          if (!node_is_placed (self, i))
            continue;
          px = m * (pos[2 * k] - ax);
          py = pos[2 * k + 1] - ay;
          residual += pow (scale * (c * px - s * py) - (self->given[2 * i] - bx), 2) +
                      pow (scale * (s * px + c * py) - (self->given[2 * i + 1] - by), 2);
        }
      if (residual < best_residual)
        {
          best_residual = residual;
          best_c = c;
          best_s = s;
          best_m = m;
          best_scale = scale;
        }
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];
      double px = best_m * (pos[2 * k] - ax);
      double py = pos[2 * k + 1] - ay;

      if (node_is_placed (self, i))
        {
          pos[2 * k] = self->given[2 * i];
          pos[2 * k + 1] = self->given[2 * i + 1];
        }
      else
        {
          pos[2 * k] = bx + best_scale * (best_c * px - best_s * py);
          pos[2 * k + 1] = by + best_scale * (best_s * px + best_c * py);
        }
      run->cmov[k] = run->movable[i];
    }
  run->cunit *= best_scale;

  return (guint64) n * 4;
}

/* However small their radii, nodes keep a fraction of an edge apart: of the
 * drawing's own edge length when it is smaller (a fixed drawing at another
 * scale), never of an inflated one. */
static double
comp_min_separation (CmRun *run)
{
  return SEP_FACTOR * MIN (run->cunit, run->unit);
}

static guint64
comp_stress_prepare (CmLayout *self,
                     guint64   budget)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  guint64 work = 0;

  if (run->stress == NULL)
    {
      /* A mostly new anchored component goes through the free pipeline
       * first, every node movable, then is fitted and polished. */
      gboolean as_free = comp->kind == COMP_FREE || (comp->fresh && !run->fitted);
      guint n_movable = as_free ? comp->n : comp->n_movable;
      gboolean full = _cm_layout_stress_use_full (n_movable, comp->n);
      /* A few nodes joining a fixed drawing: near their neighbours matters
       * more than a compromise with the whole drawing. */
      gboolean local = comp->kind == COMP_ANCHORED && !comp->fresh &&
                       comp->n_movable < MAX (FRESH_MIN, comp->n - comp->n_movable);

      if (!as_free && !run->fitted)
        work += place_from_neighbours (self);
      run->stress = _cm_layout_stress_new (&run->levels[0]->graph, run->cpos,
                                           run->cradius, run->cmov,
                                           run->cunit, run->gap, !full, local,
                                           N_PIVOTS, &run->rng);
      _cm_layout_stress_set_separation (run->stress, comp_min_separation (run),
                                        SEP_MAX_ITER, comp->kind != COMP_ANCHORED || as_free);
      /* Fresh layouts anneal from scratch; a relayout starts from where the
       * nodes are, warm: the seed still matters, and a poor arrangement can
       * still be left behind. */
      if (as_free)
        _cm_layout_stress_set_anneal (run->stress, TRUE, 0.0);
      else if (!local && !run->fitted)
        _cm_layout_stress_set_anneal (run->stress, TRUE, 1.0);
      run->as_free = as_free;
    }

  while (work < budget)
    {
      guint64 w;

      if (_cm_layout_stress_prepare (run->stress, &w))
        {
          /* The force layout has its own scale: bring it to the target
           * distances before polishing (in the next step: it costs a
           * sweep). */
          run->need_fit = run->as_free;
          run->stage = STAGE_STRESS;
          return work + w + comp->n;
        }
      work += w;
    }

  return work;
}

static guint64
comp_stress (CmLayout *self,
             guint64   budget)
{
  CmRun *run = self->run;
  guint64 work;

  if (run->need_fit)
    {
      Comp *comp = &run->comps[run->cur];

      _cm_layout_stress_fit_scale (run->stress);
      run->need_fit = FALSE;
      return (guint64) comp->n_movable * (_cm_layout_stress_use_full (comp->n_movable, comp->n) ?
                                          comp->n : N_PIVOTS);
    }

  if (!_cm_layout_stress_run (run->stress, budget, &work))
    {
      Comp *comp = &run->comps[run->cur];

      if (comp->kind == COMP_ANCHORED && comp->fresh && !run->fitted)
        {
          run->cunit = _cm_layout_stress_get_unit (run->stress);
          work += align_to_anchors (self);
          run->fitted = TRUE;
          run->stage = STAGE_STRESS_PREPARE;
        }
      else
        run->stage = STAGE_OVERLAP;
      _cm_layout_stress_free (run->stress);
      run->stress = NULL;
    }

  return MAX (work, 1);
}

static void
scale_about_centroid (double *pos,
                      guint   n,
                      double  factor)
{
  double cx = 0.0, cy = 0.0;

  for (guint k = 0; k < n; k++)
    {
      cx += pos[2 * k];
      cy += pos[2 * k + 1];
    }
  cx /= n;
  cy /= n;
  for (guint k = 0; k < n; k++)
    {
      pos[2 * k] = cx + factor * (pos[2 * k] - cx);
      pos[2 * k + 1] = cy + factor * (pos[2 * k + 1] - cy);
    }
}

/* The stress iterations left few overlaps, if any: push them apart. */
static guint64
comp_overlap (CmLayout *self,
              guint64   budget)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  guint passes = (guint) CLAMP (budget / (20 * (guint64) comp->n + 1), 1, 1000);
  guint remaining;
  guint64 work;

  if (run->overlap_passes == 0)
    {
      run->comp_sep = comp_min_separation (run);
      /* Once, before the first pass: crowds of nodes on top of one
       * another (structurally equivalent nodes the sparse stress model
       * cannot tell apart collapse onto one point) would take pushing
       * thousands of passes to spread, a step each. */
      if (comp->kind != COMP_ANCHORED && !run->spread)
        {
          run->spread = TRUE;
          return _cm_layout_spread_crowds (comp->n, run->cpos, run->cradius, run->cmov,
                                           run->gap, run->comp_sep);
        }
    }

  passes = MIN (passes, OVERLAP_MAX_PASSES - run->overlap_passes);
  if (run->overlap == NULL)
    run->overlap = _cm_layout_overlap_passes_new (comp->n, run->cradius, run->gap, run->comp_sep);
  work = _cm_layout_overlap_passes_run (run->overlap, run->cpos, run->cradius, run->cmov, passes,
                                        run->overlap_passes + passes >= OVERLAP_MAX_PASSES,
                                        NULL, &remaining);
  run->overlap_passes += passes;

  if (remaining == 0)
    {
      run->stage = STAGE_FINISH;
      g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
    }
  else if (run->overlap_passes >= OVERLAP_MAX_PASSES)
    {
      double ratio;

      /* A jam that pushing does not clear.  An anchored component may be
       * caged by fixed nodes: leave it.  A free one is scaled by just
       * enough to clear every pair, which cannot fail. */
      if (comp->kind == COMP_ANCHORED || run->expansions >= 3)
        {
          run->stage = STAGE_FINISH;
          return work;
        }
      ratio = _cm_layout_overlap_min_ratio (comp->n, run->cpos, run->cradius, run->cmov,
                                            run->gap, run->comp_sep);
      scale_about_centroid (run->cpos, comp->n, ratio > 1e-3 ? 1.01 / ratio : 2.0);
      run->expansions++;
      run->overlap_passes = 0;
      g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
    }

  return work;
}

/* Long axis horizontal: fits wide windows and packs better. */
static void
rotate_principal (double *pos,
                  guint   n)
{
  double cx = 0.0, cy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, a, c, s;

  for (guint k = 0; k < n; k++)
    {
      cx += pos[2 * k];
      cy += pos[2 * k + 1];
    }
  cx /= n;
  cy /= n;
  for (guint k = 0; k < n; k++)
    {
      double dx = pos[2 * k] - cx, dy = pos[2 * k + 1] - cy;

      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  a = 0.5 * atan2 (2.0 * sxy, sxx - syy);
  c = cos (-a);
  s = sin (-a);
  for (guint k = 0; k < n; k++)
    {
      double dx = pos[2 * k] - cx, dy = pos[2 * k + 1] - cy;

      pos[2 * k] = c * dx - s * dy;
      pos[2 * k + 1] = s * dx + c * dy;
    }
}

static guint64
comp_finish (CmLayout *self)
{
  CmRun *run = self->run;
  Comp *comp = &run->comps[run->cur];
  guint n = comp->n;

  if (comp->kind == COMP_FREE && n > 1)
    rotate_principal (run->cpos, n);

  comp->x0 = comp->y0 = G_MAXDOUBLE;
  comp->x1 = comp->y1 = -G_MAXDOUBLE;
  for (guint k = 0; k < n; k++)
    {
      double r = run->cradius[k];

      comp->x0 = MIN (comp->x0, run->cpos[2 * k] - r);
      comp->x1 = MAX (comp->x1, run->cpos[2 * k] + r);
      comp->y0 = MIN (comp->y0, run->cpos[2 * k + 1] - r);
      comp->y1 = MAX (comp->y1, run->cpos[2 * k + 1] + r);
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];

      run->pos[2 * i] = run->cpos[2 * k];
      run->pos[2 * i + 1] = run->cpos[2 * k + 1];
    }

  active_clear (run);
  run->cost_done += comp->cost;
  run->stage = STAGE_SETUP;
  if (++run->cur == run->n_comps)
    run->phase = PHASE_PACK;

  return n;
}

static guint64
comp_advance (CmLayout *self,
              guint64   budget)
{
  switch (self->run->stage)
    {
    case STAGE_SETUP:
      return comp_setup (self);
    case STAGE_COARSEN:
      return comp_coarsen (self);
    case STAGE_FORCE:
      return comp_force (self);
    case STAGE_STRESS_PREPARE:
      return comp_stress_prepare (self, budget);
    case STAGE_STRESS:
      return comp_stress (self, budget);
    case STAGE_OVERLAP:
      return comp_overlap (self, budget);
    case STAGE_FINISH:
      return comp_finish (self);
    default:
      g_assert_not_reached ();
    }
}

/* }}} */

/* Packing {{{ */

typedef struct
{
  guint  comp;
  double w, h;
  double x, y;    /* top-left once placed */
} PackItem;

static int
compare_pack_items (const void *pa,
                    const void *pb)
{
  const PackItem *a = pa;
  const PackItem *b = pb;

  if (a->h != b->h)
    return a->h > b->h ? -1 : 1;
  if (a->w != b->w)
    return a->w > b->w ? -1 : 1;
  return a->comp < b->comp ? -1 : (a->comp > b->comp);
}

/* Next-fit decreasing height shelves: tallest first, left to right, rows of
 * a width that makes the block about PACK_ASPECT wide.  Isolated nodes, all
 * the same size, end up in tidy rows. */
static void
pack_shelves (PackItem *items,
              guint     n_items,
              double    gap,
              double   *block_w,
              double   *block_h)
{
  double area = 0.0, max_w = 0.0, limit, x = 0.0, y = 0.0, shelf_h = 0.0;
  guint shelf_start = 0;

  qsort (items, n_items, sizeof (PackItem), compare_pack_items);

  for (guint k = 0; k < n_items; k++)
    {
      area += (items[k].w + gap) * (items[k].h + gap);
      max_w = MAX (max_w, items[k].w);
    }
  limit = MAX (max_w, sqrt (area * PACK_ASPECT));
  *block_w = 0.0;

  for (guint k = 0; k <= n_items; k++)
    {
      gboolean new_shelf = k == n_items || (x > 0.0 && x + items[k].w > limit);

      if (new_shelf)
        {
          /* Centre the items of the finished shelf vertically. */
          for (guint q = shelf_start; q < k; q++)
            items[q].y = y + 0.5 * (shelf_h - items[q].h);
          *block_w = MAX (*block_w, x - gap);
          if (k == n_items)
            break;
          y += shelf_h + gap;
          x = 0.0;
          shelf_h = 0.0;
          shelf_start = k;
        }
      items[k].x = x;
      x += items[k].w + gap;
      shelf_h = MAX (shelf_h, items[k].h);
    }
  *block_h = n_items > 0 ? y + shelf_h : 0.0;
}

static void
compute_packing (CmRun *run)
{
  g_autofree PackItem *items = g_new (PackItem, MAX (run->n_comps, 1));
  guint n_items = 0;
  gboolean anchored = FALSE;
  double ax0 = G_MAXDOUBLE, ay0 = G_MAXDOUBLE, ax1 = -G_MAXDOUBLE, ay1 = -G_MAXDOUBLE;
  double gap = 0.6 * run->unit, bw, bh, bx, by;

  for (guint c = 0; c < run->n_comps; c++)
    {
      Comp *comp = &run->comps[c];

      comp->ox = comp->oy = 0.0;
      if (comp->kind == COMP_ANCHORED)
        {
          anchored = TRUE;
          ax0 = MIN (ax0, comp->x0);
          ay0 = MIN (ay0, comp->y0);
          ax1 = MAX (ax1, comp->x1);
          ay1 = MAX (ay1, comp->y1);
          continue;
        }
      items[n_items].comp = c;
      items[n_items].w = comp->x1 - comp->x0;
      items[n_items].h = comp->y1 - comp->y0;
      n_items++;
    }

  pack_shelves (items, n_items, gap, &bw, &bh);

  if (!anchored)
    {
      /* Alone, the drawing is centred on the origin. */
      bx = -0.5 * bw;
      by = -0.5 * bh;
    }
  else
    {
      double aw = ax1 - ax0, ah = ay1 - ay0;
      /* Right of the anchored part, or below it: whichever keeps the whole
       * closer to a wide-screen shape. */
      double right = fabs (log (((aw + gap + bw) / MAX (ah, bh)) / PACK_ASPECT));
      double below = fabs (log ((MAX (aw, bw) / (ah + gap + bh)) / PACK_ASPECT));

      if (right <= below)
        {
          bx = ax1 + gap;
          by = ay0;
        }
      else
        {
          bx = ax0;
          by = ay1 + gap;
        }
    }

  for (guint k = 0; k < n_items; k++)
    {
      Comp *comp = &run->comps[items[k].comp];

      comp->ox = bx + items[k].x - comp->x0;
      comp->oy = by + items[k].y - comp->y0;
    }
}

static void
run_pack (CmLayout *self)
{
  CmRun *run = self->run;

  compute_packing (run);
  for (guint i = 0; i < self->n; i++)
    {
      Comp *comp = &run->comps[run->comp_of[i]];

      self->out[2 * i] = run->pos[2 * i] + comp->ox;
      self->out[2 * i + 1] = run->pos[2 * i + 1] + comp->oy;
    }

  run->phase = PHASE_FINAL;
  run->overlap_passes = 0;
  g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
}

/* }}} */

/* Over the whole drawing: components were made overlap-free one by one
 * (each with its own scale), but free nodes of anchored components may have
 * landed on other components.  Radii and gap only here. */
static guint64
run_final (CmLayout *self,
           guint64   budget)
{
  CmRun *run = self->run;
  guint passes = (guint) CLAMP (budget / (20 * (guint64) self->n + 1), 1, 1000);
  guint remaining;
  guint64 work = self->n;

  passes = MIN (passes, OVERLAP_MAX_PASSES - run->overlap_passes);
  if (run->overlap == NULL)
    run->overlap = _cm_layout_overlap_passes_new (self->n, self->radius, run->gap, 0.0);
  work += _cm_layout_overlap_passes_run (run->overlap, self->out, self->radius, run->movable, passes,
                                         run->overlap_passes + passes >= OVERLAP_MAX_PASSES,
                                         NULL, &remaining);
  run->overlap_passes += passes;

  if (remaining == 0 || run->overlap_passes >= OVERLAP_MAX_PASSES)
    {
      run->phase = PHASE_DONE;
      g_clear_pointer (&run->overlap, _cm_layout_overlap_passes_free);
    }

  return work;
}

static double
compute_progress (CmLayout *self)
{
  CmRun *run = self->run;
  double frac = 0.0, total = MAX (run->cost_total, 1.0);

  switch (run->phase)
    {
    case PHASE_PREPARE:
      return 0.0;
    case PHASE_COMPONENTS:
      if (run->cur < run->n_comps)
        {
          Comp *comp = &run->comps[run->cur];
          gboolean free_kind = comp->kind == COMP_FREE || comp->fresh;

          switch (run->stage)
            {
            case STAGE_SETUP:
            case STAGE_COARSEN:
              frac = 0.0;
              break;
            case STAGE_FORCE:
              {
                double levels_done = (run->n_levels - 1 - run->level) +
                                     (run->force ? _cm_layout_force_get_fraction (run->force) : 1.0);

                frac = 0.45 * levels_done / run->n_levels;
              }
              break;
            case STAGE_STRESS_PREPARE:
              frac = free_kind ? 0.45 : 0.0;
              break;
            case STAGE_STRESS:
              {
                double done = run->stress ? _cm_layout_stress_get_fraction (run->stress) : 1.0;

                frac = free_kind ? 0.5 + 0.45 * done : 0.1 + 0.85 * done;
              }
              break;
            case STAGE_OVERLAP:
            case STAGE_FINISH:
              frac = 0.95;
              break;
            default:
              break;
            }
          return 0.97 * (run->cost_done + comp->cost * frac) / total;
        }
      return 0.97;
    case PHASE_PACK:
      return 0.97;
    case PHASE_FINAL:
      return 0.98;
    case PHASE_DONE:
    default:
      return 1.0;
    }
}

/* Shows the component in progress in the output, for animation.  Nodes of
 * coarse levels show where their cluster is. */
static void
publish_active (CmLayout *self)
{
  CmRun *run = self->run;
  Comp *comp;
  double *src, cx = 0.0, cy = 0.0;

  if (run->phase != PHASE_COMPONENTS || run->cur >= run->n_comps)
    return;
  comp = &run->comps[run->cur];
  if (run->cpos == NULL)
    return;

  src = run->stage == STAGE_FORCE && run->lpos != NULL ? run->lpos : run->cpos;

  /* Free components in their own frame are shown centred on their
   * provisional place. */
  if (comp->kind != COMP_ANCHORED)
    {
      guint n_src = src == run->cpos ? comp->n : run->levels[run->level]->graph.n;

      for (guint a = 0; a < n_src; a++)
        {
          cx += src[2 * a];
          cy += src[2 * a + 1];
        }
      cx = comp->ox - cx / MAX (n_src, 1);
      cy = comp->oy - cy / MAX (n_src, 1);
    }

  for (guint k = 0; k < comp->n; k++)
    {
      guint i = run->comp_nodes[comp->first + k];
      guint a = k;

      if (src != run->cpos)
        for (guint l = 0; l < run->level; l++)
          a = run->levels[l]->parent[a];
      self->out[2 * i] = src[2 * a] + cx;
      self->out[2 * i + 1] = src[2 * a + 1] + cy;
    }
}

static void
advance (CmLayout *self,
         guint64   budget)
{
  CmRun *run = self->run;
  guint64 work = 0;

  while (work < budget && run->phase != PHASE_DONE)
    {
      switch (run->phase)
        {
        case PHASE_PREPARE:
          run_prepare (self);
          work += (guint64) self->n + self->edges->len;
          break;
        case PHASE_COMPONENTS:
          work += comp_advance (self, budget - work);
          break;
        case PHASE_PACK:
          run_pack (self);
          work += self->n;
          break;
        case PHASE_FINAL:
          work += run_final (self, budget - work);
          break;
        case PHASE_DONE:
        default:
          break;
        }
    }
}

static void
finish (CmLayout *self)
{
  for (guint i = 0; i < 2 * (gsize) self->n; i++)
    if (!isfinite (self->out[i]))
      {
        /* A bug if it ever happens; never hand NaN to the drawing. */
        g_critical ("%s: non-finite coordinate for node %u", G_STRFUNC, i / 2);
        self->out[i] = 0.0;
      }
  g_clear_pointer (&self->run, run_free);
  self->done = TRUE;
  self->progress = 1.0;
}

/* Public API {{{ */

CmLayout *
cm_layout_new (guint n_nodes)
{
  CmLayout *self;

  g_return_val_if_fail (n_nodes < G_MAXUINT / 4, NULL);

  self = g_new0 (CmLayout, 1);
  self->n = n_nodes;
  self->edges = g_array_new (FALSE, FALSE, sizeof (CmLayoutEdge));
  self->radius = g_new (double, MAX (n_nodes, 1));
  self->given = g_new0 (double, 2 * (gsize) n_nodes + 1);
  self->flags = g_new0 (guint8, MAX (n_nodes, 1));
  self->out = g_new0 (double, 2 * (gsize) n_nodes + 1);
  self->seed = 1;
  self->ideal_length = DEFAULT_LENGTH;
  for (guint i = 0; i < n_nodes; i++)
    self->radius[i] = DEFAULT_RADIUS;

  return self;
}

void
cm_layout_free (CmLayout *self)
{
  if (self == NULL)
    return;
  run_free (self->run);
  g_array_unref (self->edges);
  g_free (self->radius);
  g_free (self->given);
  g_free (self->flags);
  g_free (self->out);
  g_free (self);
}

guint
cm_layout_get_n_nodes (CmLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n;
}

void
cm_layout_add_edge (CmLayout *self,
                    guint     a,
                    guint     b,
                    double    weight)
{
  CmLayoutEdge edge = { a, b, weight };

  g_return_if_fail (self != NULL);
  g_return_if_fail (a < self->n && b < self->n);
  g_return_if_fail (weight > 0.0 && isfinite (weight));

  g_array_append_val (self->edges, edge);
  invalidate (self);
}

void
cm_layout_set_radius (CmLayout *self,
                      guint     node,
                      double    radius)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->n);
  g_return_if_fail (radius >= 0.0 && isfinite (radius));

  self->radius[node] = radius;
  invalidate (self);
}

void
cm_layout_set_position (CmLayout *self,
                        guint     node,
                        double    x,
                        double    y)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->n);
  g_return_if_fail (isfinite (x) && isfinite (y));

  self->given[2 * node] = x;
  self->given[2 * node + 1] = y;
  self->flags[node] |= FLAG_PLACED;
  invalidate (self);
}

void
cm_layout_unset_position (CmLayout *self,
                          guint     node)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->n);

  self->flags[node] &= ~FLAG_PLACED;
  invalidate (self);
}

void
cm_layout_set_pinned (CmLayout *self,
                      guint     node,
                      gboolean  pinned)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->n);

  if (pinned)
    self->flags[node] |= FLAG_PINNED;
  else
    self->flags[node] &= ~FLAG_PINNED;
  invalidate (self);
}

void
cm_layout_set_seed (CmLayout *self,
                    guint64   seed)
{
  g_return_if_fail (self != NULL);

  self->seed = seed;
  invalidate (self);
}

void
cm_layout_set_relayout_all (CmLayout *self,
                            gboolean  relayout_all)
{
  g_return_if_fail (self != NULL);

  self->relayout_all = !!relayout_all;
  invalidate (self);
}

void
cm_layout_set_ideal_edge_length (CmLayout *self,
                                 double    length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (length > 0.0 && isfinite (length));

  self->ideal_length = length;
  invalidate (self);
}

gboolean
cm_layout_step (CmLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->done)
    return FALSE;
  if (self->run == NULL)
    {
      reset_output (self);
      self->run = g_new0 (CmRun, 1);
    }

  advance (self, STEP_BUDGET);

  if (self->run->phase == PHASE_DONE)
    {
      finish (self);
      return FALSE;
    }

  publish_active (self);
  self->progress = MAX (self->progress, MIN (compute_progress (self), 0.999));
  return TRUE;
}

double
cm_layout_get_progress (CmLayout *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->progress;
}

gboolean
cm_layout_is_done (CmLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->done;
}

void
cm_layout_run (CmLayout *self)
{
  g_return_if_fail (self != NULL);

  if (self->done)
    return;
  if (self->run == NULL)
    {
      reset_output (self);
      self->run = g_new0 (CmRun, 1);
    }

  advance (self, G_MAXUINT64);
  finish (self);
}

void
cm_layout_get_position (CmLayout *self,
                        guint     node,
                        double   *x,
                        double   *y)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->n);

  reset_output (self);
  if (x)
    *x = self->out[2 * node];
  if (y)
    *y = self->out[2 * node + 1];
}

const double *
cm_layout_get_positions (CmLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  reset_output (self);
  return self->out;
}

/* }}} */
