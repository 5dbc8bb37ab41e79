/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-application.h"
#include "cm-cli.h"
#include "cm-ui-util.h"
#include "cm-window.h"

struct _CmApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CmApplication, cm_application, ADW_TYPE_APPLICATION)

static CmWindow *
new_window (CmApplication *self)
{
  return cm_window_new (GTK_APPLICATION (self));
}

static void
cm_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (CM_APPLICATION (app)));
  gtk_window_present (window);
}

static CmWindow *
find_window_for (CmApplication *self,
                 GFile         *file)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GFile *shown;

      if (!CM_IS_WINDOW (l->data))
        continue;
      shown = cm_window_get_file (l->data);
      if (shown != NULL && g_file_equal (shown, file))
        return l->data;
    }
  return NULL;
}

static void
cm_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CmApplication *self = CM_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      CmWindow *window = find_window_for (self, files[i]);
      GtkWindow *active;

      if (window == NULL)
        {
          /* An empty window (the start page) takes the file; a window
           * showing a map keeps it, and the file gets a new window. */
          active = gtk_application_get_active_window (GTK_APPLICATION (self));
          if (CM_IS_WINDOW (active) && cm_window_is_empty (CM_WINDOW (active)))
            window = CM_WINDOW (active);
          else
            window = new_window (self);
          cm_window_open_file (window, files[i]);
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
new_window_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (CM_APPLICATION (user_data))));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Each window asks about its own unsaved changes; the application ends
   * when the last one has closed. */
  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "The Channel Map contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Channel Map"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Channel Map contributors"),
                        "developers", developers,
                        "comments", _("Map who talks to whom: actors, the direct, indirect and absent "
                                      "channels between them, and the quotes that report each one."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/channelmap/channel-map",
                        "issue-url", "https://github.com/channelmap/channel-map/issues",
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

/* "default" (follow the desktop), "light" or "dark"; -1 for anything else. */
static AdwColorScheme
color_scheme_from_string (const char *name)
{
  if (g_strcmp0 (name, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (name, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  if (g_strcmp0 (name, "default") != 0)
    return (AdwColorScheme) -1;

  /* libadwaita 1.3 and later read ADW_DEBUG_COLOR_SCHEME (default,
   * prefer-light, prefer-dark) in place of the desktop's style, to test a
   * style without changing it; 1.2 does not, so the app does (README,
   * "Build, run, test"). */
  if (adw_get_major_version () == 1 && adw_get_minor_version () < 3)
    {
      const char *debug = g_getenv ("ADW_DEBUG_COLOR_SCHEME");

      if (g_strcmp0 (debug, "prefer-dark") == 0)
        return ADW_COLOR_SCHEME_FORCE_DARK;
      if (g_strcmp0 (debug, "prefer-light") == 0)
        return ADW_COLOR_SCHEME_FORCE_LIGHT;
    }
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
color_scheme_change_state_cb (GSimpleAction *action,
                              GVariant      *value,
                              gpointer       user_data)
{
  const char *name = g_variant_get_string (value, NULL);
  AdwColorScheme scheme = color_scheme_from_string (name);
  GSettings *settings = cm_ui_get_settings ();

  if (scheme == (AdwColorScheme) -1)
    return;
  g_simple_action_set_state (action, value);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  if (settings_has_key (settings, "color-scheme"))
    g_settings_set_string (settings, "color-scheme", name);
}

static const GActionEntry app_actions[] = {
  { "color-scheme", NULL, "s", "'default'", color_scheme_change_state_cb, { 0 } },
  { "new-window", new_window_action_cb, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_action_cb, NULL, NULL, NULL, { 0 } },
};

static void
set_accels (GtkApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.export", { "<Control>e", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.fit", { "<Control>0", "<Control>KP_0", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "win.rearrange", { "<Control><Shift>r", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

static void
cm_application_startup (GApplication *app)
{
  GtkIconTheme *theme;

  G_APPLICATION_CLASS (cm_application_parent_class)->startup (app);

  g_set_application_name (_("Channel Map"));

  gtk_window_set_default_icon_name (APPLICATION_ID);

  /* Run from the build tree: the icons are not installed yet. */
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  if (theme != NULL && !gtk_icon_theme_has_icon (theme, APPLICATION_ID))
    {
      g_autofree char *icons = g_build_filename (SOURCE_EXAMPLES_DIR, "..", "icons", NULL);

      if (g_file_test (icons, G_FILE_TEST_IS_DIR))
        gtk_icon_theme_add_search_path (theme, icons);
    }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  set_accels (GTK_APPLICATION (app));

  /* The style chosen in the main menu, as it was last time. */
  {
    GSettings *settings = cm_ui_get_settings ();
    g_autofree char *scheme = NULL;
    GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "color-scheme");

    if (settings_has_key (settings, "color-scheme"))
      scheme = g_settings_get_string (settings, "color-scheme");
    if (scheme == NULL || color_scheme_from_string (scheme) == (AdwColorScheme) -1)
      {
        g_free (scheme);
        scheme = g_strdup ("default");
      }
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (scheme));
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        color_scheme_from_string (scheme));
  }
}

static void
cm_application_class_init (CmApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = cm_application_startup;
  app_class->activate = cm_application_activate;
  app_class->open = cm_application_open;
}

static void
cm_application_init (CmApplication *self)
{
  /* The command line: headless modes (--check, --export, --version) run
   * in handle-local-options, before GTK is initialised. */
  cm_cli_add_options (G_APPLICATION (self));
  g_signal_connect (self, "handle-local-options",
                    G_CALLBACK (cm_cli_handle_local_options), NULL);
}

CmApplication *
cm_application_new (void)
{
  return g_object_new (CM_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/channelmap/ChannelMap",
                       NULL);
}
