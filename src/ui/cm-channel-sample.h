/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-model.h"

G_BEGIN_DECLS

#define CM_TYPE_CHANNEL_SAMPLE (cm_channel_sample_get_type ())
G_DECLARE_FINAL_TYPE (CmChannelSample, cm_channel_sample, CM, CHANNEL_SAMPLE, GtkWidget)

/* A short sample of a channel kind's line, drawn by the renderer's own
 * legend code, so the legend, the filters and the side panel match the map.
 * Follows the light or dark style. */
GtkWidget *cm_channel_sample_new         (CmChannel        channel);
CmChannel  cm_channel_sample_get_channel (CmChannelSample *self);
void       cm_channel_sample_set_channel (CmChannelSample *self,
                                          CmChannel        channel);

G_END_DECLS
