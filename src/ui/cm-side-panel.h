/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-model.h"
#include "cm-viewport.h"

G_BEGIN_DECLS

#define CM_TYPE_SIDE_PANEL (cm_side_panel_get_type ())
G_DECLARE_FINAL_TYPE (CmSidePanel, cm_side_panel, CM, SIDE_PANEL, GtkWidget)

/* The evidence beside the map.  With nothing selected: the dataset's title,
 * description, counts and sources.  With an actor or a link: what it is,
 * its channels or its ends, and every quote behind it, in a list view. */
GtkWidget  *cm_side_panel_new          (void);

CmDataset  *cm_side_panel_get_dataset  (CmSidePanel *self);
void        cm_side_panel_set_dataset  (CmSidePanel *self,
                                        CmDataset   *dataset);
CmViewport *cm_side_panel_get_viewport (CmSidePanel *self);
void        cm_side_panel_set_viewport (CmSidePanel *self,
                                        CmViewport  *viewport);

/* The quotes shown now (for tests and accessibility checks). */
GListModel *cm_side_panel_get_quotes   (CmSidePanel *self);

G_END_DECLS
