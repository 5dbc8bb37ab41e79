/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include <math.h>

#include "cm-actor.h"
#include "cm-model-enums.h"
#include "cm-member-private.h"
#include "cm-model-private.h"
#include "cm-quote-list.h"

struct _CmActor
{
  GObject parent_instance;
  CmMemberOwner member_owner;

  char *id;
  char *name;
  char *kind_name;   /* as written; NULL when not given */
  CmActorKind kind;  /* derived from kind_name */
  char *role;
  char *group;
  char *notes;
  double x;
  double y;
  guint has_position : 1;
  guint pinned : 1;

  CmQuoteList quotes;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_KIND_NAME,
  PROP_ROLE,
  PROP_GROUP,
  PROP_NOTES,
  PROP_PINNED,
  PROP_X,
  PROP_Y,
  PROP_HAS_POSITION,
  PROP_QUOTES,
  N_PROPS
};

enum {
  QUOTES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmActor, cm_actor, G_TYPE_OBJECT)

/* -0.0 == 0.0, but the sign is part of the number that was set, and a
 * save followed by a load must give back exactly that number. */
static gboolean
same_coordinate (double a,
                 double b)
{
  return a == b && signbit (a) == signbit (b);
}

static void
quotes_changed_cb (GObject *owner)
{
  _cm_member_owner_notify (&CM_ACTOR (owner)->member_owner, owner, NULL);
  g_signal_emit (owner, signals[QUOTES_CHANGED], 0);
}

static void
cm_actor_dispose (GObject *object)
{
  CmActor *self = CM_ACTOR (object);

  _cm_quote_list_clear (&self->quotes);

  G_OBJECT_CLASS (cm_actor_parent_class)->dispose (object);
}

static void
cm_actor_finalize (GObject *object)
{
  CmActor *self = CM_ACTOR (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->kind_name);
  g_free (self->role);
  g_free (self->group);
  g_free (self->notes);

  G_OBJECT_CLASS (cm_actor_parent_class)->finalize (object);
}

static void
cm_actor_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CmActor *self = CM_ACTOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_KIND_NAME:
      g_value_set_string (value, self->kind_name);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;

    case PROP_X:
      g_value_set_double (value, self->x);
      break;

    case PROP_Y:
      g_value_set_double (value, self->y);
      break;

    case PROP_HAS_POSITION:
      g_value_set_boolean (value, self->has_position);
      break;

    case PROP_QUOTES:
      g_value_set_object (value, _cm_quote_list_get_store (&self->quotes));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_actor_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CmActor *self = CM_ACTOR (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      cm_actor_set_name (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      cm_actor_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_KIND_NAME:
      cm_actor_set_kind_name (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      cm_actor_set_role (self, g_value_get_string (value));
      break;

    case PROP_GROUP:
      cm_actor_set_group (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      cm_actor_set_notes (self, g_value_get_string (value));
      break;

    case PROP_PINNED:
      cm_actor_set_pinned (self, g_value_get_boolean (value));
      break;

    case PROP_X:
      cm_actor_set_position (self, g_value_get_double (value), self->y);
      break;

    case PROP_Y:
      cm_actor_set_position (self, self->x, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_actor_dispatch_properties_changed (GObject     *object,
                          guint        n_pspecs,
                          GParamSpec **pspecs)
{
  _cm_member_dispatch_properties_changed (object, G_OBJECT_CLASS (cm_actor_parent_class),
                                          &CM_ACTOR (object)->member_owner, n_pspecs, pspecs);
}

CmMemberOwner *
_cm_actor_get_member_owner (GObject *object)
{
  return &CM_ACTOR (object)->member_owner;
}

static void
cm_actor_class_init (CmActorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cm_actor_dispose;
  object_class->finalize = cm_actor_finalize;
  object_class->get_property = cm_actor_get_property;
  object_class->set_property = cm_actor_set_property;
  object_class->dispatch_properties_changed = cm_actor_dispatch_properties_changed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CM_TYPE_ACTOR_KIND, CM_ACTOR_KIND_OTHER, rw);
  properties[PROP_KIND_NAME] = g_param_spec_string ("kind-name", NULL, NULL, NULL, rw);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, rw);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE, rw);
  properties[PROP_X] = g_param_spec_double ("x", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_Y] = g_param_spec_double ("y", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_HAS_POSITION] =
    g_param_spec_boolean ("has-position", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUOTES] =
    g_param_spec_object ("quotes", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CmActor::quotes-changed:
   *
   * A quote was added or removed, or one of the quotes changed.
   */
  signals[QUOTES_CHANGED] =
    g_signal_new ("quotes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cm_actor_init (CmActor *self)
{
  _cm_quote_list_init (&self->quotes, G_OBJECT (self), quotes_changed_cb);
}

CmActor *
cm_actor_new (const char *id,
              const char *name)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (CM_TYPE_ACTOR, "id", id, "name", name, NULL);
}

const char *
cm_actor_get_id (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->id;
}

const char *
cm_actor_get_name (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->name;
}

void
cm_actor_set_name (CmActor    *self,
                   const char *name)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  if (_cm_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

CmActorKind
cm_actor_get_kind (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), CM_ACTOR_KIND_OTHER);
  return self->kind;
}

void
cm_actor_set_kind (CmActor     *self,
                   CmActorKind  kind)
{
  g_return_if_fail (CM_IS_ACTOR (self));
  g_return_if_fail (kind < CM_N_ACTOR_KINDS);

  cm_actor_set_kind_name (self, cm_actor_kind_to_string (kind));
}

const char *
cm_actor_get_kind_name (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->kind_name;
}

void
cm_actor_set_kind_name (CmActor    *self,
                        const char *kind_name)
{
  CmActorKind kind;

  g_return_if_fail (CM_IS_ACTOR (self));

  if (!_cm_set_string (&self->kind_name, kind_name))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  cm_actor_kind_from_string (kind_name, &kind);
  if (kind != self->kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND_NAME]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
cm_actor_get_role (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->role;
}

void
cm_actor_set_role (CmActor    *self,
                   const char *role)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  if (_cm_set_string (&self->role, role))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

const char *
cm_actor_get_group (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->group;
}

void
cm_actor_set_group (CmActor    *self,
                    const char *group_id)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  if (_cm_set_string (&self->group, group_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
}

const char *
cm_actor_get_notes (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return self->notes;
}

void
cm_actor_set_notes (CmActor    *self,
                    const char *notes)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  if (_cm_set_string (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

gboolean
cm_actor_get_pinned (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), FALSE);
  return self->pinned;
}

void
cm_actor_set_pinned (CmActor  *self,
                     gboolean  pinned)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  pinned = !!pinned;
  if (self->pinned == (guint) pinned)
    return;
  self->pinned = pinned;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED]);
}

gboolean
cm_actor_has_position (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), FALSE);
  return self->has_position;
}

double
cm_actor_get_x (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), 0);
  return self->x;
}

double
cm_actor_get_y (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), 0);
  return self->y;
}

/**
 * cm_actor_set_position:
 *
 * Sets both coordinates at once, so a listener sees one consistent
 * position (notifications are frozen until both are stored).  Positions
 * must be finite: the file format forbids anything else.
 */
void
cm_actor_set_position (CmActor *self,
                       double   x,
                       double   y)
{
  g_return_if_fail (CM_IS_ACTOR (self));
  g_return_if_fail (isfinite (x) && isfinite (y));

  if (self->has_position && same_coordinate (self->x, x) && same_coordinate (self->y, y))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!same_coordinate (self->x, x))
    {
      self->x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X]);
    }
  if (!same_coordinate (self->y, y))
    {
      self->y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y]);
    }
  if (!self->has_position)
    {
      self->has_position = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_POSITION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
cm_actor_clear_position (CmActor *self)
{
  g_return_if_fail (CM_IS_ACTOR (self));

  if (!self->has_position)
    return;
  self->has_position = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_POSITION]);
}

GListModel *
cm_actor_get_quotes (CmActor *self)
{
  g_return_val_if_fail (CM_IS_ACTOR (self), NULL);
  return G_LIST_MODEL (_cm_quote_list_get_store (&self->quotes));
}

void
cm_actor_add_quote (CmActor *self,
                    CmQuote *quote)
{
  g_return_if_fail (CM_IS_ACTOR (self));
  g_return_if_fail (CM_IS_QUOTE (quote));

  _cm_quote_list_add (&self->quotes, quote);
}

void
cm_actor_remove_quote (CmActor *self,
                       CmQuote *quote)
{
  g_return_if_fail (CM_IS_ACTOR (self));
  g_return_if_fail (CM_IS_QUOTE (quote));

  _cm_quote_list_remove (&self->quotes, quote);
}
