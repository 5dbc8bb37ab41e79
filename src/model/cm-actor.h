/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-model-types.h"
#include "cm-quote.h"

G_BEGIN_DECLS

#define CM_TYPE_ACTOR (cm_actor_get_type ())
G_DECLARE_FINAL_TYPE (CmActor, cm_actor, CM, ACTOR, GObject)

/* A person, state, organization or medium.  The id is fixed at
 * construction: it is the key links, groups and quotes refer to. */
CmActor     *cm_actor_new            (const char  *id,
                                      const char  *name);

const char  *cm_actor_get_id         (CmActor     *self);
const char  *cm_actor_get_name       (CmActor     *self);
void         cm_actor_set_name       (CmActor     *self,
                                      const char  *name);
CmActorKind  cm_actor_get_kind       (CmActor     *self);
void         cm_actor_set_kind       (CmActor     *self,
                                      CmActorKind  kind);
/* The kind as written in the file: NULL when the file gave none, and an
 * unknown word ("ngo") is kept so saving does not lose it. */
const char  *cm_actor_get_kind_name  (CmActor     *self);
void         cm_actor_set_kind_name  (CmActor     *self,
                                      const char  *kind_name);
const char  *cm_actor_get_role       (CmActor     *self);
void         cm_actor_set_role       (CmActor     *self,
                                      const char  *role);
/* The id of the actor this one belongs to or speaks for, or NULL. */
const char  *cm_actor_get_group      (CmActor     *self);
void         cm_actor_set_group      (CmActor     *self,
                                      const char  *group_id);
const char  *cm_actor_get_notes      (CmActor     *self);
void         cm_actor_set_notes      (CmActor     *self,
                                      const char  *notes);
gboolean     cm_actor_get_pinned     (CmActor     *self);
void         cm_actor_set_pinned     (CmActor     *self,
                                      gboolean     pinned);

/* Position in diagram units.  Without one, the layout places the actor. */
gboolean     cm_actor_has_position   (CmActor     *self);
double       cm_actor_get_x          (CmActor     *self);
double       cm_actor_get_y          (CmActor     *self);
void         cm_actor_set_position   (CmActor     *self,
                                      double       x,
                                      double       y);
void         cm_actor_clear_position (CmActor     *self);

/* Quotes by or about this actor that belong to no single link. */
GListModel  *cm_actor_get_quotes     (CmActor     *self);
void         cm_actor_add_quote      (CmActor     *self,
                                      CmQuote     *quote);
void         cm_actor_remove_quote   (CmActor     *self,
                                      CmQuote     *quote);

G_END_DECLS
