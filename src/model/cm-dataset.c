/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include <string.h>

#include "cm-dataset.h"
#include "cm-member-private.h"
#include "cm-model-private.h"
#include "cm-object-list.h"

struct _CmDataset
{
  GObject parent_instance;

  char *title;
  char *description;

  CmObjectList *actors;
  CmObjectList *links;
  CmObjectList *sources;

  /* id → object (borrowed: the lists own them).  Keys are the objects' own
   * id strings, which are construct-only and so live as long as they do. */
  GHashTable *actors_by_id;
  GHashTable *links_by_id;
  GHashTable *sources_by_id;
  /* actor → its position in the actor list, for O(1) cm_dataset_get_actor_index() */
  GHashTable *actor_index;

  guint64 generation;
  guint64 structure_generation;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmDataset, cm_dataset, G_TYPE_OBJECT)

static void
emit_changed (CmDataset *self,
              GObject   *object)
{
  self->generation++;
  self->structure_generation++;
  g_signal_emit (self, signals[CHANGED], 0, object);
}

/* Where an actor is, or whether it stays there: what moving actors
 * changes, and no more (see cm_dataset_get_structure_generation()). */
static gboolean
is_placement (GObject    *object,
              GParamSpec *pspec)
{
  return pspec != NULL && CM_IS_ACTOR (object) &&
         (g_str_equal (pspec->name, "x") || g_str_equal (pspec->name, "y") ||
          g_str_equal (pspec->name, "has-position") || g_str_equal (pspec->name, "pinned"));
}

static void
emit_member_changed (CmDataset  *self,
                     GObject    *member,
                     GParamSpec *pspec)
{
  self->generation++;
  if (!is_placement (member, pspec))
    self->structure_generation++;
  g_signal_emit (self, signals[CHANGED], 0, member);
}

static void
member_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  CmDataset  *self)
{
  emit_member_changed (self, object, pspec);
}

static void
member_quotes_changed_cb (GObject   *object,
                          CmDataset *self)
{
  emit_member_changed (self, object, NULL);
}

static void
member_changed (GObject    *member,
                GParamSpec *pspec,
                gpointer    owner)
{
  emit_member_changed (CM_DATASET (owner), member, pspec);
}

/* A member tells its first dataset directly (cm-member-private.h says
 * why); another dataset it is in connects to its signals.  Plain
 * g_signal_connect(), not g_signal_connect_object(): the latter keeps a
 * closure list on the dataset that GLib 2.74 searches linearly on every
 * disconnect, which made freeing a 100 000-actor dataset take ~40 s.  The
 * dataset owns its members and lets go of each (remove, dispose), so it
 * never outlives a handler. */
static void
watch_member (CmDataset *self,
              GObject   *object)
{
  CmMemberOwner *member_owner = _cm_member_get_owner (object);

  if (member_owner != NULL && member_owner->owner == NULL)
    {
      member_owner->owner = self;
      member_owner->changed = member_changed;
      return;
    }
  g_signal_connect (object, "notify", G_CALLBACK (member_notify_cb), self);
  if (g_signal_lookup ("quotes-changed", G_OBJECT_TYPE (object)) != 0)
    g_signal_connect (object, "quotes-changed", G_CALLBACK (member_quotes_changed_cb), self);
}

static void
unwatch_member (CmDataset *self,
                GObject   *object)
{
  CmMemberOwner *member_owner = _cm_member_get_owner (object);

  if (member_owner != NULL && member_owner->owner == self)
    {
      member_owner->owner = NULL;
      member_owner->changed = NULL;
      return;
    }
  g_signal_handlers_disconnect_by_data (object, self);
}

static void
rebuild_actor_index (CmDataset *self)
{
  guint n;
  GObject **items = cm_object_list_peek_items (self->actors, &n);

  g_hash_table_remove_all (self->actor_index);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (self->actor_index, items[i], GUINT_TO_POINTER (i + 1));
}

static void
unwatch_all (CmDataset    *self,
             CmObjectList *list)
{
  guint n;
  GObject **items = cm_object_list_peek_items (list, &n);

  for (guint i = 0; i < n; i++)
    unwatch_member (self, items[i]);
}

static void
cm_dataset_dispose (GObject *object)
{
  CmDataset *self = CM_DATASET (object);

  if (self->actors != NULL)
    {
      unwatch_all (self, self->actors);
      unwatch_all (self, self->links);
      unwatch_all (self, self->sources);
    }
  g_clear_pointer (&self->actors_by_id, g_hash_table_unref);
  g_clear_pointer (&self->links_by_id, g_hash_table_unref);
  g_clear_pointer (&self->sources_by_id, g_hash_table_unref);
  g_clear_pointer (&self->actor_index, g_hash_table_unref);
  g_clear_object (&self->actors);
  g_clear_object (&self->links);
  g_clear_object (&self->sources);

  G_OBJECT_CLASS (cm_dataset_parent_class)->dispose (object);
}

static void
cm_dataset_finalize (GObject *object)
{
  CmDataset *self = CM_DATASET (object);

  g_free (self->title);
  g_free (self->description);

  G_OBJECT_CLASS (cm_dataset_parent_class)->finalize (object);
}

static void
cm_dataset_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmDataset *self = CM_DATASET (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_dataset_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CmDataset *self = CM_DATASET (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cm_dataset_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      cm_dataset_set_description (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_dataset_class_init (CmDatasetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_dataset_dispose;
  object_class->finalize = cm_dataset_finalize;
  object_class->get_property = cm_dataset_get_property;
  object_class->set_property = cm_dataset_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CmDataset::changed:
   * @object: what changed: the dataset itself, or an actor, link or source
   *
   * Something in the dataset changed (see cm_dataset_get_generation()).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);
}

static void
cm_dataset_init (CmDataset *self)
{
  self->actors = cm_object_list_new (CM_TYPE_ACTOR);
  self->links = cm_object_list_new (CM_TYPE_LINK);
  self->sources = cm_object_list_new (CM_TYPE_SOURCE);
  self->actors_by_id = cm_str_hash_table_new (NULL, NULL);
  self->links_by_id = cm_str_hash_table_new (NULL, NULL);
  self->sources_by_id = cm_str_hash_table_new (NULL, NULL);
  self->actor_index = g_hash_table_new (NULL, NULL);
}

CmDataset *
cm_dataset_new (void)
{
  return g_object_new (CM_TYPE_DATASET, NULL);
}

const char *
cm_dataset_get_title (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return self->title;
}

void
cm_dataset_set_title (CmDataset  *self,
                      const char *title)
{
  g_return_if_fail (CM_IS_DATASET (self));

  if (!_cm_set_string (&self->title, title))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  emit_changed (self, G_OBJECT (self));
}

const char *
cm_dataset_get_description (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return self->description;
}

void
cm_dataset_set_description (CmDataset  *self,
                            const char *description)
{
  g_return_if_fail (CM_IS_DATASET (self));

  if (!_cm_set_string (&self->description, description))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  emit_changed (self, G_OBJECT (self));
}

GListModel *
cm_dataset_get_actors (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return G_LIST_MODEL (self->actors);
}

GListModel *
cm_dataset_get_links (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return G_LIST_MODEL (self->links);
}

GListModel *
cm_dataset_get_sources (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return G_LIST_MODEL (self->sources);
}

guint
cm_dataset_get_n_actors (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  return cm_object_list_get_size (self->actors);
}

guint
cm_dataset_get_n_links (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  return cm_object_list_get_size (self->links);
}

CmActor **
cm_dataset_peek_actors (CmDataset *self,
                        guint     *n_actors)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return (CmActor **) cm_object_list_peek_items (self->actors, n_actors);
}

CmLink **
cm_dataset_peek_links (CmDataset *self,
                       guint     *n_links)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return (CmLink **) cm_object_list_peek_items (self->links, n_links);
}

CmActor *
cm_dataset_lookup_actor (CmDataset  *self,
                         const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->actors_by_id, id) : NULL;
}

CmLink *
cm_dataset_lookup_link (CmDataset  *self,
                        const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->links_by_id, id) : NULL;
}

CmSource *
cm_dataset_lookup_source (CmDataset  *self,
                          const char *id)
{
  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  return id != NULL ? g_hash_table_lookup (self->sources_by_id, id) : NULL;
}

int
cm_dataset_get_actor_index (CmDataset *self,
                            CmActor   *actor)
{
  g_return_val_if_fail (CM_IS_DATASET (self), -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->actor_index, actor)) - 1;
}

/* Checks that every id is new, to the dataset and within the batch. */
static gboolean
ids_are_free (GHashTable  *index,
              GObject    **objects,
              guint        n,
              const char *(*get_id) (gpointer))
{
  g_autoptr(GHashTable) batch = NULL;

  if (n > 1)
    batch = cm_str_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *id = get_id (objects[i]);

      if (id == NULL || g_hash_table_contains (index, id))
        return FALSE;
      if (batch != NULL && !g_hash_table_add (batch, (gpointer) id))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_members (CmDataset     *self,
             CmObjectList  *list,
             GHashTable    *index,
             GObject      **objects,
             guint          n,
             const char  *(*get_id) (gpointer))
{
  guint start = cm_object_list_get_size (list);

  if (!ids_are_free (index, objects, n, get_id))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_hash_table_insert (index, (gpointer) get_id (objects[i]), objects[i]);
      if (list == self->actors)
        g_hash_table_insert (self->actor_index, objects[i], GUINT_TO_POINTER (start + i + 1));
      watch_member (self, objects[i]);
    }
  cm_object_list_splice (list, start, 0, objects, n);
  emit_changed (self, G_OBJECT (self));
  return TRUE;
}

gboolean
cm_dataset_add_actor (CmDataset *self,
                      CmActor   *actor)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);
  g_return_val_if_fail (CM_IS_ACTOR (actor), FALSE);

  return add_members (self, self->actors, self->actors_by_id, (GObject **) &actor, 1,
                      (const char *(*) (gpointer)) cm_actor_get_id);
}

gboolean
cm_dataset_add_actors (CmDataset  *self,
                       CmActor   **actors,
                       guint       n_actors)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);

  return add_members (self, self->actors, self->actors_by_id, (GObject **) actors, n_actors,
                      (const char *(*) (gpointer)) cm_actor_get_id);
}

gboolean
cm_dataset_add_link (CmDataset *self,
                     CmLink    *link)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);
  g_return_val_if_fail (CM_IS_LINK (link), FALSE);

  return add_members (self, self->links, self->links_by_id, (GObject **) &link, 1,
                      (const char *(*) (gpointer)) cm_link_get_id);
}

gboolean
cm_dataset_add_links (CmDataset  *self,
                      CmLink    **links,
                      guint       n_links)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);

  return add_members (self, self->links, self->links_by_id, (GObject **) links, n_links,
                      (const char *(*) (gpointer)) cm_link_get_id);
}

gboolean
cm_dataset_add_source (CmDataset *self,
                       CmSource  *source)
{
  g_return_val_if_fail (CM_IS_DATASET (self), FALSE);
  g_return_val_if_fail (CM_IS_SOURCE (source), FALSE);

  return add_members (self, self->sources, self->sources_by_id, (GObject **) &source, 1,
                      (const char *(*) (gpointer)) cm_source_get_id);
}

static void
remove_member (CmDataset    *self,
               CmObjectList *list,
               GHashTable   *index,
               GObject      *object,
               const char   *id)
{
  int position = cm_object_list_find (list, object);

  if (position < 0)
    return;

  /* Keep the object alive until the signals are out: the list holds the
   * only reference, and listeners may still look at it. */
  g_object_ref (object);
  unwatch_member (self, object);
  g_hash_table_remove (index, id);
  cm_object_list_splice (list, (guint) position, 0 + 1, NULL, 0);
  if (list == self->actors)
    rebuild_actor_index (self);
  emit_changed (self, G_OBJECT (self));
  g_object_unref (object);
}

void
cm_dataset_remove_link (CmDataset *self,
                        CmLink    *link)
{
  g_return_if_fail (CM_IS_DATASET (self));
  g_return_if_fail (CM_IS_LINK (link));

  remove_member (self, self->links, self->links_by_id, G_OBJECT (link), cm_link_get_id (link));
}

void
cm_dataset_remove_source (CmDataset *self,
                          CmSource  *source)
{
  g_return_if_fail (CM_IS_DATASET (self));
  g_return_if_fail (CM_IS_SOURCE (source));

  remove_member (self, self->sources, self->sources_by_id, G_OBJECT (source),
                 cm_source_get_id (source));
}

void
cm_dataset_remove_actor (CmDataset *self,
                         CmActor   *actor)
{
  g_autoptr(GPtrArray) links = NULL;
  const char *id;
  guint n;
  GObject **actors;

  g_return_if_fail (CM_IS_DATASET (self));
  g_return_if_fail (CM_IS_ACTOR (actor));

  if (cm_dataset_get_actor_index (self, actor) < 0)
    return;

  g_object_ref (actor);
  id = cm_actor_get_id (actor);

  /* Links whose ends are this actor go; links that merely pass through it
   * lose it from their route. */
  links = cm_dataset_get_links_of_actor (self, actor);
  for (guint i = 0; i < links->len; i++)
    {
      CmLink *link = g_ptr_array_index (links, i);

      if (g_strcmp0 (cm_link_get_source (link), id) == 0 ||
          g_strcmp0 (cm_link_get_target (link), id) == 0)
        {
          cm_dataset_remove_link (self, link);
        }
      else
        {
          const char * const *via = cm_link_get_via (link);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) kept = NULL;

          for (guint j = 0; via != NULL && via[j] != NULL; j++)
            if (strcmp (via[j], id) != 0)
              g_strv_builder_add (builder, via[j]);
          kept = g_strv_builder_end (builder);
          cm_link_set_via (link, kept[0] != NULL ? (const char * const *) kept : NULL);
        }
    }

  actors = cm_object_list_peek_items (self->actors, &n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (cm_actor_get_group (CM_ACTOR (actors[i])), id) == 0)
      cm_actor_set_group (CM_ACTOR (actors[i]), NULL);

  remove_member (self, self->actors, self->actors_by_id, G_OBJECT (actor), id);
  g_object_unref (actor);
}

char *
cm_dataset_make_link_id (CmDataset  *self,
                         const char *source_id,
                         const char *target_id)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);

  base = g_strdup_printf ("%s-%s", source_id ? source_id : "", target_id ? target_id : "");
  if (!g_hash_table_contains (self->links_by_id, base))
    return g_steal_pointer (&base);

  for (guint i = 2; ; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base, i);

      if (!g_hash_table_contains (self->links_by_id, candidate))
        return g_steal_pointer (&candidate);
    }
}

GPtrArray *
cm_dataset_get_links_of_actor (CmDataset *self,
                               CmActor   *actor)
{
  GPtrArray *result;
  const char *id;
  guint n;
  GObject **links;

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (CM_IS_ACTOR (actor), NULL);

  result = g_ptr_array_new ();
  id = cm_actor_get_id (actor);
  links = cm_object_list_peek_items (self->links, &n);
  for (guint i = 0; i < n; i++)
    if (cm_link_joins (CM_LINK (links[i]), id))
      g_ptr_array_add (result, links[i]);
  return result;
}

static void
append_quotes (GListStore *store,
               GHashTable *seen,
               GListModel *quotes)
{
  guint n = g_list_model_get_n_items (quotes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmQuote) quote = g_list_model_get_item (quotes, i);

      if (g_hash_table_add (seen, quote))
        g_list_store_append (store, quote);
    }
}

GListModel *
cm_dataset_get_quotes_of_actor (CmDataset *self,
                                CmActor   *actor)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) links = NULL;
  GListStore *store;
  const char *id;
  guint n;
  GObject **items;

  g_return_val_if_fail (CM_IS_DATASET (self), NULL);
  g_return_val_if_fail (CM_IS_ACTOR (actor), NULL);

  store = g_list_store_new (CM_TYPE_QUOTE);
  id = cm_actor_get_id (actor);

  append_quotes (store, seen, cm_actor_get_quotes (actor));

  links = cm_dataset_get_links_of_actor (self, actor);
  for (guint i = 0; i < links->len; i++)
    append_quotes (store, seen, cm_link_get_quotes (g_ptr_array_index (links, i)));

  /* Quotes the actor spoke, wherever they are recorded. */
  items = cm_object_list_peek_items (self->actors, &n);
  for (guint i = 0; i < n; i++)
    {
      GListModel *quotes = cm_actor_get_quotes (CM_ACTOR (items[i]));
      guint n_quotes = g_list_model_get_n_items (quotes);

      for (guint j = 0; j < n_quotes; j++)
        {
          g_autoptr(CmQuote) quote = g_list_model_get_item (quotes, j);

          if (g_strcmp0 (cm_quote_get_speaker (quote), id) == 0 && g_hash_table_add (seen, quote))
            g_list_store_append (store, quote);
        }
    }
  items = cm_object_list_peek_items (self->links, &n);
  for (guint i = 0; i < n; i++)
    {
      GListModel *quotes = cm_link_get_quotes (CM_LINK (items[i]));
      guint n_quotes = g_list_model_get_n_items (quotes);

      for (guint j = 0; j < n_quotes; j++)
        {
          g_autoptr(CmQuote) quote = g_list_model_get_item (quotes, j);

          if (g_strcmp0 (cm_quote_get_speaker (quote), id) == 0 && g_hash_table_add (seen, quote))
            g_list_store_append (store, quote);
        }
    }

  return G_LIST_MODEL (store);
}

guint
cm_dataset_count_links (CmDataset *self,
                        CmChannel  channel)
{
  guint n, count = 0;
  GObject **links;

  g_return_val_if_fail (CM_IS_DATASET (self), 0);

  links = cm_object_list_peek_items (self->links, &n);
  for (guint i = 0; i < n; i++)
    if (cm_link_get_channel (CM_LINK (links[i])) == channel)
      count++;
  return count;
}

guint64
cm_dataset_get_generation (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  return self->generation;
}

/**
 * cm_dataset_get_structure_generation:
 *
 * Like cm_dataset_get_generation(), but unchanged when actors only move
 * (their x, y, has-position or pinned): what is derived from names,
 * kinds, groups, channels and who links whom stays valid while actors are
 * dragged or laid out.
 */
guint64
cm_dataset_get_structure_generation (CmDataset *self)
{
  g_return_val_if_fail (CM_IS_DATASET (self), 0);
  return self->structure_generation;
}
