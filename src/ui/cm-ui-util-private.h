/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For tests only: what cm_show_uri() calls once it has allowed @uri
 * (gtk_show_uri() by default; NULL restores it). */
typedef void (*CmUriLauncher) (GtkWindow  *parent,
                               const char *uri);

void _cm_ui_set_uri_launcher (CmUriLauncher launcher);

G_END_DECLS
