/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-layout-private.h"

/* A point in cell (cx, cy) can only be closer than the cell size to points
 * in the 3 × 3 cells around it.  Cells are hashed into about 2n buckets
 * (counting sort, no per-cell allocation), so the grid costs O(n) however
 * spread out the points are. */

#define CELL_LIMIT 4.0e18
#define OUTSIDE    G_MININT64

static inline gint64
cell_of (double v,
         double cell)
{
  double c = floor (v / cell);

  /* Far-away points share a clamped cell; distances are checked exactly,
   * so that only costs time, never correctness. */
  return (gint64) CLAMP (c, -CELL_LIMIT, CELL_LIMIT);
}

guint
_cm_layout_grid_bucket (const CmLayoutGrid *grid,
                        gint64              cx,
                        gint64              cy)
{
  guint64 h = (guint64) cx * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^
              (guint64) cy * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f);

  h ^= h >> 29;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 32;
  return (guint) (h & grid->mask);
}

void
_cm_layout_grid_build (CmLayoutGrid *grid,
                       guint         n,
                       const double *xy,
                       double        cell)
{
  guint n_buckets = 16;
  g_autofree guint *bucket = NULL;

  while (n_buckets < 2 * (guint64) n && n_buckets < (1u << 30))
    n_buckets *= 2;

  if (grid->n != n || grid->mask != n_buckets - 1)
    {
      _cm_layout_grid_clear (grid);
      grid->cx = g_new (gint64, MAX (n, 1));
      grid->cy = g_new (gint64, MAX (n, 1));
      grid->items = g_new (guint, MAX (n, 1));
      grid->start = g_new (guint, n_buckets + 2);
    }
  grid->n = n;
  grid->cell = cell;
  grid->mask = n_buckets - 1;
  memset (grid->start, 0, sizeof (guint) * (n_buckets + 2));

  bucket = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      double x = xy[2 * i], y = xy[2 * i + 1];

      if (!isfinite (x) || !isfinite (y))
        {
          grid->cx[i] = grid->cy[i] = OUTSIDE;
          bucket[i] = n_buckets;
          continue;
        }
      grid->cx[i] = cell_of (x, cell);
      grid->cy[i] = cell_of (y, cell);
      bucket[i] = _cm_layout_grid_bucket (grid, grid->cx[i], grid->cy[i]);
      grid->start[bucket[i] + 1]++;
    }
  for (guint b = 0; b < n_buckets; b++)
    grid->start[b + 1] += grid->start[b];
  /* The last slot is a cursor copy trick: fill using start[b+1] as the
   * running end, then shift back. */
  for (guint i = 0; i < n; i++)
    if (bucket[i] < n_buckets)
      grid->items[grid->start[bucket[i]]++] = i;
  for (guint b = n_buckets; b > 0; b--)
    grid->start[b] = grid->start[b - 1];
  grid->start[0] = 0;
}

void
_cm_layout_grid_clear (CmLayoutGrid *grid)
{
  g_clear_pointer (&grid->cx, g_free);
  g_clear_pointer (&grid->cy, g_free);
  g_clear_pointer (&grid->items, g_free);
  g_clear_pointer (&grid->start, g_free);
  grid->n = 0;
  grid->mask = 0;
}

/* Pushes one pair apart if too close; returns TRUE if it was. */
static inline gboolean
push_pair (double       *xy,
           const double *radius,
           const guint8 *movable,
           double        gap,
           double        min_separation,
           guint         i,
           guint         j,
           gboolean      push)
{
  /* Pairs too close are pushed a little beyond the separation: a crowd
   * pushed exactly to contact jams, every push undoing a neighbour's by a
   * rounding error, while with a margin small disturbances stay harmless. */
  const double margin = 1.05;
  double sep = MAX (radius[i] + radius[j] + gap, min_separation);
  double dx = xy[2 * i] - xy[2 * j];
  double dy = xy[2 * i + 1] - xy[2 * j + 1];
  double d2 = dx * dx + dy * dy, d, ux, uy, deficit;

  if (d2 >= sep * sep)
    return FALSE;
  if (!push)
    return TRUE;

  d = sqrt (d2);
  if (d > 1e-9 * sep)
    {
      ux = dx / d;
      uy = dy / d;
    }
  else
    _cm_layout_pair_direction (i, j, &ux, &uy);

  deficit = sep * margin - d;
  if (movable[i] && movable[j])
    deficit *= 0.5;
  if (movable[i])
    {
      xy[2 * i] += ux * deficit;
      xy[2 * i + 1] += uy * deficit;
    }
  if (movable[j])
    {
      xy[2 * j] -= ux * deficit;
      xy[2 * j + 1] -= uy * deficit;
    }
  return TRUE;
}

/* Passes over the active nodes only: a pair can only come to overlap if one
 * of its nodes moved, so after the first pass only the nodes pushed in the
 * previous one need looking at.  The grid is built with cells half again as
 * big as the largest separation and rebuilt only once a node has strayed a
 * quarter of that from where it was binned (a Verlet list), so a pass costs
 * in proportion to the crowd being resolved, not to the whole drawing.
 *
 * All of that is kept between calls (CmOverlapPasses), so passes given in
 * slices (cm_layout_step()) do exactly what the same passes in one call do
 * (cm_layout_run()): the layout's same-bits-however-sliced promise. */
struct _CmOverlapPasses
{
  guint         n;
  gboolean      usable;      /* FALSE: nothing to separate (n < 2, no size) */
  gboolean      started;
  gboolean      rebuild;
  gboolean      done;        /* a pass found nothing */
  double        gap;
  double        min_separation;
  double        slack;
  double        cell;
  CmLayoutGrid  grid;
  double       *binned;
  guint8       *active;
  guint8       *moved;
  guint        *list;
  guint         n_list;
};

CmOverlapPasses *
_cm_layout_overlap_passes_new (guint         n,
                               const double *radius,
                               double        gap,
                               double        min_separation)
{
  CmOverlapPasses *self = g_new0 (CmOverlapPasses, 1);
  double r_max = 0.0, reach;

  self->n = n;
  self->gap = gap;
  self->min_separation = min_separation;
  for (guint i = 0; i < n; i++)
    r_max = MAX (r_max, radius[i]);
  reach = MAX (2.0 * r_max + gap, min_separation);
  self->usable = n >= 2 && reach > 0.0 && isfinite (reach);
  if (!self->usable)
    return self;
  self->slack = 0.25 * reach;
  self->cell = reach + 2.0 * self->slack;
  self->binned = g_new (double, 2 * (gsize) n);
  self->active = g_new (guint8, n);
  self->moved = g_new0 (guint8, n);
  self->list = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      self->active[i] = 1;
      self->list[i] = i;
    }
  self->n_list = n;
  self->rebuild = TRUE;
  return self;
}

void
_cm_layout_overlap_passes_free (CmOverlapPasses *self)
{
  if (self == NULL)
    return;
  _cm_layout_grid_clear (&self->grid);
  g_free (self->binned);
  g_free (self->active);
  g_free (self->moved);
  g_free (self->list);
  g_free (self);
}

guint64
_cm_layout_overlap_passes_run (CmOverlapPasses *self,
                               double          *xy,
                               const double    *radius,
                               const guint8    *movable,
                               guint            max_passes,
                               gboolean         count_after,
                               guint           *first_found,
                               guint           *remaining)
{
  guint64 work = 0;
  guint found = 0;

  *remaining = 0;
  if (first_found)
    *first_found = 0;
  if (!self->usable)
    return 1;
  if (self->done)
    return 1;

  /* With @count_after, one more pass than asked, to count what is left. */
  for (guint pass = 0; pass < max_passes + (count_after ? 1 : 0) && self->n_list > 0; pass++)
    {
      gboolean last = count_after && pass == max_passes;

      if (self->rebuild)
        {
          _cm_layout_grid_clear (&self->grid);
          _cm_layout_grid_build (&self->grid, self->n, xy, self->cell);
          memcpy (self->binned, xy, sizeof (double) * 2 * self->n);
          work += self->n;
          self->rebuild = FALSE;
        }
      found = 0;

      for (guint q = 0; q < self->n_list; q++)
        {
          guint i = self->list[q];
          gint64 cxi = self->grid.cx[i], cyi = self->grid.cy[i];

          if (cxi == G_MININT64)
            continue;

          for (gint64 oy = -1; oy <= 1; oy++)
            for (gint64 ox = -1; ox <= 1; ox++)
              {
                gint64 cx = cxi + ox, cy = cyi + oy;
                guint b = _cm_layout_grid_bucket (&self->grid, cx, cy);

                for (guint k = self->grid.start[b]; k < self->grid.start[b + 1]; k++)
                  {
                    guint j = self->grid.items[k];

                    /* Each pair once: from its smaller end when both are
                     * active. */
                    if (j == i || (self->active[j] && j < i) ||
                        self->grid.cx[j] != cx || self->grid.cy[j] != cy)
                      continue;
                    if (!movable[i] && !movable[j])
                      continue;
                    work++;
                    if (push_pair (xy, radius, movable, self->gap, self->min_separation, i, j, !last))
                      {
                        found++;
                        if (!last)
                          self->moved[i] = self->moved[j] = 1;
                      }
                  }
              }
        }

      if (pass == 0 && first_found)
        *first_found = found;
      if (found == 0)
        {
          self->done = TRUE;
          break;
        }
      if (last)
        break;

      /* The next pass looks at what moved; a node that strayed too far
       * from its cell calls for a new grid. */
      self->n_list = 0;
      for (guint i = 0; i < self->n; i++)
        {
          self->active[i] = self->moved[i];
          if (self->moved[i])
            {
              double dx = xy[2 * i] - self->binned[2 * i], dy = xy[2 * i + 1] - self->binned[2 * i + 1];

              self->list[self->n_list++] = i;
              self->moved[i] = 0;
              if (dx * dx + dy * dy > self->slack * self->slack)
                self->rebuild = TRUE;
            }
        }
      work += self->n / 8;
    }

  *remaining = found;
  return work;
}

guint64
_cm_layout_remove_overlaps (guint         n,
                            double       *xy,
                            const double *radius,
                            const guint8 *movable,
                            double        gap,
                            double        min_separation,
                            guint         max_passes,
                            guint        *first_found,
                            guint        *remaining)
{
  CmOverlapPasses *passes = _cm_layout_overlap_passes_new (n, radius, gap, min_separation);
  guint64 work = _cm_layout_overlap_passes_run (passes, xy, radius, movable, max_passes, TRUE,
                                                first_found, remaining);

  _cm_layout_overlap_passes_free (passes);
  return work;
}

double
_cm_layout_overlap_min_ratio (guint         n,
                              const double *xy,
                              const double *radius,
                              const guint8 *movable,
                              double        gap,
                              double        min_separation)
{
  CmLayoutGrid grid = { 0, };
  double r_max = 0.0, cell, ratio = 1.0;

  for (guint i = 0; i < n; i++)
    r_max = MAX (r_max, radius[i]);
  cell = MAX (2.0 * r_max + gap, min_separation);
  if (n < 2 || !(cell > 0.0) || !isfinite (cell))
    return 1.0;

  _cm_layout_grid_build (&grid, n, xy, cell);
  for (guint i = 0; i < n; i++)
    {
      gint64 cxi = grid.cx[i], cyi = grid.cy[i];

      if (cxi == OUTSIDE)
        continue;
      for (gint64 oy = -1; oy <= 1; oy++)
        for (gint64 ox = -1; ox <= 1; ox++)
          {
            gint64 cx = cxi + ox, cy = cyi + oy;
            guint b = _cm_layout_grid_bucket (&grid, cx, cy);

            for (guint k = grid.start[b]; k < grid.start[b + 1]; k++)
              {
                guint j = grid.items[k];
                double sep, d;

                if (j <= i || grid.cx[j] != cx || grid.cy[j] != cy)
                  continue;
                if (!movable[i] && !movable[j])
                  continue;
                sep = MAX (radius[i] + radius[j] + gap, min_separation);
                d = hypot (xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
                ratio = MIN (ratio, d / sep);
              }
          }
    }
  _cm_layout_grid_clear (&grid);

  return ratio;
}

guint
_cm_layout_count_close_pairs (guint         n,
                              const double *xy,
                              double        min_distance,
                              guint         limit)
{
  CmLayoutGrid grid = { 0, };
  guint count = 0;
  double md2 = min_distance * min_distance;

  if (n < 2 || !(min_distance > 0.0) || !isfinite (min_distance))
    return 0;

  _cm_layout_grid_build (&grid, n, xy, min_distance);

  for (guint i = 0; i < n && count <= limit; i++)
    {
      gint64 cxi = grid.cx[i], cyi = grid.cy[i];

      if (cxi == OUTSIDE)
        continue;

      for (gint64 oy = -1; oy <= 1; oy++)
        for (gint64 ox = -1; ox <= 1; ox++)
          {
            gint64 cx = cxi + ox, cy = cyi + oy;
            guint b = _cm_layout_grid_bucket (&grid, cx, cy);

            for (guint k = grid.start[b]; k < grid.start[b + 1]; k++)
              {
                guint j = grid.items[k];
                double dx, dy;

                if (j <= i || grid.cx[j] != cx || grid.cy[j] != cy)
                  continue;
                dx = xy[2 * i] - xy[2 * j];
                dy = xy[2 * i + 1] - xy[2 * j + 1];
                if (dx * dx + dy * dy < md2)
                  count++;
              }
          }
    }

  _cm_layout_grid_clear (&grid);
  return count;
}

guint
cm_layout_count_overlaps (guint         n,
                          const double *xy,
                          double        min_distance)
{
  g_return_val_if_fail (n == 0 || xy != NULL, 0);

  return _cm_layout_count_close_pairs (n, xy, min_distance, G_MAXUINT);
}

typedef struct
{
  gint64 cx, cy;
  guint  node;
} CellEntry;

static int
compare_cell_entries (const void *pa,
                      const void *pb)
{
  const CellEntry *a = pa, *b = pb;

  if (a->cx != b->cx)
    return a->cx < b->cx ? -1 : 1;
  if (a->cy != b->cy)
    return a->cy < b->cy ? -1 : 1;
  return a->node < b->node ? -1 : (a->node > b->node);
}

typedef struct
{
  double angle;
  guint  node;
} Spoke;

static int
compare_spokes (const void *pa,
                const void *pb)
{
  const Spoke *a = pa, *b = pb;

  if (a->angle != b->angle)
    return a->angle < b->angle ? -1 : 1;
  return a->node < b->node ? -1 : (a->node > b->node);
}

guint64
_cm_layout_spread_crowds (guint         n,
                          double       *xy,
                          const double *radius,
                          const guint8 *movable,
                          double        gap,
                          double        min_separation)
{
  g_autofree CellEntry *entries = NULL;
  g_autofree Spoke *spokes = NULL;
  double r_mean = 0.0, sep;
  const double golden = G_PI * (3.0 - sqrt (5.0));
  guint n_entries = 0;
  guint64 work = n;

  if (n < 2)
    return 1;
  for (guint i = 0; i < n; i++)
    r_mean += radius[i];
  r_mean /= n;
  sep = MAX (2.0 * r_mean + gap, min_separation);
  if (!(sep > 0.0) || !isfinite (sep))
    return 1;

  entries = g_new (CellEntry, n);
  spokes = g_new (Spoke, n);
  for (guint i = 0; i < n; i++)
    {
      if (!movable[i] || !isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
        continue;
      entries[n_entries].cx = cell_of (xy[2 * i], sep);
      entries[n_entries].cy = cell_of (xy[2 * i + 1], sep);
      entries[n_entries].node = i;
      n_entries++;
    }
  qsort (entries, n_entries, sizeof (CellEntry), compare_cell_entries);

  for (guint a = 0; a < n_entries;)
    {
      guint b = a + 1, count;
      double mx = 0.0, my = 0.0, closest = G_MAXDOUBLE;

      while (b < n_entries && entries[b].cx == entries[a].cx && entries[b].cy == entries[a].cy)
        b++;
      count = b - a;
      for (guint k = a; k < b; k++)
        {
          mx += xy[2 * entries[k].node];
          my += xy[2 * entries[k].node + 1];
        }
      mx /= count;
      my /= count;
      if (count == 2)
        closest = hypot (xy[2 * entries[a].node] - xy[2 * entries[a + 1].node],
                         xy[2 * entries[a].node + 1] - xy[2 * entries[a + 1].node + 1]);

      /* Three or more in a cell one separation wide, or two nearly on
       * top of each other: a crowd that pushing would only spread a step
       * at a time.  They are set out as a sunflower around where they
       * were, in the order of their directions from there, so what was
       * left stays left; points on one spot keep their index order. */
      if (count >= 3 || (count == 2 && closest < 0.5 * sep))
        {
          for (guint k = a; k < b; k++)
            {
              guint i = entries[k].node;
              double dx = xy[2 * i] - mx, dy = xy[2 * i + 1] - my;

              spokes[k - a].node = i;
              spokes[k - a].angle = dx * dx + dy * dy > 1e-18 * sep * sep ? atan2 (dy, dx) : -10.0;
            }
          qsort (spokes, count, sizeof (Spoke), compare_spokes);
          for (guint k = 0; k < count; k++)
            {
              guint i = spokes[k].node;
              /* Nearest neighbours of a sunflower at c √k are about
               * 1.7 c apart. */
              double rr = 0.62 * sep * sqrt (k + 0.5);
              double angle = (spokes[0].angle > -10.0 ? spokes[0].angle : 0.0) + k * golden;

              xy[2 * i] = mx + rr * cos (angle);
              xy[2 * i + 1] = my + rr * sin (angle);
            }
          work += count * 8;
        }
      a = b;
    }

  return work + (guint64) n * 4;
}
