/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>

#include "cm-arrange.h"
#include "cm-layout.h"
#include "cm-render-private.h"

/* The adapter between the model and the layout, which knows only arrays:
 * node i is actor i.  It lives in src/render because it needs both the
 * model and the size of what the renderer draws (shape and label), so the
 * layout keeps labels from running into each other. */

/* How much room a node claims, in diagram units: its shape, and half its
 * label (the label hangs below, centred); long names are wrapped, so the
 * claim is capped. */
#define MIN_NODE_RADIUS 18.0
#define MAX_NODE_RADIUS 70.0
/* A link pulls its ends together; belonging to a group pulls less. */
#define LINK_WEIGHT 1.0
#define GROUP_WEIGHT 0.5

struct _CmArrange
{
  CmDataset *dataset;
  CmLayout  *layout;
  guint      n_actors;
  CmActor  **actors;     /* owned refs, in the order of the nodes */
};

static guint
node_of (CmArrange  *self,
         const char *id)
{
  CmActor *actor = id != NULL ? cm_dataset_lookup_actor (self->dataset, id) : NULL;
  int index = actor != NULL ? cm_dataset_get_actor_index (self->dataset, actor) : -1;

  return index >= 0 ? (guint) index : G_MAXUINT;
}

static double
node_radius (CmActor *actor)
{
  double width, height;

  _cm_render_measure_label (cm_actor_get_name (actor), &width, &height);
  return CLAMP (width / 2.0 + 4.0, MIN_NODE_RADIUS, MAX_NODE_RADIUS);
}

/* Actors measured between two looks at the cancellable: a label is
 * measured in some tens of microseconds. */
#define MEASURED_PER_CHECK 1024

static int
compare_pairs (const void *a,
               const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static void
add_pair (GArray *pairs,
          guint   a,
          guint   b)
{
  guint64 key = (guint64) MIN (a, b) << 32 | MAX (a, b);

  g_array_append_val (pairs, key);
}

/* NULL when @cancellable is cancelled on the way. */
static CmArrange *
arrange_new (CmDataset    *dataset,
             gboolean      relayout_all,
             guint64       seed,
             GCancellable *cancellable)
{
  CmArrange *self;
  CmActor **actors;
  CmLink **links;
  guint n_links;
  g_autoptr(GArray) pairs = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  self = g_new0 (CmArrange, 1);
  self->dataset = g_object_ref (dataset);
  actors = cm_dataset_peek_actors (dataset, &self->n_actors);
  self->actors = g_new (CmActor *, MAX (self->n_actors, 1));
  self->layout = cm_layout_new (self->n_actors);
  cm_layout_set_seed (self->layout, seed);
  cm_layout_set_relayout_all (self->layout, relayout_all);

  for (guint i = 0; i < self->n_actors; i++)
    {
      CmActor *actor = actors[i];
      const char *group = cm_actor_get_group (actor);

      if (i % MEASURED_PER_CHECK == 0 && g_cancellable_is_cancelled (cancellable))
        {
          self->n_actors = i;   /* what cm_arrange_free() releases */
          cm_arrange_free (self);
          return NULL;
        }

      self->actors[i] = g_object_ref (actor);
      cm_layout_set_radius (self->layout, i, node_radius (actor));
      if (cm_actor_has_position (actor))
        {
          cm_layout_set_position (self->layout, i, cm_actor_get_x (actor), cm_actor_get_y (actor));
          cm_layout_set_pinned (self->layout, i, cm_actor_get_pinned (actor));
        }
      if (group != NULL)
        {
          guint g = node_of (self, group);

          if (g != G_MAXUINT && g != i)
            cm_layout_add_edge (self->layout, i, g, GROUP_WEIGHT);
        }
    }

  /* Each pair of actors is one edge however many links join it: the
   * layout adds up the weights of parallel edges, which pulled a pair
   * with three channels three times as close — just where a bundle of
   * curves and their labels needs the most room. */
  links = cm_dataset_peek_links (dataset, &n_links);
  pairs = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n_links);
  for (guint i = 0; i < n_links; i++)
    {
      const char * const *via = cm_link_get_via (links[i]);
      guint source = node_of (self, cm_link_get_source (links[i]));
      guint target = node_of (self, cm_link_get_target (links[i]));
      guint prev = source;

      if (source == G_MAXUINT || target == G_MAXUINT)
        continue;

      /* A routed link is laid out as its route, source → each
       * intermediary → target, so the path it is drawn along is short. */
      for (guint k = 0; via != NULL && via[k] != NULL; k++)
        {
          guint v = node_of (self, via[k]);

          if (v == G_MAXUINT || v == prev)
            continue;
          add_pair (pairs, prev, v);
          prev = v;
        }
      if (prev != target)
        add_pair (pairs, prev, target);
    }
  if (pairs->len > 0)
    qsort (pairs->data, pairs->len, sizeof (guint64), compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      guint64 key = g_array_index (pairs, guint64, i);

      if (i == 0 || key != g_array_index (pairs, guint64, i - 1))
        cm_layout_add_edge (self->layout, (guint) (key >> 32), (guint) (key & G_MAXUINT32), LINK_WEIGHT);
    }

  return self;
}

CmArrange *
cm_arrange_new (CmDataset *dataset,
                gboolean   relayout_all,
                guint64    seed)
{
  return arrange_new (dataset, relayout_all, seed, NULL);
}

void
cm_arrange_free (CmArrange *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_actors; i++)
    g_object_unref (self->actors[i]);
  g_free (self->actors);
  cm_layout_free (self->layout);
  g_object_unref (self->dataset);
  g_free (self);
}

/* Positions back into the actors: only those that moved, and all with
 * their notifications held until every one is written, so a listener
 * that redraws on CmDataset::changed never sees half a step. */
static void
write_back (CmArrange *self)
{
  const double *xy = cm_layout_get_positions (self->layout);
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();

  for (guint i = 0; i < self->n_actors; i++)
    {
      CmActor *actor = self->actors[i];
      double x = xy[2 * i], y = xy[2 * i + 1];

      /* An actor removed from the dataset meanwhile is left alone. */
      if (!isfinite (x) || !isfinite (y) ||
          cm_dataset_get_actor_index (self->dataset, actor) < 0)
        continue;
      if (cm_actor_has_position (actor) && cm_actor_get_x (actor) == x && cm_actor_get_y (actor) == y)
        continue;
      g_object_freeze_notify (G_OBJECT (actor));
      g_ptr_array_add (moved, actor);
      cm_actor_set_position (actor, x, y);
    }

  for (guint i = 0; i < moved->len; i++)
    g_object_thaw_notify (moved->pdata[i]);
}

gboolean
cm_arrange_step (CmArrange *self)
{
  gboolean more;

  g_return_val_if_fail (self != NULL, FALSE);

  more = cm_layout_step (self->layout);
  write_back (self);
  return more;
}

double
cm_arrange_get_progress (CmArrange *self)
{
  g_return_val_if_fail (self != NULL, 1.0);

  return cm_layout_get_progress (self->layout);
}

gboolean
cm_arrange_dataset (CmDataset    *dataset,
                    gboolean      relayout_all,
                    guint64       seed,
                    GCancellable *cancellable)
{
  g_autoptr(CmArrange) arrange = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);

  arrange = arrange_new (dataset, relayout_all, seed, cancellable);
  if (arrange == NULL)
    return FALSE;
  /* Step by step when it can be cancelled (a load in the window): the
   * layout ends on the same bits however it is sliced, so the window
   * lays a file out as --export does, and a cancel stops it within a
   * step rather than at the end. */
  if (cancellable == NULL)
    cm_layout_run (arrange->layout);
  else
    while (cm_layout_step (arrange->layout))
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;
  write_back (arrange);
  return TRUE;
}
