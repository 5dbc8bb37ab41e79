/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-source.h"
#include "cm-member-private.h"
#include "cm-model-private.h"

/* A document quotes come from; the id is construct-only (indexed). */
struct _CmSource
{
  GObject parent_instance;
  CmMemberOwner member_owner;
  char *id;
  char *title;
  char *publisher;
  char *date;
  char *url;
  char *text;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PUBLISHER,
  PROP_DATE,
  PROP_URL,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmSource, cm_source, G_TYPE_OBJECT)

static void
cm_source_finalize (GObject *object)
{
  CmSource *self = CM_SOURCE (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->publisher);
  g_free (self->date);
  g_free (self->url);
  g_free (self->text);

  G_OBJECT_CLASS (cm_source_parent_class)->finalize (object);
}

static void
cm_source_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CmSource *self = CM_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_PUBLISHER:
      g_value_set_string (value, self->publisher);
      break;

    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_source_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CmSource *self = CM_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_TITLE:
      cm_source_set_title (self, g_value_get_string (value));
      break;

    case PROP_PUBLISHER:
      cm_source_set_publisher (self, g_value_get_string (value));
      break;

    case PROP_DATE:
      cm_source_set_date (self, g_value_get_string (value));
      break;

    case PROP_URL:
      cm_source_set_url (self, g_value_get_string (value));
      break;

    case PROP_TEXT:
      cm_source_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_source_dispatch_properties_changed (GObject     *object,
                           guint        n_pspecs,
                           GParamSpec **pspecs)
{
  _cm_member_dispatch_properties_changed (object, G_OBJECT_CLASS (cm_source_parent_class),
                                          &CM_SOURCE (object)->member_owner, n_pspecs, pspecs);
}

CmMemberOwner *
_cm_source_get_member_owner (GObject *object)
{
  return &CM_SOURCE (object)->member_owner;
}

static void
cm_source_class_init (CmSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_source_finalize;
  object_class->get_property = cm_source_get_property;
  object_class->set_property = cm_source_set_property;
  object_class->dispatch_properties_changed = cm_source_dispatch_properties_changed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLISHER] =
    g_param_spec_string ("publisher", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cm_source_init (CmSource *self)
{
}

CmSource *
cm_source_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (CM_TYPE_SOURCE, "id", id, NULL);
}

const char *
cm_source_get_id (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->id;
}

const char *
cm_source_get_title (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->title;
}

void
cm_source_set_title (CmSource *self,
                  const char *title)
{
  g_return_if_fail (CM_IS_SOURCE (self));

  if (_cm_set_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
cm_source_get_publisher (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->publisher;
}

void
cm_source_set_publisher (CmSource *self,
                  const char *publisher)
{
  g_return_if_fail (CM_IS_SOURCE (self));

  if (_cm_set_string (&self->publisher, publisher))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHER]);
}

const char *
cm_source_get_date (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->date;
}

void
cm_source_set_date (CmSource *self,
                  const char *date)
{
  g_return_if_fail (CM_IS_SOURCE (self));

  if (_cm_set_string (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

const char *
cm_source_get_url (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->url;
}

void
cm_source_set_url (CmSource *self,
                  const char *url)
{
  g_return_if_fail (CM_IS_SOURCE (self));

  if (_cm_set_string (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
cm_source_get_text (CmSource *self)
{
  g_return_val_if_fail (CM_IS_SOURCE (self), NULL);
  return self->text;
}

void
cm_source_set_text (CmSource *self,
                  const char *text)
{
  g_return_if_fail (CM_IS_SOURCE (self));

  if (_cm_set_string (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}
