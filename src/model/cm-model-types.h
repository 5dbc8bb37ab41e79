/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CmActorKind:
 *
 * What an actor is; decides the shape it is drawn with.  Files may carry a
 * kind this version does not know: it loads as %CM_ACTOR_KIND_OTHER and the
 * written word is kept (see cm_actor_get_kind_name()).
 */
typedef enum
{
  CM_ACTOR_KIND_OTHER,
  CM_ACTOR_KIND_PERSON,
  CM_ACTOR_KIND_STATE,
  CM_ACTOR_KIND_ORGANIZATION,
  CM_ACTOR_KIND_MEDIA,
} CmActorKind;

#define CM_N_ACTOR_KINDS 5

/**
 * CmChannel:
 * @CM_CHANNEL_DIRECT: the two talk to each other
 * @CM_CHANNEL_INDIRECT: messages pass through intermediaries or public means
 * @CM_CHANNEL_ABSENT: there is explicitly no channel
 */
typedef enum
{
  CM_CHANNEL_DIRECT,
  CM_CHANNEL_INDIRECT,
  CM_CHANNEL_ABSENT,
} CmChannel;

#define CM_N_CHANNELS 3

/* A set of channel kinds, e.g. the ones a view shows. */
typedef enum /*< flags >*/
{
  CM_CHANNEL_FLAGS_NONE     = 0,
  CM_CHANNEL_FLAGS_DIRECT   = 1 << 0,
  CM_CHANNEL_FLAGS_INDIRECT = 1 << 1,
  CM_CHANNEL_FLAGS_ABSENT   = 1 << 2,
  CM_CHANNEL_FLAGS_ALL      = 0x7,
} CmChannelFlags;

#define CM_CHANNEL_FLAG(channel) ((CmChannelFlags) (1u << (channel)))

const char *cm_actor_kind_to_string   (CmActorKind  kind);
gboolean    cm_actor_kind_from_string (const char  *string,
                                       CmActorKind *kind);
const char *cm_channel_to_string      (CmChannel    channel);
gboolean    cm_channel_from_string    (const char  *string,
                                       CmChannel   *channel);

gboolean    cm_date_is_valid          (const char  *date);

guint       cm_str_hash               (gconstpointer key);
GHashTable *cm_str_hash_table_new     (GDestroyNotify key_destroy,
                                       GDestroyNotify value_destroy);

G_END_DECLS
