/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-model.h"
#include "cm-render.h"

G_BEGIN_DECLS

#define CM_TYPE_VIEWPORT (cm_viewport_get_type ())
G_DECLARE_FINAL_TYPE (CmViewport, cm_viewport, CM, VIEWPORT, GObject)

/* The state of one view of a map: where it looks (zoom, centre), what is
 * selected and hovered, which channel kinds are shown, the theme.  Widgets
 * write to it and redraw on notify, as libshumate's ShumateViewport does.
 * It knows nothing of widgets: cm_viewport_get_render_options() turns it
 * into the options the renderer and the exporter take. */
CmViewport     *cm_viewport_new                  (void);

double          cm_viewport_get_zoom             (CmViewport     *self);
void            cm_viewport_set_zoom             (CmViewport     *self,
                                                  double          zoom);
double          cm_viewport_get_center_x         (CmViewport     *self);
double          cm_viewport_get_center_y         (CmViewport     *self);
void            cm_viewport_set_center           (CmViewport     *self,
                                                  double          x,
                                                  double          y);

CmActor        *cm_viewport_get_selected_actor   (CmViewport     *self);
CmLink         *cm_viewport_get_selected_link    (CmViewport     *self);
/* Selects one actor, one link, or nothing (both NULL).  An actor and a link
 * are never selected together: selecting one clears the other. */
void            cm_viewport_select_actor         (CmViewport     *self,
                                                  CmActor        *actor);
void            cm_viewport_select_link          (CmViewport     *self,
                                                  CmLink         *link);
void            cm_viewport_clear_selection      (CmViewport     *self);

CmActor        *cm_viewport_get_hover_actor      (CmViewport     *self);
CmLink         *cm_viewport_get_hover_link       (CmViewport     *self);
void            cm_viewport_set_hover            (CmViewport     *self,
                                                  CmActor        *actor,
                                                  CmLink         *link);

CmChannelFlags  cm_viewport_get_channels         (CmViewport     *self);
void            cm_viewport_set_channels         (CmViewport     *self,
                                                  CmChannelFlags  channels);
gboolean        cm_viewport_get_channel_visible  (CmViewport     *self,
                                                  CmChannel       channel);
void            cm_viewport_set_channel_visible  (CmViewport     *self,
                                                  CmChannel       channel,
                                                  gboolean        visible);

CmRenderTheme   cm_viewport_get_theme            (CmViewport     *self);
void            cm_viewport_set_theme            (CmViewport     *self,
                                                  CmRenderTheme   theme);

/* Fills @options for a target of @width × @height. */
void            cm_viewport_get_render_options   (CmViewport     *self,
                                                  double          width,
                                                  double          height,
                                                  CmRenderOptions *options);

/* Conversions between a target of @width × @height and diagram units. */
void            cm_viewport_to_diagram           (CmViewport     *self,
                                                  double          width,
                                                  double          height,
                                                  double          x,
                                                  double          y,
                                                  double         *diagram_x,
                                                  double         *diagram_y);

/* Multiplies the zoom by @factor keeping the diagram point under (x, y)
 * of the target where it is.  The zoom stays within the viewport's limits. */
void            cm_viewport_zoom_at              (CmViewport     *self,
                                                  double          width,
                                                  double          height,
                                                  double          factor,
                                                  double          x,
                                                  double          y);
/* Moves the view by (dx, dy) target units: the map follows the pointer. */
void            cm_viewport_pan                  (CmViewport     *self,
                                                  double          dx,
                                                  double          dy);
/* Zoom and centre so the whole of @dataset fits a @width × @height target. */
void            cm_viewport_fit                  (CmViewport     *self,
                                                  CmDataset      *dataset,
                                                  double          width,
                                                  double          height);

#define CM_VIEWPORT_MIN_ZOOM 0.02
#define CM_VIEWPORT_MAX_ZOOM 40.0

G_END_DECLS
