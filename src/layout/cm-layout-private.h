/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-layout.h"

G_BEGIN_DECLS

/* Our own PRNG (splitmix64): GLib's g_random gives no promise that its
 * sequence stays the same across versions, and the layout must be
 * reproducible from its seed. */
typedef struct
{
  guint64 state;
} CmRng;

static inline void
_cm_rng_init (CmRng   *rng,
              guint64  seed,
              guint64  stream)
{
  rng->state = seed ^ (stream * G_GUINT64_CONSTANT (0xd1342543de82ef95));
}

static inline guint64
_cm_rng_next (CmRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* In [0, 1). */
static inline double
_cm_rng_double (CmRng *rng)
{
  return (double) (_cm_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* In [0, bound), bound > 0. */
static inline guint
_cm_rng_uint (CmRng *rng,
              guint  bound)
{
  return (guint) (((_cm_rng_next (rng) >> 32) * (guint64) bound) >> 32);
}

/* A fixed pseudo-random unit vector for a pair of nodes, used to separate
 * coincident points in a way that depends only on the pair, never on the
 * order of evaluation. */
void _cm_layout_pair_direction (guint   i,
                                guint   j,
                                double *ux,
                                double *uy);

/* Undirected graph in compressed sparse row form, without self-loops or
 * parallel edges (their weights are summed). */
typedef struct
{
  guint   n;
  guint  *offsets;   /* n + 1 */
  guint  *adj;       /* offsets[n]; each list sorted by neighbour */
  double *weight;    /* offsets[n] */
} CmLayoutGraph;

typedef struct
{
  guint  a;
  guint  b;
  double w;
} CmLayoutEdge;

/* Sorts @edges in place. */
void   _cm_layout_graph_build    (CmLayoutGraph *graph,
                                  guint          n,
                                  CmLayoutEdge  *edges,
                                  guint          n_edges);
void   _cm_layout_graph_clear    (CmLayoutGraph *graph);

#define CM_LAYOUT_UNREACHED G_MAXUINT

/* Breadth-first search from @source.  @dist (n) receives hop counts or
 * CM_LAYOUT_UNREACHED; @queue (n) is scratch and on return holds the
 * reached nodes in BFS order.  Returns the number of nodes reached. */
guint  _cm_layout_graph_bfs      (const CmLayoutGraph *graph,
                                  guint                source,
                                  guint               *dist,
                                  guint               *queue);

/* Labels connected components 0, 1, … in order of their smallest node.
 * Returns the number of components. */
guint  _cm_layout_graph_components (const CmLayoutGraph *graph,
                                    guint               *component);

/* One level of the multilevel hierarchy. */
typedef struct
{
  CmLayoutGraph graph;
  double       *mass;      /* n: number of finest nodes it stands for */
  guint        *parent;    /* n: its node in the next coarser level, or NULL */
} CmLayoutLevel;

/* Coarsens @fine into a new level (and fills fine->parent).  Returns NULL
 * when the graph is too small to be worth it. */
CmLayoutLevel *_cm_layout_level_coarsen (CmLayoutLevel *fine,
                                         CmRng         *rng);
void           _cm_layout_level_free    (CmLayoutLevel *level);

/* Spring-electrical refinement (Hu 2005) with Barnes–Hut repulsion. */
typedef struct _CmLayoutForce CmLayoutForce;

CmLayoutForce *_cm_layout_force_new       (const CmLayoutLevel *level,
                                           double              *pos,
                                           double               k,
                                           double               initial_step,
                                           guint                max_iter);
/* One iteration; returns the work done (in pair interactions).  Sets
 * *converged when the layout has settled. */
guint64        _cm_layout_force_iterate   (CmLayoutForce       *force,
                                           gboolean            *converged);
double         _cm_layout_force_get_fraction (CmLayoutForce    *force);
void           _cm_layout_force_free      (CmLayoutForce       *force);

/* Stress majorization with localized (Gauss–Seidel) updates, on the nodes
 * of one connected component.  @local weighs pairs by d⁻⁴ instead of d⁻²:
 * for a few nodes joining a fixed drawing, where their neighbours matter
 * more than a compromise with the whole drawing. */
typedef struct _CmLayoutStress CmLayoutStress;

CmLayoutStress *_cm_layout_stress_new     (const CmLayoutGraph *graph,
                                           double              *pos,
                                           const double        *radius,
                                           const guint8        *movable,
                                           double               unit,
                                           double               gap,
                                           gboolean             sparse,
                                           gboolean             local,
                                           guint                n_pivots,
                                           CmRng               *rng);
/* Full model only: start with stochastic gradient descent, annealed from
 * step size @eta_max (0: from 1/w_min, which forgets the start, for a fresh
 * layout; 1: a warm restart that keeps the shape of the start but may leave
 * its local minimum). */
void            _cm_layout_stress_set_anneal (CmLayoutStress   *stress,
                                              gboolean          anneal,
                                              double            eta_max);
/* Computes the distances a piece at a time; returns TRUE when ready.
 * *work receives the work done. */
gboolean        _cm_layout_stress_prepare (CmLayoutStress      *stress,
                                           guint64             *work);
/* Scales the (movable part of the) layout by the factor that fits the
 * target distances best; used when the start comes from another model. */
void            _cm_layout_stress_fit_scale (CmLayoutStress    *stress);
/* Updates nodes until about @budget pair terms are done; returns TRUE while
 * more iterations remain. *work receives the work done. */
gboolean        _cm_layout_stress_run     (CmLayoutStress      *stress,
                                           guint64              budget,
                                           guint64             *work);
/* After convergence, go on for up to @max_iter iterations, each followed by
 * a few passes pushing apart pairs closer than max (radius_i + radius_j +
 * gap, @min_separation), until a sweep leaves none.  With @allow_inflate
 * (every node movable), the layout may first be scaled up when it is too
 * crowded for the separation. */
void            _cm_layout_stress_set_separation (CmLayoutStress *stress,
                                                  double          min_separation,
                                                  guint           max_iter,
                                                  gboolean        allow_inflate);
double          _cm_layout_stress_get_fraction (CmLayoutStress *stress);
/* The unit in effect: more than asked for if the layout was scaled up to
 * make room for its nodes. */
double          _cm_layout_stress_get_unit (CmLayoutStress *stress);
void            _cm_layout_stress_free    (CmLayoutStress      *stress);

/* Whether full (all-pairs) stress for @n_movable nodes out of @n is cheap
 * enough. */
gboolean        _cm_layout_stress_use_full (guint n_movable,
                                            guint n);

/* Spatial hash of points in square cells, for neighbour queries. */
typedef struct
{
  guint   n;
  double  cell;
  guint   mask;
  gint64 *cx;          /* n: cell coordinates of each point */
  gint64 *cy;
  guint  *start;       /* mask + 2 */
  guint  *items;       /* n, grouped by bucket */
} CmLayoutGrid;

/* Points with a non-finite coordinate are left out. */
void   _cm_layout_grid_build     (CmLayoutGrid *grid,
                                  guint         n,
                                  const double *xy,
                                  double        cell);
void   _cm_layout_grid_clear     (CmLayoutGrid *grid);
guint  _cm_layout_grid_bucket    (const CmLayoutGrid *grid,
                                  gint64              cx,
                                  gint64              cy);

/* The same passes, resumable: each call goes on from where the last one
 * stopped (same grid, same active nodes), so passes given in slices end
 * exactly where the same passes in one call do.  Radii, gap and
 * separation are the ones given to _new(); @radius must be that array.
 * @count_after: after the @max_passes, one more that only counts the
 * pairs left (the last slice).  *remaining is 0 once a pass found
 * nothing. */
typedef struct _CmOverlapPasses CmOverlapPasses;

CmOverlapPasses *_cm_layout_overlap_passes_new  (guint            n,
                                                 const double    *radius,
                                                 double           gap,
                                                 double           min_separation);
guint64          _cm_layout_overlap_passes_run  (CmOverlapPasses *passes,
                                                 double          *xy,
                                                 const double    *radius,
                                                 const guint8    *movable,
                                                 guint            max_passes,
                                                 gboolean         count_after,
                                                 guint           *first_found,
                                                 guint           *remaining);
void             _cm_layout_overlap_passes_free (CmOverlapPasses *passes);

/* Pushes nodes apart until every pair with at least one movable node is at
 * least max (radius_i + radius_j + gap, min_separation) apart.  Returns the
 * work done; *remaining receives the number of pairs still too close after
 * the last pass (0 on success), *first_found (may be NULL) the number found
 * by the first. */
guint64 _cm_layout_remove_overlaps (guint         n,
                                    double       *xy,
                                    const double *radius,
                                    const guint8 *movable,
                                    double        gap,
                                    double        min_separation,
                                    guint         max_passes,
                                    guint        *first_found,
                                    guint        *remaining);

/* Before pushing: sets out crowds (several movable nodes in one cell of
 * about a separation) as sunflowers around where they are, so pushing
 * only has local work left.  Returns the work done. */
guint64 _cm_layout_spread_crowds   (guint         n,
                                    double       *xy,
                                    const double *radius,
                                    const guint8 *movable,
                                    double        gap,
                                    double        min_separation);

/* cm_layout_count_overlaps(), giving up once past @limit. */
guint   _cm_layout_count_close_pairs (guint         n,
                                      const double *xy,
                                      double        min_distance,
                                      guint         limit);

/* The least d_ij / max (radius_i + radius_j + gap, min_separation) over
 * pairs closer than that (with a movable node); 1 if there is none. */
double  _cm_layout_overlap_min_ratio (guint         n,
                                      const double *xy,
                                      const double *radius,
                                      const guint8 *movable,
                                      double        gap,
                                      double        min_separation);

G_END_DECLS
