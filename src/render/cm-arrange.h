/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-model.h"

G_BEGIN_DECLS

/* Runs the layout (src/layout, which knows only arrays) on a dataset: copies
 * actors and links in, and positions back out.  Lives above both layers. */
typedef struct _CmArrange CmArrange;

/* @relayout_all: move every actor that is not pinned, not only the ones
 * without a position. */
CmArrange *cm_arrange_new      (CmDataset *dataset,
                                gboolean   relayout_all,
                                guint64    seed);
void       cm_arrange_free     (CmArrange *arrange);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmArrange, cm_arrange_free)

/* One bounded slice of work, positions written back to the actors; TRUE
 * while more remains.  For the window's animation. */
gboolean   cm_arrange_step     (CmArrange *arrange);
double     cm_arrange_get_progress (CmArrange *arrange);

/* Lays out to the end and writes positions back: what --export does.
 * FALSE, and nothing written, when @cancellable (nullable) is cancelled:
 * measuring the names stops at once (a cancelled load kept a thread
 * shaping 100 000 names with harfbuzz past the end of the program, whose
 * exit freed harfbuzz's tables under it); the layout itself runs to its
 * end. */
gboolean   cm_arrange_dataset  (CmDataset    *dataset,
                                gboolean      relayout_all,
                                guint64       seed,
                                GCancellable *cancellable);

G_END_DECLS
