/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-quote.h"
#include "cm-model-private.h"

/* Strings only; validation (dates, ids, URLs) is the loader's job, so
 * the model can hold a dataset while the user is still editing it. */
struct _CmQuote
{
  GObject parent_instance;
  char *text;
  char *speaker;
  char *source;
  char *date;
  char *url;
};

enum {
  PROP_0,
  PROP_TEXT,
  PROP_SPEAKER,
  PROP_SOURCE,
  PROP_DATE,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmQuote, cm_quote, G_TYPE_OBJECT)

static void
cm_quote_finalize (GObject *object)
{
  CmQuote *self = CM_QUOTE (object);

  g_free (self->text);
  g_free (self->speaker);
  g_free (self->source);
  g_free (self->date);
  g_free (self->url);

  G_OBJECT_CLASS (cm_quote_parent_class)->finalize (object);
}

static void
cm_quote_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CmQuote *self = CM_QUOTE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_SPEAKER:
      g_value_set_string (value, self->speaker);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_quote_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CmQuote *self = CM_QUOTE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      cm_quote_set_text (self, g_value_get_string (value));
      break;

    case PROP_SPEAKER:
      cm_quote_set_speaker (self, g_value_get_string (value));
      break;

    case PROP_SOURCE:
      cm_quote_set_source (self, g_value_get_string (value));
      break;

    case PROP_DATE:
      cm_quote_set_date (self, g_value_get_string (value));
      break;

    case PROP_URL:
      cm_quote_set_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_quote_class_init (CmQuoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_quote_finalize;
  object_class->get_property = cm_quote_get_property;
  object_class->set_property = cm_quote_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEAKER] =
    g_param_spec_string ("speaker", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cm_quote_init (CmQuote *self)
{
}

CmQuote *
cm_quote_new (const char *text)
{
  return g_object_new (CM_TYPE_QUOTE, "text", text, NULL);
}

const char *
cm_quote_get_text (CmQuote *self)
{
  g_return_val_if_fail (CM_IS_QUOTE (self), NULL);
  return self->text;
}

void
cm_quote_set_text (CmQuote *self,
                 const char *text)
{
  g_return_if_fail (CM_IS_QUOTE (self));

  if (_cm_set_string (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
cm_quote_get_speaker (CmQuote *self)
{
  g_return_val_if_fail (CM_IS_QUOTE (self), NULL);
  return self->speaker;
}

void
cm_quote_set_speaker (CmQuote *self,
                 const char *speaker)
{
  g_return_if_fail (CM_IS_QUOTE (self));

  if (_cm_set_string (&self->speaker, speaker))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKER]);
}

const char *
cm_quote_get_source (CmQuote *self)
{
  g_return_val_if_fail (CM_IS_QUOTE (self), NULL);
  return self->source;
}

void
cm_quote_set_source (CmQuote *self,
                 const char *source)
{
  g_return_if_fail (CM_IS_QUOTE (self));

  if (_cm_set_string (&self->source, source))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

const char *
cm_quote_get_date (CmQuote *self)
{
  g_return_val_if_fail (CM_IS_QUOTE (self), NULL);
  return self->date;
}

void
cm_quote_set_date (CmQuote *self,
                 const char *date)
{
  g_return_if_fail (CM_IS_QUOTE (self));

  if (_cm_set_string (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

const char *
cm_quote_get_url (CmQuote *self)
{
  g_return_val_if_fail (CM_IS_QUOTE (self), NULL);
  return self->url;
}

void
cm_quote_set_url (CmQuote *self,
                 const char *url)
{
  g_return_if_fail (CM_IS_QUOTE (self));

  if (_cm_set_string (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}
