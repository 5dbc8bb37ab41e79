/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_OBJECT_LIST (cm_object_list_get_type ())
G_DECLARE_FINAL_TYPE (CmObjectList, cm_object_list, CM, OBJECT_LIST, GObject)

/* A GListModel over a plain array.  GListStore keeps its items in a
 * GSequence (O(log n) per access); the renderer walks every actor and link
 * on every frame, so the dataset keeps them here and hands out the array. */
CmObjectList  *cm_object_list_new        (GType          item_type);
GObject      **cm_object_list_peek_items (CmObjectList  *self,
                                          guint         *n_items);
guint          cm_object_list_get_size   (CmObjectList  *self);
GObject       *cm_object_list_peek       (CmObjectList  *self,
                                          guint          position);
void           cm_object_list_splice     (CmObjectList  *self,
                                          guint          position,
                                          guint          n_removals,
                                          GObject      **additions,
                                          guint          n_additions);
int            cm_object_list_find       (CmObjectList  *self,
                                          gpointer       item);

G_END_DECLS
