/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-layout-private.h"

/* Stress minimization, w_ij = d_ij⁻², in three parts:
 *
 * Stochastic gradient descent (Zheng, Pawar, Goodman 2018) first, on all
 * pairs of small components, for a fresh layout (from scratch) or a
 * relayout (warm).
 *
 * Then majorization by localized updates: each node in turn moves to the
 * point that minimizes the majorant of its own terms,
 *   x_i ← Σ_j w_ij (x_j + t_ij (x_i − x_j)/‖x_i − x_j‖) / Σ_j w_ij,
 * which never increases the stress, needs no linear solve and lets fixed
 * nodes simply not move.  Small components use all pairs (hop distances in
 * a n_movable × n matrix of 16-bit counts).  Large ones use the sparse
 * stress model of Ortmann, Klimenta and Brandes (GD 2016): the exact terms
 * of the edges plus terms to k pivots, each pivot term weighted by the
 * number of nodes of the pivot's region it stands for; O(k n) memory and
 * time per sweep.
 *
 * Then separation: sweeps alternate with passes pushing apart nodes that
 * are too close, after scaling the whole layout up if it is too crowded. */

/* All pairs while the distance matrix stays this small (n ≈ 1100 when every
 * node moves). */
#define FULL_MAX_ENTRIES  1250000
#define FULL_MAX_ITER     200
#define FULL_TOLERANCE    1.5e-4
/* The sparse model improves by under 0.3 % a sweep after the first few
 * (from a multilevel start): on the benchmark's families at 5000 and
 * 20 000 actors six sweeps reach the stress of thirty within 1 % (4 % on
 * geometric graphs, which stay 4 times below sfdp's), and the separation
 * sweeps that follow polish further. */
#define SPARSE_MAX_ITER   6
#define SPARSE_TOLERANCE  2e-4
#define DIST_SATURATE     G_MAXUINT16
#define SEP_PUSH_PASSES   5
#define SGD_ITER          30
#define SGD_EPSILON       0.1
#define WTAB_MAX_ENTRIES  2000000
#define INFLATE_PAIRS_PER_NODE 0.5
#define INFLATE_STEP      1.1
/* Free to raise (the stress does not depend on scale): 100 000-actor
 * scale-free and diplomatic graphs need 55 and 66, and a cap of 20 left
 * 300 000 pairs to push apart, four minutes of pushing. */
#define INFLATE_MAX       500.0

struct _CmLayoutStress
{
  const CmLayoutGraph *graph;
  double              *pos;
  const double        *radius;
  const guint8        *movable;
  guint                n;
  double               unit;
  double               gap;
  gboolean             sparse;
  gboolean             local;        /* weights d⁻⁴ */
  CmRng                rng;

  guint               *mov;          /* movable nodes, in order */
  guint                n_mov;

  /* Both modes: hop distance d → weight (1/d², or 1/d⁴ when local) and
   * target d × unit. */
  double              *inv_d2;
  double              *target;
  guint                max_d;

  /* full: n_mov × n */
  guint16             *dist;

  /* sparse: node-major n × n_piv, so a node's pivot terms are contiguous */
  guint                n_piv;
  guint               *pivots;
  guint16             *pdist;
  guint               *nearest;      /* n: index of the nearest pivot */
  guint               *min_dist;     /* n */
  guint               *region_off;   /* n_piv + 1 */
  guint               *region_count; /* prefix counts per pivot and distance */
  guint               *region_radius;
  guint               *pivot_of;     /* n: pivot index, or G_MAXUINT */
  double              *ppos;         /* 2 n_piv: pivot positions, contiguous */
  double              *prad;         /* n_piv: pivot radius + gap */
  double              *wtab;         /* n_piv × (max_d + 1) weights, or NULL */

  /* preparation */
  guint                prep_cursor;
  gboolean             prepared;
  guint               *bfs_dist;
  guint               *bfs_queue;

  /* stochastic gradient descent before majorization (full model) */
  gboolean             anneal;
  guint               *pairs;        /* 2 per pair: row, other node */
  gsize                n_pairs;
  gsize                pair_cursor;
  gboolean             shuffled;
  gsize                shuffle_k;
  guint                sgd_iter;
  double               eta_max;
  double               eta_decay;

  /* separation, after convergence */
  double               min_sep;
  guint                sep_max_iter;
  gboolean             allow_inflate;
  gboolean             in_sep;

  /* iterations */
  guint                iter;
  guint                max_iter;
  double               tolerance;
  guint                cursor;
  double               acc;
  double               last;
  gboolean             done;
};

gboolean
_cm_layout_stress_use_full (guint n_movable,
                            guint n)
{
  return (guint64) n_movable * n <= FULL_MAX_ENTRIES;
}

CmLayoutStress *
_cm_layout_stress_new (const CmLayoutGraph *graph,
                       double              *pos,
                       const double        *radius,
                       const guint8        *movable,
                       double               unit,
                       double               gap,
                       gboolean             sparse,
                       gboolean             local,
                       guint                n_pivots,
                       CmRng               *rng)
{
  CmLayoutStress *self = g_new0 (CmLayoutStress, 1);
  guint n = graph->n;

  self->graph = graph;
  self->pos = pos;
  self->radius = radius;
  self->movable = movable;
  self->n = n;
  self->unit = unit;
  self->gap = gap;
  self->sparse = sparse;
  self->local = local;
  self->rng = *rng;
  self->last = G_MAXDOUBLE;

  self->mov = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      if (movable[i])
        self->mov[self->n_mov++] = i;
    }

  self->bfs_dist = g_new (guint, MAX (n, 1));
  self->bfs_queue = g_new (guint, MAX (n, 1));

  if (sparse)
    {
      self->n_piv = MIN (n_pivots, n);
      self->pivots = g_new (guint, MAX (self->n_piv, 1));
      self->pdist = g_new (guint16, (gsize) n * self->n_piv + 1);
      self->nearest = g_new (guint, MAX (n, 1));
      self->min_dist = g_new (guint, MAX (n, 1));
      self->max_iter = SPARSE_MAX_ITER;
      self->tolerance = SPARSE_TOLERANCE;
    }
  else
    {
      self->dist = g_new (guint16, (gsize) self->n_mov * n + 1);
      self->max_iter = FULL_MAX_ITER;
      self->tolerance = FULL_TOLERANCE;
    }

  if (self->n_mov == 0 || n < 2)
    self->done = TRUE;

  return self;
}

static inline guint16
saturate (guint d)
{
  return d >= DIST_SATURATE ? DIST_SATURATE : (guint16) d;
}

/* A pivot term stands for the nodes of the pivot's region within d/2 of
 * it. */
static inline double
far_weight (CmLayoutStress *self,
            guint           t,
            guint           d)
{
  return self->region_count[self->region_off[t] + MIN (d / 2, self->region_radius[t])] *
         self->inv_d2[d];
}

static void
finish_prepare (CmLayoutStress *self)
{
  self->inv_d2 = g_new (double, self->max_d + 1);
  self->target = g_new (double, self->max_d + 1);
  self->inv_d2[0] = 0.0;
  self->target[0] = 0.0;
  for (guint d = 1; d <= self->max_d; d++)
    {
      self->inv_d2[d] = self->local ? 1.0 / ((double) d * d * d * d) : 1.0 / ((double) d * d);
      self->target[d] = d * self->unit;
    }

  if (self->sparse)
    {
      guint n = self->n, k = self->n_piv;
      guint total = 0;

      /* For a pivot p and a node i at distance d, the pivot term stands for
       * the nodes of p's region within d/2 of p: the prefix counts of each
       * region by distance give that in O(1).  A region's radius bounds its
       * table, so all tables together hold n + k entries. */
      self->region_radius = g_new0 (guint, k);
      self->region_off = g_new (guint, k + 1);
      for (guint i = 0; i < n; i++)
        {
          guint p = self->nearest[i];
          guint d = self->pdist[(gsize) i * k + p];

          self->region_radius[p] = MAX (self->region_radius[p], d);
        }
      for (guint p = 0; p < k; p++)
        {
          self->region_off[p] = total;
          total += self->region_radius[p] + 1;
        }
      self->region_off[k] = total;
      self->region_count = g_new0 (guint, MAX (total, 1));
      for (guint i = 0; i < n; i++)
        {
          guint p = self->nearest[i];
          guint d = self->pdist[(gsize) i * k + p];

          self->region_count[self->region_off[p] + d]++;
        }
      for (guint p = 0; p < k; p++)
        for (guint d = 1; d <= self->region_radius[p]; d++)
          self->region_count[self->region_off[p] + d] +=
            self->region_count[self->region_off[p] + d - 1];

      g_clear_pointer (&self->min_dist, g_free);

      /* Everything the hot loop reads about pivots, in pivot order. */
      self->pivot_of = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        self->pivot_of[i] = G_MAXUINT;
      self->ppos = g_new (double, 2 * (gsize) k);
      self->prad = g_new (double, k);
      for (guint t = 0; t < k; t++)
        {
          self->pivot_of[self->pivots[t]] = t;
          self->prad[t] = self->radius[self->pivots[t]] + self->gap;
        }
      if ((guint64) k * (self->max_d + 1) <= WTAB_MAX_ENTRIES)
        {
          guint stride = self->max_d + 1;

          self->wtab = g_new (double, (gsize) k * stride);
          for (guint t = 0; t < k; t++)
            for (guint d = 0; d < stride; d++)
              self->wtab[t * stride + d] = d > 1 ? far_weight (self, t, d) : 0.0;
        }
    }

  if (self->anneal && !self->sparse && !self->done)
    {
      guint n = self->n;
      gsize count = 0;

      /* Each pair once: from the row of its first node when both move. */
      for (guint r = 0; r < self->n_mov; r++)
        for (guint j = 0; j < n; j++)
          if (self->dist[(gsize) r * n + j] > 0 && !(self->movable[j] && j < self->mov[r]))
            count++;
      self->pairs = g_new (guint, 2 * count + 1);
      for (guint r = 0; r < self->n_mov; r++)
        for (guint j = 0; j < n; j++)
          if (self->dist[(gsize) r * n + j] > 0 && !(self->movable[j] && j < self->mov[r]))
            {
              self->pairs[2 * self->n_pairs] = r;
              self->pairs[2 * self->n_pairs + 1] = j;
              self->n_pairs++;
            }
      /* Step sizes from 1/w_min down to ε/w_max, geometrically. */
      if (self->eta_max <= 0.0)
        self->eta_max = (double) self->max_d * self->max_d;
      self->eta_decay = log (MAX (self->eta_max, SGD_EPSILON) / SGD_EPSILON) / MAX (SGD_ITER - 1, 1);
      if (self->n_pairs == 0)
        self->anneal = FALSE;
    }
  else
    self->anneal = FALSE;

  g_clear_pointer (&self->bfs_dist, g_free);
  g_clear_pointer (&self->bfs_queue, g_free);
  self->prepared = TRUE;
}

gboolean
_cm_layout_stress_prepare (CmLayoutStress *self,
                           guint64        *work)
{
  const CmLayoutGraph *g = self->graph;
  guint n = self->n;

  *work = 0;
  if (self->prepared)
    return TRUE;
  if (self->done)
    {
      self->max_d = 1;
      finish_prepare (self);
      return TRUE;
    }

  *work = (guint64) n + g->offsets[n];

  if (!self->sparse)
    {
      guint i = self->mov[self->prep_cursor];
      guint16 *row = self->dist + (gsize) self->prep_cursor * n;

      _cm_layout_graph_bfs (g, i, self->bfs_dist, self->bfs_queue);
      for (guint j = 0; j < n; j++)
        {
          guint d = self->bfs_dist[j];

          /* Components are connected; keep unreachable out anyway. */
          row[j] = d == CM_LAYOUT_UNREACHED ? 0 : saturate (d);
          if (d != CM_LAYOUT_UNREACHED)
            self->max_d = MAX (self->max_d, row[j]);
        }
      if (++self->prep_cursor == self->n_mov)
        finish_prepare (self);
      return self->prepared;
    }
  else
    {
      guint t = self->prep_cursor, k = self->n_piv;
      guint p;

      /* The first at random, then each drawn with probability growing as
       * the square of its distance to the pivots so far (as k-means++
       * seeds): spread over the graph like max–min, without piling up on
       * the periphery of small-world graphs, where max–min is poor. */
      if (t == 0)
        p = _cm_rng_uint (&self->rng, n);
      else
        {
          double total = 0.0, r;

          p = G_MAXUINT;
          for (guint i = 0; i < n; i++)
            total += (double) self->min_dist[i] * self->min_dist[i];
          r = _cm_rng_double (&self->rng) * total;
          for (guint i = 0; i < n; i++)
            {
              if (self->min_dist[i] == 0)
                continue;
              p = i;
              r -= (double) self->min_dist[i] * self->min_dist[i];
              if (r < 0.0)
                break;
            }
          /* Only if every node is a pivot already, which n_piv <= n and
           * connectivity rule out. */
          g_assert (p != G_MAXUINT);
        }
      self->pivots[t] = p;

      _cm_layout_graph_bfs (g, p, self->bfs_dist, self->bfs_queue);
      for (guint i = 0; i < n; i++)
        {
          guint d = self->bfs_dist[i];
          guint16 ds;

          if (d == CM_LAYOUT_UNREACHED)
            d = 0;
          ds = saturate (d);
          self->pdist[(gsize) i * k + t] = ds;
          self->max_d = MAX (self->max_d, ds);
          if (t == 0 || d < self->min_dist[i])
            {
              self->min_dist[i] = d;
              self->nearest[i] = t;
            }
        }
      if (++self->prep_cursor == k)
        finish_prepare (self);
      return self->prepared;
    }
}

/* One term of node i's majorant, towards node j at target distance t. */
static inline void
add_term (const double *pos,
          guint         i,
          guint         j,
          double        xi,
          double        yi,
          double        t,
          double        w,
          double       *sx,
          double       *sy,
          double       *sw,
          double       *acc)
{
  double xj = pos[2 * j], yj = pos[2 * j + 1];
  double dx = xi - xj, dy = yi - yj;
  double len = sqrt (dx * dx + dy * dy);

  if (len > 1e-9 * t)
    {
      double f = t / len;

      *sx += w * (xj + f * dx);
      *sy += w * (yj + f * dy);
    }
  else
    {
      double ux, uy;

      /* Coincident: any direction would do, pick one that depends only on
       * the pair. */
      _cm_layout_pair_direction (i, j, &ux, &uy);
      *sx += w * (xj + t * ux);
      *sy += w * (yj + t * uy);
    }
  *sw += w;
  *acc += w * (len - t) * (len - t);
}

/* Each pair's target is its graph distance in units, but never less than
 * the two nodes need not to overlap. */
static inline double
pair_target (CmLayoutStress *self,
             double          t,
             guint           i,
             guint           j)
{
  double r = self->radius[i] + self->radius[j] + self->gap;

  return r > t ? r : t;
}

/* The terms beyond the edges, to every node of the component: the hot loop.
 * No branch but the lookups, so that iterations overlap in the pipeline;
 * self and neighbours (done exactly with the edges) weigh 0 there, and the
 * rare coincident pairs are fixed up after. */
static void
sum_all_terms (CmLayoutStress *self,
               guint           i,
               double          xi,
               double          yi,
               const guint16  *drow,
               double         *sx,
               double         *sy,
               double         *sw,
               double         *acc)
{
  const double *pos = self->pos;
  const double *radius = self->radius;
  const double *target = self->target;
  const double *inv_d2 = self->inv_d2;
  double ri_gap = self->radius[i] + self->gap;
  double tiny = 1e-9 * self->unit, tiny2 = tiny * tiny;
  double ax = 0.0, ay = 0.0, aw = 0.0, as = 0.0;
  gboolean coincident = FALSE;
  guint n = self->n;

  for (guint j = 0; j < n; j++)
    {
      guint d = drow[j];
      double w = d > 1 ? inv_d2[d] : 0.0;
      double xj = pos[2 * j], yj = pos[2 * j + 1];
      double dx = xi - xj, dy = yi - yj;
      double l2 = dx * dx + dy * dy;
      double tg = target[d], rr = ri_gap + radius[j];
      double len, f;

      tg = rr > tg ? rr : tg;
      coincident |= (l2 < tiny2) & (w > 0.0);
      len = sqrt (l2);
      f = tg / (len > tiny ? len : tiny);
      ax += w * (xj + f * dx);
      ay += w * (yj + f * dy);
      aw += w;
      as += w * (len - tg) * (len - tg);
    }

  if (G_UNLIKELY (coincident))
    for (guint j = 0; j < n; j++)
      {
        guint d = drow[j];
        double dx = xi - pos[2 * j], dy = yi - pos[2 * j + 1];
        double tg = target[d], rr = ri_gap + radius[j], ux, uy;

        if (d <= 1 || !(dx * dx + dy * dy < tiny2))
          continue;
        tg = rr > tg ? rr : tg;
        /* Any direction would do for a coincident pair; take one that
         * depends only on the pair. */
        _cm_layout_pair_direction (i, j, &ux, &uy);
        ax += inv_d2[d] * (tg * ux - tg / tiny * dx);
        ay += inv_d2[d] * (tg * uy - tg / tiny * dy);
      }

  *sx += ax;
  *sy += ay;
  *sw += aw;
  *acc += as;
}

/* The same for the pivot terms of the sparse model, reading pivots from
 * contiguous copies. */
static void
sum_pivot_terms (CmLayoutStress *self,
                 guint           i,
                 double          xi,
                 double          yi,
                 double         *sx,
                 double         *sy,
                 double         *sw,
                 double         *acc)
{
  guint k = self->n_piv, stride = self->max_d + 1;
  const guint16 *drow = self->pdist + (gsize) i * k;
  const double *ppos = self->ppos;
  const double *prad = self->prad;
  const double *target = self->target;
  double ri = self->radius[i];
  double tiny = 1e-9 * self->unit, tiny2 = tiny * tiny;
  double ax = 0.0, ay = 0.0, aw = 0.0, as = 0.0;
  gboolean coincident = FALSE;

  for (guint t = 0; t < k; t++)
    {
      guint d = drow[t];
      double w = self->wtab ? self->wtab[t * stride + d] :
                 d > 1 ? far_weight (self, t, d) : 0.0;
      double xj = ppos[2 * t], yj = ppos[2 * t + 1];
      double dx = xi - xj, dy = yi - yj;
      double l2 = dx * dx + dy * dy;
      double tg = target[d], rr = ri + prad[t];
      double len, f;

      tg = rr > tg ? rr : tg;
      coincident |= (l2 < tiny2) & (w > 0.0);
      len = sqrt (l2);
      f = tg / (len > tiny ? len : tiny);
      ax += w * (xj + f * dx);
      ay += w * (yj + f * dy);
      aw += w;
      as += w * (len - tg) * (len - tg);
    }

  if (G_UNLIKELY (coincident))
    for (guint t = 0; t < k; t++)
      {
        guint d = drow[t];
        double dx = xi - ppos[2 * t], dy = yi - ppos[2 * t + 1];
        double tg = target[d], rr = ri + prad[t], w, ux, uy;

        if (d <= 1 || !(dx * dx + dy * dy < tiny2))
          continue;
        w = far_weight (self, t, d);
        tg = rr > tg ? rr : tg;
        _cm_layout_pair_direction (i, self->pivots[t], &ux, &uy);
        ax += w * (tg * ux - tg / tiny * dx);
        ay += w * (tg * uy - tg / tiny * dy);
      }

  *sx += ax;
  *sy += ay;
  *sw += aw;
  *acc += as;
}

/* Returns the number of terms. */
static guint
update_node (CmLayoutStress *self,
             guint           row,
             guint           i)
{
  const CmLayoutGraph *g = self->graph;
  double *pos = self->pos;
  double xi = pos[2 * i], yi = pos[2 * i + 1];
  double sx = 0.0, sy = 0.0, sw = 0.0, acc = 0.0;
  guint terms = 0;

  for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
    {
      guint j = g->adj[e];
      /* Heavier links pull harder, within reason. */
      double w = CLAMP (g->weight[e], 0.25, 4.0);

      add_term (pos, i, j, xi, yi, pair_target (self, self->unit, i, j), w,
                &sx, &sy, &sw, &acc);
    }
  terms += g->offsets[i + 1] - g->offsets[i];

  if (!self->sparse)
    {
      sum_all_terms (self, i, xi, yi, self->dist + (gsize) row * self->n,
                     &sx, &sy, &sw, &acc);
      terms += self->n;
    }
  else
    {
      sum_pivot_terms (self, i, xi, yi, &sx, &sy, &sw, &acc);
      terms += self->n_piv;
    }

  if (sw > 0.0)
    {
      double nx = sx / sw, ny = sy / sw;

      if (isfinite (nx) && isfinite (ny))
        {
          pos[2 * i] = nx;
          pos[2 * i + 1] = ny;
          if (self->sparse && self->pivot_of[i] != G_MAXUINT)
            {
              self->ppos[2 * self->pivot_of[i]] = nx;
              self->ppos[2 * self->pivot_of[i] + 1] = ny;
            }
        }
    }
  self->acc += acc;

  return terms;
}

void
_cm_layout_stress_fit_scale (CmLayoutStress *self)
{
  const CmLayoutGraph *g = self->graph;
  const double *pos = self->pos;
  double num = 0.0, den = 0.0, cx = 0.0, cy = 0.0, s;

  g_return_if_fail (self->prepared);

  if (self->n_mov < 2)
    return;

  /* s = Σ w t ‖x_ij‖ / Σ w ‖x_ij‖² over the same terms the iterations use;
   * edges and, for the full model, one row per node are plenty. */
  for (guint r = 0; r < self->n_mov; r++)
    {
      guint i = self->mov[r];

      for (guint e = g->offsets[i]; e < g->offsets[i + 1]; e++)
        {
          guint j = g->adj[e];
          double dx = pos[2 * i] - pos[2 * j], dy = pos[2 * i + 1] - pos[2 * j + 1];
          double len = sqrt (dx * dx + dy * dy);

          num += self->unit * len;
          den += len * len;
        }
      if (!self->sparse)
        {
          const guint16 *drow = self->dist + (gsize) r * self->n;

          for (guint j = 0; j < self->n; j++)
            {
              guint d = drow[j];
              double dx, dy, len;

              if (d <= 1)
                continue;
              dx = pos[2 * i] - pos[2 * j];
              dy = pos[2 * i + 1] - pos[2 * j + 1];
              len = sqrt (dx * dx + dy * dy);
              num += self->inv_d2[d] * self->target[d] * len;
              den += self->inv_d2[d] * len * len;
            }
        }
      else
        {
          const guint16 *drow = self->pdist + (gsize) i * self->n_piv;

          for (guint t = 0; t < self->n_piv; t++)
            {
              guint d = drow[t];
              guint p = self->pivots[t];
              double dx, dy, len;

              if (d <= 1)
                continue;
              dx = pos[2 * i] - pos[2 * p];
              dy = pos[2 * i + 1] - pos[2 * p + 1];
              len = sqrt (dx * dx + dy * dy);
              num += self->inv_d2[d] * self->target[d] * len;
              den += self->inv_d2[d] * len * len;
            }
        }
      cx += pos[2 * i];
      cy += pos[2 * i + 1];
    }

  if (!(den > 0.0) || !(num > 0.0))
    return;
  s = num / den;
  if (!isfinite (s))
    return;

  cx /= self->n_mov;
  cy /= self->n_mov;
  for (guint r = 0; r < self->n_mov; r++)
    {
      guint i = self->mov[r];

      self->pos[2 * i] = cx + s * (self->pos[2 * i] - cx);
      self->pos[2 * i + 1] = cy + s * (self->pos[2 * i + 1] - cy);
    }
}

/* Projection onto the overlap-free layouts, alternating with stress sweeps
 * (projected Gauss–Seidel): each sweep pulls the drawing back towards the
 * stress optimum, each projection pushes apart what the sweep squeezed, and
 * they settle where the stress is balanced by contacts, so crowds spread the
 * way the stress wants rather than being shoved blindly. */
static guint64
separate (CmLayoutStress *self,
          guint          *found)
{
  guint remaining;

  return _cm_layout_remove_overlaps (self->n, self->pos, self->radius, self->movable,
                                     self->gap, self->min_sep, SEP_PUSH_PASSES,
                                     found, &remaining);
}

/* The normalized stress does not depend on scale, but overlaps do: a
 * small-world graph has more nodes within a few hops than a drawing at the
 * ideal edge length has room for.  Scaling the converged layout (and the
 * targets with it) changes no stress, and leaves the projection only local
 * crowds to resolve, where pushing costs little.  The factor is the least
 * that brings the pairs too close below INFLATE_PAIRS_PER_NODE per node:
 * small and sparse graphs keep their edge length. */
static guint64
inflate (CmLayoutStress *self)
{
  double r_mean = 0.0, sep, lambda = 1.0, cx = 0.0, cy = 0.0;
  guint64 work = 0;

  for (guint i = 0; i < self->n; i++)
    r_mean += self->radius[i];
  r_mean /= self->n;
  sep = MAX (self->min_sep, 2.0 * r_mean + self->gap);

  while (lambda < INFLATE_MAX)
    {
      guint limit = (guint) (INFLATE_PAIRS_PER_NODE * self->n);
      guint pairs = _cm_layout_count_close_pairs (self->n, self->pos, sep / lambda, limit);

      work += self->n;
      if (pairs <= limit)
        break;
      lambda *= INFLATE_STEP;
    }
  if (lambda == 1.0)
    return work;

  for (guint i = 0; i < self->n; i++)
    {
      cx += self->pos[2 * i];
      cy += self->pos[2 * i + 1];
    }
  cx /= self->n;
  cy /= self->n;
  for (guint i = 0; i < self->n; i++)
    {
      self->pos[2 * i] = cx + lambda * (self->pos[2 * i] - cx);
      self->pos[2 * i + 1] = cy + lambda * (self->pos[2 * i + 1] - cy);
    }
  self->unit *= lambda;
  for (guint d = 0; d <= self->max_d; d++)
    self->target[d] *= lambda;

  return work;
}

static guint64
end_iteration (CmLayoutStress *self)
{
  double stress = self->acc;
  guint64 work = 0;

  self->cursor = 0;
  self->acc = 0.0;
  self->iter++;
  if (self->in_sep)
    {
      guint found;

      work += separate (self, &found);
      if (found == 0 || self->iter >= self->max_iter)
        self->done = TRUE;
    }
  /* Relative improvement of the (Gauss–Seidel) stress; the majorant
   * guarantees it never goes up, up to rounding. */
  else if (self->iter >= self->max_iter ||
           stress <= 0.0 ||
           self->last - stress < self->tolerance * self->last)
    {
      if (self->sep_max_iter > 0)
        {
          self->in_sep = TRUE;
          self->iter = 0;
          self->max_iter = self->sep_max_iter;
          if (self->allow_inflate)
            work += inflate (self);
        }
      else
        self->done = TRUE;
    }
  self->last = stress;

  return work;
}

/* Stochastic gradient descent on the stress (Zheng, Pawar and Goodman,
 * "Graph drawing by stochastic gradient descent", 2018): pairs in random
 * order, each moved towards its target distance by a share μ = min(w η, 1)
 * of the error, η annealed from 1/w_min to ε/w_max.  It reaches lower
 * stress than majorization and escapes the folds a force layout can leave
 * (trees twisted on themselves), at the cost of one shuffle per pass. */
static guint64
sgd_run (CmLayoutStress *self,
         guint64         budget)
{
  double *pos = self->pos;
  guint n = self->n;
  guint64 work = 0;

  while (self->anneal && work < budget)
    {
      double eta = self->eta_max * exp (-self->eta_decay * self->sgd_iter);

      if (!self->shuffled)
        {
          /* Fisher–Yates with our own generator, resumable. */
          if (self->shuffle_k == 0)
            self->shuffle_k = self->n_pairs;
          for (; self->shuffle_k > 1 && work < budget; self->shuffle_k--, work++)
            {
              gsize k = self->shuffle_k;
              gsize o = (gsize) (_cm_rng_double (&self->rng) * k);
              guint r = self->pairs[2 * (k - 1)], j = self->pairs[2 * (k - 1) + 1];

              self->pairs[2 * (k - 1)] = self->pairs[2 * o];
              self->pairs[2 * (k - 1) + 1] = self->pairs[2 * o + 1];
              self->pairs[2 * o] = r;
              self->pairs[2 * o + 1] = j;
            }
          if (self->shuffle_k > 1)
            break;
          self->shuffle_k = 0;
          self->shuffled = TRUE;
        }

      /* A pair costs about three terms of a sweep (scattered reads). */
      for (; self->pair_cursor < self->n_pairs && work < budget; self->pair_cursor++, work += 3)
        {
          guint r = self->pairs[2 * self->pair_cursor];
          guint j = self->pairs[2 * self->pair_cursor + 1];
          guint i = self->mov[r];
          guint d = self->dist[(gsize) r * n + j];
          double t = pair_target (self, self->target[d], i, j);
          double mu = MIN (self->inv_d2[d] * eta, 1.0);
          double dx = pos[2 * i] - pos[2 * j], dy = pos[2 * i + 1] - pos[2 * j + 1];
          double len = sqrt (dx * dx + dy * dy), ux, uy, delta;

          if (len > 1e-9 * t)
            {
              ux = dx / len;
              uy = dy / len;
            }
          else
            _cm_layout_pair_direction (i, j, &ux, &uy);

          delta = mu * (len - t);
          if (self->movable[j])
            {
              delta *= 0.5;
              pos[2 * j] += delta * ux;
              pos[2 * j + 1] += delta * uy;
            }
          pos[2 * i] -= delta * ux;
          pos[2 * i + 1] -= delta * uy;
        }

      if (self->pair_cursor == self->n_pairs)
        {
          self->pair_cursor = 0;
          self->shuffled = FALSE;
          if (++self->sgd_iter >= SGD_ITER)
            {
              self->anneal = FALSE;
              g_clear_pointer (&self->pairs, g_free);
            }
        }
    }

  return work;
}

gboolean
_cm_layout_stress_run (CmLayoutStress *self,
                       guint64         budget,
                       guint64        *work)
{
  g_return_val_if_fail (self->prepared, FALSE);

  *work = 0;
  if (self->anneal)
    *work += sgd_run (self, budget);

  while (!self->done && *work < budget)
    {
      /* Positions may have changed in bulk between sweeps (scaling,
       * separation). */
      if (self->cursor == 0 && self->sparse)
        for (guint t = 0; t < self->n_piv; t++)
          {
            self->ppos[2 * t] = self->pos[2 * self->pivots[t]];
            self->ppos[2 * t + 1] = self->pos[2 * self->pivots[t] + 1];
          }
      *work += update_node (self, self->cursor, self->mov[self->cursor]);
      if (++self->cursor == self->n_mov)
        *work += end_iteration (self);
    }

  return !self->done;
}

void
_cm_layout_stress_set_separation (CmLayoutStress *self,
                                  double          min_separation,
                                  guint           max_iter,
                                  gboolean        allow_inflate)
{
  self->min_sep = min_separation;
  self->sep_max_iter = max_iter;
  self->allow_inflate = allow_inflate;
}

double
_cm_layout_stress_get_unit (CmLayoutStress *self)
{
  return self->unit;
}

void
_cm_layout_stress_set_anneal (CmLayoutStress *self,
                              gboolean        anneal,
                              double          eta_max)
{
  g_return_if_fail (!self->prepared);
  self->anneal = anneal;
  self->eta_max = eta_max;
}

double
_cm_layout_stress_get_fraction (CmLayoutStress *self)
{
  double sweeps, sgd;
  gboolean annealed = self->n_pairs > 0;

  if (self->done)
    return 1.0;

  sgd = (self->sgd_iter + (double) self->pair_cursor / MAX (self->n_pairs, 1)) / SGD_ITER;
  sweeps = (self->iter + (double) self->cursor / MAX (self->n_mov, 1)) / self->max_iter;
  if (self->anneal)
    return 0.5 * MIN (1.0, sgd);
  if (self->in_sep)
    return 0.9 + 0.1 * MIN (1.0, sweeps);
  return (annealed ? 0.5 : 0.0) + (annealed ? 0.4 : 0.9) * MIN (1.0, sweeps);
}

void
_cm_layout_stress_free (CmLayoutStress *self)
{
  if (self == NULL)
    return;
  g_free (self->mov);
  g_free (self->inv_d2);
  g_free (self->target);
  g_free (self->dist);
  g_free (self->pivots);
  g_free (self->pdist);
  g_free (self->nearest);
  g_free (self->min_dist);
  g_free (self->region_off);
  g_free (self->region_count);
  g_free (self->region_radius);
  g_free (self->pivot_of);
  g_free (self->ppos);
  g_free (self->prad);
  g_free (self->wtab);
  g_free (self->pairs);
  g_free (self->bfs_dist);
  g_free (self->bfs_queue);
  g_free (self);
}

/* Public quality metric. */
double
cm_layout_compute_stress (guint          n,
                          const double  *xy,
                          guint          n_edges,
                          const guint   *edges,
                          guint          max_sources)
{
  g_autofree CmLayoutEdge *list = NULL;
  g_autofree guint *dist = NULL;
  g_autofree guint *queue = NULL;
  CmLayoutGraph graph = { 0, };
  double a = 0.0, b = 0.0, pairs = 0.0, stress;
  gboolean all_pairs;
  guint n_sources, m = 0;

  g_return_val_if_fail (n == 0 || xy != NULL, 0.0);
  g_return_val_if_fail (n_edges == 0 || edges != NULL, 0.0);

  if (n < 2)
    return 0.0;

  list = g_new (CmLayoutEdge, MAX (n_edges, 1));
  for (guint e = 0; e < n_edges; e++)
    {
      if (edges[2 * e] >= n || edges[2 * e + 1] >= n)
        {
          g_critical ("%s: edge %u (%u, %u) out of range", G_STRFUNC, e,
                      edges[2 * e], edges[2 * e + 1]);
          continue;
        }
      list[m].a = edges[2 * e];
      list[m].b = edges[2 * e + 1];
      list[m].w = 1.0;
      m++;
    }
  _cm_layout_graph_build (&graph, n, list, m);

  all_pairs = max_sources == 0 || max_sources >= n;
  n_sources = all_pairs ? n : max_sources;
  dist = g_new (guint, n);
  queue = g_new (guint, n);

  /* With the optimal scale s = A/B, where A = Σ ‖x_ij‖/d_ij and
   * B = Σ ‖x_ij‖²/d_ij², the normalized stress over N pairs reduces to
   * (s²B − 2sA + N)/N = 1 − A²/(B N): one pass suffices. */
  for (guint k = 0; k < n_sources; k++)
    {
      guint s = all_pairs ? k : (guint) (((guint64) k * n) / n_sources);
      guint reached = _cm_layout_graph_bfs (&graph, s, dist, queue);

      for (guint q = 1; q < reached; q++)
        {
          guint j = queue[q];
          double dx, dy, len, d;

          if (all_pairs && j < s)
            continue;
          dx = xy[2 * s] - xy[2 * j];
          dy = xy[2 * s + 1] - xy[2 * j + 1];
          len = sqrt (dx * dx + dy * dy);
          d = dist[j];
          a += len / d;
          b += len * len / (d * d);
          pairs += 1.0;
        }
    }
  _cm_layout_graph_clear (&graph);

  if (pairs == 0.0)
    return 0.0;
  if (!(b > 0.0))
    return isnan (b) ? NAN : 1.0;

  stress = 1.0 - a * a / (b * pairs);
  return MAX (stress, 0.0);
}
