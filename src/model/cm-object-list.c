/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-object-list.h"

struct _CmObjectList
{
  GObject parent_instance;

  GType item_type;
  GPtrArray *items;  /* owned references */
};

static GType
cm_object_list_get_item_type (GListModel *model)
{
  return CM_OBJECT_LIST (model)->item_type;
}

static guint
cm_object_list_get_n_items (GListModel *model)
{
  return CM_OBJECT_LIST (model)->items->len;
}

static gpointer
cm_object_list_get_item (GListModel *model,
                         guint       position)
{
  CmObjectList *self = CM_OBJECT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
cm_object_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cm_object_list_get_item_type;
  iface->get_n_items = cm_object_list_get_n_items;
  iface->get_item = cm_object_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (CmObjectList, cm_object_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cm_object_list_model_init))

static void
cm_object_list_finalize (GObject *object)
{
  CmObjectList *self = CM_OBJECT_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (cm_object_list_parent_class)->finalize (object);
}

static void
cm_object_list_class_init (CmObjectListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_object_list_finalize;
}

static void
cm_object_list_init (CmObjectList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

CmObjectList *
cm_object_list_new (GType item_type)
{
  CmObjectList *self = g_object_new (CM_TYPE_OBJECT_LIST, NULL);

  self->item_type = item_type;
  return self;
}

GObject **
cm_object_list_peek_items (CmObjectList *self,
                           guint        *n_items)
{
  g_return_val_if_fail (CM_IS_OBJECT_LIST (self), NULL);

  if (n_items != NULL)
    *n_items = self->items->len;
  return (GObject **) self->items->pdata;
}

guint
cm_object_list_get_size (CmObjectList *self)
{
  return self->items->len;
}

GObject *
cm_object_list_peek (CmObjectList *self,
                     guint         position)
{
  g_return_val_if_fail (position < self->items->len, NULL);
  return g_ptr_array_index (self->items, position);
}

void
cm_object_list_splice (CmObjectList  *self,
                       guint          position,
                       guint          n_removals,
                       GObject      **additions,
                       guint          n_additions)
{
  g_return_if_fail (CM_IS_OBJECT_LIST (self));
  g_return_if_fail (position + n_removals <= self->items->len);

  if (n_removals > 0)
    g_ptr_array_remove_range (self->items, position, n_removals);
  for (guint i = 0; i < n_additions; i++)
    g_ptr_array_insert (self->items, (int) (position + i), g_object_ref (additions[i]));

  if (n_removals > 0 || n_additions > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n_removals, n_additions);
}

int
cm_object_list_find (CmObjectList *self,
                     gpointer      item)
{
  guint index;

  if (g_ptr_array_find (self->items, item, &index))
    return (int) index;
  return -1;
}
