/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "cm-render-private.h"

/* Label placement: greedy, in priority order, each label trying a few
 * positions around its shape and taking the first where it overlaps
 * nothing already placed (shapes, "no channel" marks, other labels).  A
 * uniform grid keeps each test to the few boxes nearby, so placing is
 * linear in the number of labels.  Greedy is not optimal, but it is
 * deterministic, fast, and puts the important names first. */

/* Device units between a shape's rim and its label. */
#define LABEL_GAP 3.0
/* Room kept free around text for its halo. */
#define LABEL_PAD 1.5
#define MARK_RADIUS CM_RENDER_MARK_RADIUS

/* A box, or a piece of a link's curve (from x0, y0 to x1, y1). */
typedef struct
{
  double   x0, y0, x1, y1;
  int      owner;       /* the link a piece belongs to, or -1 */
  gboolean segment;
} Box;

typedef struct
{
  int box;
  int next;
} GridEntry;

typedef struct
{
  double  ox, oy;
  double  cell;
  int     cols, rows;
  int    *heads;
  GArray *entries;    /* GridEntry */
  GArray *boxes;      /* Box */
} Grid;

static void
grid_init (Grid   *grid,
           double  width,
           double  height)
{
  double margin = 200;
  double w = width + 2 * margin, h = height + 2 * margin;

  grid->ox = -margin;
  grid->oy = -margin;
  /* About 64 px cells; never more than 256 × 256 of them. */
  grid->cell = MAX (64.0, MAX (w, h) / 256.0);
  grid->cols = MAX (1, (int) ceil (w / grid->cell));
  grid->rows = MAX (1, (int) ceil (h / grid->cell));
  grid->heads = g_new (int, grid->cols * grid->rows);
  for (int i = 0; i < grid->cols * grid->rows; i++)
    grid->heads[i] = -1;
  grid->entries = g_array_new (FALSE, FALSE, sizeof (GridEntry));
  grid->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
}

static void
grid_clear (Grid *grid)
{
  g_free (grid->heads);
  g_array_unref (grid->entries);
  g_array_unref (grid->boxes);
}

/* Boxes beyond the grid go into its edge cells: still found, only less
 * quickly. */
static void
grid_range (Grid      *grid,
            const Box *b,
            int       *c0,
            int       *r0,
            int       *c1,
            int       *r1)
{
  *c0 = CLAMP ((int) floor ((MIN (b->x0, b->x1) - grid->ox) / grid->cell), 0, grid->cols - 1);
  *c1 = CLAMP ((int) floor ((MAX (b->x0, b->x1) - grid->ox) / grid->cell), 0, grid->cols - 1);
  *r0 = CLAMP ((int) floor ((MIN (b->y0, b->y1) - grid->oy) / grid->cell), 0, grid->rows - 1);
  *r1 = CLAMP ((int) floor ((MAX (b->y0, b->y1) - grid->oy) / grid->cell), 0, grid->rows - 1);
}

/* Whether the segment @s crosses the box @b (Liang–Barsky clipping). */
static gboolean
segment_hits_box (const Box *s,
                  const Box *b)
{
  double t0 = 0, t1 = 1;
  double dx = s->x1 - s->x0, dy = s->y1 - s->y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { s->x0 - b->x0, b->x1 - s->x0, s->y0 - b->y0, b->y1 - s->y0 };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      if (p[i] < 0)
        t0 = MAX (t0, q[i] / p[i]);
      else
        t1 = MIN (t1, q[i] / p[i]);
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

/* Whether @b overlaps anything in the grid but the pieces of @owner. */
static gboolean
grid_overlaps (Grid      *grid,
               const Box *b,
               int        owner)
{
  int c0, r0, c1, r1;

  grid_range (grid, b, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      for (int e = grid->heads[r * grid->cols + c]; e >= 0;
           e = g_array_index (grid->entries, GridEntry, e).next)
        {
          const Box *o = &g_array_index (grid->boxes, Box,
                                         g_array_index (grid->entries, GridEntry, e).box);

          if (o->segment)
            {
              if (o->owner != owner && segment_hits_box (o, b))
                return TRUE;
            }
          else if (b->x0 < o->x1 && o->x0 < b->x1 && b->y0 < o->y1 && o->y0 < b->y1)
            return TRUE;
        }
  return FALSE;
}

static void
grid_insert (Grid      *grid,
             const Box *b)
{
  int c0, r0, c1, r1;
  int index = grid->boxes->len;

  g_array_append_val (grid->boxes, *b);
  grid_range (grid, b, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        GridEntry entry = { index, grid->heads[r * grid->cols + c] };

        grid->heads[r * grid->cols + c] = grid->entries->len;
        g_array_append_val (grid->entries, entry);
      }
}

typedef struct
{
  int   index;
  int   rank;
  guint degree;
} Candidate;

static int
candidate_compare (const void *a,
                   const void *b)
{
  const Candidate *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  if (x->degree != y->degree)
    return x->degree > y->degree ? -1 : 1;
  return x->index - y->index;
}

static gboolean
inside_view (const CmScene *scene,
             const Box     *b)
{
  return b->x0 >= 0 && b->y0 >= 0 &&
         b->x1 <= scene->options.width && b->y1 <= scene->options.height;
}

/* Tries @n boxes in order and takes the first that is free of shapes,
 * marks and labels (@hard); boxes inside the view are preferred to boxes
 * leaving it, and boxes no link runs through (@soft, ignoring @owner's own
 * curve) to boxes that a line crosses.  Returns the index or -1. */
static int
try_boxes (Grid          *hard,
           Grid          *soft,
           const CmScene *scene,
           const Box     *boxes,
           int            n,
           int            owner)
{
  /* A file has no outside to pan to: a name cut by its edge is left
   * out instead. */
  int passes = scene->options.exact ? 2 : 4;

  for (int pass = 0; pass < passes; pass++)
    for (int i = 0; i < n; i++)
      {
        gboolean need_view = pass < 2;
        gboolean need_clear = pass % 2 == 0;

        if (need_view && !inside_view (scene, &boxes[i]))
          continue;
        if (grid_overlaps (hard, &boxes[i], -1))
          continue;
        if (need_clear && grid_overlaps (soft, &boxes[i], owner))
          continue;
        return i;
      }
  return -1;
}

static void
label_clear (gpointer data)
{
  CmRenderLabel *label = data;

  g_clear_object (&label->layout);
}

GArray *
_cm_scene_place_labels (CmScene *scene)
{
  GArray *labels = g_array_new (FALSE, TRUE, sizeof (CmRenderLabel));
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (Candidate));
  Grid grid;
  Grid lines;

  g_array_set_clear_func (labels, label_clear);
  if (!scene->draw_labels && !scene->draw_link_labels)
    return labels;

  grid_init (&grid, scene->options.width, scene->options.height);
  grid_init (&lines, scene->options.width, scene->options.height);

  /* The links, as short straight pieces: a label avoids sitting on a
   * line when it can (the halo keeps it readable when it cannot).  Not
   * worth it on a huge map, where labels are few anyway. */
  if (scene->n_links <= 20000)
    for (guint i = 0; i < scene->n_links; i++)
      {
        const CmSceneLink *l = &scene->links[i];
        guint n_pieces = l->n_segments * 8;
        double px = 0, py = 0;

        if (!l->visible)
          continue;
        for (guint k = 0; k <= n_pieces; k++)
          {
            double x, y, tx, ty;

            _cm_scene_link_point (scene, l, k / (double) n_pieces, &x, &y, &tx, &ty);
            if (k > 0)
              {
                Box piece = { px, py, x, y, i, TRUE };

                grid_insert (&lines, &piece);
              }
            px = x;
            py = y;
          }
      }

  /* Obstacles first: the decorations, every shape, and every "no
   * channel" mark. */
  if (scene->options.show_title || scene->options.show_legend || scene->options.show_sources)
    {
      double th, sh, lw, lh, w = scene->options.width, h = scene->options.height;

      _cm_render_measure_decorations (scene->dataset, &scene->options, &th, &sh, &lw, &lh);
      if (th > 0)
        {
          Box b = { -1000, -1000, w + 1000, th + 2 };

          grid_insert (&grid, &b);
        }
      if (sh > 0)
        {
          Box b = { -1000, h - sh - 2, w + 1000, h + 1000 };

          grid_insert (&grid, &b);
        }
      if (lw > 0)
        {
          /* Where cm-render.c draws it: the lower left corner. */
          Box b = { -1000, h - sh - CM_RENDER_MARGIN / 2 - lh - 2,
                    CM_RENDER_MARGIN + lw + 2, h + 1000 };

          grid_insert (&grid, &b);
        }
    }

  for (guint i = 0; i < scene->n_actors; i++)
    {
      const CmSceneActor *a = &scene->actors[i];
      double hw, hh;
      Box b;

      if (!a->visible)
        continue;
      _cm_render_shape_extents (a->kind, a->r, &hw, &hh);
      b = (Box) { a->x - hw, a->y - hh, a->x + hw, a->y + hh };
      grid_insert (&grid, &b);
    }
  for (guint i = 0; i < scene->n_links; i++)
    {
      const CmSceneLink *l = &scene->links[i];
      Box b;

      if (!l->visible || !l->mark)
        continue;
      b = (Box) { l->mid[0] - MARK_RADIUS, l->mid[1] - MARK_RADIUS,
                  l->mid[0] + MARK_RADIUS, l->mid[1] + MARK_RADIUS };
      grid_insert (&grid, &b);
    }

  /* Actor names: the selection first, then what is hovered, then the
   * best connected; faded ones last.  Zoomed far out on a crowded map
   * (scene->draw_labels unset), only the selection, the hovered actor
   * and the selection's neighbours are named. */
  {
      for (guint i = 0; i < scene->n_actors; i++)
        {
          const CmSceneActor *a = &scene->actors[i];
          Candidate c = { i, 2, a->degree };

          if (!a->visible)
            continue;
          if (a->emphasis == CM_EMPHASIS_SELECTED)
            c.rank = 0;
          else if (a->actor == scene->options.hover_actor)
            c.rank = 1;
          else if (a->emphasis == CM_EMPHASIS_FADED)
            c.rank = 3;
          if (!scene->draw_labels && !(c.rank <= 1 || (scene->has_selection && c.rank == 2)))
            continue;
          g_array_append_val (order, c);
        }
      if (order->len > 1)
        qsort (order->data, order->len, sizeof (Candidate), candidate_compare);

      for (guint k = 0; k < order->len; k++)
        {
          const CmSceneActor *a = &scene->actors[g_array_index (order, Candidate, k).index];
          CmRenderLabel label = { 0, };
          double w, h, hw, hh, dx, dy;
          Box boxes[8];
          int chosen;

          /* Measured only: most names of a big map find no room, and a
           * layout is made for those that do. */
          _cm_render_measure_label (cm_actor_get_name (a->actor), &w, &h);
          if (w == 0)
            continue;
          w += 2 * LABEL_PAD;
          h += 2 * LABEL_PAD;
          _cm_render_shape_extents (a->kind, a->r, &hw, &hh);
          dx = hw * 0.75 + LABEL_GAP;
          dy = hh * 0.75 + LABEL_GAP;

          /* Below, above, right, left, then the four diagonals. */
          boxes[0] = (Box) { a->x - w / 2, a->y + hh + LABEL_GAP - LABEL_PAD, 0, 0 };
          boxes[1] = (Box) { a->x - w / 2, a->y - hh - LABEL_GAP + LABEL_PAD - h, 0, 0 };
          boxes[2] = (Box) { a->x + hw + LABEL_GAP, a->y - h / 2, 0, 0 };
          boxes[3] = (Box) { a->x - hw - LABEL_GAP - w, a->y - h / 2, 0, 0 };
          boxes[4] = (Box) { a->x + dx, a->y + dy, 0, 0 };
          boxes[5] = (Box) { a->x - dx - w, a->y + dy, 0, 0 };
          boxes[6] = (Box) { a->x + dx, a->y - dy - h, 0, 0 };
          boxes[7] = (Box) { a->x - dx - w, a->y - dy - h, 0, 0 };
          for (int i = 0; i < 8; i++)
            {
              boxes[i].x1 = boxes[i].x0 + w;
              boxes[i].y1 = boxes[i].y0 + h;
            }

          chosen = try_boxes (&grid, &lines, scene, boxes, 8, -1);
          label.actor = g_array_index (order, Candidate, k).index;
          label.link = -1;
          label.emphasis = a->emphasis;
          label.width = w - 2 * LABEL_PAD;
          label.height = h - 2 * LABEL_PAD;
          if (chosen >= 0)
            {
              label.layout = g_object_ref (_cm_render_get_label_layout (cm_actor_get_name (a->actor)));
              grid_insert (&grid, &boxes[chosen]);
              label.visible = TRUE;
              label.x = boxes[chosen].x0 + LABEL_PAD;
              label.y = boxes[chosen].y0 + LABEL_PAD;
            }
          else
            {
              label.x = boxes[0].x0 + LABEL_PAD;
              label.y = boxes[0].y0 + LABEL_PAD;
            }
          g_array_append_val (labels, label);
        }
    }

  /* Mechanisms of indirect links: beside the line near its middle,
   * sliding along it to find room; on the line itself (the halo cuts
   * the line under the words) when nothing beside is free. */
  if (scene->draw_link_labels)
    {
      static const double positions[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8 };

      g_array_set_size (order, 0);
      for (guint i = 0; i < scene->n_links; i++)
        {
          const CmSceneLink *l = &scene->links[i];
          const char *mechanism;
          Candidate c = { i, 2, 0 };

          if (!l->visible || l->channel != CM_CHANNEL_INDIRECT)
            continue;
          mechanism = cm_link_get_mechanism (l->link);
          if (mechanism == NULL || *mechanism == '\0')
            continue;
          if (l->emphasis == CM_EMPHASIS_SELECTED)
            c.rank = 0;
          else if (l->link == scene->options.hover_link)
            c.rank = 1;
          else if (l->emphasis == CM_EMPHASIS_FADED)
            c.rank = 3;
          g_array_append_val (order, c);
        }
      if (order->len > 1)
        qsort (order->data, order->len, sizeof (Candidate), candidate_compare);

      for (guint k = 0; k < order->len; k++)
        {
          int index = g_array_index (order, Candidate, k).index;
          const CmSceneLink *l = &scene->links[index];
          PangoLayout *layout = _cm_render_get_small_layout (cm_link_get_mechanism (l->link));
          PangoRectangle logical;
          CmRenderLabel label = { 0, };
          Box boxes[3 * G_N_ELEMENTS (positions)];
          gboolean on_line[3 * G_N_ELEMENTS (positions)];
          int n_boxes;
          double w, h;
          int chosen;

          pango_layout_get_extents (layout, NULL, &logical);
          w = logical.width / (double) PANGO_SCALE + 2 * LABEL_PAD;
          h = logical.height / (double) PANGO_SCALE + 2 * LABEL_PAD;
          if (logical.width == 0)
            continue;

          n_boxes = 0;
          for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
            {
              double x, y, tx, ty, nx, ny, clear;
              double sides[3];
              guint n_sides = 0;

              if (i == 0)
                {
                  x = l->mid[0];
                  y = l->mid[1];
                  tx = l->mid_tangent[0];
                  ty = l->mid_tangent[1];
                }
              else
                _cm_scene_link_point (scene, l, positions[i], &x, &y, &tx, &ty);

              /* Beside the line where that is free: the outer side of a
               * bundle, else above (or left of) the line first; the
               * middle of a bundle has only the line itself. */
              if (l->bundled && (l->side[0] != 0 || l->side[1] != 0))
                {
                  nx = l->side[0];
                  ny = l->side[1];
                  sides[n_sides++] = 1;
                }
              else
                {
                  nx = -ty;
                  ny = tx;
                  if (ny > 0 || (ny == 0 && nx > 0))
                    {
                      nx = -nx;
                      ny = -ny;
                    }
                  if (!l->bundled)
                    {
                      sides[n_sides++] = 1;
                      sides[n_sides++] = -1;
                    }
                }
              sides[n_sides++] = 0;

              /* How far the box's centre must move along the normal for
               * the box to clear the line. */
              clear = fabs (nx) * w / 2 + fabs (ny) * h / 2 + l->width / 2 + 1.0;
              for (guint k2 = 0; k2 < n_sides; k2++)
                {
                  double cx = x + sides[k2] * nx * clear;
                  double cy = y + sides[k2] * ny * clear;

                  on_line[n_boxes] = sides[k2] == 0;
                  boxes[n_boxes++] = (Box) { cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2 };
                }
            }

          chosen = try_boxes (&grid, &lines, scene, boxes, n_boxes, index);
          label.on_line = chosen >= 0 && on_line[chosen];
          label.actor = -1;
          label.link = index;
          label.emphasis = l->emphasis;
          label.layout = g_object_ref (layout);
          label.width = w - 2 * LABEL_PAD;
          label.height = h - 2 * LABEL_PAD;
          if (chosen >= 0)
            {
              grid_insert (&grid, &boxes[chosen]);
              label.visible = TRUE;
              label.x = boxes[chosen].x0 + LABEL_PAD;
              label.y = boxes[chosen].y0 + LABEL_PAD;
            }
          else
            {
              label.x = boxes[0].x0 + LABEL_PAD;
              label.y = boxes[0].y0 + LABEL_PAD;
            }
          g_array_append_val (labels, label);
        }
    }

  grid_clear (&grid);
  grid_clear (&lines);
  return labels;
}

GArray *
_cm_render_compute_labels (CmDataset             *dataset,
                           const CmRenderOptions *options)
{
  g_autoptr(CmScene) scene = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  scene = _cm_scene_new (dataset, options);
  return _cm_scene_place_labels (scene);
}
