/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-model.h"
#include "cm-viewport.h"

G_BEGIN_DECLS

#define CM_TYPE_CANVAS (cm_canvas_get_type ())
G_DECLARE_FINAL_TYPE (CmCanvas, cm_canvas, CM, CANVAS, GtkWidget)

/* The map on screen: draws @dataset as @viewport says, with the renderer the
 * exports use, and turns pointer, touch and keys into changes of the
 * viewport (pan, zoom, selection, hover) and of actor positions. */
GtkWidget  *cm_canvas_new                (void);

CmDataset  *cm_canvas_get_dataset        (CmCanvas   *self);
/* Setting a dataset clears the selection and fits the view once the
 * canvas has a size. */
void        cm_canvas_set_dataset        (CmCanvas   *self,
                                          CmDataset  *dataset);
void        cm_canvas_set_drawing_copy (CmCanvas   *self,
                                        CmDataset  *copy,
                                        guint64     generation);
CmViewport *cm_canvas_get_viewport       (CmCanvas   *self);
void        cm_canvas_set_viewport       (CmCanvas   *self,
                                          CmViewport *viewport);

void        cm_canvas_zoom               (CmCanvas   *self,
                                          double      factor);
void        cm_canvas_fit                (CmCanvas   *self);
/* Centres the view on @actor (keeping the zoom). */
void        cm_canvas_center_on_actor    (CmCanvas   *self,
                                          CmActor    *actor);
/* Selects the next (or previous) actor in the dataset's order, wrapping
 * around only when @wrap; FALSE when there was none to go to. */
gboolean    cm_canvas_select_next_actor  (CmCanvas   *self,
                                          int         direction,
                                          gboolean    wrap);

/* Animates a new layout of every actor that is not pinned. */
void        cm_canvas_rearrange          (CmCanvas   *self);
gboolean    cm_canvas_get_arranging      (CmCanvas   *self);
void        cm_canvas_stop_arranging     (CmCanvas   *self);

/* The text the tooltip shows for an actor or a link. */
char       *cm_canvas_describe_actor     (CmDataset  *dataset,
                                          CmActor    *actor);
char       *cm_canvas_describe_link      (CmDataset  *dataset,
                                          CmLink     *link);

G_END_DECLS
