/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CM_TYPE_APPLICATION (cm_application_get_type ())
G_DECLARE_FINAL_TYPE (CmApplication, cm_application, CM, APPLICATION, AdwApplication)

/* The application: one instance per session (files opened from the
 * command line or the file manager go to the running one), a window per
 * map, the command line's headless modes before any of it starts. */
CmApplication *cm_application_new (void);

G_END_DECLS
