/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>

#include "cm-render-private.h"

/* Straight links straight into the pixels of an image surface.
 *
 * Cairo rasterizes a stroke as a polygon, row by row, with a composite
 * call per row: about 200 ns per pixel of a thin line's length, whether
 * the lines are stroked one by one or batched (batched is worse: every
 * long line stays in the active edge list of every row it crosses, so a
 * dense map of 10 000 lines took 5× longer in one path than in 10 000).
 * On a map of thousands of actors the links are nearly all of the
 * drawing time.  Here a line costs a few nanoseconds per pixel it
 * touches: each pixel near the segment gets the coverage of a one-pixel
 * box filter across the line (and along it, at butt ends), which is what
 * cairo's antialiasing computes too, up to a level or two of 255.
 *
 * Used only where it draws what cairo would: an image surface in RGB24 or
 * ARGB32, a transform that only scales and translates, a rectangular
 * clip, an opaque colour (translucent strokes overlapping themselves
 * would darken where cairo's one stroke does not).  Anything else, and
 * curves, go through cairo. */

static inline double
box_cover (double d,
           double r)
{
  /* The part of [-r, r] inside the pixel [d - 0.5, d + 0.5]. */
  double c = MIN (r, d + 0.5) - MAX (-r, d - 0.5);

  return c <= 0.0 ? 0.0 : c >= 1.0 ? 1.0 : c;
}

gboolean
_cm_raster_begin (CmRaster *raster,
                  cairo_t  *cr)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
  cairo_rectangle_list_t *clip;
  cairo_matrix_t m;
  cairo_format_t format;
  double ox, oy, sx, sy;
  double x0, y0, x1, y1;

  raster->ok = FALSE;
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE ||
      cairo_surface_status (target) != CAIRO_STATUS_SUCCESS)
    return FALSE;
  format = cairo_image_surface_get_format (target);
  if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
    return FALSE;
  cairo_surface_get_device_scale (target, &sx, &sy);
  if (sx != 1.0 || sy != 1.0)
    return FALSE;

  cairo_get_matrix (cr, &m);
  if (m.xy != 0.0 || m.yx != 0.0 || !(m.xx > 0.0) || fabs (m.xx - m.yy) > 1e-9 * m.xx)
    return FALSE;
  cairo_surface_get_device_offset (target, &ox, &oy);
  raster->scale = m.xx;
  raster->tx = m.x0 + ox;
  raster->ty = m.y0 + oy;

  clip = cairo_copy_clip_rectangle_list (cr);
  if (clip->status != CAIRO_STATUS_SUCCESS || clip->num_rectangles != 1)
    {
      cairo_rectangle_list_destroy (clip);
      return FALSE;
    }
  /* In user space; to pixels. */
  x0 = clip->rectangles[0].x * m.xx + raster->tx;
  y0 = clip->rectangles[0].y * m.yy + raster->ty;
  x1 = x0 + clip->rectangles[0].width * m.xx;
  y1 = y0 + clip->rectangles[0].height * m.yy;
  cairo_rectangle_list_destroy (clip);

  raster->width = cairo_image_surface_get_width (target);
  raster->height = cairo_image_surface_get_height (target);
  /* A clip edge inside a pixel would need partial coverage there: only
   * whole pixels. */
  if (fabs (x0 - round (x0)) > 1e-6 || fabs (y0 - round (y0)) > 1e-6 ||
      (x1 < raster->width && fabs (x1 - round (x1)) > 1e-6) ||
      (y1 < raster->height && fabs (y1 - round (y1)) > 1e-6))
    return FALSE;
  raster->cx0 = CLAMP ((int) round (x0), 0, raster->width);
  raster->cy0 = CLAMP ((int) round (y0), 0, raster->height);
  raster->cx1 = CLAMP ((int) round (MIN (x1, raster->width)), 0, raster->width);
  raster->cy1 = CLAMP ((int) round (MIN (y1, raster->height)), 0, raster->height);

  raster->target = target;
  raster->data = cairo_image_surface_get_data (target);
  raster->stride = cairo_image_surface_get_stride (target);
  raster->alpha = format == CAIRO_FORMAT_ARGB32;
  raster->ok = raster->data != NULL;
  return raster->ok;
}

void
_cm_raster_set_color (CmRaster     *raster,
                      const double  rgba[4])
{
  raster->r = (guint) round (CLAMP (rgba[0], 0.0, 1.0) * 255);
  raster->g = (guint) round (CLAMP (rgba[1], 0.0, 1.0) * 255);
  raster->b = (guint) round (CLAMP (rgba[2], 0.0, 1.0) * 255);
}

/* Source over destination with coverage @c in [0, 1]; the colour is
 * opaque, so premultiplied or not makes no difference to it.  The colour
 * comes by value: read from the CmRaster, the compiler would fetch it
 * again for every pixel (a pixel store might have changed it). */
typedef struct
{
  guint    r, g, b;
  gboolean alpha;
} Ink;

static inline Ink
ink_of (const CmRaster *raster)
{
  return (Ink) { raster->r, raster->g, raster->b, raster->alpha };
}

static inline void
blend (Ink       ink,
       guint32  *p,
       double    c)
{
  guint a = (guint) (c * 255.0 + 0.5);
  guint32 d = *p;
  guint ia = 255 - a;
  guint dr = (d >> 16) & 0xff, dg = (d >> 8) & 0xff, db = d & 0xff;

  if (a == 0)
    return;
  if (a == 255)
    {
      *p = 0xff000000u | ink.r << 16 | ink.g << 8 | ink.b;
      return;
    }
  /* x / 255 as (x + 128 + ((x + 128) >> 8)) >> 8: exact rounding. */
#define DIV255(x) (((x) + 128 + (((x) + 128) >> 8)) >> 8)
  dr = DIV255 (ink.r * a + dr * ia);
  dg = DIV255 (ink.g * a + dg * ia);
  db = DIV255 (ink.b * a + db * ia);
  if (ink.alpha)
    {
      guint da = DIV255 (255 * a + (d >> 24) * ia);

      *p = da << 24 | dr << 16 | dg << 8 | db;
    }
  else
    *p = 0xff000000u | dr << 16 | dg << 8 | db;
#undef DIV255
}

typedef enum
{
  CAP_ROUND,    /* a half disc */
  CAP_BUTT,     /* flat, antialiased */
  CAP_JOINT,    /* where the next piece of a polyline takes over: flat and
                 * hard, each pixel to the one piece its centre projects
                 * onto, so joints show no seam */
} Cap;

/* A segment from (@ax, @ay) to (@bx, @by) in pixels, half @r wide, with
 * the given ends.  Visits the pixels along the long axis and the few
 * across the stroke there, so the cost follows the length, not the
 * bounding box; across, the distances change by a constant step from one
 * pixel to the next. */
static void
segment (CmRaster *raster,
         double    ax,
         double    ay,
         double    bx,
         double    by,
         double    r,
         Cap       cap0,
         Cap       cap1)
{
  Ink ink = ink_of (raster);
  double dx = bx - ax, dy = by - ay;
  double len = sqrt (dx * dx + dy * dy);
  gboolean x_major = fabs (dx) >= fabs (dy);
  double major_a = x_major ? ax : ay, major_d = x_major ? dx : dy;
  double minor_a = x_major ? ay : ax, minor_d = x_major ? dy : dx;
  double ux, uy, reach = r + 1.0, across, tight;
  /* How d (across) and s (along) change per pixel across the stroke. */
  double step_d, step_s;
  int m0, m1, lo_clip, hi_clip;
  gsize step_p;

  if (!(len > 1e-9))
    {
      ux = 1.0;
      uy = 0.0;
      len = 0.0;
    }
  else
    {
      ux = dx / len;
      uy = dy / len;
    }
  /* The box filter reaches r + 0.5 from the centre line; across the
   * minor axis that is (r + 0.5) / cos. */
  across = len > 0.0 ? (r + 0.5) * len / MAX (fabs (major_d), 1e-12) : r + 0.5;
  across = MIN (across, r + 0.5 + len) + 0.5;
  tight = len > 0.0 ? (r + 0.5) * len / MAX (fabs (major_d), 1e-12) : r + 0.5;

  if (x_major)
    {
      m0 = MAX ((int) floor (MIN (ax, bx) - reach), raster->cx0);
      m1 = MIN ((int) ceil (MAX (ax, bx) + reach), raster->cx1 - 1);
      /* Only the columns where the line crosses this band of rows: a
       * long, nearly level line is drawn band by band. */
      if (fabs (dy) > 1e-9)
        {
          double ta = (raster->cy0 - across - 1.0 - ay) / dy;
          double tb = (raster->cy1 + across + 1.0 - ay) / dy;
          double xa = ax + MIN (ta, tb) * dx, xb = ax + MAX (ta, tb) * dx;

          m0 = MAX (m0, (int) floor (MIN (xa, xb)) - 1);
          m1 = MIN (m1, (int) ceil (MAX (xa, xb)) + 1);
        }
      lo_clip = raster->cy0;
      hi_clip = raster->cy1 - 1;
      /* One row down: q_y grows by 1. */
      step_d = -ux;
      step_s = uy;
      step_p = raster->stride;
    }
  else
    {
      m0 = MAX ((int) floor (MIN (ay, by) - reach), raster->cy0);
      m1 = MIN ((int) ceil (MAX (ay, by) + reach), raster->cy1 - 1);
      lo_clip = raster->cx0;
      hi_clip = raster->cx1 - 1;
      /* One column right: q_x grows by 1. */
      step_d = uy;
      step_s = ux;
      step_p = 4;
    }

  for (int m = m0; m <= m1; m++)
    {
      double mc = m + 0.5;
      double t = fabs (major_d) > 1e-12 ? (mc - major_a) / major_d : 0.0;
      double centre, qx, qy, d, sv;
      int n0, n1;
      guint8 *p;

      if (t > 0.0 && t < 1.0)
        {
          /* Pixel centres n + 0.5 within the reach of the line. */
          centre = minor_a + t * minor_d - 0.5;
          n0 = MAX ((int) floor (centre - tight) + 1, lo_clip);
          n1 = MIN ((int) ceil (centre + tight) - 1, hi_clip);
        }
      else
        {
          /* Around an end: the cap, or the end of a butt-ended dash. */
          t = CLAMP (t, 0.0, 1.0);
          centre = minor_a + t * minor_d;
          n0 = MAX ((int) floor (centre - across), lo_clip);
          n1 = MIN ((int) ceil (centre + across), hi_clip);
        }
      if (n0 > n1)
        continue;

      qx = (x_major ? mc : n0 + 0.5) - ax;
      qy = (x_major ? n0 + 0.5 : mc) - ay;
      d = qx * uy - qy * ux;          /* signed distance across */
      sv = qx * ux + qy * uy;         /* along, from a */
      p = raster->data + (x_major ? (gsize) n0 * raster->stride + (gsize) m * 4
                                  : (gsize) m * raster->stride + (gsize) n0 * 4);

      /* Most columns lie clear of both ends: the coverage is the box
       * filter across alone, 1 in the middle of a line at least a pixel
       * wide, so most pixels are plain stores (10 % of the drawing time
       * of a 5000-actor export). */
      {
        double sv_last = sv + (n1 - n0) * step_s;

        if (r >= 0.5 && MIN (sv, sv_last) >= 0.5 && MAX (sv, sv_last) <= len - 0.5)
          {
            double full = r - 0.5, outer = r + 0.5;
            guint32 color = 0xff000000u | ink.r << 16 | ink.g << 8 | ink.b;

            for (int n = n0; n <= n1; n++, d += step_d, p += step_p)
              {
                double e = fabs (d);

                if (e <= full)
                  *(guint32 *) p = color;
                else if (e < outer)
                  blend (ink, (guint32 *) p, outer - e);
              }
            continue;
          }
      }

      for (int n = n0; n <= n1; n++, d += step_d, sv += step_s, p += step_p)
        {
          double c;

          if (sv < 0.0)
            {
              /* Before the start. */
              if (cap0 == CAP_ROUND)
                c = box_cover (sqrt (d * d + sv * sv), r);
              else if (cap0 == CAP_BUTT)
                c = box_cover (fabs (d), r) * CLAMP (sv + 0.5, 0.0, 1.0);
              else
                c = 0.0;
            }
          else if (sv >= len)
            {
              double e = sv - len;

              if (cap1 == CAP_ROUND)
                c = box_cover (sqrt (d * d + e * e), r);
              else if (cap1 == CAP_BUTT)
                c = box_cover (fabs (d), r) * CLAMP (0.5 - e, 0.0, 1.0);
              else
                c = 0.0;
            }
          else
            {
              c = box_cover (fabs (d), r);
              if (cap0 == CAP_BUTT && sv < 0.5)
                c *= MIN (sv + 0.5, len + 0.5 - sv);
              else if (cap1 == CAP_BUTT && len - sv < 0.5)
                c *= len - sv + 0.5;
            }
          if (c > 0.0)
            blend (ink, (guint32 *) p, c);
        }
    }
}

/* Disc of radius @r around (@x, @y), in pixels. */
static void
dot (CmRaster *raster,
     double    x,
     double    y,
     double    r)
{
  Ink ink = ink_of (raster);
  int x0 = MAX ((int) floor (x - r - 1), raster->cx0);
  int x1 = MIN ((int) ceil (x + r + 1), raster->cx1 - 1);
  int y0 = MAX ((int) floor (y - r - 1), raster->cy0);
  int y1 = MIN ((int) ceil (y + r + 1), raster->cy1 - 1);

  for (int py = y0; py <= y1; py++)
    {
      guint32 *row = (guint32 *) (raster->data + (gsize) py * raster->stride);

      for (int px = x0; px <= x1; px++)
        {
          double ex = px + 0.5 - x, ey = py + 0.5 - y;
          double c = box_cover (sqrt (ex * ex + ey * ey), r);

          if (c > 0.0)
            blend (ink, row + px, c);
        }
    }
}

typedef struct
{
  double   r;           /* half width, pixels */
  double   on, off;     /* pattern, pixels; off 0: solid; on 0: dots */
  gboolean round_caps;
} Pen;

/* One polyline of @n points (pixels) as one stroke: the dash pattern runs
 * on from piece to piece, from the start of the line, as cairo lays it
 * along a flattened curve. */
static void
polyline (CmRaster     *raster,
          const double *pts,
          guint         n,
          const Pen    *pen)
{
  Cap end_cap = pen->round_caps ? CAP_ROUND : CAP_BUTT;
  double period = pen->on + pen->off;
  double phase = 0.0;       /* where in the pattern the piece starts */
  double next_dot = 0.0;    /* from the piece's start */
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (n < 2)
    return;
  /* Nothing of it in this band (or clip). */
  for (guint k = 0; k < n; k++)
    {
      x0 = MIN (x0, pts[2 * k]);
      x1 = MAX (x1, pts[2 * k]);
      y0 = MIN (y0, pts[2 * k + 1]);
      y1 = MAX (y1, pts[2 * k + 1]);
    }
  if (y1 + pen->r + 1.0 < raster->cy0 || y0 - pen->r - 1.0 > raster->cy1 ||
      x1 + pen->r + 1.0 < raster->cx0 || x0 - pen->r - 1.0 > raster->cx1)
    return;

  for (guint k = 0; k + 1 < n; k++)
    {
      double ax = pts[2 * k], ay = pts[2 * k + 1];
      double bx = pts[2 * k + 2], by = pts[2 * k + 3];
      double len = hypot (bx - ax, by - ay), ux, uy, s = 0.0;
      gboolean last = k + 2 == n;

      if (pen->off <= 0.0)
        {
          segment (raster, ax, ay, bx, by, pen->r,
                   k == 0 ? end_cap : CAP_JOINT, last ? end_cap : CAP_JOINT);
          continue;
        }

      ux = len > 0 ? (bx - ax) / len : 0.0;
      uy = len > 0 ? (by - ay) / len : 0.0;

      if (pen->on <= 0.0)
        {
          /* Dots a period apart from the start; one on a joint belongs to
           * the piece after it, one on the very end is drawn. */
          for (; next_dot < len || (last && next_dot <= len + 1e-9); next_dot += period)
            if (pen->round_caps)
              dot (raster, ax + ux * next_dot, ay + uy * next_dot, pen->r);
          next_dot -= len;
          continue;
        }

      while (s < len)
        {
          if (phase < pen->on)
            {
              /* In a dash: to its end, or to the piece's end. */
              double rest = pen->on - phase;
              double e = MIN (len, s + rest);
              gboolean ends = s + rest <= len;

              segment (raster, ax + ux * s, ay + uy * s, ax + ux * e, ay + uy * e, pen->r,
                       phase == 0.0 ? end_cap : CAP_JOINT,
                       ends || last ? end_cap : CAP_JOINT);
              phase = ends ? pen->on : phase + (e - s);
              s = e;
            }
          else
            {
              /* In a gap. */
              double e = MIN (len, s + (period - phase));

              phase += e - s;
              s = e;
              if (phase >= period - 1e-9)
                phase = 0.0;
            }
        }
    }
}

typedef struct
{
  const CmRaster *raster;
  const double   *pts;       /* pixels */
  const guint    *starts;
  guint           n_lines;
  Pen             pen;
  guint           first;     /* the bands this thread draws: first, */
  guint           step;      /* first + step, … */
  guint           n_bands;
} Worker;

/* Bands of BAND_ROWS rows: a band of pixels stays in the cache while
 * every line crossing it is drawn, where line after line across the whole
 * image missed it on nearly every row (a 20 000-actor map drew at 150 ns
 * a pixel of line instead of a few). */
#define BAND_ROWS 64

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;

  for (guint b = w->first; b < w->n_bands; b += w->step)
    {
      CmRaster band = *w->raster;

      band.cy0 = w->raster->cy0 + (int) b * BAND_ROWS;
      band.cy1 = MIN (band.cy0 + BAND_ROWS, w->raster->cy1);
      for (guint i = 0; i < w->n_lines; i++)
        polyline (&band, w->pts + 2 * (gsize) w->starts[i], w->starts[i + 1] - w->starts[i], &w->pen);
    }
  return NULL;
}

/* Bands are shared out among as many threads as there are processors,
 * when there is enough ink to be worth a thread.  Each pixel belongs to
 * one band and gets the lines in the same order whatever the threads, so
 * the picture does not depend on them. */
#define MAX_THREADS 8
#define INK_PER_THREAD 200000.0

void
_cm_raster_polylines (CmRaster     *raster,
                      const double *xy,
                      const guint  *starts,
                      guint         n_lines,
                      double        width,
                      double        on,
                      double        off,
                      gboolean      round_caps)
{
  Worker workers[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL, };
  g_autofree double *pts = NULL;
  guint n_points, n_threads, n_bands;
  double ink = 0.0, s = raster->scale;
  int rows = raster->cy1 - raster->cy0;
  Pen pen = { width * s / 2.0, on * s, off * s, round_caps };

  if (n_lines == 0 || rows <= 0)
    return;

  /* To pixels once, for all bands. */
  n_points = starts[n_lines];
  pts = g_new (double, 2 * (gsize) n_points + 2);
  for (guint k = 0; k < n_points; k++)
    {
      pts[2 * k] = xy[2 * k] * s + raster->tx;
      pts[2 * k + 1] = xy[2 * k + 1] * s + raster->ty;
    }
  for (guint i = 0; i < n_lines; i++)
    for (guint k = starts[i]; k + 1 < starts[i + 1]; k++)
      ink += hypot (pts[2 * k + 2] - pts[2 * k], pts[2 * k + 3] - pts[2 * k + 1]);
  ink *= MAX (width * s, 1.0);
  n_bands = (rows + BAND_ROWS - 1) / BAND_ROWS;
  n_threads = (guint) CLAMP (ink / INK_PER_THREAD, 1.0, MIN (g_get_num_processors (), MAX_THREADS));
  n_threads = MIN (n_threads, n_bands);

  for (guint k = 0; k < n_threads; k++)
    workers[k] = (Worker) { raster, pts, starts, n_lines, pen, k, n_threads, n_bands };
  for (guint k = 1; k < n_threads; k++)
    threads[k] = g_thread_try_new ("cm-raster", worker_run, &workers[k], NULL);
  worker_run (&workers[0]);
  for (guint k = 1; k < n_threads; k++)
    {
      /* No thread: its bands are drawn here. */
      if (threads[k] != NULL)
        g_thread_join (threads[k]);
      else
        worker_run (&workers[k]);
    }
}

void
_cm_raster_dots (CmRaster     *raster,
                 const double *xy,
                 guint         n,
                 double        radius)
{
  double s = raster->scale, r = radius * s;

  for (guint i = 0; i < n; i++)
    dot (raster, xy[2 * i] * s + raster->tx, xy[2 * i + 1] * s + raster->ty, r);
}
