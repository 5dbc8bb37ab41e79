/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-dataset.h"

G_BEGIN_DECLS

#define CM_TYPE_HISTORY (cm_history_get_type ())
G_DECLARE_FINAL_TYPE (CmHistory, cm_history, CM, HISTORY, GObject)

/* Undo and redo of where actors are.  Before actors move (a drag, a
 * re-arrangement), cm_history_record_places() keeps where they were;
 * cm_history_undo() puts them back and keeps where they had got to for
 * cm_history_redo().  Recording anew forgets what could be redone.  The
 * history holds its actors, so an entry for an actor since removed from
 * the dataset puts nothing back for it.
 *
 * Properties: "can-undo" and "can-redo", notified when they change;
 * cm_history_get_undo_kind() says what the next undo takes back. */
typedef enum
{
  CM_HISTORY_NOTHING,
  CM_HISTORY_MOVE,        /* one actor dragged */
  CM_HISTORY_REARRANGE,   /* the whole map laid out again */
} CmHistoryKind;

CmHistory     *cm_history_new             (CmDataset     *dataset);

/* @actors: the actors about to move, or NULL (and 0) for all of them. */
void           cm_history_record_places   (CmHistory     *self,
                                           CmHistoryKind  kind,
                                           CmActor      **actors,
                                           guint          n_actors);
gboolean       cm_history_undo            (CmHistory     *self);
gboolean       cm_history_redo            (CmHistory     *self);
void           cm_history_clear           (CmHistory     *self);

gboolean       cm_history_get_can_undo    (CmHistory     *self);
gboolean       cm_history_get_can_redo    (CmHistory     *self);
CmHistoryKind  cm_history_get_undo_kind   (CmHistory     *self);
CmHistoryKind  cm_history_get_redo_kind   (CmHistory     *self);

G_END_DECLS
