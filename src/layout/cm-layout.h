/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CmLayout:
 *
 * Graph layout on plain arrays: n nodes (indices 0…n-1) joined by weighted
 * edges.  It depends on nothing but GLib, so the model adapter copies actors
 * and links into it and reads positions back.
 *
 * Nodes are one of:
 *  - free: no position given; the layout places them;
 *  - placed (cm_layout_set_position()): stay exactly where they are, unless
 *    cm_layout_set_relayout_all() is on, in which case they move too,
 *    starting from where they are (the seed still matters);
 *  - pinned (cm_layout_set_pinned() on a placed node): never move.  A pinned
 *    node with no position has nowhere to stay, so it is laid out as a free
 *    node.
 *
 * Connected components are laid out one by one and packed apart (shelves,
 * largest first, isolated nodes in rows) so they never interleave.  A
 * component holding a node that cannot move ("anchored") stays where it is
 * and the others are packed beside it.  In an anchored component, a few
 * free nodes are placed next to their fixed neighbours and nothing else
 * moves; a mostly new one is laid out as if free, then fitted onto its
 * fixed nodes.
 *
 * Free components go through a multilevel force-directed layout (coarsening
 * by matching, Barnes–Hut repulsion, O(n log n) per iteration), then stress
 * minimization (all pairs below about 1100 nodes, sparse pivots above), then
 * overlap removal: no two nodes end closer than the sum of their radii plus
 * a small gap, nor than 0.3 of the ideal edge length (pairs of two fixed
 * nodes excepted).  A graph with more nodes within a few hops than a
 * drawing at the ideal edge length has room for (large scale-free graphs)
 * is drawn larger instead: its edges come out longer than asked.
 *
 * The result is deterministic: same input and seed give bit-identical
 * positions, whether computed by cm_layout_run() or by any sequence of
 * cm_layout_step() calls.  No threads, no GLib random numbers.
 *
 * Changing any input (edges, radii, positions, flags, seed, options) after
 * the layout has started discards the work done and restarts from the inputs
 * on the next step; the positions read back are the inputs again until
 * then.
 */
typedef struct _CmLayout CmLayout;

CmLayout     *cm_layout_new                   (guint          n_nodes);
void          cm_layout_free                  (CmLayout      *layout);

guint         cm_layout_get_n_nodes           (CmLayout      *layout);

/* weight > 0, 1 normal: how hard the edge pulls its ends together (the
 * force model's attraction; the stress weight of the pair, within
 * [0.25, 4]).  Parallel edges (weights add up) and self-loops (ignored) are
 * allowed. */
void          cm_layout_add_edge              (CmLayout      *layout,
                                               guint          a,
                                               guint          b,
                                               double         weight);
/* Half the node's footprint including its label allowance; default 12. */
void          cm_layout_set_radius            (CmLayout      *layout,
                                               guint          node,
                                               double         radius);
void          cm_layout_set_position          (CmLayout      *layout,
                                               guint          node,
                                               double         x,
                                               double         y);
/* Forget a position given with cm_layout_set_position(): the node is free. */
void          cm_layout_unset_position        (CmLayout      *layout,
                                               guint          node);
void          cm_layout_set_pinned            (CmLayout      *layout,
                                               guint          node,
                                               gboolean       pinned);
void          cm_layout_set_seed              (CmLayout      *layout,
                                               guint64        seed);
void          cm_layout_set_relayout_all      (CmLayout      *layout,
                                               gboolean       relayout_all);
/* Default 100 diagram units.  Edges are never asked to be shorter than two
 * nodes of mean radius need not to touch. */
void          cm_layout_set_ideal_edge_length (CmLayout      *layout,
                                               double         length);

/* Step by step, for animation: each call does a bounded slice of work (a few
 * milliseconds at n = 1000) and updates the positions (components not yet
 * laid out wait at a provisional place); returns TRUE while more work
 * remains.  Progress is in [0, 1], never decreases, and is 1 once
 * cm_layout_step() has returned FALSE. */
gboolean      cm_layout_step                  (CmLayout      *layout);
double        cm_layout_get_progress          (CmLayout      *layout);
gboolean      cm_layout_is_done               (CmLayout      *layout);
/* Until done; same result as stepping until FALSE. */
void          cm_layout_run                   (CmLayout      *layout);

/* Before the first step these are the given positions (free nodes at 0,0);
 * during stepping, the layout in progress; when done, the result. */
void          cm_layout_get_position          (CmLayout      *layout,
                                               guint          node,
                                               double        *x,
                                               double        *y);
/* 2 × n doubles x0, y0, x1, y1…; valid until the next call on @layout. */
const double *cm_layout_get_positions         (CmLayout      *layout);

/**
 * cm_layout_compute_stress:
 * @n: number of nodes
 * @xy: 2 × @n coordinates
 * @n_edges: number of edges
 * @edges: 2 × @n_edges node indices (self-loops and parallel edges ignored)
 * @max_sources: 0 for the exact all-pairs value, else the number of BFS
 *   sources to sample (chosen deterministically, evenly spread over 0…n-1)
 *
 * Normalized stress of a layout against graph-theoretic distances d_ij
 * (unweighted hop counts), over connected pairs only.  The layout is first
 * scaled by the factor that minimizes the stress,
 *   s = Σ (d_ij ‖x_i − x_j‖ / d_ij²) / Σ (‖x_i − x_j‖² / d_ij²),
 * then
 *   stress = Σ_{i<j} w_ij (s ‖x_i − x_j‖ − d_ij)² / Σ_{i<j} w_ij d_ij²
 * with w_ij = d_ij⁻².  0 is perfect; a layout with every node on one point
 * scores 1.  Sampling sums the pairs (source, j) over the sampled sources.
 * Memory is O(n + edges); time O(sources × (n + edges)).
 *
 * Returns: the normalized stress, 0 when there is no connected pair.
 */
double        cm_layout_compute_stress        (guint          n,
                                               const double  *xy,
                                               guint          n_edges,
                                               const guint   *edges,
                                               guint          max_sources);

/* Number of pairs of nodes whose centres are closer than @min_distance, by a
 * spatial grid (O(n) for a spread-out layout, not O(n²)).  Points with a
 * non-finite coordinate are ignored. */
guint         cm_layout_count_overlaps        (guint          n,
                                               const double  *xy,
                                               double         min_distance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLayout, cm_layout_free)

G_END_DECLS
