/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <adwaita.h>

#include "cm-channel-sample.h"
#include "cm-render.h"

struct _CmChannelSample
{
  GtkWidget parent_instance;

  CmChannel channel;
};

enum {
  PROP_0,
  PROP_CHANNEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmChannelSample, cm_channel_sample, GTK_TYPE_WIDGET)

static void
dark_changed_cb (CmChannelSample *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cm_channel_sample_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CmChannelSample *self = CM_CHANNEL_SAMPLE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cm_render_draw_channel_sample (cr, dark ? CM_RENDER_THEME_DARK : CM_RENDER_THEME_LIGHT,
                                 self->channel, 0, 0, width, height);
  cairo_destroy (cr);
}

static void
cm_channel_sample_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 36;
  else
    *minimum = *natural = 16;
}

static void
cm_channel_sample_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CmChannelSample *self = CM_CHANNEL_SAMPLE (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_channel_sample_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CmChannelSample *self = CM_CHANNEL_SAMPLE (object);

  switch (prop_id)
    {
    case PROP_CHANNEL:
      cm_channel_sample_set_channel (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_channel_sample_class_init (CmChannelSampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cm_channel_sample_get_property;
  object_class->set_property = cm_channel_sample_set_property;

  widget_class->snapshot = cm_channel_sample_snapshot;
  widget_class->measure = cm_channel_sample_measure;

  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL, CM_TYPE_CHANNEL, CM_CHANNEL_DIRECT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "cm-channel-sample");
  /* The sample is decoration: the text next to it names the kind. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
cm_channel_sample_init (CmChannelSample *self)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
cm_channel_sample_new (CmChannel channel)
{
  return g_object_new (CM_TYPE_CHANNEL_SAMPLE, "channel", channel, NULL);
}

CmChannel
cm_channel_sample_get_channel (CmChannelSample *self)
{
  g_return_val_if_fail (CM_IS_CHANNEL_SAMPLE (self), CM_CHANNEL_DIRECT);

  return self->channel;
}

void
cm_channel_sample_set_channel (CmChannelSample *self,
                               CmChannel        channel)
{
  g_return_if_fail (CM_IS_CHANNEL_SAMPLE (self));

  if (channel == self->channel)
    return;

  self->channel = channel;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}
