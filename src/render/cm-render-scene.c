/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm-render-private.h"

/* The scene resolves a dataset and a view into device coordinates once
 * per frame: where every actor is, which links are drawn, and each link's
 * curve as cubic Bézier segments already cut at the shapes' rims.  Drawing
 * and hit-testing both read it, so what is hit is exactly what is drawn. */

/* How far, in device units, outside a shape's rim a line stops. */
#define RIM_GAP 1.0
/* Samples per Bézier segment when measuring or hit-testing a curve. */
#define SAMPLES 16
/* Things this close outside the view are still drawn: a label or the
 * bulge of a curve may reach in. */
#define CULL_MARGIN 120.0
/* The area a name needs around its actor for most names to find room,
 * in device pixels (a label is some 90 × 16). */
#define LABEL_ROOM 3000.0

typedef struct
{
  double x, y;
} Point;

static inline Point
bezier_point (const Point *p,
              double       t)
{
  double mt = 1.0 - t;
  double a = mt * mt * mt, b = 3 * mt * mt * t, c = 3 * mt * t * t, d = t * t * t;

  return (Point) { a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x,
                   a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y };
}

static inline Point
bezier_tangent (const Point *p,
                double       t)
{
  double mt = 1.0 - t;
  Point d = {
    3 * mt * mt * (p[1].x - p[0].x) + 6 * mt * t * (p[2].x - p[1].x) + 3 * t * t * (p[3].x - p[2].x),
    3 * mt * mt * (p[1].y - p[0].y) + 6 * mt * t * (p[2].y - p[1].y) + 3 * t * t * (p[3].y - p[2].y),
  };

  /* A degenerate end (control point on the end point): look further in. */
  if (fabs (d.x) + fabs (d.y) < 1e-9)
    {
      d.x = p[3].x - p[0].x;
      d.y = p[3].y - p[0].y;
    }
  return d;
}

/* De Casteljau: @p becomes the part of the curve from @t0 to @t1. */
static void
bezier_sub (Point  *p,
            double  t0,
            double  t1)
{
  Point q[4];

  if (t1 < 1.0)
    {
      double t = t1;
      Point ab = { p[0].x + (p[1].x - p[0].x) * t, p[0].y + (p[1].y - p[0].y) * t };
      Point bc = { p[1].x + (p[2].x - p[1].x) * t, p[1].y + (p[2].y - p[1].y) * t };
      Point cd = { p[2].x + (p[3].x - p[2].x) * t, p[2].y + (p[3].y - p[2].y) * t };
      Point abc = { ab.x + (bc.x - ab.x) * t, ab.y + (bc.y - ab.y) * t };
      Point bcd = { bc.x + (cd.x - bc.x) * t, bc.y + (cd.y - bc.y) * t };
      Point m = { abc.x + (bcd.x - abc.x) * t, abc.y + (bcd.y - abc.y) * t };

      q[0] = p[0]; q[1] = ab; q[2] = abc; q[3] = m;
      memcpy (p, q, sizeof q);
      t0 = t0 / t1;
    }
  if (t0 > 0.0)
    {
      double t = t0;
      Point ab = { p[0].x + (p[1].x - p[0].x) * t, p[0].y + (p[1].y - p[0].y) * t };
      Point bc = { p[1].x + (p[2].x - p[1].x) * t, p[1].y + (p[2].y - p[1].y) * t };
      Point cd = { p[2].x + (p[3].x - p[2].x) * t, p[2].y + (p[3].y - p[2].y) * t };
      Point abc = { ab.x + (bc.x - ab.x) * t, ab.y + (bc.y - ab.y) * t };
      Point bcd = { bc.x + (cd.x - bc.x) * t, bc.y + (cd.y - bc.y) * t };
      Point m = { abc.x + (bcd.x - abc.x) * t, abc.y + (bcd.y - abc.y) * t };

      q[0] = m; q[1] = bcd; q[2] = cd; q[3] = p[3];
      memcpy (p, q, sizeof q);
    }
}

static double
actor_distance (const CmSceneActor *a,
                Point               p)
{
  return _cm_render_shape_distance (a->kind, a->r, p.x - a->x, p.y - a->y);
}

/* The parameter where the curve crosses the rim of @a (plus the gap):
 * searching from @t_in, which is inside, towards @t_out, which is outside. */
static double
find_rim (const Point        *p,
          const CmSceneActor *a,
          double              t_in,
          double              t_out)
{
  /* Halving until the step is a hundredth of a pixel: the length of the
   * control polygon bounds the curve's, and 2^-24 of it is the most ever
   * needed.  (Always 24 steps was a tenth of the drawing time of a
   * zoomed-out map of 60 000 links.) */
  double extent = hypot (p[1].x - p[0].x, p[1].y - p[0].y) +
                  hypot (p[2].x - p[1].x, p[2].y - p[1].y) +
                  hypot (p[3].x - p[2].x, p[3].y - p[2].y);
  int steps = extent > 0.01 ? (int) ceil (log2 (extent / 0.01)) : 1;

  steps = CLAMP (steps, 1, 24);
  for (int i = 0; i < steps; i++)
    {
      double t = (t_in + t_out) / 2.0;

      if (actor_distance (a, bezier_point (p, t)) < RIM_GAP)
        t_in = t;
      else
        t_out = t;
    }
  return t_out;
}

static double
bezier_length (const Point *p)
{
  double len = 0;
  Point prev = p[0];

  for (int i = 1; i <= SAMPLES; i++)
    {
      Point q = bezier_point (p, i / (double) SAMPLES);

      len += hypot (q.x - prev.x, q.y - prev.y);
      prev = q;
    }
  return len;
}

static inline Point *
link_points (CmScene           *scene,
             const CmSceneLink *link)
{
  return &g_array_index (scene->points, Point, link->first_point);
}

/* Catmull-Rom spline through @route (n points) as cubic segments: a smooth
 * curve through each intermediary's centre.  Writes 1 + 3 (n - 1) points. */
static void
spline_through (const Point *route,
                guint        n,
                Point       *out)
{
  out[0] = route[0];
  for (guint i = 0; i + 1 < n; i++)
    {
      Point prev = route[i == 0 ? 0 : i - 1];
      Point next = route[i + 2 < n ? i + 2 : n - 1];
      Point *s = &out[3 * i];

      s[1] = (Point) { route[i].x + (route[i + 1].x - prev.x) / 6.0,
                       route[i].y + (route[i + 1].y - prev.y) / 6.0 };
      s[2] = (Point) { route[i + 1].x - (next.x - route[i].x) / 6.0,
                       route[i + 1].y - (next.y - route[i].y) / 6.0 };
      s[3] = route[i + 1];
    }
}

typedef struct
{
  guint64 key;      /* the unordered pair of ends */
  guint64 route;    /* a hash of the intermediaries, 0 for none */
  guint   index;
} GroupEntry;

static int
group_entry_compare (const void *a,
                     const void *b)
{
  const GroupEntry *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->route != y->route)
    return x->route < y->route ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index);
}

/* How far outside the view a line may reach before only its part near
 * the view is drawn (device units). */
#define FAR_REACH 8192.0

/* A link reaching far outside the view (zoomed far in on a big map, or
 * actors placed absurdly far apart): drawn as the straight line between
 * its ends (at that length a bulge or a bend cannot be seen), cut to the
 * view and a margin.  The cut falls on a whole number of dash periods, so
 * the pattern does not slide as the view pans.  Stroking all of it cost a
 * dash per period: hours, for two actors 1e155 apart. */
static void
cut_to_view (CmScene     *scene,
             CmSceneLink *sl,
             Point       *p)
{
  Point a = p[0], b = p[3 * sl->n_segments];
  double reach = FAR_REACH / 2;
  double dx = b.x - a.x, dy = b.y - a.y;
  double edge_p[4] = { -dx, dx, -dy, dy };
  double edge_q[4] = { a.x + reach, scene->options.width + reach - a.x,
                       a.y + reach, scene->options.height + reach - a.y };
  double t0 = 0.0, t1 = 1.0, len = hypot (dx, dy);
  double period = _cm_render_dash_period (sl->channel, sl->width);

  /* Liang–Barsky. */
  for (int k = 0; k < 4; k++)
    {
      if (edge_p[k] == 0.0)
        {
          if (edge_q[k] < 0)
            t1 = t0 = 0.0;
          continue;
        }
      if (edge_p[k] < 0)
        t0 = MAX (t0, edge_q[k] / edge_p[k]);
      else
        t1 = MIN (t1, edge_q[k] / edge_p[k]);
    }
  if (!isfinite (len) || len <= 0 || !(t1 > t0))
    t0 = t1 = 0.0;
  else if (period > 0 && t0 > 0)
    t0 = floor (t0 * len / period) * period / len;

  p[0] = (Point) { a.x + dx * t0, a.y + dy * t0 };
  p[3] = (Point) { a.x + dx * t1, a.y + dy * t1 };
  p[1] = (Point) { p[0].x + (p[3].x - p[0].x) / 3, p[0].y + (p[3].y - p[0].y) / 3 };
  p[2] = (Point) { p[0].x + (p[3].x - p[0].x) * 2 / 3, p[0].y + (p[3].y - p[0].y) * 2 / 3 };
  sl->n_segments = 1;
  sl->straight = TRUE;
}

static gboolean
link_has_mechanism (CmLink *link)
{
  const char *mechanism = cm_link_get_mechanism (link);

  return cm_link_get_channel (link) == CM_CHANNEL_INDIRECT && mechanism != NULL && *mechanism != '\0';
}

static gboolean
build_link (CmScene     *scene,
            CmSceneLink *sl,
            GArray      *via,
            double       offset)
{
  const CmSceneActor *src = &scene->actors[sl->source];
  const CmSceneActor *dst = &scene->actors[sl->target];
  Point *p;
  guint n_route = via->len + 2;
  Point route_buffer[8];
  g_autofree Point *route_heap = n_route > G_N_ELEMENTS (route_buffer) ? g_new (Point, n_route) : NULL;
  Point *route = route_heap != NULL ? route_heap : route_buffer;
  guint n_seg = n_route - 1;
  double t0, t1;
  Point *first, *last;
  double chord;

  route[0] = (Point) { src->x, src->y };
  for (guint i = 0; i < via->len; i++)
    {
      const CmSceneActor *v = &scene->actors[g_array_index (via, int, i)];

      route[i + 1] = (Point) { v->x, v->y };
    }
  route[n_route - 1] = (Point) { dst->x, dst->y };

  chord = hypot (dst->x - src->x, dst->y - src->y);
  if (chord < 1e-6 && via->len == 0)
    return FALSE;

  sl->first_point = scene->points->len;
  sl->n_segments = n_seg;
  g_array_set_size (scene->points, scene->points->len + 1 + 3 * n_seg);
  p = link_points (scene, sl);

  if (via->len == 0)
    {
      Point a = route[0], b = route[1];
      Point n = { -(b.y - a.y) / chord, (b.x - a.x) / chord };

      /* The normal is that of the pair in a fixed order, so links in
       * opposite directions still bulge to opposite sides. */
      if (sl->source > sl->target)
        {
          n.x = -n.x;
          n.y = -n.y;
        }
      /* A quadratic through the displaced middle, as a cubic: its middle
       * moves by half the control point's displacement. */
      {
        Point q = { (a.x + b.x) / 2 + n.x * 2 * offset, (a.y + b.y) / 2 + n.y * 2 * offset };

        p[0] = a;
        p[1] = (Point) { a.x + (q.x - a.x) * 2 / 3, a.y + (q.y - a.y) * 2 / 3 };
        p[2] = (Point) { b.x + (q.x - b.x) * 2 / 3, b.y + (q.y - b.y) * 2 / 3 };
        p[3] = b;
      }
    }
  else
    {
      spline_through (route, n_route, p);
      if (offset != 0)
        {
          double sign = sl->source > sl->target ? -1.0 : 1.0;

          /* Parallel routes through the same intermediaries: bulge each
           * segment; moving both control points by d moves its middle
           * by 3/4 d. */
          for (guint s = 0; s < n_seg; s++)
            {
              Point *q = &p[3 * s];
              double len = hypot (q[3].x - q[0].x, q[3].y - q[0].y);

              if (len < 1e-6)
                continue;
              for (int k = 1; k <= 2; k++)
                {
                  q[k].x += sign * -(q[3].y - q[0].y) / len * offset * 4 / 3;
                  q[k].y += sign * (q[3].x - q[0].x) / len * offset * 4 / 3;
                }
            }
        }
    }

  /* Cut at the rims: lines start and end at the shapes, not their
   * centres. */
  first = &p[0];
  last = &p[3 * (n_seg - 1)];
  if (actor_distance (src, first[3]) < RIM_GAP && n_seg == 1)
    return FALSE;   /* the shapes overlap: nothing to draw between them */
  if (actor_distance (dst, last[0]) < RIM_GAP && n_seg == 1)
    return FALSE;

  t0 = actor_distance (src, first[3]) < RIM_GAP ? 0.0 : find_rim (first, src, 0.0, 1.0);
  t1 = actor_distance (dst, last[0]) < RIM_GAP ? 1.0 : find_rim (last, dst, 1.0, 0.0);
  if (n_seg == 1)
    {
      if (t1 <= t0)
        return FALSE;
      bezier_sub (first, t0, t1);
    }
  else
    {
      bezier_sub (first, t0, 1.0);
      bezier_sub (last, 0.0, t1);
    }

  /* The arrowhead sits on the end, tip on the target's rim. */
  if (sl->arrow)
    {
      double lw = sl->width;
      double la = 7.0 + 1.5 * lw;
      double wa = 3.2 + 0.9 * lw;
      double total = bezier_length (last);
      Point tip = last[3];
      double lo = 0.0, hi = 1.0;
      Point base, dir;
      double dlen;

      if (total < la * 1.5)
        {
          double f = MAX (total / (la * 1.5), 0.3);

          la *= f;
          wa *= f;
        }
      /* Walk back along the curve to the base of the head. */
      for (int i = 0; i < 40; i++)
        {
          double t = (lo + hi) / 2.0;
          Point q = bezier_point (last, t);

          if (hypot (q.x - tip.x, q.y - tip.y) > la)
            lo = t;
          else
            hi = t;
        }
      base = bezier_point (last, lo);
      dir = (Point) { tip.x - base.x, tip.y - base.y };
      dlen = hypot (dir.x, dir.y);
      if (dlen < 1e-9)
        sl->arrow = FALSE;
      else
        {
          dir.x /= dlen;
          dir.y /= dlen;
          base = (Point) { tip.x - dir.x * la, tip.y - dir.y * la };
          sl->arrow_points[0] = tip.x;
          sl->arrow_points[1] = tip.y;
          sl->arrow_points[2] = base.x - dir.y * wa;
          sl->arrow_points[3] = base.y + dir.x * wa;
          sl->arrow_points[4] = base.x + dir.y * wa;
          sl->arrow_points[5] = base.y - dir.x * wa;
          /* The line goes a little into the head, so no gap shows. */
          bezier_sub (last, 0.0, lo + (1.0 - lo) * 0.3);
        }
    }

  /* Length, middle, bounds. */
  sl->length = 0;
  if (sl->straight)
    {
      /* A line: its length and middle need no sampling. */
      double dx = p[3].x - p[0].x, dy = p[3].y - p[0].y;

      sl->length = hypot (dx, dy);
      sl->mid[0] = (p[0].x + p[3].x) / 2;
      sl->mid[1] = (p[0].y + p[3].y) / 2;
      sl->mid_tangent[0] = sl->length > 0 ? dx / sl->length : 1.0;
      sl->mid_tangent[1] = sl->length > 0 ? dy / sl->length : 0.0;
    }
  else
    {
      g_autofree double *cumulative = g_new (double, n_seg * SAMPLES + 1);
      double half, seg_len, frac, t, x, y, dx, dy;
      guint i;

      cumulative[0] = 0;
      for (guint s = 0; s < n_seg; s++)
        {
          Point prev = p[3 * s];

          for (int k = 1; k <= SAMPLES; k++)
            {
              Point q = bezier_point (&p[3 * s], k / (double) SAMPLES);

              sl->length += hypot (q.x - prev.x, q.y - prev.y);
              cumulative[s * SAMPLES + k] = sl->length;
              prev = q;
            }
        }

      /* The middle by length, not by parameter: on a route through
       * intermediaries the segments differ in length. */
      half = sl->length / 2;
      for (i = 1; i < n_seg * SAMPLES && cumulative[i] < half; i++)
        ;
      seg_len = cumulative[i] - cumulative[i - 1];
      frac = seg_len > 0 ? (half - cumulative[i - 1]) / seg_len : 0;
      t = (i - 1 + frac) / (double) (n_seg * SAMPLES);
      _cm_scene_link_point (scene, sl, t, &x, &y, &dx, &dy);
      sl->mid[0] = x;
      sl->mid[1] = y;
      sl->mid_tangent[0] = dx;
      sl->mid_tangent[1] = dy;
    }

  {
    guint i;

    sl->bbox[0] = sl->bbox[2] = p[0].x;
    sl->bbox[1] = sl->bbox[3] = p[0].y;
    for (i = 1; i < 1 + 3 * n_seg; i++)
      {
        sl->bbox[0] = MIN (sl->bbox[0], p[i].x);
        sl->bbox[1] = MIN (sl->bbox[1], p[i].y);
        sl->bbox[2] = MAX (sl->bbox[2], p[i].x);
        sl->bbox[3] = MAX (sl->bbox[3], p[i].y);
      }
    if (sl->arrow)
      for (i = 0; i < 3; i++)
        {
          sl->bbox[0] = MIN (sl->bbox[0], sl->arrow_points[2 * i]);
          sl->bbox[1] = MIN (sl->bbox[1], sl->arrow_points[2 * i + 1]);
          sl->bbox[2] = MAX (sl->bbox[2], sl->arrow_points[2 * i]);
          sl->bbox[3] = MAX (sl->bbox[3], sl->arrow_points[2 * i + 1]);
        }
    sl->bbox[0] -= sl->width;
    sl->bbox[1] -= sl->width;
    sl->bbox[2] += sl->width;
    sl->bbox[3] += sl->width;
  }

  if (sl->bbox[0] < -FAR_REACH || sl->bbox[1] < -FAR_REACH ||
      sl->bbox[2] > scene->options.width + FAR_REACH || sl->bbox[3] > scene->options.height + FAR_REACH)
    cut_to_view (scene, sl, p);

  return sl->length > 0.5;
}

static void
emphasize_link (CmScene     *scene,
                CmSceneLink *sl,
                GArray      *via,
                CmEmphasis   link_emphasis)
{
  sl->emphasis = MAX (sl->emphasis, link_emphasis);
  scene->actors[sl->source].emphasis = MAX (scene->actors[sl->source].emphasis, CM_EMPHASIS_NORMAL);
  scene->actors[sl->target].emphasis = MAX (scene->actors[sl->target].emphasis, CM_EMPHASIS_NORMAL);
  for (guint i = 0; i < via->len; i++)
    {
      CmSceneActor *a = &scene->actors[g_array_index (via, int, i)];

      a->emphasis = MAX (a->emphasis, CM_EMPHASIS_NORMAL);
    }
}

/* Which actors each link joins and runs through, as indices, and which
 * links touch each actor: the same for every frame until the dataset's
 * structure changes, and looking ids up in hash tables was a third of
 * building a scene of 60 000 links.  Kept on the dataset; reference
 * counted, since two threads may draw the same dataset (the window, an
 * export).  Keyed on cm_dataset_get_structure_generation(), which moving
 * actors (a drag, the layout's animation) leaves alone. */
typedef struct
{
  gint          ref_count;
  guint64       generation;  /* the dataset's structure generation */
  guint         n_actors;
  guint         n_links;
  CmLink      **links;
  int          *ends;        /* 2 per link: source, target, or -1 */
  guint        *via_start;   /* n_links + 1, into via */
  int          *via;         /* intermediaries of indirect links, or -1 */
  guint        *touch_start; /* n_actors + 1, into touching */
  guint        *touching;    /* per actor, the links it ends or runs through, once each */
  guint8       *colors;      /* n_actors: by group (hash lookups up the tree) */
} Topology;

static GMutex topology_lock;

static void
topology_unref (gpointer data)
{
  Topology *t = data;

  if (t == NULL || !g_atomic_int_dec_and_test (&t->ref_count))
    return;
  g_free (t->links);
  g_free (t->ends);
  g_free (t->via_start);
  g_free (t->via);
  g_free (t->touch_start);
  g_free (t->touching);
  g_free (t->colors);
  g_free (t);
}

static int
actor_index (CmDataset  *dataset,
             const char *id)
{
  CmActor *actor = id ? cm_dataset_lookup_actor (dataset, id) : NULL;

  return actor ? cm_dataset_get_actor_index (dataset, actor) : -1;
}

/* The actors link @i touches (ends, then intermediaries), each once:
 * fills @out (room for 2 + its intermediaries) and returns how many. */
static guint
link_touched_actors (Topology *t,
                     guint     i,
                     int      *out)
{
  guint n = 0;

  for (guint k = 0; k < 2 + t->via_start[i + 1] - t->via_start[i]; k++)
    {
      int actor = k < 2 ? t->ends[2 * i + k] : t->via[t->via_start[i] + k - 2];
      gboolean seen = actor < 0;

      for (guint j = 0; !seen && j < n; j++)
        seen = out[j] == actor;
      if (!seen)
        out[n++] = actor;
    }
  return n;
}

static Topology *
topology_build (CmDataset *dataset,
                guint64    generation)
{
  Topology *t = g_new0 (Topology, 1);
  g_autoptr(GArray) via = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree guint *fill = NULL;
  CmLink **links = cm_dataset_peek_links (dataset, &t->n_links);

  cm_dataset_peek_actors (dataset, &t->n_actors);
  t->ref_count = 1;
  t->generation = generation;
  t->colors = g_new0 (guint8, t->n_actors + 1);
  _cm_render_assign_colors (dataset, t->colors);

  t->links = g_new (CmLink *, t->n_links + 1);
  t->ends = g_new (int, 2 * (gsize) t->n_links + 1);
  t->via_start = g_new (guint, t->n_links + 1);
  for (guint i = 0; i < t->n_links; i++)
    {
      const char * const *ids_via = cm_link_get_via (links[i]);

      t->links[i] = links[i];
      t->ends[2 * i] = actor_index (dataset, cm_link_get_source (links[i]));
      t->ends[2 * i + 1] = actor_index (dataset, cm_link_get_target (links[i]));
      t->via_start[i] = via->len;
      /* Intermediaries count only on indirect links. */
      if (ids_via != NULL && cm_link_get_channel (links[i]) == CM_CHANNEL_INDIRECT)
        for (guint k = 0; ids_via[k] != NULL; k++)
          {
            int index = actor_index (dataset, ids_via[k]);

            g_array_append_val (via, index);
          }
    }
  t->via_start[t->n_links] = via->len;
  t->via = (int *) g_array_free (g_steal_pointer (&via), FALSE);

  /* Links by actor: counted, then placed. */
  t->touch_start = g_new0 (guint, t->n_actors + 1);
  for (guint i = 0; i < t->n_links; i++)
    {
      g_array_set_size (touched, 2 + t->via_start[i + 1] - t->via_start[i]);
      for (guint n = link_touched_actors (t, i, (int *) touched->data), k = 0; k < n; k++)
        t->touch_start[g_array_index (touched, int, k) + 1]++;
    }
  for (guint a = 0; a < t->n_actors; a++)
    t->touch_start[a + 1] += t->touch_start[a];
  t->touching = g_new (guint, t->touch_start[t->n_actors] + 1);
  fill = g_memdup2 (t->touch_start, sizeof (guint) * (t->n_actors + 1));
  for (guint i = 0; i < t->n_links; i++)
    {
      g_array_set_size (touched, 2 + t->via_start[i + 1] - t->via_start[i]);
      for (guint n = link_touched_actors (t, i, (int *) touched->data), k = 0; k < n; k++)
        t->touching[fill[g_array_index (touched, int, k)]++] = i;
    }
  return t;
}

static Topology *
topology_get (CmDataset *dataset)
{
  static GQuark quark;
  guint64 generation = cm_dataset_get_structure_generation (dataset);
  Topology *t;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-render-topology");

  g_mutex_lock (&topology_lock);
  t = g_object_get_qdata (G_OBJECT (dataset), quark);
  if (t != NULL && t->generation == generation)
    {
      g_atomic_int_inc (&t->ref_count);
      g_mutex_unlock (&topology_lock);
      return t;
    }
  g_mutex_unlock (&topology_lock);

  t = topology_build (dataset, generation);
  g_atomic_int_inc (&t->ref_count);
  g_mutex_lock (&topology_lock);
  g_object_set_qdata_full (G_OBJECT (dataset), quark, t, topology_unref);
  g_mutex_unlock (&topology_lock);
  return t;
}

static int
topology_link_index (Topology *topology,
                     CmLink   *link)
{
  for (guint i = 0; i < topology->n_links; i++)
    if (topology->links[i] == link)
      return (int) i;
  return -1;
}

static gboolean
via_has (Topology *topology,
         guint     i,
         int       actor)
{
  for (guint k = topology->via_start[i]; k < topology->via_start[i + 1]; k++)
    if (topology->via[k] == actor)
      return TRUE;
  return FALSE;
}

/* Intermediaries of link @i that exist and are placed, as actor indices. */
static void
resolve_via (CmScene  *scene,
             Topology *topology,
             guint     i,
             GArray   *via)
{
  g_array_set_size (via, 0);
  for (guint k = topology->via_start[i]; k < topology->via_start[i + 1]; k++)
    {
      int index = topology->via[k];

      if (index >= 0 && scene->actors[index].placed)
        g_array_append_val (via, index);
    }
}

/* Whether the route of @sl (its ends and intermediaries, bulged by
 * @offset) stays clear of the view and its margin. */
static gboolean
link_outside_view (CmScene           *scene,
                   const CmSceneLink *sl,
                   GArray            *via,
                   double             offset)
{
  const CmSceneActor *a = &scene->actors[sl->source];
  const CmSceneActor *b = &scene->actors[sl->target];
  double x0 = MIN (a->x, b->x), x1 = MAX (a->x, b->x);
  double y0 = MIN (a->y, b->y), y1 = MAX (a->y, b->y);
  double reach;

  for (guint k = 0; k < via->len; k++)
    {
      const CmSceneActor *v = &scene->actors[g_array_index (via, int, k)];

      x0 = MIN (x0, v->x);
      x1 = MAX (x1, v->x);
      y0 = MIN (y0, v->y);
      y1 = MAX (y1, v->y);
    }
  /* A spline through the intermediaries overshoots them by a fraction of
   * the longest step; a bulge moves the middle by the offset. */
  reach = CULL_MARGIN + fabs (offset) * 2 + sl->width + 20.0 +
          (via->len > 0 ? 0.25 * MAX (x1 - x0, y1 - y0) : 0.0);
  return x1 + reach < 0 || x0 - reach > scene->options.width ||
         y1 + reach < 0 || y0 - reach > scene->options.height;
}

/* Whether @sl touches @actor: an end, or an intermediary. */
static gboolean
link_touches (CmScene           *scene,
              const CmSceneLink *sl,
              GArray            *via,
              CmActor           *actor)
{
  if (scene->actors[sl->source].actor == actor || scene->actors[sl->target].actor == actor)
    return TRUE;
  for (guint k = 0; k < via->len; k++)
    if (scene->actors[g_array_index (via, int, k)].actor == actor)
      return TRUE;
  return FALSE;
}

/* The layers the window draws separately (CmRenderOptions): which links
 * each one has. */
static gboolean
link_wanted (CmScene           *scene,
             const CmSceneLink *sl,
             GArray            *via)
{
  const CmRenderOptions *o = &scene->options;

  if (o->hover_only)
    return sl->link == o->hover_link;
  if (o->only_actor != NULL)
    return link_touches (scene, sl, via, o->only_actor);
  if (o->without_actor != NULL)
    return !link_touches (scene, sl, via, o->without_actor);
  return TRUE;
}

static int
resolve_actor (CmScene    *scene,
               const char *id)
{
  CmActor *actor = id ? cm_dataset_lookup_actor (scene->dataset, id) : NULL;

  return actor ? cm_dataset_get_actor_index (scene->dataset, actor) : -1;
}

CmScene *
_cm_scene_new (CmDataset             *dataset,
               const CmRenderOptions *options)
{
  CmScene *scene = g_new0 (CmScene, 1);
  Topology *topology = topology_get (dataset);
  guint64 overlay_key = 0;
  int overlay_actor = -1;
  const guint *candidates = NULL;   /* link indices, or NULL for all */
  guint n_candidates;
  CmActor **actors;
  CmLink **links;
  g_autoptr(GArray) via = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (GroupEntry));
  g_autofree int *offsets = NULL;
  double z = options->zoom;
  double ox = options->width / 2.0 - options->center_x * z;
  double oy = options->height / 2.0 - options->center_y * z;
  double r = MAX (CM_RENDER_ACTOR_RADIUS * z, CM_RENDER_MIN_RADIUS);
  guint n_visible = 0;

  scene->options = *options;
  scene->dataset = dataset;
  scene->style = _cm_render_style_get (options->theme);
  scene->points = g_array_new (FALSE, FALSE, sizeof (Point));

  actors = cm_dataset_peek_actors (dataset, &scene->n_actors);
  links = cm_dataset_peek_links (dataset, &scene->n_links);
  scene->actors = g_new0 (CmSceneActor, MAX (scene->n_actors, 1));
  scene->links = g_new0 (CmSceneLink, MAX (scene->n_links, 1));
  n_candidates = scene->n_links;

  scene->has_selection = (options->selected_actor != NULL &&
                          cm_dataset_get_actor_index (dataset, options->selected_actor) >= 0) ||
                         (options->selected_link != NULL &&
                          cm_dataset_lookup_link (dataset, cm_link_get_id (options->selected_link)) == options->selected_link);

  for (guint i = 0; i < scene->n_actors; i++)
    {
      CmSceneActor *a = &scene->actors[i];
      double hw, hh;

      a->actor = actors[i];
      a->kind = cm_actor_get_kind (actors[i]);
      a->color = topology->colors[i];
      a->r = r;
      a->pinned = cm_actor_get_pinned (actors[i]);
      a->placed = cm_actor_has_position (actors[i]);
      a->emphasis = scene->has_selection ? CM_EMPHASIS_FADED : CM_EMPHASIS_NORMAL;
      if (actors[i] == options->selected_actor)
        a->emphasis = CM_EMPHASIS_SELECTED;
      if (!a->placed)
        continue;
      a->x = ox + cm_actor_get_x (actors[i]) * z;
      a->y = oy + cm_actor_get_y (actors[i]) * z;
      _cm_render_shape_extents (a->kind, r, &hw, &hh);
      a->visible = a->x + hw > -CULL_MARGIN && a->x - hw < options->width + CULL_MARGIN &&
                   a->y + hh > -CULL_MARGIN && a->y - hh < options->height + CULL_MARGIN;
      n_visible += a->visible;
      /* The layers: an actor is in one of them only. */
      if ((options->only_actor != NULL && actors[i] != options->only_actor) ||
          (options->without_actor != NULL && actors[i] == options->without_actor) ||
          options->hover_only)
        a->visible = FALSE;
    }

  /* The overlays' links: the hovered one's pair, or the dragged actor. */
  if (options->hover_only && options->hover_link != NULL)
    {
      int i = topology_link_index (topology, options->hover_link);

      if (i >= 0 && (guint) i < topology->n_links && topology->ends[2 * i] >= 0 && topology->ends[2 * i + 1] >= 0)
        overlay_key = (guint64) MIN (topology->ends[2 * i], topology->ends[2 * i + 1]) << 32 |
                      MAX (topology->ends[2 * i], topology->ends[2 * i + 1]);
      else
        overlay_key = G_MAXUINT64;
    }
  else if (options->hover_only)
    overlay_key = G_MAXUINT64;
  else if (options->only_actor != NULL)
    {
      overlay_actor = cm_dataset_get_actor_index (dataset, options->only_actor);
      overlay_key = G_MAXUINT64;
    }

  /* The overlays need a few links: those touching the dragged actor, or
   * joining the hovered link's pair (which touch its source).  The rest
   * are left out before anything is read of them, so an overlay costs
   * the links it draws, not a pass over a 60 000-link map. */
  if (overlay_key != 0)
    {
      int anchor = overlay_actor;

      if (anchor < 0 && overlay_key != G_MAXUINT64)
        anchor = (int) (overlay_key >> 32);
      if (anchor >= 0 && (guint) anchor < topology->n_actors)
        {
          candidates = &topology->touching[topology->touch_start[anchor]];
          n_candidates = topology->touch_start[anchor + 1] - topology->touch_start[anchor];
        }
      else
        n_candidates = 0;
    }

  /* Which links are drawn, and their bundles: links joining the same two
   * actors (either way) are drawn side by side, in link order. */
  for (guint c = 0; c < n_candidates; c++)
    {
      guint i = candidates != NULL ? candidates[c] : c;
      CmSceneLink *sl = &scene->links[i];
      GroupEntry entry;
      guint64 lo, hi;

      sl->link = links[i];
      sl->channel = cm_link_get_channel (links[i]);
      sl->source = topology->ends[2 * i];
      sl->target = topology->ends[2 * i + 1];
      sl->emphasis = scene->has_selection ? CM_EMPHASIS_FADED : CM_EMPHASIS_NORMAL;
      if (sl->channel >= CM_N_CHANNELS || !(options->channels & CM_CHANNEL_FLAG (sl->channel)))
        continue;
      if (sl->source < 0 || sl->target < 0 || sl->source == sl->target ||
          !scene->actors[sl->source].placed || !scene->actors[sl->target].placed)
        continue;
      /* The overlays need a few links (and those joining the same two
       * actors, for the bundles' curves): leave the rest out now, before
       * sorting them into bundles, so an overlay of a 60 000-link map
       * costs a pass over the links and nothing more. */
      if (overlay_key != 0)
        {
          guint64 pair = (guint64) MIN (sl->source, sl->target) << 32 | MAX (sl->source, sl->target);

          if (overlay_actor >= 0 ? sl->source != overlay_actor && sl->target != overlay_actor &&
                                   !via_has (topology, i, overlay_actor)
                                 : pair != overlay_key)
            continue;
        }
      sl->drawn = TRUE;

      lo = MIN (sl->source, sl->target);
      hi = MAX (sl->source, sl->target);
      entry.key = lo << 32 | hi;
      entry.route = 0;
      entry.index = i;
      resolve_via (scene, topology, i, via);
      if (via->len > 0)
        {
          /* Same intermediaries in the same order, seen from the lower
           * end: a (deterministic) hash is enough to tell routes apart. */
          guint64 h = 1469598103934665603ull;

          for (guint k = 0; k < via->len; k++)
            {
              guint v = g_array_index (via, int, sl->source < sl->target ? k : via->len - 1 - k);

              h = (h ^ (v + 1)) * 1099511628211ull;
            }
          entry.route = h | 1;
        }
      g_array_append_val (groups, entry);
    }

  offsets = g_new0 (int, MAX (scene->n_links, 1) * 2);
  if (groups->len > 0)
    qsort (groups->data, groups->len, sizeof (GroupEntry), group_entry_compare);
  for (guint i = 0; i < groups->len;)
    {
      GroupEntry *e = &g_array_index (groups, GroupEntry, i);
      guint j = i + 1;

      while (j < groups->len &&
             g_array_index (groups, GroupEntry, j).key == e->key &&
             g_array_index (groups, GroupEntry, j).route == e->route)
        j++;
      /* Ranks in link order, except that links with a mechanism to
       * show take the outer places first (alternating sides): a label
       * beside the middle curve of a bundle has nowhere to go but onto
       * its own line, hiding the dashes that say what it is. */
      {
        guint n = j - i, outer = 0, inner = 0, n_labelled = 0;

        for (guint k = i; k < j; k++)
          n_labelled += link_has_mechanism (links[g_array_index (groups, GroupEntry, k).index]);
        for (guint k = i; k < j; k++)
          {
            guint index = g_array_index (groups, GroupEntry, k).index;
            guint rank;

            if (n > 2 && n_labelled > 0 && link_has_mechanism (links[index]))
              {
                rank = outer % 2 == 0 ? outer / 2 : n - 1 - outer / 2;
                outer++;
              }
            else if (n > 2 && n_labelled > 0)
              {
                /* The places left, in order: after the first half of
                 * the labelled ones' and before the second's. */
                rank = (n_labelled + 1) / 2 + inner;
                inner++;
              }
            else
              rank = k - i;
            offsets[2 * index] = rank;        /* rank */
            offsets[2 * index + 1] = n;       /* bundle size */
          }
      }
      i = j;
    }

  for (guint i = 0; i < scene->n_links; i++)
    {
      CmSceneLink *sl = &scene->links[i];
      double offset = 0;

      if (!sl->drawn)
        continue;

      resolve_via (scene, topology, i, via);
      if (!link_wanted (scene, sl, via))
        {
          sl->drawn = FALSE;
          continue;
        }
      sl->width = _cm_render_link_width (sl->channel, cm_link_get_n_quotes (links[i]));
      sl->arrow = cm_link_get_directed (links[i]);

      if (offsets[2 * i + 1] > 1)
        {
          const CmSceneActor *a = &scene->actors[sl->source];
          const CmSceneActor *b = &scene->actors[sl->target];
          double k = offsets[2 * i] - (offsets[2 * i + 1] - 1) / 2.0;
          double max_k = (offsets[2 * i + 1] - 1) / 2.0;
          double spacing = CM_RENDER_PARALLEL_SPACING;
          double chord = hypot (b->x - a->x, b->y - a->y);

          /* Device units, so the curves stay apart at every zoom; but a
           * bundle never bulges more than a third of its length. */
          if (via->len == 0 && max_k * spacing > chord / 3.0)
            spacing = chord / 3.0 / max_k;
          offset = k * spacing;
          sl->bundled = TRUE;
        }

      sl->straight = via->len == 0 && offset == 0;

      /* Far outside the view: no curve to build (zoomed in on a big map,
       * most links are), though it still counts for its ends. */
      if (link_outside_view (scene, sl, via, offset))
        {
          scene->actors[sl->source].degree++;
          scene->actors[sl->target].degree++;
          continue;
        }

      if (!build_link (scene, sl, via, offset))
        {
          sl->drawn = FALSE;
          continue;
        }

      if (offset != 0)
        {
          /* The bulge's side: the tangent's normal, turned to agree with
           * the direction the pair's normal was displaced in. */
          const CmSceneActor *a = &scene->actors[MIN (sl->source, sl->target)];
          const CmSceneActor *b = &scene->actors[MAX (sl->source, sl->target)];
          double nx = -(b->y - a->y), ny = b->x - a->x;
          double tx = -sl->mid_tangent[1], ty = sl->mid_tangent[0];
          double sign = (tx * nx + ty * ny) * offset >= 0 ? 1.0 : -1.0;

          sl->side[0] = tx * sign;
          sl->side[1] = ty * sign;
        }

      sl->mark = sl->channel == CM_CHANNEL_ABSENT && sl->length >= CM_RENDER_MARK_MIN_LENGTH;
      sl->visible = sl->bbox[2] > -CULL_MARGIN && sl->bbox[0] < options->width + CULL_MARGIN &&
                    sl->bbox[3] > -CULL_MARGIN && sl->bbox[1] < options->height + CULL_MARGIN;
      scene->actors[sl->source].degree++;
      scene->actors[sl->target].degree++;

      if (scene->has_selection)
        {
          if (links[i] == options->selected_link)
            emphasize_link (scene, sl, via, CM_EMPHASIS_SELECTED);
          else if (options->selected_actor != NULL &&
                   (scene->actors[sl->source].actor == options->selected_actor ||
                    scene->actors[sl->target].actor == options->selected_actor))
            emphasize_link (scene, sl, via, CM_EMPHASIS_NORMAL);
          else if (options->selected_actor != NULL)
            for (guint k = 0; k < via->len; k++)
              if (scene->actors[g_array_index (via, int, k)].actor == options->selected_actor)
                {
                  emphasize_link (scene, sl, via, CM_EMPHASIS_NORMAL);
                  break;
                }
        }
    }

  /* The selected link's ends stay full even when its own kind is
   * filtered out. */
  if (options->selected_link != NULL && scene->has_selection)
    {
      int s = resolve_actor (scene, cm_link_get_source (options->selected_link));
      int t = resolve_actor (scene, cm_link_get_target (options->selected_link));

      if (s >= 0)
        scene->actors[s].emphasis = MAX (scene->actors[s].emphasis, CM_EMPHASIS_NORMAL);
      if (t >= 0)
        scene->actors[t].emphasis = MAX (scene->actors[t].emphasis, CM_EMPHASIS_NORMAL);
    }

  /* Level of detail: far out, names are unreadable anyway and cost the
   * most.  Files are never simplified. */
  /* Names are drawn zoomed in, or where there is room for them on
   * average (a map of a hundred actors read at its fit, whatever units
   * its positions came in); label_all_names says whether all of them are
   * tried, or only the selection's, the hovered one's and their
   * neighbours' (cm-render-labels.c). */
  scene->draw_labels = options->exact || (z >= 0.3 && n_visible <= 5000) ||
                       n_visible * LABEL_ROOM <= options->width * options->height;
  scene->draw_link_labels = options->exact || (z >= 0.55 && n_visible <= 2000);

  topology_unref (topology);
  return scene;
}

void
_cm_scene_free (CmScene *scene)
{
  if (scene == NULL)
    return;
  g_free (scene->actors);
  g_free (scene->links);
  g_array_unref (scene->points);
  g_free (scene);
}

void
_cm_scene_link_point (CmScene           *scene,
                      const CmSceneLink *link,
                      double             t,
                      double            *x,
                      double            *y,
                      double            *dx,
                      double            *dy)
{
  Point *p = link_points (scene, link);
  double u = CLAMP (t, 0.0, 1.0) * link->n_segments;
  guint s = MIN ((guint) u, link->n_segments - 1);
  Point q, d;
  double len;

  u -= s;
  q = bezier_point (&p[3 * s], u);
  d = bezier_tangent (&p[3 * s], u);
  len = hypot (d.x, d.y);
  *x = q.x;
  *y = q.y;
  *dx = len > 0 ? d.x / len : 1.0;
  *dy = len > 0 ? d.y / len : 0.0;
}

static double
segment_distance (Point  a,
                  Point  b,
                  double x,
                  double y)
{
  double vx = b.x - a.x, vy = b.y - a.y;
  double l2 = vx * vx + vy * vy;
  double t = l2 > 0 ? ((x - a.x) * vx + (y - a.y) * vy) / l2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (a.x + t * vx - x, a.y + t * vy - y);
}

double
_cm_scene_link_distance (CmScene           *scene,
                         const CmSceneLink *link,
                         double             x,
                         double             y)
{
  Point *p = link_points (scene, link);
  double best = G_MAXDOUBLE;

  if (x < link->bbox[0] - 50 || x > link->bbox[2] + 50 ||
      y < link->bbox[1] - 50 || y > link->bbox[3] + 50)
    return G_MAXDOUBLE;

  for (guint s = 0; s < link->n_segments; s++)
    {
      Point prev = p[3 * s];

      for (int k = 1; k <= 2 * SAMPLES; k++)
        {
          Point q = bezier_point (&p[3 * s], k / (2.0 * SAMPLES));

          best = MIN (best, segment_distance (prev, q, x, y));
          prev = q;
        }
    }

  if (link->arrow)
    {
      const double *ap = link->arrow_points;

      for (int i = 0; i < 3; i++)
        {
          Point a = { ap[2 * i], ap[2 * i + 1] };
          Point b = { ap[(2 * i + 2) % 6], ap[(2 * i + 3) % 6] };

          best = MIN (best, segment_distance (a, b, x, y));
        }
    }

  /* The stroke's own half width counts as on the curve. */
  return MAX (best - link->width / 2.0, 0.0);
}

void
_cm_scene_link_ends (CmScene           *scene,
                     const CmSceneLink *link,
                     double             ends[4])
{
  Point *p = link_points (scene, link);

  ends[0] = p[0].x;
  ends[1] = p[0].y;
  ends[2] = p[3 * link->n_segments].x;
  ends[3] = p[3 * link->n_segments].y;
}

void
_cm_scene_link_flatten (CmScene           *scene,
                        const CmSceneLink *link,
                        GArray            *xy)
{
  Point *p = link_points (scene, link);

  g_array_append_vals (xy, &p[0], 2);
  if (link->straight)
    {
      g_array_append_vals (xy, &p[3], 2);
      return;
    }
  for (guint s = 0; s < link->n_segments; s++)
    {
      const Point *q = &p[3 * s];
      /* Pieces of about 4 units: the chord of a piece strays from the
       * curve by a hundredth of a unit at the curvatures of a map. */
      double extent = hypot (q[1].x - q[0].x, q[1].y - q[0].y) +
                      hypot (q[2].x - q[1].x, q[2].y - q[1].y) +
                      hypot (q[3].x - q[2].x, q[3].y - q[2].y);
      int pieces = CLAMP ((int) ceil (extent / 4.0), 1, 256);

      for (int k = 1; k <= pieces; k++)
        {
          Point r = k == pieces ? q[3] : bezier_point (q, k / (double) pieces);

          g_array_append_vals (xy, &r, 2);
        }
    }
}

void
_cm_scene_link_path (CmScene           *scene,
                     const CmSceneLink *link,
                     cairo_t           *cr)
{
  Point *p = link_points (scene, link);

  cairo_move_to (cr, p[0].x, p[0].y);
  /* A straight cubic is still a curve to cairo, flattened at a cost. */
  if (link->straight)
    {
      cairo_line_to (cr, p[3].x, p[3].y);
      return;
    }
  for (guint s = 0; s < link->n_segments; s++)
    cairo_curve_to (cr, p[3 * s + 1].x, p[3 * s + 1].y,
                    p[3 * s + 2].x, p[3 * s + 2].y,
                    p[3 * s + 3].x, p[3 * s + 3].y);
}
