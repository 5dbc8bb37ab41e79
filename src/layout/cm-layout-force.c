/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-layout-private.h"

/* Spring-electrical model of Hu, "Efficient, high-quality force-directed
 * graph drawing" (Mathematica Journal 10, 2005): attraction ‖d‖²/K along
 * edges, repulsion C·K²/‖d‖ between all pairs, each node moved a common step
 * length along its force, the step adapted to the energy.  Repulsion uses a
 * Barnes–Hut quadtree, O(n log n) per iteration.
 *
 * Coarse nodes carry the number of nodes they stand for as a charge, so the
 * space a cluster gets in the coarse layout matches what its nodes will need
 * (our coarsening can produce unbalanced clusters around hubs). */

#define REPULSION_C   0.2
#define THETA         0.9
#define LEAF_SIZE     8
#define MAX_DEPTH     48
#define STEP_RATIO    0.9
#define TOLERANCE     0.01
/* Repulsion is shared among threads from this many nodes on (below, a
 * thread costs more than it saves), at most MAX_THREADS of them. */
#define PARALLEL_MIN  2048
#define MAX_THREADS   8

typedef struct
{
  double cx, cy;      /* centre of mass */
  double mass;
  double ox, oy;      /* centre of the square cell */
  double width;
  gint   child;       /* first of 4 consecutive children, or -1 for a leaf */
  guint  start;       /* range in perm */
  guint  count;
  guint  depth;
} QNode;

struct _CmLayoutForce
{
  const CmLayoutGraph *graph;
  const double        *mass;
  double              *pos;
  guint                n;
  double               k;
  double               step;
  double               energy;
  guint                progress;
  guint                iter;
  guint                max_iter;

  /* quadtree, rebuilt every iteration */
  QNode               *nodes;
  guint                n_nodes;
  guint                nodes_alloc;
  guint               *perm;
  guint               *scratch;

  /* Repulsion on every node, all computed from the positions at the
   * start of the iteration (so threads can share the work and the result
   * does not depend on how many did). */
  double              *repulsion;     /* 2 n */
};

typedef struct
{
  CmLayoutForce *force;
  guint          first, last;
  guint64        work;
} RepulsionRange;

static guint
qtree_add (CmLayoutForce *self)
{
  if (self->n_nodes == self->nodes_alloc)
    {
      self->nodes_alloc = MAX (64, self->nodes_alloc * 2);
      self->nodes = g_renew (QNode, self->nodes, self->nodes_alloc);
    }
  return self->n_nodes++;
}

static void
qtree_build (CmLayoutForce *self)
{
  const double *pos = self->pos;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  QNode *root;

  for (guint i = 0; i < self->n; i++)
    {
      self->perm[i] = i;
      x0 = MIN (x0, pos[2 * i]);
      x1 = MAX (x1, pos[2 * i]);
      y0 = MIN (y0, pos[2 * i + 1]);
      y1 = MAX (y1, pos[2 * i + 1]);
    }

  self->n_nodes = 0;
  qtree_add (self);
  root = &self->nodes[0];
  root->ox = 0.5 * (x0 + x1);
  root->oy = 0.5 * (y0 + y1);
  root->width = MAX (x1 - x0, y1 - y0) * 1.0001 + 1e-9 * self->k;
  root->start = 0;
  root->count = self->n;
  root->child = -1;
  root->depth = 0;

  /* Nodes are appended, so a plain scan visits every one after its
   * parent. */
  for (guint q = 0; q < self->n_nodes; q++)
    {
      guint counts[4] = { 0, 0, 0, 0 }, offs[4];
      guint start = self->nodes[q].start, count = self->nodes[q].count;
      double ox = self->nodes[q].ox, oy = self->nodes[q].oy;
      double w = self->nodes[q].width;
      guint depth = self->nodes[q].depth;
      guint first;

      /* Coincident points cannot be split; depth bounds the tree. */
      if (count <= LEAF_SIZE || depth >= MAX_DEPTH)
        continue;

      for (guint k = start; k < start + count; k++)
        {
          guint p = self->perm[k];
          guint quad = (pos[2 * p] >= ox) | ((pos[2 * p + 1] >= oy) << 1);
          counts[quad]++;
        }
      offs[0] = start;
      for (guint c = 1; c < 4; c++)
        offs[c] = offs[c - 1] + counts[c - 1];
      for (guint k = start; k < start + count; k++)
        {
          guint p = self->perm[k];
          guint quad = (pos[2 * p] >= ox) | ((pos[2 * p + 1] >= oy) << 1);
          self->scratch[offs[quad]++] = p;
        }
      memcpy (self->perm + start, self->scratch + start, count * sizeof (guint));

      first = self->n_nodes;
      for (guint c = 0; c < 4; c++)
        qtree_add (self);
      self->nodes[q].child = (gint) first;
      for (guint c = 0; c < 4; c++)
        {
          QNode *child = &self->nodes[first + c];

          child->ox = ox + ((c & 1) ? 0.25 : -0.25) * w;
          child->oy = oy + ((c & 2) ? 0.25 : -0.25) * w;
          child->width = 0.5 * w;
          child->start = c == 0 ? start : self->nodes[first + c - 1].start + counts[c - 1];
          child->count = counts[c];
          child->child = -1;
          child->depth = depth + 1;
        }
    }

  /* Children come after their parent: summing backwards is bottom-up. */
  for (guint q = self->n_nodes; q-- > 0;)
    {
      QNode *node = &self->nodes[q];
      double m = 0.0, sx = 0.0, sy = 0.0;

      if (node->child < 0)
        {
          for (guint k = node->start; k < node->start + node->count; k++)
            {
              guint p = self->perm[k];
              double mp = self->mass ? self->mass[p] : 1.0;

              m += mp;
              sx += mp * pos[2 * p];
              sy += mp * pos[2 * p + 1];
            }
        }
      else
        {
          for (guint c = 0; c < 4; c++)
            {
              const QNode *child = &self->nodes[node->child + c];

              if (child->count == 0)
                continue;
              m += child->mass;
              sx += child->mass * child->cx;
              sy += child->mass * child->cy;
            }
        }
      node->mass = m;
      node->cx = m > 0.0 ? sx / m : node->ox;
      node->cy = m > 0.0 ? sy / m : node->oy;
    }
}

/* Repulsive force on node i; returns the number of interactions. */
static guint
qtree_repulsion (CmLayoutForce *self,
                 guint          i,
                 double        *fx,
                 double        *fy)
{
  const double *pos = self->pos;
  double xi = pos[2 * i], yi = pos[2 * i + 1];
  double ck2 = REPULSION_C * self->k * self->k;
  double eps = 1e-6 * self->k;
  double sx = 0.0, sy = 0.0;
  guint stack[4 * MAX_DEPTH + 8];
  guint top = 0, work = 0;

  stack[top++] = 0;
  while (top > 0)
    {
      const QNode *node = &self->nodes[stack[--top]];
      double dx, dy, d2;

      if (node->count == 0)
        continue;

      if (node->child < 0)
        {
          for (guint k = node->start; k < node->start + node->count; k++)
            {
              guint p = self->perm[k];
              double mp = self->mass ? self->mass[p] : 1.0;

              if (p == i)
                continue;
              dx = xi - pos[2 * p];
              dy = yi - pos[2 * p + 1];
              d2 = dx * dx + dy * dy;
              if (d2 < eps * eps)
                {
                  double ux, uy;

                  _cm_layout_pair_direction (i, p, &ux, &uy);
                  sx += mp * ux / eps;
                  sy += mp * uy / eps;
                }
              else
                {
                  sx += mp * dx / d2;
                  sy += mp * dy / d2;
                }
            }
          work += node->count;
          continue;
        }

      dx = xi - node->cx;
      dy = yi - node->cy;
      d2 = dx * dx + dy * dy;
      /* Never approximate a cell that holds the node itself: its own charge
       * would push it. */
      if (node->width * node->width < THETA * THETA * d2 &&
          (fabs (xi - node->ox) > 0.5 * node->width ||
           fabs (yi - node->oy) > 0.5 * node->width))
        {
          sx += node->mass * dx / d2;
          sy += node->mass * dy / d2;
          work++;
        }
      else
        {
          for (guint c = 0; c < 4; c++)
            stack[top++] = (guint) node->child + c;
        }
    }

  *fx = ck2 * sx;
  *fy = ck2 * sy;
  return work;
}

static gpointer
repulsion_range_run (gpointer data)
{
  RepulsionRange *range = data;
  CmLayoutForce *self = range->force;

  range->work = 0;
  for (guint i = range->first; i < range->last; i++)
    range->work += qtree_repulsion (self, i, &self->repulsion[2 * i], &self->repulsion[2 * i + 1]);
  return NULL;
}

/* The repulsion on every node into self->repulsion; returns the number
 * of interactions. */
static guint64
compute_repulsion (CmLayoutForce *self)
{
  RepulsionRange ranges[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL, };
  guint n_threads = 1;
  guint64 work = 0;

  if (self->n >= PARALLEL_MIN)
    {
      /* CM_LAYOUT_THREADS=N: another count, for the tests to prove it
       * changes nothing. */
      const char *env = g_getenv ("CM_LAYOUT_THREADS");

      n_threads = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : g_get_num_processors ();
      n_threads = CLAMP (n_threads, 1, MAX_THREADS);
    }
  for (guint t = 0; t < n_threads; t++)
    ranges[t] = (RepulsionRange) { self, (guint) ((guint64) self->n * t / n_threads),
                                   (guint) ((guint64) self->n * (t + 1) / n_threads), 0 };
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_try_new ("cm-layout", repulsion_range_run, &ranges[t], NULL);
  repulsion_range_run (&ranges[0]);
  for (guint t = 1; t < n_threads; t++)
    {
      /* A thread that could not start: its range is done here. */
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      else
        repulsion_range_run (&ranges[t]);
      work += ranges[t].work;
    }
  return work + ranges[0].work;
}

CmLayoutForce *
_cm_layout_force_new (const CmLayoutLevel *level,
                      double              *pos,
                      double               k,
                      double               initial_step,
                      guint                max_iter)
{
  CmLayoutForce *self = g_new0 (CmLayoutForce, 1);

  self->graph = &level->graph;
  self->mass = level->mass;
  self->pos = pos;
  self->n = level->graph.n;
  self->k = k;
  self->step = initial_step;
  self->energy = G_MAXDOUBLE;
  self->max_iter = max_iter;
  self->perm = g_new (guint, MAX (self->n, 1));
  self->scratch = g_new (guint, MAX (self->n, 1));
  self->repulsion = g_new (double, 2 * (gsize) MAX (self->n, 1));

  return self;
}

guint64
_cm_layout_force_iterate (CmLayoutForce *self,
                          gboolean      *converged)
{
  const CmLayoutGraph *g = self->graph;
  double *pos = self->pos;
  double energy = 0.0;
  guint64 work = self->n;

  *converged = FALSE;
  if (self->n < 2 || self->iter >= self->max_iter)
    {
      *converged = TRUE;
      return 1;
    }

  qtree_build (self);
  work += (guint64) self->n * 4;
  /* A tree interaction costs about three stress terms. */
  work += 3 * compute_repulsion (self);

  for (guint i = 0; i < self->n; i++)
    {
      double mi = self->mass ? self->mass[i] : 1.0;
      double fx = self->repulsion[2 * i] * mi, fy = self->repulsion[2 * i + 1] * mi;
      double ax = 0.0, ay = 0.0, len;

      for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
        {
          guint j = g->adj[e];
          double dx = pos[2 * j] - pos[2 * i];
          double dy = pos[2 * j + 1] - pos[2 * i + 1];
          double d = sqrt (dx * dx + dy * dy);

          ax += g->weight[e] * d * dx;
          ay += g->weight[e] * d * dy;
        }
      work += g->offsets[i + 1] - g->offsets[i];
      fx += ax / self->k;
      fy += ay / self->k;

      len = sqrt (fx * fx + fy * fy);
      if (len > 0.0 && isfinite (len))
        {
          pos[2 * i] += self->step * fx / len;
          pos[2 * i + 1] += self->step * fy / len;
          energy += len * len;
        }
    }

  /* Hu's adaptive cooling: lengthen the step after five improvements in a
   * row, shorten it whenever the energy goes up. */
  if (energy < self->energy)
    {
      if (++self->progress >= 5)
        {
          self->progress = 0;
          self->step /= STEP_RATIO;
        }
    }
  else
    {
      self->progress = 0;
      self->step *= STEP_RATIO;
    }
  self->energy = energy;
  self->iter++;

  if (self->iter >= self->max_iter || self->step < TOLERANCE * self->k)
    *converged = TRUE;

  return work;
}

double
_cm_layout_force_get_fraction (CmLayoutForce *self)
{
  if (self->max_iter == 0)
    return 1.0;
  return MIN (1.0, (double) self->iter / self->max_iter);
}

void
_cm_layout_force_free (CmLayoutForce *self)
{
  if (self == NULL)
    return;
  g_free (self->nodes);
  g_free (self->perm);
  g_free (self->scratch);
  g_free (self->repulsion);
  g_free (self);
}
