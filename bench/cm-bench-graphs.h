/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Benchmark graphs: four families, generated deterministically from a
 * seed with our own generator (GLib's g_random promises no stable
 * sequence), written as a Channel Map dataset without positions and as
 * DOT for Graphviz. */

typedef enum
{
  BENCH_SCALE_FREE,     /* Barabási–Albert, m = 2 */
  BENCH_COMMUNITIES,    /* stochastic block model */
  BENCH_GEOMETRIC,      /* random geometric graph in the unit square */
  BENCH_DIPLOMATIC,     /* states ⊃ ministries ⊃ people, quotes, sources */
  BENCH_N_FAMILIES
} BenchFamily;

typedef enum
{
  BENCH_DIRECT,
  BENCH_INDIRECT,
  BENCH_ABSENT,
} BenchChannel;

typedef struct
{
  guint  source;
  guint  target;
  guint8 channel;
  guint8 n_quotes;
  gint   via;          /* an intermediary, or -1 */
} BenchLink;

typedef struct
{
  BenchFamily family;
  guint       n;
  guint8     *kind;    /* n: 0 person, 1 state, 2 organization, 3 media, 4 other */
  gint       *group;   /* n: the actor it belongs to, or -1 */
  GArray     *links;   /* BenchLink */
  guint       n_sources;
} BenchGraph;

const char *bench_family_name  (BenchFamily  family);
gboolean    bench_family_parse (const char  *name,
                                BenchFamily *family);

BenchGraph *bench_graph_new    (BenchFamily  family,
                                guint        n,
                                guint64      seed);
void        bench_graph_free   (BenchGraph  *graph);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchGraph, bench_graph_free)

/* 2 × n_links node indices, source and target of every link (what the
 * stress is measured against: the links themselves, not their routes). */
guint      *bench_graph_edges  (BenchGraph  *graph,
                                guint       *n_edges);

gboolean    bench_graph_write_json (BenchGraph  *graph,
                                    const char  *filename,
                                    GError     **error);
gboolean    bench_graph_write_dot  (BenchGraph  *graph,
                                    const char  *filename,
                                    GError     **error);

G_END_DECLS
