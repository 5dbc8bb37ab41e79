/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "cm-render-private.h"

/* Drawing a map.  The order is fixed: background, links (faded ones
 * under the rest), shapes, labels, decorations.  Strokes are batched: all
 * links of one style go into one path and are stroked once, all shapes of
 * one colour are filled once, which is what keeps 20 000 actors close to
 * the cost of plain cairo. */

#define FADED_ALPHA 0.25
#define MARK_RADIUS CM_RENDER_MARK_RADIUS
#define LEGEND_SAMPLE_WIDTH 40.0
#define LEGEND_ROW_HEIGHT 18.0
#define LEGEND_PADDING 9.0
#define LEGEND_ITEM_GAP 18.0

void
cm_render_options_init (CmRenderOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (CmRenderOptions) {
    .zoom = 1.0,
    .width = 640,
    .height = 480,
    .theme = CM_RENDER_THEME_LIGHT,
    .channels = CM_CHANNEL_FLAGS_ALL,
    .background = TRUE,
  };
}

static inline void
set_color (cairo_t      *cr,
           const double  c[4],
           double        alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

static inline double
emphasis_alpha (guint8 emphasis)
{
  return emphasis == CM_EMPHASIS_FADED ? FADED_ALPHA : 1.0;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* ------------------------------------------------------------------ */
/* Links                                                                */

typedef struct
{
  guint  index;
  guint8 channel;
  guint8 shrink;      /* 16ths of the dash pattern a short link gets */
  double width;
} LinkKey;

#define SHRINK_STEPS 16
#define MAX_CURVES_PER_STROKE 64

static int
link_key_compare (const void *a,
                  const void *b)
{
  const LinkKey *x = a, *y = b;

  /* Direct under indirect under absent: the warnings stay on top. */
  if (x->channel != y->channel)
    return x->channel - y->channel;
  if (x->width != y->width)
    return x->width < y->width ? -1 : 1;
  if (x->shrink != y->shrink)
    return x->shrink - y->shrink;
  return x->index < y->index ? -1 : (x->index > y->index);
}

static void
draw_link_underlay (cairo_t           *cr,
                    CmScene           *scene,
                    const CmSceneLink *l,
                    double             extra,
                    double             alpha)
{
  cairo_new_path (cr);
  _cm_scene_link_path (scene, l, cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, l->width + extra);
  set_color (cr, scene->style->highlight, alpha);
  cairo_stroke (cr);
}

static void
draw_links (cairo_t  *cr,
            CmScene  *scene,
            gboolean  faded)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (LinkKey));
  const CmRenderStyle *style = scene->style;
  double alpha = faded ? FADED_ALPHA : 1.0;
  CmRaster rs;
  /* Translucent lines crossing each other would darken where one cairo
   * stroke does not: only opaque ones are drawn directly. */
  gboolean raster = !faded && _cm_raster_begin (&rs, cr);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < scene->n_links; i++)
    {
      const CmSceneLink *l = &scene->links[i];
      LinkKey key = { i, l->channel, SHRINK_STEPS, l->width };
      double period;

      if (!l->visible || (l->emphasis == CM_EMPHASIS_FADED) != faded)
        continue;
      period = _cm_render_dash_period (l->channel, l->width);
      /* Short links get a shrunken pattern (_cm_render_set_stroke()), in
       * steps, so that links of a step still share one stroke. */
      if (period > 0 && l->length < 3.0 * period)
        key.shrink = CLAMP ((int) floor (l->length / (3.0 * period) * SHRINK_STEPS), 1, SHRINK_STEPS - 1);
      g_array_append_val (keys, key);

      /* Selection and hover: a soft wide band under the line, which
       * keeps the line's own pattern readable. */
      if (l->link == scene->options.selected_link)
        draw_link_underlay (cr, scene, l, 7.0, 0.35);
      else if (l->link == scene->options.hover_link)
        draw_link_underlay (cr, scene, l, 6.0, 0.2);
    }
  if (keys->len == 0)
    return;
  qsort (keys->data, keys->len, sizeof (LinkKey), link_key_compare);

  for (guint i = 0; i < keys->len;)
    {
      const LinkKey *first = &g_array_index (keys, LinkKey, i);
      CmChannel channel = first->channel;
      double width = first->width;
      double period = _cm_render_dash_period (channel, width);
      gboolean any;
      guint j;

      for (j = i; j < keys->len; j++)
        {
          const LinkKey *k = &g_array_index (keys, LinkKey, j);

          if (k->channel != channel || k->width != width)
            break;
        }

      set_color (cr, style->channel[channel], alpha);

      /* In an image, every link straight into the pixels, curves as
       * polylines (cm-render-raster.c); elsewhere one path a style and
       * pattern, stroked by cairo. */
      for (guint k = i; k < j;)
        {
          guint8 shrink = g_array_index (keys, LinkKey, k).shrink;
          double length = shrink < SHRINK_STEPS ? 3.0 * period * shrink / SHRINK_STEPS : -1;
          gboolean any_path = FALSE;
          guint n_in_path = 0;
          double on, off;
          gboolean round_caps;

          _cm_render_get_dash (channel, width, length, &on, &off, &round_caps);
          cairo_new_path (cr);
          g_array_set_size (points, 0);
          g_array_set_size (starts, 0);
          for (; k < j && g_array_index (keys, LinkKey, k).shrink == shrink; k++)
            {
              const CmSceneLink *l = &scene->links[g_array_index (keys, LinkKey, k).index];

              if (raster)
                {
                  guint start = points->len / 2;

                  g_array_append_val (starts, start);
                  _cm_scene_link_flatten (scene, l, points);
                  continue;
                }
              _cm_scene_link_path (scene, l, cr);
              any_path = TRUE;
              /* Curves in pieces of a few dozen: cairo turns a stroke into
               * one polygon of every dash of every curve (140 MB for the
               * 6 000 routed links of a 20 000-actor map), and long
               * polygons rasterize slower than short ones. */
              if (++n_in_path == MAX_CURVES_PER_STROKE)
                {
                  _cm_render_set_stroke (cr, channel, width, length);
                  cairo_stroke (cr);
                  n_in_path = 0;
                }
            }
          if (starts->len > 0)
            {
              guint end = points->len / 2;

              g_array_append_val (starts, end);
              cairo_surface_flush (cairo_get_group_target (cr));
              _cm_raster_set_color (&rs, style->channel[channel]);
              _cm_raster_polylines (&rs, (const double *) (gpointer) points->data,
                                    (const guint *) (gpointer) starts->data, starts->len - 1,
                                    width, on, off, round_caps);
              cairo_surface_mark_dirty (cairo_get_group_target (cr));
            }
          if (any_path)
            {
              _cm_render_set_stroke (cr, channel, width, length);
              cairo_stroke (cr);
            }
          else
            cairo_new_path (cr);
        }

      /* Arrowheads, solid whatever the line's pattern. */
      any = FALSE;
      cairo_new_path (cr);
      for (guint k = i; k < j; k++)
        {
          const CmSceneLink *l = &scene->links[g_array_index (keys, LinkKey, k).index];
          const double *p = l->arrow_points;

          if (!l->arrow)
            continue;
          cairo_move_to (cr, p[0], p[1]);
          cairo_line_to (cr, p[2], p[3]);
          cairo_line_to (cr, p[4], p[5]);
          cairo_close_path (cr);
          any = TRUE;
        }
      if (any)
        {
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_set_line_width (cr, 1.0);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          cairo_fill_preserve (cr);
          cairo_stroke (cr);
        }

      i = j;
    }

  /* "No channel" marks: a crossed circle, filled with the background so
   * the dots do not show through it.  In an image: discs and a line into
   * the pixels (thousands of marks stroked by cairo were a tenth of the
   * drawing of a 5000-actor export). */
  if (raster)
    {
      g_autoptr(GArray) centres = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) cross = g_array_new (FALSE, FALSE, sizeof (double));
      double d = MARK_RADIUS * M_SQRT1_2;

      for (guint k = 0; k < keys->len; k++)
        {
          const CmSceneLink *l = &scene->links[g_array_index (keys, LinkKey, k).index];
          double seg[4] = { l->mid[0] - d, l->mid[1] + d, l->mid[0] + d, l->mid[1] - d };
          guint start = cross->len / 2;

          if (!l->mark)
            continue;
          g_array_append_vals (centres, l->mid, 2);
          g_array_append_val (ends, start);
          g_array_append_vals (cross, seg, 4);
        }
      if (centres->len > 0)
        {
          guint n = centres->len / 2, end = cross->len / 2;
          const double *xy = (const double *) (gpointer) centres->data;

          g_array_append_val (ends, end);
          cairo_surface_flush (cairo_get_group_target (cr));
          /* The ring as a disc of its colour with a disc of background
           * inside, the line 1.75 wide across. */
          _cm_raster_set_color (&rs, style->channel[CM_CHANNEL_ABSENT]);
          _cm_raster_dots (&rs, xy, n, MARK_RADIUS + 1.75 / 2);
          _cm_raster_set_color (&rs, style->background);
          _cm_raster_dots (&rs, xy, n, MARK_RADIUS - 1.75 / 2);
          _cm_raster_set_color (&rs, style->channel[CM_CHANNEL_ABSENT]);
          _cm_raster_polylines (&rs, (const double *) (gpointer) cross->data,
                                (const guint *) (gpointer) ends->data, n, 1.75, 0, 0, FALSE);
          cairo_surface_mark_dirty (cairo_get_group_target (cr));
        }
      return;
    }

  {
    gboolean any = FALSE;

    cairo_new_path (cr);
    for (guint k = 0; k < keys->len; k++)
      {
        const CmSceneLink *l = &scene->links[g_array_index (keys, LinkKey, k).index];

        if (!l->mark)
          continue;
        cairo_new_sub_path (cr);
        cairo_arc (cr, l->mid[0], l->mid[1], MARK_RADIUS, 0, 2 * G_PI);
        any = TRUE;
      }
    if (any)
      {
        set_color (cr, style->background, 1.0);
        cairo_fill (cr);

        cairo_new_path (cr);
        for (guint k = 0; k < keys->len; k++)
          {
            const CmSceneLink *l = &scene->links[g_array_index (keys, LinkKey, k).index];
            double d = MARK_RADIUS * M_SQRT1_2;

            if (!l->mark)
              continue;
            cairo_new_sub_path (cr);
            cairo_arc (cr, l->mid[0], l->mid[1], MARK_RADIUS, 0, 2 * G_PI);
            cairo_move_to (cr, l->mid[0] - d, l->mid[1] + d);
            cairo_line_to (cr, l->mid[0] + d, l->mid[1] - d);
          }
        cairo_set_dash (cr, NULL, 0, 0);
        cairo_set_line_width (cr, 1.75);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
        set_color (cr, style->channel[CM_CHANNEL_ABSENT], alpha);
        cairo_stroke (cr);
      }
  }
}

/* ------------------------------------------------------------------ */
/* Actors                                                               */

typedef struct
{
  guint  index;
  guint8 color;
} ActorKey;

static int
actor_key_compare (const void *a,
                   const void *b)
{
  const ActorKey *x = a, *y = b;

  if (x->color != y->color)
    return x->color - y->color;
  return x->index < y->index ? -1 : (x->index > y->index);
}

static inline gboolean
is_circle (CmActorKind kind)
{
  /* Unknown kinds are drawn as people (see _cm_render_shape_path_grown()). */
  return kind != CM_ACTOR_KIND_STATE && kind != CM_ACTOR_KIND_ORGANIZATION &&
         kind != CM_ACTOR_KIND_MEDIA && kind != CM_ACTOR_KIND_OTHER;
}

/* Actors are drawn by layer (faded under the rest), then by colour (one
 * fill per colour), then in list order.  Hit-testing needs that order to
 * know which of two overlapping shapes is on top. */
static gboolean
actor_drawn_after (const CmSceneActor *a,
                   guint               ia,
                   const CmSceneActor *b,
                   guint               ib)
{
  gboolean fa = a->emphasis == CM_EMPHASIS_FADED, fb = b->emphasis == CM_EMPHASIS_FADED;

  if (fa != fb)
    return fb;
  if (a->color != b->color)
    return a->color > b->color;
  return ia > ib;
}

static void
draw_actors (cairo_t  *cr,
             CmScene  *scene,
             gboolean  faded)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (ActorKey));
  const CmRenderStyle *style = scene->style;
  double alpha = faded ? FADED_ALPHA : 1.0;
  double r = 0, outline;
  gboolean any_pinned = FALSE;
  gboolean dots = FALSE;
  gboolean raster;
  g_autofree double *circles = NULL;
  CmRaster rs;

  for (guint i = 0; i < scene->n_actors; i++)
    {
      const CmSceneActor *a = &scene->actors[i];
      ActorKey key = { i, a->color };

      if (!a->visible || (a->emphasis == CM_EMPHASIS_FADED) != faded)
        continue;
      g_array_append_val (keys, key);
      r = a->r;
    }
  if (keys->len == 0)
    return;
  qsort (keys->data, keys->len, sizeof (ActorKey), actor_key_compare);

  /* A thin outline, never heavier than a quarter of a tiny shape; drawn
   * as a fill of the shape grown by half its width, under a fill of the
   * shape shrunk by as much (see _cm_render_shape_path_grown()). */
  outline = MIN (1.25, r * 0.25) / 2;

  /* Level of detail: shapes a few pixels wide are dots, whatever their
   * kind, straight into the pixels of an image (on screen, never in a
   * file): cairo fills 20 000 tiny paths in tens of milliseconds. */
  if (!scene->options.exact && r < 4.0 && !faded)
    {
      dots = _cm_raster_begin (&rs, cr);
      if (dots)
        {
          g_autofree double *xy = g_new (double, 2 * (gsize) keys->len);

          cairo_surface_flush (cairo_get_group_target (cr));
          for (guint i = 0; i < keys->len;)
            {
              guint8 color = g_array_index (keys, ActorKey, i).color;
              guint n = 0;

              for (; i < keys->len && g_array_index (keys, ActorKey, i).color == color; i++)
                {
                  const CmSceneActor *a = &scene->actors[g_array_index (keys, ActorKey, i).index];

                  xy[2 * n] = a->x;
                  xy[2 * n + 1] = a->y;
                  any_pinned |= a->pinned;
                  n++;
                }
              _cm_raster_set_color (&rs, style->fill[color]);
              _cm_raster_dots (&rs, xy, n, r);
            }
          cairo_surface_mark_dirty (cairo_get_group_target (cr));
        }
    }

  /* Circles (people, most actors) go into an image's pixels as discs, the
   * same shapes; the other kinds are paths that cairo fills. */
  raster = !dots && !faded && _cm_raster_begin (&rs, cr);
  if (raster)
    circles = g_new (double, 2 * (gsize) keys->len);

  for (guint i = 0; !dots && i < keys->len;)
    {
      guint8 color = g_array_index (keys, ActorKey, i).color;
      /* Level of detail: a shape a few pixels wide shows no outline. */
      gboolean outlined = scene->options.exact || r >= 4.0;
      double inner = outlined ? -outline : 0.0;
      guint j = i;

      for (int pass = outlined ? 0 : 1; pass < 2; pass++)
        {
          guint n_circles = 0;

          cairo_new_path (cr);
          for (j = i; j < keys->len && g_array_index (keys, ActorKey, j).color == color; j++)
            {
              const CmSceneActor *a = &scene->actors[g_array_index (keys, ActorKey, j).index];

              any_pinned |= a->pinned;
              if (raster && is_circle (a->kind))
                {
                  circles[2 * n_circles] = a->x;
                  circles[2 * n_circles + 1] = a->y;
                  n_circles++;
                  continue;
                }
              _cm_render_shape_path_grown (cr, a->kind, a->x, a->y, a->r,
                                           pass == 0 ? outline : inner);
            }
          set_color (cr, pass == 0 ? style->outline[color] : style->fill[color], alpha);
          cairo_fill (cr);
          if (n_circles > 0)
            {
              cairo_surface_flush (cairo_get_group_target (cr));
              _cm_raster_set_color (&rs, pass == 0 ? style->outline[color] : style->fill[color]);
              _cm_raster_dots (&rs, circles, n_circles, r + (pass == 0 ? outline : inner));
              cairo_surface_mark_dirty (cairo_get_group_target (cr));
            }
        }
      i = j;
    }

  /* Pinned actors: a small dot at the upper right, ringed with the
   * background so it shows on any fill. */
  if (any_pinned)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < keys->len; i++)
        {
          const CmSceneActor *a = &scene->actors[g_array_index (keys, ActorKey, i).index];
          double hw, hh, pr = MAX (2.5, a->r * 0.18);

          if (!a->pinned)
            continue;
          _cm_render_shape_extents (a->kind, a->r, &hw, &hh);
          cairo_new_sub_path (cr);
          cairo_arc (cr, a->x + hw * 0.8, a->y - hh * 0.8, pr, 0, 2 * G_PI);
        }
      set_color (cr, style->background, alpha);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke_preserve (cr);
      set_color (cr, style->text, alpha);
      cairo_fill (cr);
    }
}

static void
draw_rings (cairo_t *cr,
            CmScene *scene)
{
  for (guint i = 0; i < scene->n_actors; i++)
    {
      const CmSceneActor *a = &scene->actors[i];
      gboolean selected = a->emphasis == CM_EMPHASIS_SELECTED;
      gboolean hover = a->actor == scene->options.hover_actor;
      double hw, hh;

      /* Over a picture drawn without hover, the hover ring alone. */
      if (scene->options.hover_only)
        {
          selected = FALSE;
          if (!hover || !a->placed)
            continue;
        }
      else if (!a->visible || (!selected && !hover))
        continue;
      _cm_render_shape_extents (a->kind, a->r, &hw, &hh);
      cairo_new_path (cr);
      cairo_arc (cr, a->x, a->y, MAX (hw, hh) + 4.0, 0, 2 * G_PI);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, selected ? 2.5 : 2.0);
      set_color (cr, selected ? scene->style->text : scene->style->highlight, selected ? 0.9 : 1.0);
      cairo_stroke (cr);
    }
}

/* ------------------------------------------------------------------ */
/* Decorations                                                          */

typedef struct
{
  gboolean channels[CM_N_CHANNELS];
  gboolean kinds[CM_N_ACTOR_KINDS];
  guint    n_channels;
  guint    n_kinds;
} LegendContents;

static const CmActorKind legend_kind_order[] = {
  CM_ACTOR_KIND_PERSON, CM_ACTOR_KIND_STATE, CM_ACTOR_KIND_ORGANIZATION,
  CM_ACTOR_KIND_MEDIA, CM_ACTOR_KIND_OTHER,
};

static const char *
kind_label (CmActorKind kind)
{
  switch (kind)
    {
    case CM_ACTOR_KIND_PERSON: return _("person");
    case CM_ACTOR_KIND_STATE: return _("state");
    case CM_ACTOR_KIND_ORGANIZATION: return _("organization");
    case CM_ACTOR_KIND_MEDIA: return _("media");
    case CM_ACTOR_KIND_OTHER:
    default: return _("other");
    }
}

static const char *
channel_label (CmChannel channel)
{
  switch (channel)
    {
    case CM_CHANNEL_DIRECT: return _("direct");
    case CM_CHANNEL_INDIRECT: return _("indirect");
    case CM_CHANNEL_ABSENT:
    default: return _("absent (no channel)");
    }
}

/* What the legend lists: the channel kinds among the links that are
 * drawn (the filter lets them through and both ends have a place), and
 * the shapes of the actors that are drawn.  It does not depend on the
 * view, so panning never changes it. */
static void
legend_contents (CmDataset             *dataset,
                 const CmRenderOptions *options,
                 LegendContents        *contents)
{
  CmActor **actors;
  CmLink **links;
  guint n_actors, n_links;

  *contents = (LegendContents) { 0, };
  actors = cm_dataset_peek_actors (dataset, &n_actors);
  links = cm_dataset_peek_links (dataset, &n_links);

  for (guint i = 0; i < n_actors; i++)
    {
      CmActorKind kind = cm_actor_get_kind (actors[i]);

      if (cm_actor_has_position (actors[i]) && kind < CM_N_ACTOR_KINDS)
        contents->kinds[kind] = TRUE;
    }
  for (guint i = 0; i < n_links && contents->n_channels < CM_N_CHANNELS; i++)
    {
      CmChannel channel = cm_link_get_channel (links[i]);
      const char *s = cm_link_get_source (links[i]);
      const char *t = cm_link_get_target (links[i]);
      CmActor *a, *b;

      if (channel >= CM_N_CHANNELS || contents->channels[channel] ||
          !(options->channels & CM_CHANNEL_FLAG (channel)))
        continue;
      a = s ? cm_dataset_lookup_actor (dataset, s) : NULL;
      b = t ? cm_dataset_lookup_actor (dataset, t) : NULL;
      if (a == NULL || b == NULL || a == b ||
          !cm_actor_has_position (a) || !cm_actor_has_position (b))
        continue;
      contents->channels[channel] = TRUE;
      contents->n_channels++;
    }
  for (guint k = 0; k < CM_N_ACTOR_KINDS; k++)
    contents->n_kinds += contents->kinds[k];
}

static PangoLayout *
legend_layout (const char *text)
{
  return _cm_render_create_layout (CM_RENDER_FONT_BODY, text, 0, 0);
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.width / (double) PANGO_SCALE;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.height / (double) PANGO_SCALE;
}

/* The legend is laid out in two rows (channels, then shapes) when it
 * fits the width, else as one column; @draw_cr NULL only measures. */
static void
layout_legend (cairo_t                *draw_cr,
               const CmRenderStyle    *style,
               CmRenderTheme           theme,
               const LegendContents   *contents,
               double                  max_width,
               double                  x,
               double                  y,
               double                 *out_width,
               double                 *out_height)
{
  double item_width[CM_N_CHANNELS + CM_N_ACTOR_KINDS];
  PangoLayout *layouts[CM_N_CHANNELS + CM_N_ACTOR_KINDS] = { NULL, };
  double row_width[2] = { 0, 0 };
  gboolean columns;
  guint n = 0;
  double w, h;

  if (contents->n_channels + contents->n_kinds == 0)
    {
      *out_width = *out_height = 0;
      return;
    }

  for (guint c = 0; c < CM_N_CHANNELS; c++)
    if (contents->channels[c])
      {
        layouts[n] = legend_layout (channel_label (c));
        item_width[n] = LEGEND_SAMPLE_WIDTH + 6 + layout_width (layouts[n]);
        row_width[0] += (row_width[0] > 0 ? LEGEND_ITEM_GAP : 0) + item_width[n];
        n++;
      }
  for (guint k = 0; k < G_N_ELEMENTS (legend_kind_order); k++)
    if (contents->kinds[legend_kind_order[k]])
      {
        layouts[n] = legend_layout (kind_label (legend_kind_order[k]));
        item_width[n] = 16 + 6 + layout_width (layouts[n]);
        row_width[1] += (row_width[1] > 0 ? LEGEND_ITEM_GAP : 0) + item_width[n];
        n++;
      }

  w = MAX (row_width[0], row_width[1]) + 2 * LEGEND_PADDING;
  columns = w > max_width;
  if (columns)
    {
      w = 0;
      for (guint i = 0; i < n; i++)
        w = MAX (w, item_width[i]);
      w += 2 * LEGEND_PADDING;
      h = n * LEGEND_ROW_HEIGHT + 2 * LEGEND_PADDING - 2;
    }
  else
    h = ((contents->n_channels > 0) + (contents->n_kinds > 0)) * LEGEND_ROW_HEIGHT +
        2 * LEGEND_PADDING - 2;

  *out_width = w;
  *out_height = h;

  if (draw_cr != NULL)
    {
      cairo_t *cr = draw_cr;
      double cx = x + LEGEND_PADDING, cy = y + LEGEND_PADDING;
      guint i = 0;

      cairo_save (cr);
      cairo_new_path (cr);
      rounded_rectangle (cr, x, y, w, h, 6);
      set_color (cr, style->legend_fill, 1.0);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.0);
      set_color (cr, style->legend_border, 1.0);
      cairo_stroke (cr);

      for (guint c = 0; c < CM_N_CHANNELS; c++)
        if (contents->channels[c])
          {
            cm_render_draw_channel_sample (cr, theme, c, cx, cy + 1, LEGEND_SAMPLE_WIDTH,
                                           LEGEND_ROW_HEIGHT - 4);
            _cm_render_draw_text (cr, layouts[i], cx + LEGEND_SAMPLE_WIDTH + 6,
                                  cy + (LEGEND_ROW_HEIGHT - 2 - layout_height (layouts[i])) / 2,
                                  style->text, NULL, 1.0);
            if (columns)
              cy += LEGEND_ROW_HEIGHT;
            else
              cx += item_width[i] + LEGEND_ITEM_GAP;
            i++;
          }
      if (!columns && contents->n_channels > 0)
        {
          cx = x + LEGEND_PADDING;
          cy += LEGEND_ROW_HEIGHT;
        }
      for (guint k = 0; k < G_N_ELEMENTS (legend_kind_order); k++)
        if (contents->kinds[legend_kind_order[k]])
          {
            double sy = cy + (LEGEND_ROW_HEIGHT - 2) / 2;

            cairo_new_path (cr);
            _cm_render_shape_path (cr, legend_kind_order[k], cx + 8, sy, 6.5);
            set_color (cr, style->fill[CM_RENDER_GREY], 1.0);
            cairo_fill_preserve (cr);
            cairo_set_line_width (cr, 1.0);
            set_color (cr, style->outline[CM_RENDER_GREY], 1.0);
            cairo_stroke (cr);
            _cm_render_draw_text (cr, layouts[i], cx + 22,
                                  cy + (LEGEND_ROW_HEIGHT - 2 - layout_height (layouts[i])) / 2,
                                  style->text, NULL, 1.0);
            if (columns)
              cy += LEGEND_ROW_HEIGHT;
            else
              cx += item_width[i] + LEGEND_ITEM_GAP;
            i++;
          }
      cairo_restore (cr);
    }

  for (guint i = 0; i < n; i++)
    g_object_unref (layouts[i]);
}

static PangoLayout *
title_layout (CmDataset *dataset,
              double     width)
{
  const char *title = cm_dataset_get_title (dataset);

  if (title == NULL || *title == '\0')
    return NULL;
  return _cm_render_create_layout (CM_RENDER_FONT_TITLE, title, MAX (width, 50), 3);
}

/* "1. Title — Publisher, date, URL", leaving out what a source lacks. */
static char *
format_source (CmSource *source,
               guint     number)
{
  GString *s = g_string_new (NULL);
  const char *title = cm_source_get_title (source);
  const char *parts[3] = {
    cm_source_get_publisher (source),
    cm_source_get_date (source),
    cm_source_get_url (source),
  };
  gboolean any = FALSE;

  g_string_append_printf (s, "%u. %s", number,
                          title != NULL && *title != '\0' ? title : cm_source_get_id (source));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || *parts[i] == '\0')
        continue;
      g_string_append (s, any ? ", " : " — ");
      g_string_append (s, parts[i]);
      any = TRUE;
    }
  return g_string_free (s, FALSE);
}

#define MAX_SOURCES_SHOWN 40

/* The source list as layouts: a heading, then one per source. */
static GPtrArray *
sources_layouts (CmDataset *dataset,
                 double     width)
{
  GListModel *sources = cm_dataset_get_sources (dataset);
  guint n = g_list_model_get_n_items (sources);
  GPtrArray *layouts;
  PangoLayout *heading;
  PangoFontDescription *bold;

  if (n == 0)
    return NULL;

  layouts = g_ptr_array_new_with_free_func (g_object_unref);
  heading = _cm_render_create_layout (CM_RENDER_FONT_SOURCES, _("Sources"), 0, 0);
  bold = pango_font_description_copy (pango_layout_get_font_description (heading));
  pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (heading, bold);
  pango_font_description_free (bold);
  g_ptr_array_add (layouts, heading);

  for (guint i = 0; i < MIN (n, MAX_SOURCES_SHOWN); i++)
    {
      g_autoptr(CmSource) source = g_list_model_get_item (sources, i);
      g_autofree char *text = format_source (source, i + 1);

      g_ptr_array_add (layouts, _cm_render_create_layout (CM_RENDER_FONT_SOURCES, text,
                                                          MAX (width, 50), 3));
    }
  if (n > MAX_SOURCES_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), n - MAX_SOURCES_SHOWN);

      g_ptr_array_add (layouts, _cm_render_create_layout (CM_RENDER_FONT_SOURCES, more, 0, 0));
    }

  return layouts;
}

#define SOURCES_LINE_GAP 2.0

void
_cm_render_measure_decorations (CmDataset             *dataset,
                                const CmRenderOptions *options,
                                double                *title_height,
                                double                *sources_height,
                                double                *legend_width,
                                double                *legend_height)
{
  double text_width = options->width - 2 * CM_RENDER_MARGIN;

  *title_height = *sources_height = *legend_width = *legend_height = 0;

  if (options->show_title)
    {
      g_autoptr(PangoLayout) layout = title_layout (dataset, text_width);

      if (layout != NULL)
        *title_height = CM_RENDER_MARGIN + layout_height (layout);
    }

  if (options->show_sources)
    {
      g_autoptr(GPtrArray) layouts = sources_layouts (dataset, text_width);

      if (layouts != NULL)
        {
          *sources_height = CM_RENDER_MARGIN;
          for (guint i = 0; i < layouts->len; i++)
            *sources_height += layout_height (layouts->pdata[i]) + SOURCES_LINE_GAP;
        }
    }

  if (options->show_legend)
    {
      LegendContents contents;

      legend_contents (dataset, options, &contents);
      layout_legend (NULL, NULL, options->theme, &contents, text_width, 0, 0,
                     legend_width, legend_height);
    }
}

static void
draw_decorations (cairo_t               *cr,
                  CmDataset             *dataset,
                  const CmRenderOptions *options,
                  const CmRenderStyle   *style)
{
  double text_width = options->width - 2 * CM_RENDER_MARGIN;
  double th, sh, lw, lh;

  _cm_render_measure_decorations (dataset, options, &th, &sh, &lw, &lh);

  if (options->show_title)
    {
      g_autoptr(PangoLayout) layout = title_layout (dataset, text_width);

      if (layout != NULL)
        _cm_render_draw_text (cr, layout, CM_RENDER_MARGIN, CM_RENDER_MARGIN,
                              style->text, style->background, 1.0);
    }

  if (options->show_sources)
    {
      g_autoptr(GPtrArray) layouts = sources_layouts (dataset, text_width);
      double y = options->height - sh + CM_RENDER_MARGIN / 2;

      if (layouts != NULL)
        {
          /* A hairline separates the list from the map. */
          cairo_new_path (cr);
          cairo_move_to (cr, CM_RENDER_MARGIN, floor (y - CM_RENDER_MARGIN / 4) + 0.5);
          cairo_line_to (cr, options->width - CM_RENDER_MARGIN, floor (y - CM_RENDER_MARGIN / 4) + 0.5);
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_set_line_width (cr, 1.0);
          set_color (cr, style->legend_border, 1.0);
          cairo_stroke (cr);

          for (guint i = 0; i < layouts->len; i++)
            {
              _cm_render_draw_text (cr, layouts->pdata[i], CM_RENDER_MARGIN, y,
                                    i == 0 ? style->text : style->text_secondary,
                                    style->background, 1.0);
              y += layout_height (layouts->pdata[i]) + SOURCES_LINE_GAP;
            }
        }
    }

  if (options->show_legend && lw > 0)
    {
      LegendContents contents;
      double x = CM_RENDER_MARGIN;
      double y = options->height - sh - CM_RENDER_MARGIN / 2 - lh;

      legend_contents (dataset, options, &contents);
      layout_legend (cr, style, options->theme, &contents, text_width, floor (x) + 0.5,
                     floor (y) + 0.5, &lw, &lh);
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

void
cm_render_draw (cairo_t               *cr,
                CmDataset             *dataset,
                const CmRenderOptions *options)
{
  g_autoptr(CmScene) scene = NULL;
  g_autoptr(GArray) labels = NULL;
  const CmRenderStyle *style;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (CM_IS_DATASET (dataset));
  g_return_if_fail (options != NULL);

  if (!(options->zoom > 0) || !isfinite (options->zoom) ||
      !(options->width > 0) || !(options->height > 0) ||
      !isfinite (options->center_x) || !isfinite (options->center_y))
    return;

  style = _cm_render_style_get (options->theme);
  scene = _cm_scene_new (dataset, options);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, options->width, options->height);
  cairo_clip (cr);

  if (options->background)
    {
      set_color (cr, style->background, 1.0);
      cairo_paint (cr);
    }

  draw_links (cr, scene, TRUE);
  draw_actors (cr, scene, TRUE);
  draw_links (cr, scene, FALSE);
  draw_actors (cr, scene, FALSE);
  draw_rings (cr, scene);

  labels = _cm_scene_place_labels (scene);
  for (guint i = 0; i < labels->len; i++)
    {
      const CmRenderLabel *label = &g_array_index (labels, CmRenderLabel, i);
      const double *color = label->actor >= 0 ? style->text : style->channel[CM_CHANNEL_INDIRECT];

      if (!label->visible)
        continue;
      if (label->on_line)
        {
          /* A plate of background under words that sit on their line:
           * a glyph halo alone lets bits of dashes show between letters. */
          cairo_new_path (cr);
          rounded_rectangle (cr, label->x - 2, label->y - 0.5, label->width + 4, label->height + 1, 3);
          set_color (cr, style->background, 0.88 * emphasis_alpha (label->emphasis));
          cairo_fill (cr);
        }
      _cm_render_draw_text (cr, label->layout, label->x, label->y, color, style->background,
                            emphasis_alpha (label->emphasis));
    }

  if (options->show_title || options->show_legend || options->show_sources)
    draw_decorations (cr, dataset, options, style);

  cairo_restore (cr);
}

typedef struct
{
  double x, y;                /* diagram units */
  CmActorKind kind;
  double label_w, label_h;    /* device units */
} FitItem;

static GArray *
fit_items (CmDataset *dataset)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (FitItem));
  CmActor **actors;
  guint n_actors;

  actors = cm_dataset_peek_actors (dataset, &n_actors);
  for (guint i = 0; i < n_actors; i++)
    {
      FitItem item;
      double w, h;

      if (!cm_actor_has_position (actors[i]))
        continue;
      item.x = cm_actor_get_x (actors[i]);
      item.y = cm_actor_get_y (actors[i]);
      item.kind = cm_actor_get_kind (actors[i]);
      _cm_render_measure_label (cm_actor_get_name (actors[i]), &w, &h);
      item.label_w = w + 4;
      item.label_h = h + 4;
      g_array_append_val (items, item);
    }
  return items;
}

/* The extent of the map at @zoom, in device units relative to the
 * origin of diagram space: shapes grow with the zoom, labels do not
 * (each measured in its default place, below its shape). */
static void
fit_extent (GArray *items,
            double  zoom,
            double *x0,
            double *y0,
            double *x1,
            double *y1)
{
  double r = MAX (CM_RENDER_ACTOR_RADIUS * zoom, CM_RENDER_MIN_RADIUS);

  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint i = 0; i < items->len; i++)
    {
      const FitItem *it = &g_array_index (items, FitItem, i);
      double hw, hh, dx = it->x * zoom, dy = it->y * zoom;

      _cm_render_shape_extents (it->kind, r, &hw, &hh);
      *x0 = MIN (*x0, dx - MAX (hw, it->label_w / 2));
      *x1 = MAX (*x1, dx + MAX (hw, it->label_w / 2));
      *y0 = MIN (*y0, dy - hh);
      *y1 = MAX (*y1, dy + hh + 3 + it->label_h);
    }
}

gboolean
cm_render_get_bounds (CmDataset *dataset,
                      double    *x0,
                      double    *y0,
                      double    *x1,
                      double    *y1)
{
  g_autoptr(GArray) items = NULL;
  double bx0, by0, bx1, by1;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);

  items = fit_items (dataset);
  if (items->len == 0)
    {
      if (x0) *x0 = 0;
      if (y0) *y0 = 0;
      if (x1) *x1 = 0;
      if (y1) *y1 = 0;
      return FALSE;
    }

  /* At zoom 1, device and diagram units are the same. */
  fit_extent (items, 1.0, &bx0, &by0, &bx1, &by1);
  if (x0) *x0 = bx0;
  if (y0) *y0 = by0;
  if (x1) *x1 = bx1;
  if (y1) *y1 = by1;
  return TRUE;
}

/* The largest zoom (up to 2) at which the map fits into @aw × @ah. */
static double
fit_zoom (GArray *items,
          double  aw,
          double  ah)
{
  double lo = 1e-8, hi = 2.0;
  double x0, y0, x1, y1;

  fit_extent (items, hi, &x0, &y0, &x1, &y1);
  if (x1 - x0 <= aw && y1 - y0 <= ah)
    return hi;
  for (int i = 0; i < 50; i++)
    {
      double z = sqrt (lo * hi);

      fit_extent (items, z, &x0, &y0, &x1, &y1);
      if (x1 - x0 <= aw && y1 - y0 <= ah)
        lo = z;
      else
        hi = z;
    }
  return lo;
}

void
cm_render_fit (CmRenderOptions *options,
               CmDataset       *dataset)
{
  g_autoptr(GArray) items = NULL;
  double th, sh, lw, lh;
  double ax0, ay0, ax1, ay1;
  double z, x0, y0, x1, y1;

  g_return_if_fail (options != NULL);
  g_return_if_fail (CM_IS_DATASET (dataset));

  items = fit_items (dataset);
  if (items->len == 0 || !(options->width > 0) || !(options->height > 0))
    {
      options->zoom = 1.0;
      options->center_x = options->center_y = 0;
      return;
    }

  _cm_render_measure_decorations (dataset, options, &th, &sh, &lw, &lh);
  ax0 = CM_RENDER_MARGIN;
  ay0 = th + CM_RENDER_MARGIN;
  ax1 = options->width - CM_RENDER_MARGIN;
  ay1 = options->height - sh - CM_RENDER_MARGIN;

  z = fit_zoom (items, MAX (ax1 - ax0, 1), MAX (ay1 - ay0, 1));
  if (lw > 0)
    {
      /* The legend sits in the lower left corner: keep the map beside it
       * or above it, whichever leaves it bigger. */
      double beside = fit_zoom (items, MAX (ax1 - ax0 - lw - CM_RENDER_MARGIN / 2, 1), MAX (ay1 - ay0, 1));
      double above = fit_zoom (items, MAX (ax1 - ax0, 1), MAX (ay1 - ay0 - lh - CM_RENDER_MARGIN / 2, 1));

      if (beside >= above)
        {
          ax0 += lw + CM_RENDER_MARGIN / 2;
          z = beside;
        }
      else
        {
          ay1 -= lh + CM_RENDER_MARGIN / 2;
          z = above;
        }
    }

  fit_extent (items, z, &x0, &y0, &x1, &y1);
  options->zoom = z;
  options->center_x = ((x0 + x1) / 2 + options->width / 2 - (ax0 + ax1) / 2) / z;
  options->center_y = ((y0 + y1) / 2 + options->height / 2 - (ay0 + ay1) / 2) / z;
}

/* The scene hit-testing last used, kept on the dataset: a pointer
 * moving over the window asks many times for the same view, and building
 * the scene of a 20 000-actor map takes tens of milliseconds.  Hover does
 * not change what is where, so it is not part of the key. */
typedef struct
{
  gint            ref_count;
  guint64         generation;
  CmRenderOptions options;
  CmScene        *scene;
} HitCache;

static GMutex hit_cache_lock;

static void
hit_cache_unref (gpointer data)
{
  HitCache *cache = data;

  if (cache == NULL || !g_atomic_int_dec_and_test (&cache->ref_count))
    return;
  _cm_scene_free (cache->scene);
  g_free (cache);
}

static gboolean
same_view (const CmRenderOptions *a,
           const CmRenderOptions *b)
{
  return a->zoom == b->zoom && a->center_x == b->center_x && a->center_y == b->center_y &&
         a->width == b->width && a->height == b->height && a->channels == b->channels &&
         a->selected_actor == b->selected_actor && a->selected_link == b->selected_link &&
         a->exact == b->exact;
}

static HitCache *
hit_cache_get (CmDataset             *dataset,
               const CmRenderOptions *options)
{
  static GQuark quark;
  guint64 generation = cm_dataset_get_generation (dataset);
  HitCache *cache;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-render-hit-cache");

  g_mutex_lock (&hit_cache_lock);
  cache = g_object_get_qdata (G_OBJECT (dataset), quark);
  if (cache != NULL && cache->generation == generation && same_view (&cache->options, options))
    {
      g_atomic_int_inc (&cache->ref_count);
      g_mutex_unlock (&hit_cache_lock);
      return cache;
    }
  g_mutex_unlock (&hit_cache_lock);

  cache = g_new0 (HitCache, 1);
  cache->ref_count = 2;   /* ours, and the dataset's */
  cache->generation = generation;
  cache->options = *options;
  cache->options.hover_actor = NULL;
  cache->options.hover_link = NULL;
  cache->options.without_actor = NULL;
  cache->options.only_actor = NULL;
  cache->options.hover_only = FALSE;
  cache->scene = _cm_scene_new (dataset, &cache->options);
  g_mutex_lock (&hit_cache_lock);
  g_object_set_qdata_full (G_OBJECT (dataset), quark, cache, hit_cache_unref);
  g_mutex_unlock (&hit_cache_lock);
  return cache;
}

gboolean
cm_render_hit_test (CmDataset             *dataset,
                    const CmRenderOptions *options,
                    double                 x,
                    double                 y,
                    CmActor              **actor,
                    CmLink               **link)
{
  HitCache *cache;
  CmScene *scene;
  int best_actor = -1, best_link = -1;
  double best_distance = G_MAXDOUBLE;
  gboolean found = FALSE;

  if (actor)
    *actor = NULL;
  if (link)
    *link = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!(options->zoom > 0) || !(options->width > 0) || !(options->height > 0))
    return FALSE;

  cache = hit_cache_get (dataset, options);
  scene = cache->scene;

  /* Actors first: the one drawn last is on top. */
  for (guint i = 0; i < scene->n_actors; i++)
    {
      const CmSceneActor *a = &scene->actors[i];

      if (!a->visible)
        continue;
      /* A pixel of slack, so the outline counts as the shape. */
      if (_cm_render_shape_distance (a->kind, a->r, x - a->x, y - a->y) > 1.0)
        continue;
      if (best_actor < 0 || actor_drawn_after (a, i, &scene->actors[best_actor], best_actor))
        best_actor = i;
    }
  if (best_actor >= 0)
    {
      if (actor)
        *actor = scene->actors[best_actor].actor;
      found = TRUE;
    }

  /* Then links: the nearest curve within a few pixels. */
  for (guint i = 0; !found && i < scene->n_links; i++)
    {
      const CmSceneLink *l = &scene->links[i];
      double d;

      if (!l->visible)
        continue;
      d = _cm_scene_link_distance (scene, l, x, y);
      if (d <= CM_RENDER_LINK_HIT_DISTANCE && d <= best_distance)
        {
          best_distance = d;
          best_link = i;
        }
    }
  if (best_link >= 0)
    {
      if (link)
        *link = scene->links[best_link].link;
      found = TRUE;
    }

  hit_cache_unref (cache);
  return found;
}
