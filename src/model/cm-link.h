/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-model-types.h"
#include "cm-quote.h"

G_BEGIN_DECLS

#define CM_TYPE_LINK (cm_link_get_type ())
G_DECLARE_FINAL_TYPE (CmLink, cm_link, CM, LINK, GObject)

/* A channel between two actors, referred to by id.  The link's own id is
 * fixed at construction (the loader generates one when the file has none). */
CmLink       *cm_link_new           (const char         *id,
                                     const char         *source_id,
                                     const char         *target_id,
                                     CmChannel           channel);

const char   *cm_link_get_id        (CmLink             *self);
const char   *cm_link_get_source    (CmLink             *self);
void          cm_link_set_source    (CmLink             *self,
                                     const char         *actor_id);
const char   *cm_link_get_target    (CmLink             *self);
void          cm_link_set_target    (CmLink             *self,
                                     const char         *actor_id);
CmChannel     cm_link_get_channel   (CmLink             *self);
void          cm_link_set_channel   (CmLink             *self,
                                     CmChannel           channel);
gboolean      cm_link_get_directed  (CmLink             *self);
void          cm_link_set_directed  (CmLink             *self,
                                     gboolean            directed);
const char   *cm_link_get_topic     (CmLink             *self);
void          cm_link_set_topic     (CmLink             *self,
                                     const char         *topic);
const char   *cm_link_get_mechanism (CmLink             *self);
void          cm_link_set_mechanism (CmLink             *self,
                                     const char         *mechanism);
/* Intermediaries of an indirect channel, in order from source to target;
 * NULL or an empty vector when there are none. */
const char * const *cm_link_get_via (CmLink             *self);
void          cm_link_set_via       (CmLink             *self,
                                     const char * const *via);
const char   *cm_link_get_from      (CmLink             *self);
void          cm_link_set_from      (CmLink             *self,
                                     const char         *date);
const char   *cm_link_get_to        (CmLink             *self);
void          cm_link_set_to        (CmLink             *self,
                                     const char         *date);
/* TRUE when the file says `"to": null`: the channel still holds. */
gboolean      cm_link_get_ongoing   (CmLink             *self);
void          cm_link_set_ongoing   (CmLink             *self,
                                     gboolean            ongoing);

GListModel   *cm_link_get_quotes    (CmLink             *self);
void          cm_link_add_quote     (CmLink             *self,
                                     CmQuote            *quote);
void          cm_link_remove_quote  (CmLink             *self,
                                     CmQuote            *quote);
guint         cm_link_get_n_quotes  (CmLink             *self);

gboolean      cm_link_joins         (CmLink             *self,
                                     const char         *actor_id);

G_END_DECLS
