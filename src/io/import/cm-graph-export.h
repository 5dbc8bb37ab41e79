/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cm-model.h"

G_BEGIN_DECLS

/*
 * Graph exports, as pure functions of the dataset (the render layer's
 * cm_export_to_file() writes them atomically for .graphml and .dot).
 *
 * GraphML: networkx/igraph conventions — <key id="d0" for="node"
 * attr.name="name" attr.type="string"/> …; edgedefault is what most links
 * are ("directed" when all are: networkx reads nothing else), the others
 * marked directed="true" or "false".  Node keys: name, label (the name
 * again, for Gephi and igraph, which show "label"), kind, role, group, x, y
 * (y up, as Gephi counts), notes, pinned; edge keys: channel, quotes (their
 * number), topic, mechanism, from, to; graph keys: title, description;
 * then a key for every attribute an importer kept (weights, colours…),
 * typed as its values are (boolean, int, long, double, else string).  Read
 * back by cm_dataset_open_*() to the same actors, links and kept
 * attributes (quotes themselves are not in a graph file: the count reads
 * back as no quotes).
 *
 * DOT: a graph (or digraph with dir=none on undirected links when some
 * are directed); style solid / dashed / dotted for direct / indirect /
 * absent, a channel= attribute kept for re-import, pos="x,y!" (y up, as
 * Graphviz counts) for actors with positions, labels escaped; notes, from,
 * to and the kept attributes as attributes (text: DOT has no types).
 *
 * Both return UTF-8 text ending in a newline; @length (nullable) receives
 * its length in bytes.
 */
char *cm_graphml_write (CmDataset *dataset,
                        gsize     *length);
char *cm_dot_write     (CmDataset *dataset,
                        gsize     *length);

G_END_DECLS
