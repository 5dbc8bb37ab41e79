/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-history.h"

/* Kept back this far: a re-arrangement of a 100 000-actor map costs about
 * 4 MB an entry. */
#define MAX_ENTRIES 100

typedef struct
{
  CmActor  *actor;
  double    x;
  double    y;
  gboolean  has_position;
  gboolean  pinned;
} Place;

typedef struct
{
  CmHistoryKind  kind;
  GArray        *places;   /* of Place */
} Entry;

struct _CmHistory
{
  GObject     parent_instance;

  CmDataset  *dataset;
  GQueue      undo;        /* of Entry *, newest first */
  GQueue      redo;
};

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmHistory, cm_history, G_TYPE_OBJECT)

static void
place_clear (gpointer data)
{
  Place *place = data;

  g_clear_object (&place->actor);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_array_unref (entry->places);
  g_free (entry);
}

static Entry *
entry_new (CmHistoryKind kind,
           guint         n)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->kind = kind;
  entry->places = g_array_sized_new (FALSE, FALSE, sizeof (Place), n);
  g_array_set_clear_func (entry->places, place_clear);
  return entry;
}

static void
entry_add (Entry   *entry,
           CmActor *actor)
{
  Place place = {
    g_object_ref (actor),
    cm_actor_get_x (actor),
    cm_actor_get_y (actor),
    cm_actor_has_position (actor),
    cm_actor_get_pinned (actor),
  };

  g_array_append_val (entry->places, place);
}

/* Where @entry's actors are now, as an entry of the same kind. */
static Entry *
entry_now (const Entry *entry)
{
  Entry *now = entry_new (entry->kind, entry->places->len);

  for (guint i = 0; i < entry->places->len; i++)
    entry_add (now, g_array_index (entry->places, Place, i).actor);
  return now;
}

static void
entry_apply (CmHistory   *self,
             const Entry *entry)
{
  for (guint i = 0; i < entry->places->len; i++)
    {
      const Place *place = &g_array_index (entry->places, Place, i);

      /* Removed from the map since: nothing to put back. */
      if (cm_dataset_get_actor_index (self->dataset, place->actor) < 0)
        continue;
      if (place->has_position)
        cm_actor_set_position (place->actor, place->x, place->y);
      else
        cm_actor_clear_position (place->actor);
      cm_actor_set_pinned (place->actor, place->pinned);
    }
}

static void
clear_queue (GQueue *queue)
{
  g_queue_clear_full (queue, entry_free);
}

/* Notifies can-undo and can-redo if they changed from @could_undo and
 * @could_redo. */
static void
notify_changes (CmHistory *self,
                gboolean   could_undo,
                gboolean   could_redo)
{
  if (could_undo != cm_history_get_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != cm_history_get_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
cm_history_dispose (GObject *object)
{
  CmHistory *self = CM_HISTORY (object);

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (cm_history_parent_class)->dispose (object);
}

static void
cm_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmHistory *self = CM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, cm_history_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, cm_history_get_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_history_class_init (CmHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_history_dispose;
  object_class->get_property = cm_history_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cm_history_init (CmHistory *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

CmHistory *
cm_history_new (CmDataset *dataset)
{
  CmHistory *self;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  self = g_object_new (CM_TYPE_HISTORY, NULL);
  self->dataset = g_object_ref (dataset);
  return self;
}

void
cm_history_record_places (CmHistory     *self,
                          CmHistoryKind  kind,
                          CmActor      **actors,
                          guint          n_actors)
{
  gboolean could_undo, could_redo;
  Entry *entry;

  g_return_if_fail (CM_IS_HISTORY (self));
  g_return_if_fail (kind != CM_HISTORY_NOTHING);

  could_undo = cm_history_get_can_undo (self);
  could_redo = cm_history_get_can_redo (self);
  if (actors == NULL)
    actors = cm_dataset_peek_actors (self->dataset, &n_actors);
  if (n_actors == 0)
    return;

  entry = entry_new (kind, n_actors);
  for (guint i = 0; i < n_actors; i++)
    entry_add (entry, actors[i]);
  g_queue_push_head (&self->undo, entry);
  while (g_queue_get_length (&self->undo) > MAX_ENTRIES)
    entry_free (g_queue_pop_tail (&self->undo));
  clear_queue (&self->redo);
  notify_changes (self, could_undo, could_redo);
}

/* Takes the newest entry of @from back and keeps where things were for
 * @to. */
static gboolean
step (CmHistory *self,
      GQueue    *from,
      GQueue    *to)
{
  gboolean could_undo = cm_history_get_can_undo (self);
  gboolean could_redo = cm_history_get_can_redo (self);
  Entry *entry = g_queue_pop_head (from);

  if (entry == NULL)
    return FALSE;
  g_queue_push_head (to, entry_now (entry));
  entry_apply (self, entry);
  entry_free (entry);
  notify_changes (self, could_undo, could_redo);
  return TRUE;
}

gboolean
cm_history_undo (CmHistory *self)
{
  g_return_val_if_fail (CM_IS_HISTORY (self), FALSE);
  return step (self, &self->undo, &self->redo);
}

gboolean
cm_history_redo (CmHistory *self)
{
  g_return_val_if_fail (CM_IS_HISTORY (self), FALSE);
  return step (self, &self->redo, &self->undo);
}

void
cm_history_clear (CmHistory *self)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (CM_IS_HISTORY (self));

  could_undo = cm_history_get_can_undo (self);
  could_redo = cm_history_get_can_redo (self);
  clear_queue (&self->undo);
  clear_queue (&self->redo);
  notify_changes (self, could_undo, could_redo);
}

gboolean
cm_history_get_can_undo (CmHistory *self)
{
  g_return_val_if_fail (CM_IS_HISTORY (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
cm_history_get_can_redo (CmHistory *self)
{
  g_return_val_if_fail (CM_IS_HISTORY (self), FALSE);
  return !g_queue_is_empty (&self->redo);
}

CmHistoryKind
cm_history_get_undo_kind (CmHistory *self)
{
  Entry *entry;

  g_return_val_if_fail (CM_IS_HISTORY (self), CM_HISTORY_NOTHING);
  entry = g_queue_peek_head (&self->undo);
  return entry != NULL ? entry->kind : CM_HISTORY_NOTHING;
}

CmHistoryKind
cm_history_get_redo_kind (CmHistory *self)
{
  Entry *entry;

  g_return_val_if_fail (CM_IS_HISTORY (self), CM_HISTORY_NOTHING);
  entry = g_queue_peek_head (&self->redo);
  return entry != NULL ? entry->kind : CM_HISTORY_NOTHING;
}
