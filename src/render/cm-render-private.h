/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

#include "cm-render.h"

G_BEGIN_DECLS

/* Shared between the files of src/render (and the render tests), not
 * public to the rest of the app. */

/* ------------------------------------------------------------------ */
/* Style: colours, line widths and dash patterns                        */

/* Diagram units from an actor's centre to its rim (the circle's radius). */
#define CM_RENDER_ACTOR_RADIUS 14.0
/* Below this, shapes stop shrinking with the zoom: still a visible dot. */
#define CM_RENDER_MIN_RADIUS 2.5
/* Distance, in device units, between neighbouring parallel curves at their
 * middles. */
#define CM_RENDER_PARALLEL_SPACING 14.0
/* The "no channel" mark: its radius, and the shortest link that has room
 * for it (shorter, the mark would hide the dots that say "absent"). */
#define CM_RENDER_MARK_RADIUS 6.5
#define CM_RENDER_MARK_MIN_LENGTH (5 * CM_RENDER_MARK_RADIUS)
/* How near a point must come to a link's curve to hit it (device units). */
#define CM_RENDER_LINK_HIT_DISTANCE 4.0

#define CM_RENDER_N_GROUP_COLORS 6
#define CM_RENDER_GREY (CM_RENDER_N_GROUP_COLORS)

typedef struct
{
  double background[4];
  double text[4];
  double text_secondary[4];
  double channel[CM_N_CHANNELS][4];
  double fill[CM_RENDER_N_GROUP_COLORS + 1][4];
  double outline[CM_RENDER_N_GROUP_COLORS + 1][4];
  double legend_fill[4];
  double legend_border[4];
  double highlight[4];
} CmRenderStyle;

const CmRenderStyle *_cm_render_style_get (CmRenderTheme theme);

/* Stroke width of a link in device units: direct links grow with the
 * number of quotes behind them. */
double   _cm_render_link_width   (CmChannel channel,
                                  guint     n_quotes);

/* Sets line width, caps and the dash pattern for a channel on @cr.
 * @length is the drawn length of the link in device units, or a negative
 * number for "long": a short link gets a shrunken pattern so at least two
 * dashes or dots show. */
void     _cm_render_set_stroke   (cairo_t  *cr,
                                  CmChannel channel,
                                  double    width,
                                  double    length);
/* The pattern _cm_render_set_stroke() sets: dashes @on long (0: dots, as
 * zero-length dashes with round caps) and @off apart, from the start of
 * the line; @off is 0 for a solid line. */
void     _cm_render_get_dash     (CmChannel  channel,
                                  double     width,
                                  double     length,
                                  double    *on,
                                  double    *off,
                                  gboolean  *round_caps);
/* The length of one dash period at @width (0 for solid lines). */
double   _cm_render_dash_period  (CmChannel channel,
                                  double    width);

/* Appends the outline of an actor's shape (centre @x, @y, radius @r in
 * device units) to the current path.  The ring's hole is wound the other
 * way, so a non-zero fill leaves it empty. */
void     _cm_render_shape_path   (cairo_t    *cr,
                                  CmActorKind kind,
                                  double      x,
                                  double      y,
                                  double      r);
/* The same outline moved out by @grow device units (in, when negative):
 * filling the grown shape in the outline colour and then the shrunken one
 * in the fill colour draws an outlined shape with two fills, which cairo
 * does much faster than a stroke of thousands of shapes at once. */
void     _cm_render_shape_path_grown (cairo_t    *cr,
                                      CmActorKind kind,
                                      double      x,
                                      double      y,
                                      double      r,
                                      double      grow);
/* Signed distance from (@u, @v), relative to the centre, to the shape's
 * rim: negative inside. */
double   _cm_render_shape_distance (CmActorKind kind,
                                    double      r,
                                    double      u,
                                    double      v);
/* Half width and half height of the shape's bounding box. */
void     _cm_render_shape_extents  (CmActorKind kind,
                                    double      r,
                                    double     *half_width,
                                    double     *half_height);

/* Colour index of each actor (palette index or CM_RENDER_GREY), by group
 * as documented in cm-render.c.  @colors has room for every actor. */
void     _cm_render_assign_colors  (CmDataset  *dataset,
                                    guint8     *colors);

/* ------------------------------------------------------------------ */
/* Straight lines drawn into an image's pixels (cm-render-raster.c)     */

typedef struct
{
  gboolean         ok;
  cairo_surface_t *target;
  guint8          *data;
  int              stride;
  int              width, height;
  gboolean         alpha;
  double           scale, tx, ty;       /* user to pixels */
  int              cx0, cy0, cx1, cy1;  /* clip, in whole pixels */
  guint            r, g, b;
} CmRaster;

/* TRUE if @cr draws into an image that lines can be put into directly
 * (see cm-render-raster.c for when).  The caller flushes the target
 * before _cm_raster_polylines() and marks it dirty after, around every batch
 * (cairo may hold drawing back, and must forget what it knew of the
 * pixels). */
gboolean _cm_raster_begin     (CmRaster      *raster,
                               cairo_t       *cr);
/* Opaque colours only. */
void     _cm_raster_set_color (CmRaster      *raster,
                               const double   rgba[4]);
/* Strokes along @n_lines polylines in user coordinates (line i runs
 * through points starts[i] to starts[i + 1] - 1 of @xy, x and y pairs),
 * @width wide, with the dash pattern of _cm_render_get_dash() (@off 0:
 * solid) running on along each, in order. */
void     _cm_raster_polylines (CmRaster              *raster,
                               const double          *xy,
                               const guint           *starts,
                               guint                  n_lines,
                               double                 width,
                               double                 on,
                               double                 off,
                               gboolean               round_caps);

/* Discs of @radius around @n points (x, y pairs), in user coordinates. */
void     _cm_raster_dots      (CmRaster              *raster,
                               const double          *xy,
                               guint                  n,
                               double                 radius);

/* ------------------------------------------------------------------ */
/* Text                                                                 */

typedef enum
{
  CM_RENDER_FONT_LABEL,       /* actor names */
  CM_RENDER_FONT_SMALL,       /* mechanisms, italic */
  CM_RENDER_FONT_TITLE,
  CM_RENDER_FONT_BODY,        /* legend */
  CM_RENDER_FONT_SOURCES,
  CM_RENDER_N_FONTS
} CmRenderFont;

/* The per-thread Pango context every layout of the renderer comes from:
 * an explicit font, 96 dpi, no hinting, no rounding of glyph positions, so
 * the same text measures and draws the same on every machine and at every
 * scale. */
PangoContext *_cm_render_get_pango_context (void);

/* Drops control characters (tab and line breaks become spaces), so a
 * name is drawn as exactly the text it is, on one line.  Never markup.
 * Cut after 4096 characters, with an ellipsis (see MAX_DRAWN_CHARS). */
char        *_cm_render_sanitize_text     (const char   *text);

/* A new layout for plain @text in @font; @max_width in device units
 * (wrapped at words, at most @max_lines lines, then ellipsized); 0: no
 * limit. */
PangoLayout *_cm_render_create_layout     (CmRenderFont  font,
                                           const char   *text,
                                           double        max_width,
                                           int           max_lines);

/* Cached layouts for actor names and mechanisms, keyed on the text
 * (borrowed: valid until the next call from the same thread that clears
 * the cache, i.e. until the next cm_render_* call). */
PangoLayout *_cm_render_get_label_layout  (const char   *name);
/* The logical size of the label _cm_render_get_label_layout() would give,
 * in device units, without keeping a layout for it (sizes are cached,
 * layouts are big). */
void         _cm_render_measure_label     (const char   *name,
                                           double       *width,
                                           double       *height);
PangoLayout *_cm_render_get_small_layout  (const char   *text);

/* Draws @layout with its top-left at (@x, @y) with a halo of @halo. */
void         _cm_render_draw_text         (cairo_t      *cr,
                                           PangoLayout  *layout,
                                           double        x,
                                           double        y,
                                           const double  color[4],
                                           const double  halo[4],
                                           double        alpha);

/* ------------------------------------------------------------------ */
/* The scene: the dataset resolved into device coordinates              */

typedef enum
{
  CM_EMPHASIS_FADED,          /* something else is selected */
  CM_EMPHASIS_NORMAL,
  CM_EMPHASIS_SELECTED,       /* the selection itself */
} CmEmphasis;

typedef struct
{
  CmActor    *actor;
  double      x, y;           /* device */
  double      r;              /* device */
  CmActorKind kind;
  guint8      color;
  guint8      emphasis;
  guint8      placed : 1;     /* has a position: drawn */
  guint8      visible : 1;    /* placed and inside the view */
  guint8      pinned : 1;
  guint       degree;         /* drawn links that join it */
} CmSceneActor;

typedef struct
{
  CmLink     *link;
  int         source;         /* actor indices */
  int         target;
  CmChannel   channel;
  double      width;
  guint8      emphasis;
  guint8      drawn : 1;      /* shown by the filter, both ends placed, has length */
  guint8      visible : 1;    /* drawn and inside the view */
  guint8      arrow : 1;
  guint8      straight : 1;   /* one straight segment: drawn as a line */
  guint8      mark : 1;       /* absent, and long enough for its mark */
  guint       first_point;    /* into CmScene.points, (1 + 3 n) points */
  guint       n_segments;     /* cubic Bézier segments */
  double      length;         /* drawn length, device units */
  double      mid[2];         /* point half way along */
  double      mid_tangent[2]; /* unit tangent there */
  double      side[2];        /* unit normal away from the middle of its
                               * bundle; zero for the middle one and for a
                               * link that is alone */
  guint8      bundled : 1;    /* one of several joining the same pair */
  double      arrow_points[6];/* tip, then the two base corners */
  double      bbox[4];        /* x0, y0, x1, y1 of curve and arrow */
} CmSceneLink;

typedef struct
{
  CmRenderOptions  options;
  const CmRenderStyle *style;
  CmDataset       *dataset;
  guint            n_actors;
  CmSceneActor    *actors;
  guint            n_links;
  CmSceneLink     *links;
  GArray          *points;    /* doubles, x/y pairs */
  gboolean         has_selection;
  /* Level of detail, decided once per scene (never when options.exact). */
  gboolean         draw_labels;
  gboolean         draw_link_labels;
} CmScene;

CmScene *_cm_scene_new  (CmDataset             *dataset,
                         const CmRenderOptions *options);
void     _cm_scene_free (CmScene               *scene);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmScene, _cm_scene_free)

/* Point and unit tangent at parameter @t (0..1 over all segments). */
void     _cm_scene_link_point (CmScene           *scene,
                               const CmSceneLink *link,
                               double             t,
                               double            *x,
                               double            *y,
                               double            *dx,
                               double            *dy);
/* Distance from (@x, @y) to the drawn curve. */
double   _cm_scene_link_distance (CmScene           *scene,
                                  const CmSceneLink *link,
                                  double             x,
                                  double             y);
/* The two ends of the link's curve (x0, y0, x1, y1), cut at the rims. */
void     _cm_scene_link_ends  (CmScene           *scene,
                               const CmSceneLink *link,
                               double             ends[4]);
/* Appends the link's curve to @xy (doubles, x and y) as a polyline. */
void     _cm_scene_link_flatten (CmScene           *scene,
                                 const CmSceneLink *link,
                                 GArray            *xy);
/* Appends the link's curve to the current path. */
void     _cm_scene_link_path  (CmScene           *scene,
                               const CmSceneLink *link,
                               cairo_t           *cr);

/* ------------------------------------------------------------------ */
/* Labels                                                               */

typedef struct
{
  double       x, y, width, height;   /* device units */
  int          actor;                 /* actor index, or -1 */
  int          link;                  /* link index, or -1 */
  gboolean     visible;               /* placed; FALSE: no room, hidden */
  guint8       emphasis;
  gboolean     on_line;               /* over its link: drawn on a plate */
  PangoLayout *layout;                /* owned; NULL for a hidden actor name */
} CmRenderLabel;

/* Places the labels of the actors and the mechanisms of indirect links:
 * greedily, in priority order (selection, then degree), trying positions
 * around each shape, so that no two overlap; a label that fits nowhere is
 * hidden.  Deterministic.  Returns an array of CmRenderLabel, in priority
 * order; labels that the level of detail skips are not in it. */
GArray  *_cm_scene_place_labels   (CmScene               *scene);
GArray  *_cm_render_compute_labels (CmDataset             *dataset,
                                    const CmRenderOptions *options);

/* ------------------------------------------------------------------ */
/* Decorations                                                          */

/* Heights of the title band (top) and of the source list (bottom), and
 * the size of the legend box, for a target @width wide; 0 when off. */
void     _cm_render_measure_decorations (CmDataset             *dataset,
                                         const CmRenderOptions *options,
                                         double                *title_height,
                                         double                *sources_height,
                                         double                *legend_width,
                                         double                *legend_height);

/* Margin, in device units, between the map and the target's edges. */
#define CM_RENDER_MARGIN 16.0

G_END_DECLS
