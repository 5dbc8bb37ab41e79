/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "cm-model.h"

G_BEGIN_DECLS

typedef enum
{
  CM_RENDER_THEME_LIGHT,
  CM_RENDER_THEME_DARK,
} CmRenderTheme;

/* What is drawn and how.  The same struct drives the window's canvas and
 * every export, so the screen and the file show the same drawing.
 *
 * The view maps diagram units to the target's user space:
 *   device = (diagram - center) * zoom + (width / 2, height / 2)
 */
typedef struct
{
  double         zoom;            /* target units per diagram unit; > 0 */
  double         center_x;        /* diagram point at the middle of the target */
  double         center_y;
  double         width;           /* target size in its user units */
  double         height;

  CmRenderTheme  theme;
  CmChannelFlags channels;        /* kinds shown; default CM_CHANNEL_FLAGS_ALL */
  gboolean       background;      /* paint the background (FALSE: transparent) */

  /* Selection and hover (borrowed, nullable).  With a selection the rest
   * of the map fades, so what is selected and its neighbours stand out. */
  CmActor       *selected_actor;
  CmLink        *selected_link;
  CmActor       *hover_actor;
  CmLink        *hover_link;

  /* Decorations drawn in the target's own space, not the diagram's:
   * exports turn them on, the canvas does not (it has its own legend). */
  gboolean       show_title;
  gboolean       show_legend;
  gboolean       show_sources;

  /* TRUE for files: never simplify (no level of detail), so dash patterns
   * and labels are exactly as specified at every size. */
  gboolean       exact;

  /* Layers, for a picture kept and moved rather than drawn again (the
   * window's canvas): @without_actor draws everything but that actor and
   * the links that touch it (ends or intermediaries); @only_actor draws
   * that actor, its links and its name and nothing else, no background
   * (to go over the former while the actor is dragged); @hover_only
   * draws only what hovering adds (ring, highlighted link), to go over a
   * picture drawn with no hover.  Level of detail is decided as for the
   * whole map, so the layers fit together.  Borrowed, nullable. */
  CmActor       *without_actor;
  CmActor       *only_actor;
  gboolean       hover_only;
} CmRenderOptions;

void     cm_render_options_init (CmRenderOptions       *options);

/* Draws @dataset on @cr within (0, 0, width, height) of the current user
 * space (clipped to it).  Actors without a position are not drawn (lay
 * out first), nor links to them.  Text is measured without hinting, so a
 * drawing scaled by the caller (HiDPI, PNG scale) is the same drawing. */
void     cm_render_draw         (cairo_t               *cr,
                                 CmDataset             *dataset,
                                 const CmRenderOptions *options);

/* Bounding box in diagram units of everything drawn for the map itself
 * (shapes, and each name in its default place below its shape), not of
 * the decorations.  Shapes scale with the zoom but text, line widths and
 * dash patterns are in device units, so the box is the one at zoom 1 (the
 * natural size of an export).  FALSE if no actor has a position. */
gboolean cm_render_get_bounds   (CmDataset             *dataset,
                                 double                *x0,
                                 double                *y0,
                                 double                *x1,
                                 double                *y1);

/* Sets zoom and centre so the whole map (shapes and names) fits into the
 * options' width × height with a small margin, leaving room for the
 * decorations that @options turns on (title at the top, sources at the
 * bottom, the legend in the lower left corner, beside or above which the
 * map goes, whichever leaves it bigger).  The zoom never goes above 2, so
 * a map of two actors is not blown up. */
void     cm_render_fit          (CmRenderOptions       *options,
                                 CmDataset             *dataset);

/* What is under a point given in the target's user space: an actor first
 * (topmost), then a link within a few pixels.  Filters apply: hidden kinds
 * are not hit.  Returns FALSE when nothing is there. */
gboolean cm_render_hit_test     (CmDataset             *dataset,
                                 const CmRenderOptions *options,
                                 double                 x,
                                 double                 y,
                                 CmActor              **actor,
                                 CmLink               **link);

/* The colour the legend and the side panel use for a channel kind and for
 * an actor group, so the window's widgets match the drawing. */
void     cm_render_get_channel_color (CmRenderTheme     theme,
                                      CmChannel         channel,
                                      double            rgba[4]);
/* The background colour of the map in @theme. */
void     cm_render_get_background_color (CmRenderTheme  theme,
                                         double         rgba[4]);
/* Draws the legend's sample of a channel's line into (x, y, w, h). */
void     cm_render_draw_channel_sample (cairo_t        *cr,
                                        CmRenderTheme   theme,
                                        CmChannel       channel,
                                        double          x,
                                        double          y,
                                        double          width,
                                        double          height);

G_END_DECLS
