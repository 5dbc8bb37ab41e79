/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-link.h"
#include "cm-model-enums.h"
#include "cm-member-private.h"
#include "cm-model-private.h"
#include "cm-quote-list.h"

struct _CmLink
{
  GObject parent_instance;
  CmMemberOwner member_owner;

  char *id;
  char *source;
  char *target;
  CmChannel channel;
  char *topic;
  char *mechanism;
  char **via;
  char *from;
  char *to;
  guint directed : 1;
  guint ongoing : 1;

  CmQuoteList quotes;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE,
  PROP_TARGET,
  PROP_CHANNEL,
  PROP_DIRECTED,
  PROP_TOPIC,
  PROP_MECHANISM,
  PROP_VIA,
  PROP_FROM,
  PROP_TO,
  PROP_ONGOING,
  PROP_QUOTES,
  N_PROPS
};

enum {
  QUOTES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmLink, cm_link, G_TYPE_OBJECT)

static void
quotes_changed_cb (GObject *owner)
{
  _cm_member_owner_notify (&CM_LINK (owner)->member_owner, owner, NULL);
  g_signal_emit (owner, signals[QUOTES_CHANGED], 0);
}

static void
cm_link_dispose (GObject *object)
{
  CmLink *self = CM_LINK (object);

  _cm_quote_list_clear (&self->quotes);

  G_OBJECT_CLASS (cm_link_parent_class)->dispose (object);
}

static void
cm_link_finalize (GObject *object)
{
  CmLink *self = CM_LINK (object);

  g_free (self->id);
  g_free (self->source);
  g_free (self->target);
  g_free (self->topic);
  g_free (self->mechanism);
  g_strfreev (self->via);
  g_free (self->from);
  g_free (self->to);

  G_OBJECT_CLASS (cm_link_parent_class)->finalize (object);
}

static void
cm_link_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CmLink *self = CM_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;

    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;

    case PROP_DIRECTED:
      g_value_set_boolean (value, self->directed);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_MECHANISM:
      g_value_set_string (value, self->mechanism);
      break;

    case PROP_VIA:
      g_value_set_boxed (value, self->via);
      break;

    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;

    case PROP_TO:
      g_value_set_string (value, self->to);
      break;

    case PROP_ONGOING:
      g_value_set_boolean (value, self->ongoing);
      break;

    case PROP_QUOTES:
      g_value_set_object (value, _cm_quote_list_get_store (&self->quotes));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_link_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CmLink *self = CM_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_SOURCE:
      cm_link_set_source (self, g_value_get_string (value));
      break;

    case PROP_TARGET:
      cm_link_set_target (self, g_value_get_string (value));
      break;

    case PROP_CHANNEL:
      cm_link_set_channel (self, g_value_get_enum (value));
      break;

    case PROP_DIRECTED:
      cm_link_set_directed (self, g_value_get_boolean (value));
      break;

    case PROP_TOPIC:
      cm_link_set_topic (self, g_value_get_string (value));
      break;

    case PROP_MECHANISM:
      cm_link_set_mechanism (self, g_value_get_string (value));
      break;

    case PROP_VIA:
      cm_link_set_via (self, g_value_get_boxed (value));
      break;

    case PROP_FROM:
      cm_link_set_from (self, g_value_get_string (value));
      break;

    case PROP_TO:
      cm_link_set_to (self, g_value_get_string (value));
      break;

    case PROP_ONGOING:
      cm_link_set_ongoing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_link_dispatch_properties_changed (GObject     *object,
                         guint        n_pspecs,
                         GParamSpec **pspecs)
{
  _cm_member_dispatch_properties_changed (object, G_OBJECT_CLASS (cm_link_parent_class),
                                          &CM_LINK (object)->member_owner, n_pspecs, pspecs);
}

CmMemberOwner *
_cm_link_get_member_owner (GObject *object)
{
  return &CM_LINK (object)->member_owner;
}

static void
cm_link_class_init (CmLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cm_link_dispose;
  object_class->finalize = cm_link_finalize;
  object_class->get_property = cm_link_get_property;
  object_class->set_property = cm_link_set_property;
  object_class->dispatch_properties_changed = cm_link_dispatch_properties_changed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, rw);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, rw);
  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL, CM_TYPE_CHANNEL, CM_CHANNEL_DIRECT, rw);
  properties[PROP_DIRECTED] = g_param_spec_boolean ("directed", NULL, NULL, FALSE, rw);
  properties[PROP_TOPIC] = g_param_spec_string ("topic", NULL, NULL, NULL, rw);
  properties[PROP_MECHANISM] = g_param_spec_string ("mechanism", NULL, NULL, NULL, rw);
  properties[PROP_VIA] = g_param_spec_boxed ("via", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_FROM] = g_param_spec_string ("from", NULL, NULL, NULL, rw);
  properties[PROP_TO] = g_param_spec_string ("to", NULL, NULL, NULL, rw);
  properties[PROP_ONGOING] = g_param_spec_boolean ("ongoing", NULL, NULL, FALSE, rw);
  properties[PROP_QUOTES] =
    g_param_spec_object ("quotes", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[QUOTES_CHANGED] =
    g_signal_new ("quotes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cm_link_init (CmLink *self)
{
  _cm_quote_list_init (&self->quotes, G_OBJECT (self), quotes_changed_cb);
}

CmLink *
cm_link_new (const char *id,
             const char *source_id,
             const char *target_id,
             CmChannel   channel)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (channel < CM_N_CHANNELS, NULL);

  return g_object_new (CM_TYPE_LINK,
                       "id", id,
                       "source", source_id,
                       "target", target_id,
                       "channel", channel,
                       NULL);
}

const char *
cm_link_get_id (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), NULL);
  return self->id;
}

#define STRING_ACCESSORS(field, PROP)                                  \
  const char *                                                         \
  cm_link_get_##field (CmLink *self)                                   \
  {                                                                    \
    g_return_val_if_fail (CM_IS_LINK (self), NULL);                    \
    return self->field;                                                \
  }                                                                    \
                                                                       \
  void                                                                 \
  cm_link_set_##field (CmLink     *self,                               \
                       const char *value)                              \
  {                                                                    \
    g_return_if_fail (CM_IS_LINK (self));                              \
    if (_cm_set_string (&self->field, value))                          \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);    \
  }

STRING_ACCESSORS (source, PROP_SOURCE)
STRING_ACCESSORS (target, PROP_TARGET)
STRING_ACCESSORS (topic, PROP_TOPIC)
STRING_ACCESSORS (mechanism, PROP_MECHANISM)
STRING_ACCESSORS (from, PROP_FROM)
STRING_ACCESSORS (to, PROP_TO)

#undef STRING_ACCESSORS

CmChannel
cm_link_get_channel (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), CM_CHANNEL_DIRECT);
  return self->channel;
}

void
cm_link_set_channel (CmLink    *self,
                     CmChannel  channel)
{
  g_return_if_fail (CM_IS_LINK (self));
  g_return_if_fail (channel < CM_N_CHANNELS);

  if (self->channel == channel)
    return;
  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

gboolean
cm_link_get_directed (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), FALSE);
  return self->directed;
}

void
cm_link_set_directed (CmLink   *self,
                      gboolean  directed)
{
  g_return_if_fail (CM_IS_LINK (self));

  directed = !!directed;
  if (self->directed == (guint) directed)
    return;
  self->directed = directed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTED]);
}

gboolean
cm_link_get_ongoing (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), FALSE);
  return self->ongoing;
}

void
cm_link_set_ongoing (CmLink   *self,
                     gboolean  ongoing)
{
  g_return_if_fail (CM_IS_LINK (self));

  ongoing = !!ongoing;
  if (self->ongoing == (guint) ongoing)
    return;
  self->ongoing = ongoing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONGOING]);
}

const char * const *
cm_link_get_via (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), NULL);
  return (const char * const *) self->via;
}

void
cm_link_set_via (CmLink             *self,
                 const char * const *via)
{
  g_return_if_fail (CM_IS_LINK (self));

  if (self->via == NULL && via == NULL)
    return;
  if (self->via != NULL && via != NULL &&
      g_strv_equal ((const char * const *) self->via, via))
    return;

  g_strfreev (self->via);
  self->via = g_strdupv ((char **) via);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIA]);
}

GListModel *
cm_link_get_quotes (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), NULL);
  return G_LIST_MODEL (_cm_quote_list_get_store (&self->quotes));
}

guint
cm_link_get_n_quotes (CmLink *self)
{
  g_return_val_if_fail (CM_IS_LINK (self), 0);
  return _cm_quote_list_get_n (&self->quotes);
}

void
cm_link_add_quote (CmLink  *self,
                   CmQuote *quote)
{
  g_return_if_fail (CM_IS_LINK (self));
  g_return_if_fail (CM_IS_QUOTE (quote));

  _cm_quote_list_add (&self->quotes, quote);
}

void
cm_link_remove_quote (CmLink  *self,
                      CmQuote *quote)
{
  g_return_if_fail (CM_IS_LINK (self));
  g_return_if_fail (CM_IS_QUOTE (quote));

  _cm_quote_list_remove (&self->quotes, quote);
}

/* TRUE when @actor_id is an end of the link or one of its intermediaries. */
gboolean
cm_link_joins (CmLink     *self,
               const char *actor_id)
{
  g_return_val_if_fail (CM_IS_LINK (self), FALSE);

  if (actor_id == NULL)
    return FALSE;
  if (g_strcmp0 (self->source, actor_id) == 0 || g_strcmp0 (self->target, actor_id) == 0)
    return TRUE;
  for (guint i = 0; self->via != NULL && self->via[i] != NULL; i++)
    if (strcmp (self->via[i], actor_id) == 0)
      return TRUE;
  return FALSE;
}
