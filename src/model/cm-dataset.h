/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-actor.h"
#include "cm-link.h"
#include "cm-quote.h"
#include "cm-source.h"

G_BEGIN_DECLS

#define CM_TYPE_DATASET (cm_dataset_get_type ())
G_DECLARE_FINAL_TYPE (CmDataset, cm_dataset, CM, DATASET, GObject)

/* The dataset owns its actors, links and sources, keeps an index of each
 * by id, and exposes each as a GListModel that emits items-changed, so
 * widgets can bind to them.
 *
 * Every change anywhere inside (a list, a property of an actor, link,
 * source, or of one of their quotes) bumps the generation counter and emits
 * CmDataset::changed once, with the object that changed: the window uses it
 * to redraw and to mark the document modified, caches use the generation. */
CmDataset   *cm_dataset_new                 (void);

const char  *cm_dataset_get_title           (CmDataset   *self);
void         cm_dataset_set_title           (CmDataset   *self,
                                             const char  *title);
const char  *cm_dataset_get_description     (CmDataset   *self);
void         cm_dataset_set_description     (CmDataset   *self,
                                             const char  *description);

GListModel  *cm_dataset_get_actors          (CmDataset   *self);
GListModel  *cm_dataset_get_links           (CmDataset   *self);
GListModel  *cm_dataset_get_sources         (CmDataset   *self);
guint        cm_dataset_get_n_actors        (CmDataset   *self);
guint        cm_dataset_get_n_links         (CmDataset   *self);
/* The lists as plain arrays, for code that walks every item each frame
 * (the renderer).  Borrowed; valid until the dataset changes. */
CmActor    **cm_dataset_peek_actors         (CmDataset   *self,
                                             guint       *n_actors);
CmLink     **cm_dataset_peek_links          (CmDataset   *self,
                                             guint       *n_links);

CmActor     *cm_dataset_lookup_actor        (CmDataset   *self,
                                             const char  *id);
CmLink      *cm_dataset_lookup_link         (CmDataset   *self,
                                             const char  *id);
CmSource    *cm_dataset_lookup_source       (CmDataset   *self,
                                             const char  *id);
/* Index of @actor in cm_dataset_get_actors(), or -1. O(1). */
int          cm_dataset_get_actor_index     (CmDataset   *self,
                                             CmActor     *actor);

/* Adding fails (returns FALSE, changes nothing) when the id is taken.
 * Links are not checked against the actors here: the loader and the
 * editor validate; the dataset only keeps the indexes. */
gboolean     cm_dataset_add_actor           (CmDataset   *self,
                                             CmActor     *actor);
gboolean     cm_dataset_add_link            (CmDataset   *self,
                                             CmLink      *link);
gboolean     cm_dataset_add_source          (CmDataset   *self,
                                             CmSource    *source);
/* Bulk variants: one items-changed for the whole array. The ids must be
 * unique among themselves and in the dataset; returns FALSE and adds
 * nothing otherwise. */
gboolean     cm_dataset_add_actors          (CmDataset   *self,
                                             CmActor    **actors,
                                             guint        n_actors);
gboolean     cm_dataset_add_links           (CmDataset   *self,
                                             CmLink     **links,
                                             guint        n_links);

/* Removing an actor also removes the links that join it and clears the
 * group of the actors that belonged to it. */
void         cm_dataset_remove_actor        (CmDataset   *self,
                                             CmActor     *actor);
void         cm_dataset_remove_link         (CmDataset   *self,
                                             CmLink      *link);
void         cm_dataset_remove_source       (CmDataset   *self,
                                             CmSource    *source);

/* A link id not yet used, derived from the two actor ids. */
char        *cm_dataset_make_link_id        (CmDataset   *self,
                                             const char  *source_id,
                                             const char  *target_id);

/* Links that have @actor as source, target or intermediary (transfer container). */
GPtrArray   *cm_dataset_get_links_of_actor  (CmDataset   *self,
                                             CmActor     *actor);
/* Every quote by or about @actor: its own, those of its links, and those
 * whose speaker is its id; each once, in that order. */
GListModel  *cm_dataset_get_quotes_of_actor (CmDataset   *self,
                                             CmActor     *actor);
guint        cm_dataset_count_links         (CmDataset   *self,
                                             CmChannel    channel);

guint64      cm_dataset_get_generation      (CmDataset   *self);
guint64      cm_dataset_get_structure_generation (CmDataset *self);

G_END_DECLS
