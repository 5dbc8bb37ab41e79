/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How an actor, a link or a source tells the dataset that owns it about a
 * change: a pointer and a function on the member itself, called once per
 * property notified (before the "notify" signal, as a handler connected at
 * add time was) and once per change to its quotes.  A "notify" and a
 * "quotes-changed" handler per member cost a closure each, and building,
 * connecting and freeing them was a third of loading a file and most of
 * freeing it.  A member in a second dataset falls back to signals. */
/* @pspec: the property that changed, or NULL for the member's quotes. */
typedef void (*CmMemberChangedFunc) (GObject    *member,
                                     GParamSpec *pspec,
                                     gpointer    owner);

typedef struct
{
  gpointer            owner;
  CmMemberChangedFunc changed;
} CmMemberOwner;

static inline void
_cm_member_owner_notify (CmMemberOwner *member_owner,
                         GObject       *member,
                         GParamSpec    *pspec)
{
  if (member_owner->owner != NULL)
    member_owner->changed (member, pspec, member_owner->owner);
}

/* For each class's dispatch_properties_changed: the owner first, then the
 * "notify" signal, property by property. */
void           _cm_member_dispatch_properties_changed (GObject       *member,
                                                       GObjectClass  *parent_class,
                                                       CmMemberOwner *member_owner,
                                                       guint          n_pspecs,
                                                       GParamSpec   **pspecs);

/* The member's owner slot, or NULL for an object that has none. */
CmMemberOwner *_cm_member_get_owner (GObject *member);

CmMemberOwner *_cm_actor_get_member_owner  (GObject *actor);
CmMemberOwner *_cm_link_get_member_owner   (GObject *link);
CmMemberOwner *_cm_source_get_member_owner (GObject *source);

G_END_DECLS
