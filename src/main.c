/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cm-application.h"

#ifdef CM_BUILD_ROOT
/* TRUE when this is the program in the build tree, not an installed one. */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = realpath (CM_BUILD_ROOT, NULL);

  return exe != NULL && root != NULL && g_str_has_prefix (exe, root) &&
         exe[strlen (root)] == G_DIR_SEPARATOR;
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CmApplication) app = NULL;
  const char *localedir = g_getenv ("CM_LOCALEDIR");

#ifdef CM_BUILD_ROOT
  /* Run from the build tree (./build/src/ui/channel-map), the program
   * uses the translations and the settings schema built beside it, as
   * `meson devenv` would set them: LANGUAGE=ru works, and the window's
   * size and the last folder are remembered. */
  if (running_from_build_tree ())
    {
      if (localedir == NULL || *localedir == '\0')
        localedir = CM_BUILD_ROOT G_DIR_SEPARATOR_S "po";
      if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL &&
          g_file_test (CM_BUILD_ROOT G_DIR_SEPARATOR_S "data" G_DIR_SEPARATOR_S "gschemas.compiled",
                       G_FILE_TEST_IS_REGULAR))
        g_setenv ("GSETTINGS_SCHEMA_DIR", CM_BUILD_ROOT G_DIR_SEPARATOR_S "data", FALSE);
    }
#endif

  /* CM_LOCALEDIR: translations of an uninstalled build (meson devenv). */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
