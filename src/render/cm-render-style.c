/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>

#include "cm-render-private.h"

/* The visual language (DESIGN.md): the three channel kinds differ first by
 * their stroke pattern (solid, dashed, dotted), which survives grey-scale
 * print and every kind of colour-blindness, and only then by colour.
 * Colours come from the Okabe–Ito palette. */

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }

/* Fill colours of actor groups, in the order groups first appear.
 * Vermillion is left out: it means "absent channel". */
#define GROUP_FILLS \
  RGB (0xE69F00), /* orange */ \
  RGB (0x56B4E9), /* sky blue */ \
  RGB (0x009E73), /* bluish green */ \
  RGB (0xF0E442), /* yellow */ \
  RGB (0xCC79A7), /* reddish purple */ \
  RGB (0x0072B2), /* blue */ \
  RGB (0x999999)  /* no group */

static CmRenderStyle light_style = {
  .background = RGB (0xFAFAFA),
  .text = RGB (0x1E1E1E),
  .text_secondary = RGB (0x555555),
  .channel = {
    RGB (0x2E3436),   /* direct: near black */
    RGB (0x0072B2),   /* indirect: blue */
    RGB (0xD55E00),   /* absent: vermillion, the warning colour */
  },
  .fill = { GROUP_FILLS },
  .legend_fill = { 1.0, 1.0, 1.0, 0.92 },
  .legend_border = RGB (0xC0BFBC),
  .highlight = { 0.1, 0.1, 0.1, 0.55 },
};

static CmRenderStyle dark_style = {
  .background = RGB (0x242424),
  .text = RGB (0xF2F2F2),
  .text_secondary = RGB (0xBDBDBD),
  .channel = {
    RGB (0xDEDDDA),   /* direct: near white */
    RGB (0x56B4E9),   /* indirect: sky blue (reads better on dark) */
    RGB (0xFF8B45),   /* absent: a lighter vermillion */
  },
  .fill = { GROUP_FILLS },
  .legend_fill = { 0.17, 0.17, 0.17, 0.94 },
  .legend_border = RGB (0x5E5C64),
  .highlight = { 1.0, 1.0, 1.0, 0.6 },
};

static void
init_outlines (CmRenderStyle *style,
               gboolean       dark)
{
  /* Outlines keep the shape's edge visible on any background and next to
   * a same-coloured neighbour: darker on light, lighter on dark. */
  for (guint i = 0; i <= CM_RENDER_N_GROUP_COLORS; i++)
    for (guint c = 0; c < 3; c++)
      {
        double v = style->fill[i][c];

        style->outline[i][c] = dark ? v + (1.0 - v) * 0.55 : v * 0.5;
      }
  for (guint i = 0; i <= CM_RENDER_N_GROUP_COLORS; i++)
    style->outline[i][3] = 1.0;
}

const CmRenderStyle *
_cm_render_style_get (CmRenderTheme theme)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      init_outlines (&light_style, FALSE);
      init_outlines (&dark_style, TRUE);
      g_once_init_leave (&initialized, 1);
    }

  return theme == CM_RENDER_THEME_DARK ? &dark_style : &light_style;
}

void
cm_render_get_channel_color (CmRenderTheme theme,
                             CmChannel     channel,
                             double        rgba[4])
{
  const CmRenderStyle *style = _cm_render_style_get (theme);

  g_return_if_fail (rgba != NULL);
  g_return_if_fail (channel < CM_N_CHANNELS);

  for (guint i = 0; i < 4; i++)
    rgba[i] = style->channel[channel][i];
}

void
cm_render_get_background_color (CmRenderTheme theme,
                                double        rgba[4])
{
  const CmRenderStyle *style = _cm_render_style_get (theme);

  g_return_if_fail (rgba != NULL);

  for (guint i = 0; i < 4; i++)
    rgba[i] = style->background[i];
}

double
_cm_render_link_width (CmChannel channel,
                       guint     n_quotes)
{
  switch (channel)
    {
    case CM_CHANNEL_DIRECT:
      /* More evidence, a heavier line; logarithmic, and capped, so one
       * link with fifty quotes does not swallow the map. */
      return MIN (1.5 + 0.75 * log2 (1.0 + MIN (n_quotes, 63)), 5.0);
    case CM_CHANNEL_INDIRECT:
      return 2.0;
    case CM_CHANNEL_ABSENT:
    default:
      /* Dots need some body to read as dots and not as a hairline. */
      return 3.0;
    }
}

double
_cm_render_dash_period (CmChannel channel,
                        double    width)
{
  switch (channel)
    {
    case CM_CHANNEL_INDIRECT:
      return 6.5 * width;     /* 8 on, 5 off at width 2 */
    case CM_CHANNEL_ABSENT:
      return 2.5 * width;     /* a dot, then 1.5 widths of gap */
    case CM_CHANNEL_DIRECT:
    default:
      return 0.0;
    }
}

void
_cm_render_get_dash (CmChannel  channel,
                     double     width,
                     double     length,
                     double    *on,
                     double    *off,
                     gboolean  *round_caps)
{
  double period = _cm_render_dash_period (channel, width);
  double f = 1.0;

  /* Dash lengths are in device units: zooming out never merges them into
   * a solid-looking line.  A short link (under three periods) gets a
   * shrunken pattern so at least two dashes or dots still show. */
  if (period > 0 && length >= 0 && length < 3.0 * period)
    f = MAX (length / (3.0 * period), 0.0);

  switch (channel)
    {
    case CM_CHANNEL_INDIRECT:
      *on = MAX (4.0 * width * f, 1.0);
      *off = MAX (2.5 * width * f, 1.5);
      *round_caps = FALSE;
      break;

    case CM_CHANNEL_ABSENT:
      /* Zero-length dashes with round caps are dots of the line's
       * width; the gap between two dots is period - width. */
      *on = 0.0;
      *off = MAX (period * f, width + 1.5);
      *round_caps = TRUE;
      break;

    case CM_CHANNEL_DIRECT:
    default:
      *on = *off = 0.0;
      *round_caps = TRUE;
      break;
    }
}

void
_cm_render_set_stroke (cairo_t  *cr,
                       CmChannel channel,
                       double    width,
                       double    length)
{
  double on, off;
  gboolean round_caps;

  _cm_render_get_dash (channel, width, length, &on, &off, &round_caps);
  cairo_set_line_width (cr, width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, round_caps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
  if (off > 0)
    {
      double dashes[2] = { on, off };

      cairo_set_dash (cr, dashes, 2, 0);
    }
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

void
cm_render_draw_channel_sample (cairo_t      *cr,
                               CmRenderTheme theme,
                               CmChannel     channel,
                               double        x,
                               double        y,
                               double        width,
                               double        height)
{
  const CmRenderStyle *style = _cm_render_style_get (theme);
  double w = _cm_render_link_width (channel, channel == CM_CHANNEL_DIRECT ? 1 : 0);
  double cy = y + height / 2.0;
  double inset;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (channel < CM_N_CHANNELS);

  if (width <= 0 || height <= 0)
    return;

  cairo_save (cr);
  cairo_set_source_rgba (cr, style->channel[channel][0], style->channel[channel][1],
                         style->channel[channel][2], style->channel[channel][3]);
  /* Round caps and dots reach half a width past their ends. */
  inset = w / 2.0;
  cairo_new_path (cr);
  cairo_move_to (cr, x + inset, cy);
  cairo_line_to (cr, x + width - inset, cy);
  _cm_render_set_stroke (cr, channel, w, width - 2 * inset);
  cairo_stroke (cr);

  if (channel == CM_CHANNEL_ABSENT && width >= 4 * height / 2.0)
    {
      /* The "no channel" mark, as on the map. */
      double r = MIN (height / 2.0 - 1.0, 5.5);

      if (r > 2.0)
        {
          double cx = x + width / 2.0;

          cairo_new_path (cr);
          cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
          cairo_set_source_rgba (cr, style->background[0], style->background[1],
                                 style->background[2], 1.0);
          cairo_fill_preserve (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_set_line_width (cr, 1.5);
          cairo_move_to (cr, cx - r * M_SQRT1_2, cy + r * M_SQRT1_2);
          cairo_line_to (cr, cx + r * M_SQRT1_2, cy - r * M_SQRT1_2);
          cairo_set_source_rgba (cr, style->channel[channel][0], style->channel[channel][1],
                                 style->channel[channel][2], 1.0);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* Shapes.  Sizes are chosen so that the shapes look about equally heavy:
 * a square of the circle's diameter looks bigger than the circle. */

#define SQUARE_HALF 0.88
#define SQUARE_CORNER 0.28
#define HEX_RADIUS 1.06
#define DIAMOND_HALF 1.22
#define RING_INNER 0.5

void
_cm_render_shape_path_grown (cairo_t    *cr,
                             CmActorKind kind,
                             double      x,
                             double      y,
                             double      r,
                             double      grow)
{
  switch (kind)
    {
    case CM_ACTOR_KIND_STATE:
      {
        double s = r * SQUARE_HALF + grow;
        double c = MAX (r * SQUARE_HALF * SQUARE_CORNER + grow, 0.0);

        c = MIN (c, s);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x + s - c, y - s + c, c, -G_PI / 2, 0);
        cairo_arc (cr, x + s - c, y + s - c, c, 0, G_PI / 2);
        cairo_arc (cr, x - s + c, y + s - c, c, G_PI / 2, G_PI);
        cairo_arc (cr, x - s + c, y - s + c, c, G_PI, 3 * G_PI / 2);
        cairo_close_path (cr);
      }
      break;

    case CM_ACTOR_KIND_ORGANIZATION:
      {
        /* Moving each edge out by @grow moves the corners by grow / cos 30°. */
        double R = r * HEX_RADIUS + grow / 0.8660254037844386;

        /* Flat top and bottom, so the label below sits close. */
        cairo_move_to (cr, x + R, y);
        for (int i = 1; i < 6; i++)
          cairo_line_to (cr, x + R * cos (i * G_PI / 3), y + R * sin (i * G_PI / 3));
        cairo_close_path (cr);
      }
      break;

    case CM_ACTOR_KIND_MEDIA:
      {
        double d = r * DIAMOND_HALF + grow * G_SQRT2;

        cairo_move_to (cr, x, y - d);
        cairo_line_to (cr, x + d, y);
        cairo_line_to (cr, x, y + d);
        cairo_line_to (cr, x - d, y);
        cairo_close_path (cr);
      }
      break;

    case CM_ACTOR_KIND_OTHER:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r + grow, 0, 2 * G_PI);
      cairo_close_path (cr);
      /* The hole, wound the other way round; growing the ring shrinks it. */
      cairo_new_sub_path (cr);
      cairo_arc_negative (cr, x, y, MAX (r * RING_INNER - grow, 0.0), 2 * G_PI, 0);
      cairo_close_path (cr);
      break;

    case CM_ACTOR_KIND_PERSON:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r + grow, 0, 2 * G_PI);
      cairo_close_path (cr);
      break;
    }
}

void
_cm_render_shape_path (cairo_t    *cr,
                       CmActorKind kind,
                       double      x,
                       double      y,
                       double      r)
{
  _cm_render_shape_path_grown (cr, kind, x, y, r, 0.0);
}

double
_cm_render_shape_distance (CmActorKind kind,
                           double      r,
                           double      u,
                           double      v)
{
  double au = fabs (u);
  double av = fabs (v);

  switch (kind)
    {
    case CM_ACTOR_KIND_STATE:
      {
        double s = r * SQUARE_HALF;
        double c = s * SQUARE_CORNER;
        double qx = au - (s - c);
        double qy = av - (s - c);
        double ox = MAX (qx, 0.0);
        double oy = MAX (qy, 0.0);

        return sqrt (ox * ox + oy * oy) + MIN (MAX (qx, qy), 0.0) - c;
      }

    case CM_ACTOR_KIND_ORGANIZATION:
      {
        double R = r * HEX_RADIUS;
        double h = R * 0.8660254037844386;   /* apothem */

        /* Flat top: the distance to the nearest of the three edge
         * directions (exact inside, close enough outside). */
        return MAX (av - h, (au * 0.8660254037844386 + av * 0.5) - h);
      }

    case CM_ACTOR_KIND_MEDIA:
      return (au + av - r * DIAMOND_HALF) * M_SQRT1_2;

    case CM_ACTOR_KIND_OTHER:
    case CM_ACTOR_KIND_PERSON:
    default:
      return sqrt (u * u + v * v) - r;
    }
}

void
_cm_render_shape_extents (CmActorKind kind,
                          double      r,
                          double     *half_width,
                          double     *half_height)
{
  switch (kind)
    {
    case CM_ACTOR_KIND_STATE:
      *half_width = *half_height = r * SQUARE_HALF;
      break;
    case CM_ACTOR_KIND_ORGANIZATION:
      *half_width = r * HEX_RADIUS;
      *half_height = r * HEX_RADIUS * 0.8660254037844386;
      break;
    case CM_ACTOR_KIND_MEDIA:
      *half_width = *half_height = r * DIAMOND_HALF;
      break;
    case CM_ACTOR_KIND_OTHER:
    case CM_ACTOR_KIND_PERSON:
    default:
      *half_width = *half_height = r;
      break;
    }
}

/* Group colours.  An actor's group is the actor it belongs to; groups
 * chain (Ryabkov → the ministry → Russia), and the colour is that of the
 * top of the chain, so everyone who speaks for Russia shares Russia's
 * colour.  An actor that others belong to is the top of its own group.
 * Colours go to groups in the order their first member appears in the
 * actor list, which makes them stable across runs and machines.  Actors in
 * no group at all are neutral grey. */
void
_cm_render_assign_colors (CmDataset *dataset,
                          guint8    *colors)
{
  g_autoptr(GHashTable) roots = NULL;     /* root actor → colour + 1 */
  g_autoptr(GHashTable) is_parent = NULL;
  CmActor **actors;
  guint n_actors;
  guint next = 0;

  actors = cm_dataset_peek_actors (dataset, &n_actors);
  roots = g_hash_table_new (NULL, NULL);
  is_parent = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n_actors; i++)
    {
      const char *group = cm_actor_get_group (actors[i]);
      CmActor *parent;

      if (group != NULL && (parent = cm_dataset_lookup_actor (dataset, group)) != NULL)
        g_hash_table_add (is_parent, parent);
    }

  for (guint i = 0; i < n_actors; i++)
    {
      CmActor *root = actors[i];
      gboolean grouped = g_hash_table_contains (is_parent, root);
      gpointer value;

      /* Walk up; the loader refuses cycles, but a dataset built in code
       * might have one, so the walk is bounded. */
      for (guint depth = 0; depth < 64; depth++)
        {
          const char *group = cm_actor_get_group (root);
          CmActor *parent;

          if (group == NULL || (parent = cm_dataset_lookup_actor (dataset, group)) == NULL
              || parent == root)
            break;
          root = parent;
          grouped = TRUE;
        }

      if (!grouped)
        {
          colors[i] = CM_RENDER_GREY;
          continue;
        }

      value = g_hash_table_lookup (roots, root);
      if (value == NULL)
        {
          value = GUINT_TO_POINTER ((next % CM_RENDER_N_GROUP_COLORS) + 1);
          g_hash_table_insert (roots, root, value);
          next++;
        }
      colors[i] = GPOINTER_TO_UINT (value) - 1;
    }
}
