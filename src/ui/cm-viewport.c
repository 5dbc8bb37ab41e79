/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <math.h>

#include "cm-viewport.h"

struct _CmViewport
{
  GObject         parent_instance;

  double          zoom;
  double          center_x;
  double          center_y;

  CmActor        *selected_actor;
  CmLink         *selected_link;
  CmActor        *hover_actor;
  CmLink         *hover_link;

  CmChannelFlags  channels;
  CmRenderTheme   theme;
};

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  PROP_SELECTED_ACTOR,
  PROP_SELECTED_LINK,
  PROP_HOVER_ACTOR,
  PROP_HOVER_LINK,
  PROP_CHANNELS,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmViewport, cm_viewport, G_TYPE_OBJECT)

static void
cm_viewport_dispose (GObject *object)
{
  CmViewport *self = CM_VIEWPORT (object);

  g_clear_object (&self->selected_actor);
  g_clear_object (&self->selected_link);
  g_clear_object (&self->hover_actor);
  g_clear_object (&self->hover_link);

  G_OBJECT_CLASS (cm_viewport_parent_class)->dispose (object);
}

static void
cm_viewport_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CmViewport *self = CM_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;
    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;
    case PROP_SELECTED_ACTOR:
      g_value_set_object (value, self->selected_actor);
      break;
    case PROP_SELECTED_LINK:
      g_value_set_object (value, self->selected_link);
      break;
    case PROP_HOVER_ACTOR:
      g_value_set_object (value, self->hover_actor);
      break;
    case PROP_HOVER_LINK:
      g_value_set_object (value, self->hover_link);
      break;
    case PROP_CHANNELS:
      g_value_set_flags (value, self->channels);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->theme == CM_RENDER_THEME_DARK);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_viewport_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CmViewport *self = CM_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      cm_viewport_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_CENTER_X:
      cm_viewport_set_center (self, g_value_get_double (value), self->center_y);
      break;
    case PROP_CENTER_Y:
      cm_viewport_set_center (self, self->center_x, g_value_get_double (value));
      break;
    case PROP_SELECTED_ACTOR:
      cm_viewport_select_actor (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_LINK:
      cm_viewport_select_link (self, g_value_get_object (value));
      break;
    case PROP_CHANNELS:
      cm_viewport_set_channels (self, g_value_get_flags (value));
      break;
    case PROP_DARK:
      cm_viewport_set_theme (self, g_value_get_boolean (value) ? CM_RENDER_THEME_DARK
                                                               : CM_RENDER_THEME_LIGHT);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_viewport_class_init (CmViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_viewport_dispose;
  object_class->get_property = cm_viewport_get_property;
  object_class->set_property = cm_viewport_set_property;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         CM_VIEWPORT_MIN_ZOOM, CM_VIEWPORT_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CENTER_X] =
    g_param_spec_double ("center-x", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CENTER_Y] =
    g_param_spec_double ("center-y", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ACTOR] =
    g_param_spec_object ("selected-actor", NULL, NULL, CM_TYPE_ACTOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_LINK] =
    g_param_spec_object ("selected-link", NULL, NULL, CM_TYPE_LINK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_ACTOR] =
    g_param_spec_object ("hover-actor", NULL, NULL, CM_TYPE_ACTOR,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_LINK] =
    g_param_spec_object ("hover-link", NULL, NULL, CM_TYPE_LINK,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANNELS] =
    g_param_spec_flags ("channels", NULL, NULL,
                        CM_TYPE_CHANNEL_FLAGS, CM_CHANNEL_FLAGS_ALL,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cm_viewport_init (CmViewport *self)
{
  self->zoom = 1.0;
  self->channels = CM_CHANNEL_FLAGS_ALL;
  self->theme = CM_RENDER_THEME_LIGHT;
}

CmViewport *
cm_viewport_new (void)
{
  return g_object_new (CM_TYPE_VIEWPORT, NULL);
}

double
cm_viewport_get_zoom (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), 1.0);

  return self->zoom;
}

void
cm_viewport_set_zoom (CmViewport *self,
                      double      zoom)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (!isfinite (zoom))
    return;
  zoom = CLAMP (zoom, CM_VIEWPORT_MIN_ZOOM, CM_VIEWPORT_MAX_ZOOM);
  if (zoom == self->zoom)
    return;

  self->zoom = zoom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

double
cm_viewport_get_center_x (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), 0.0);

  return self->center_x;
}

double
cm_viewport_get_center_y (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), 0.0);

  return self->center_y;
}

void
cm_viewport_set_center (CmViewport *self,
                        double      x,
                        double      y)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (!isfinite (x) || !isfinite (y))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (x != self->center_x)
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (y != self->center_y)
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

CmActor *
cm_viewport_get_selected_actor (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), NULL);

  return self->selected_actor;
}

CmLink *
cm_viewport_get_selected_link (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), NULL);

  return self->selected_link;
}

static void
set_selection (CmViewport *self,
               CmActor    *actor,
               CmLink     *link)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->selected_actor, actor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ACTOR]);
  if (g_set_object (&self->selected_link, link))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LINK]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cm_viewport_select_actor (CmViewport *self,
                          CmActor    *actor)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));
  g_return_if_fail (actor == NULL || CM_IS_ACTOR (actor));

  set_selection (self, actor, NULL);
}

void
cm_viewport_select_link (CmViewport *self,
                         CmLink     *link)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));
  g_return_if_fail (link == NULL || CM_IS_LINK (link));

  set_selection (self, NULL, link);
}

void
cm_viewport_clear_selection (CmViewport *self)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  set_selection (self, NULL, NULL);
}

CmActor *
cm_viewport_get_hover_actor (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), NULL);

  return self->hover_actor;
}

CmLink *
cm_viewport_get_hover_link (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), NULL);

  return self->hover_link;
}

void
cm_viewport_set_hover (CmViewport *self,
                       CmActor    *actor,
                       CmLink     *link)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (actor != NULL)
    link = NULL;

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->hover_actor, actor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_ACTOR]);
  if (g_set_object (&self->hover_link, link))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_LINK]);
  g_object_thaw_notify (G_OBJECT (self));
}

CmChannelFlags
cm_viewport_get_channels (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), CM_CHANNEL_FLAGS_ALL);

  return self->channels;
}

void
cm_viewport_set_channels (CmViewport     *self,
                          CmChannelFlags  channels)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  channels &= CM_CHANNEL_FLAGS_ALL;
  if (channels == self->channels)
    return;

  self->channels = channels;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNELS]);
}

gboolean
cm_viewport_get_channel_visible (CmViewport *self,
                                 CmChannel   channel)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), TRUE);

  return (self->channels & CM_CHANNEL_FLAG (channel)) != 0;
}

void
cm_viewport_set_channel_visible (CmViewport *self,
                                 CmChannel   channel,
                                 gboolean    visible)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (visible)
    cm_viewport_set_channels (self, self->channels | CM_CHANNEL_FLAG (channel));
  else
    cm_viewport_set_channels (self, self->channels & ~CM_CHANNEL_FLAG (channel));
}

CmRenderTheme
cm_viewport_get_theme (CmViewport *self)
{
  g_return_val_if_fail (CM_IS_VIEWPORT (self), CM_RENDER_THEME_LIGHT);

  return self->theme;
}

void
cm_viewport_set_theme (CmViewport    *self,
                       CmRenderTheme  theme)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (theme == self->theme)
    return;

  self->theme = theme;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

void
cm_viewport_get_render_options (CmViewport      *self,
                                double           width,
                                double           height,
                                CmRenderOptions *options)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));
  g_return_if_fail (options != NULL);

  cm_render_options_init (options);
  options->zoom = self->zoom;
  options->center_x = self->center_x;
  options->center_y = self->center_y;
  options->width = width;
  options->height = height;
  options->theme = self->theme;
  options->channels = self->channels;
  options->background = TRUE;
  options->selected_actor = self->selected_actor;
  options->selected_link = self->selected_link;
  options->hover_actor = self->hover_actor;
  options->hover_link = self->hover_link;
  options->show_title = FALSE;
  options->show_legend = FALSE;
  options->show_sources = FALSE;
}

void
cm_viewport_to_diagram (CmViewport *self,
                        double      width,
                        double      height,
                        double      x,
                        double      y,
                        double     *diagram_x,
                        double     *diagram_y)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (diagram_x != NULL)
    *diagram_x = (x - width / 2.0) / self->zoom + self->center_x;
  if (diagram_y != NULL)
    *diagram_y = (y - height / 2.0) / self->zoom + self->center_y;
}

void
cm_viewport_zoom_at (CmViewport *self,
                     double      width,
                     double      height,
                     double      factor,
                     double      x,
                     double      y)
{
  double dx, dy, zoom;

  g_return_if_fail (CM_IS_VIEWPORT (self));

  if (!isfinite (factor) || factor <= 0.0)
    return;

  /* The diagram point under (x, y) stays there:
   *   x = (d - c) * z + w/2  =>  c' = d - (x - w/2) / z' */
  cm_viewport_to_diagram (self, width, height, x, y, &dx, &dy);
  zoom = CLAMP (self->zoom * factor, CM_VIEWPORT_MIN_ZOOM, CM_VIEWPORT_MAX_ZOOM);

  g_object_freeze_notify (G_OBJECT (self));
  cm_viewport_set_zoom (self, zoom);
  cm_viewport_set_center (self,
                          dx - (x - width / 2.0) / self->zoom,
                          dy - (y - height / 2.0) / self->zoom);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cm_viewport_pan (CmViewport *self,
                 double      dx,
                 double      dy)
{
  g_return_if_fail (CM_IS_VIEWPORT (self));

  cm_viewport_set_center (self,
                          self->center_x - dx / self->zoom,
                          self->center_y - dy / self->zoom);
}

void
cm_viewport_fit (CmViewport *self,
                 CmDataset  *dataset,
                 double      width,
                 double      height)
{
  CmRenderOptions options;

  g_return_if_fail (CM_IS_VIEWPORT (self));
  g_return_if_fail (CM_IS_DATASET (dataset));

  if (width < 1 || height < 1)
    return;

  cm_viewport_get_render_options (self, width, height, &options);
  cm_render_fit (&options, dataset);

  g_object_freeze_notify (G_OBJECT (self));
  cm_viewport_set_zoom (self, options.zoom);
  cm_viewport_set_center (self, options.center_x, options.center_y);
  g_object_thaw_notify (G_OBJECT (self));
}
