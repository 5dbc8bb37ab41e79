/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit codes of the command line (documented in the README and --help). */
typedef enum
{
  CM_EXIT_OK = 0,
  CM_EXIT_INVALID = 1,     /* a file could not be read or breaks the format */
  CM_EXIT_USAGE = 2,       /* bad options */
  CM_EXIT_EXPORT = 3,      /* the output could not be written */
} CmExitCode;

/* The command line, shared by the application (which adds the options and
 * connects the handler) and the tests.  Headless modes (--check, --export,
 * --version) run from GApplication::handle-local-options, before GTK is
 * initialised, so they work with no display at all.  Nothing here includes
 * GTK. */
void cm_cli_add_options          (GApplication *app);
int  cm_cli_handle_local_options (GApplication *app,
                                  GVariantDict *options,
                                  gpointer      user_data);

/* The headless modes themselves, callable without a GApplication. */
int  cm_cli_check                (const char * const *files,
                                  FILE               *out,
                                  FILE               *err);
int  cm_cli_export               (const char         *output,
                                  const char         *input,
                                  int                 width,
                                  int                 height,
                                  double              scale,
                                  gboolean            relayout,
                                  guint64             seed,
                                  FILE               *err);

G_END_DECLS
