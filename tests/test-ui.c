/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Widget tests of the desktop app, in process, under a real display
 * (xvfb-run).  Each test opens a window, drives it through its actions,
 * its view state and its dialogs, and checks what a person would see. */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "cm-canvas.h"
#include "cm-dataset-io.h"
#include "cm-document.h"
#include "cm-export-dialog.h"
#include "cm-quote-row.h"
#include "cm-render.h"
#include "cm-side-panel.h"
#include "cm-ui-util.h"
#include "cm-viewport.h"
#include "cm-window.h"

static gboolean have_display;

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { \
    if (!have_display) \
      { \
        g_test_skip ("no display (run under xvfb-run)"); \
        return; \
      } \
  } G_STMT_END

/* ---- helpers ---------------------------------------------------------- */

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition cond,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static GFile *
example_file (void)
{
  g_autofree char *path = g_build_filename (SOURCE_EXAMPLES_DIR, "moscow-washington-2022.json", NULL);

  return g_file_new_for_path (path);
}

static CmDocument *
load_document (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_dataset_load_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return cm_document_new (dataset, file);
}

static gboolean
canvas_has_size (gpointer data)
{
  CmWindow *window = data;
  GtkWidget *canvas = GTK_WIDGET (cm_window_get_canvas (window));

  return gtk_widget_get_mapped (canvas) && gtk_widget_get_width (canvas) > 100;
}

/* A window showing the bundled example, on screen, with its canvas sized. */
static CmWindow *
window_with_example (void)
{
  g_autoptr(GFile) file = example_file ();
  g_autoptr(CmDocument) document = load_document (file);
  CmWindow *window = cm_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  cm_window_set_document (window, document);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (canvas_has_size, window, 5000));
  iterate ();
  return window;
}

static void
destroy_window (CmWindow *window)
{
  g_autoptr(GtkWindow) ref = GTK_WINDOW (g_object_ref (window));

  gtk_window_destroy (ref);
  iterate ();
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *find_descendant (GtkWidget *widget,
                                   GType      type);

/* Enabled as a person sees it: the button bound to the action is
 * sensitive. */
static gboolean
action_button_sensitive (CmWindow   *window,
                         const char *action_name)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (window), action_name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
set_true_cb (gpointer  instance,
             gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
not_loading (gpointer data)
{
  return !cm_window_get_loading (CM_WINDOW (data));
}

static gboolean
not_exporting (gpointer data)
{
  return !cm_window_get_exporting (CM_WINDOW (data));
}

/* Where @actor is drawn on the canvas, in the canvas's coordinates. */
static void
actor_on_canvas (CmWindow *window,
                 CmActor  *actor,
                 double   *x,
                 double   *y)
{
  CmViewport *viewport = cm_window_get_viewport (window);
  GtkWidget *canvas = GTK_WIDGET (cm_window_get_canvas (window));
  double zoom = cm_viewport_get_zoom (viewport);

  *x = (cm_actor_get_x (actor) - cm_viewport_get_center_x (viewport)) * zoom
       + gtk_widget_get_width (canvas) / 2.0;
  *y = (cm_actor_get_y (actor) - cm_viewport_get_center_y (viewport)) * zoom
       + gtk_widget_get_height (canvas) / 2.0;
}

static void
canvas_options (CmWindow        *window,
                CmRenderOptions *options)
{
  GtkWidget *canvas = GTK_WIDGET (cm_window_get_canvas (window));

  cm_viewport_get_render_options (cm_window_get_viewport (window),
                                  gtk_widget_get_width (canvas),
                                  gtk_widget_get_height (canvas),
                                  options);
}

static gboolean
dialog_gone (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != data;
}

/* Answers the message dialog on screen as a person would, and waits
 * until it has gone. */
static void
close_message_dialog (const char *response)
{
  GtkWindow *dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  g_assert_nonnull (dialog);
  /* What a response button does: respond, then go away. */
  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  g_assert_true (wait_for (dialog_gone, dialog, 3000));
  g_object_unref (dialog);
  iterate ();
}

static char *
copy_example_to_tmp (const char *dir)
{
  g_autoptr(GFile) source = example_file ();
  g_autofree char *path = g_build_filename (dir, "map.json", NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_start_page_and_title (void)
{
  CmWindow *window;
  g_autoptr(GFile) file = example_file ();
  g_autoptr(CmDocument) document = NULL;
  const char *title;

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Channel Map");
  g_assert_true (cm_window_is_empty (window));

  /* Enter on the start page opens a dataset. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_true (GTK_IS_BUTTON (focus));
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "win.open");
    g_assert_true (gtk_widget_has_css_class (focus, "suggested-action"));
  }

  document = load_document (file);
  cm_window_set_document (window, document);
  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_true (g_str_has_suffix (title, " — Channel Map"));
  g_assert_true (g_str_has_prefix (title, "Moscow–Washington channels on Ukraine"));
  g_assert_false (cm_window_is_empty (window));

  /* A change marks the title. */
  cm_dataset_set_description (cm_document_get_dataset (document), "Changed");
  g_assert_true (cm_document_get_modified (document));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "• "));

  cm_document_set_modified (document, FALSE);
  destroy_window (window);
}

static void
test_actions_enabled (void)
{
  static const char * const map_actions[] = {
    "win.export", "win.fit", "win.zoom-in", "win.zoom-out", "win.rearrange",
    "win.show-direct", "win.show-indirect", "win.show-absent",
  };
  g_autoptr(GFile) file = example_file ();
  g_autoptr(CmDocument) document = NULL;
  CmWindow *window;

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  /* Every action the window offers exists. */
  {
    static const char * const all[] = {
      "win.open", "win.open-example", "win.open-recent", "win.save", "win.save-as",
      "win.export", "win.fit", "win.zoom-in", "win.zoom-out", "win.rearrange",
      "win.search", "win.show-direct", "win.show-indirect", "win.show-absent",
      "win.show-legend",
    };
    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      {
        gboolean found = FALSE;
        const char *name, *property;
        GType owner;
        const GVariantType *type;

        for (guint j = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (window), j,
                                                         &owner, &name, &type, &property); j++)
          if (g_str_equal (name, all[i]))
            found = TRUE;
        g_assert_true (found);
      }
  }

  /* Nothing open: only opening works. */
  g_assert_true (action_button_sensitive (window, "win.open"));
  g_assert_true (action_button_sensitive (window, "win.open-example"));
  for (guint i = 0; i < G_N_ELEMENTS (map_actions); i++)
    g_assert_false (action_button_sensitive (window, map_actions[i]));

  /* Activating a disabled action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  iterate ();
  g_assert_null (find_toplevel (CM_TYPE_EXPORT_DIALOG));

  document = load_document (file);
  cm_window_set_document (window, document);
  iterate ();
  for (guint i = 0; i < G_N_ELEMENTS (map_actions); i++)
    g_assert_true (action_button_sensitive (window, map_actions[i]));

  /* Export opens its dialog; Escape (window.close) closes it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  iterate ();
  {
    GtkWindow *dialog = find_toplevel (CM_TYPE_EXPORT_DIALOG);

    g_assert_nonnull (dialog);
    gtk_window_destroy (dialog);
    iterate ();
  }

  destroy_window (window);
}

static void
test_select_actor_fills_quotes (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmActor *ryabkov;
  CmActor *hit_actor = NULL;
  CmLink *hit_link = NULL;
  CmRenderOptions options;
  GListModel *quotes;
  g_autoptr(GListModel) expected = NULL;
  double x, y;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  dataset = cm_document_get_dataset (cm_window_get_document (window));
  ryabkov = cm_dataset_lookup_actor (dataset, "ryabkov");
  g_assert_nonnull (ryabkov);

  /* With nothing selected the panel shows no quotes. */
  g_assert_null (cm_side_panel_get_quotes (cm_window_get_side_panel (window)));

  /* What is under Ryabkov's position on the canvas is Ryabkov: the view
   * the canvas draws and the view the hit test uses agree. */
  actor_on_canvas (window, ryabkov, &x, &y);
  canvas_options (window, &options);
  g_assert_true (cm_render_hit_test (dataset, &options, x, y, &hit_actor, &hit_link));
  g_assert_true (hit_actor == ryabkov);

  cm_viewport_select_actor (cm_window_get_viewport (window), hit_actor);
  iterate ();

  quotes = cm_side_panel_get_quotes (cm_window_get_side_panel (window));
  expected = cm_dataset_get_quotes_of_actor (dataset, ryabkov);
  g_assert_nonnull (quotes);
  g_assert_cmpuint (g_list_model_get_n_items (quotes), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (quotes), ==, g_list_model_get_n_items (expected));
  for (guint i = 0; i < g_list_model_get_n_items (quotes); i++)
    {
      g_autoptr(CmQuote) a = g_list_model_get_item (quotes, i);
      g_autoptr(CmQuote) b = g_list_model_get_item (expected, i);

      g_assert_true (a == b);
    }

  /* A link: its own quotes. */
  {
    CmLink *link = cm_dataset_lookup_link (dataset, "ru-us-ukraine-formal");

    if (link == NULL)
      {
        guint n;
        CmLink **links = cm_dataset_peek_links (dataset, &n);
        link = links[0];
      }
    cm_viewport_select_link (cm_window_get_viewport (window), link);
    iterate ();
    quotes = cm_side_panel_get_quotes (cm_window_get_side_panel (window));
    g_assert_cmpuint (g_list_model_get_n_items (quotes), ==, cm_link_get_n_quotes (link));
  }

  /* Escape's action clears it. */
  gtk_widget_activate_action (GTK_WIDGET (cm_window_get_canvas (window)), "canvas.clear-selection", NULL);
  g_assert_null (cm_viewport_get_selected_actor (cm_window_get_viewport (window)));
  g_assert_null (cm_viewport_get_selected_link (cm_window_get_viewport (window)));

  destroy_window (window);
}

static void
test_keyboard_walk_and_search (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmCanvas *canvas;
  CmViewport *viewport;
  guint n_actors;
  CmActor **actors;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  dataset = cm_document_get_dataset (cm_window_get_document (window));
  canvas = cm_window_get_canvas (window);
  viewport = cm_window_get_viewport (window);
  actors = cm_dataset_peek_actors (dataset, &n_actors);

  g_assert_true (cm_canvas_select_next_actor (canvas, 1, FALSE));
  g_assert_true (cm_viewport_get_selected_actor (viewport) == actors[0]);
  g_assert_true (cm_canvas_select_next_actor (canvas, 1, FALSE));
  g_assert_true (cm_viewport_get_selected_actor (viewport) == actors[1]);
  g_assert_true (cm_canvas_select_next_actor (canvas, -1, FALSE));
  g_assert_true (cm_viewport_get_selected_actor (viewport) == actors[0]);
  /* At the start, Shift+Tab leaves the map. */
  g_assert_false (cm_canvas_select_next_actor (canvas, -1, FALSE));

  /* Search selects and centres the actor. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  iterate ();
  {
    CmActor *blinken = cm_dataset_lookup_actor (dataset, "blinken");
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (canvas));
    GtkWidget *focus = gtk_root_get_focus (root);

    /* The search entry has the focus: type into it. */
    while (focus != NULL && !GTK_IS_SEARCH_ENTRY (focus))
      focus = gtk_widget_get_parent (focus);
    g_assert_nonnull (focus);
    gtk_editable_set_text (GTK_EDITABLE (focus), "BLINK");
    wait_ms (300);   /* search-changed is delayed */
    g_assert_true (cm_viewport_get_selected_actor (viewport) == blinken);
    g_assert_cmpfloat_with_epsilon (cm_viewport_get_center_x (viewport), cm_actor_get_x (blinken), 0.001);
    g_assert_cmpfloat_with_epsilon (cm_viewport_get_center_y (viewport), cm_actor_get_y (blinken), 0.001);

    /* A name that starts with the text comes before one that only holds
     * it: "bli" is Blinken, then "AM Gorchakov Public Diplomacy …". */
    gtk_editable_set_text (GTK_EDITABLE (focus), "bli");
    wait_ms (300);
    g_assert_true (cm_viewport_get_selected_actor (viewport) == blinken);
    g_signal_emit_by_name (focus, "next-match");
    g_assert_true (cm_viewport_get_selected_actor (viewport) ==
                   cm_dataset_lookup_actor (dataset, "gorchakov-fund"));
    g_signal_emit_by_name (focus, "next-match");
    g_assert_true (cm_viewport_get_selected_actor (viewport) == blinken);
  }

  destroy_window (window);
}

static void
test_filters_hide_kinds (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmViewport *viewport;
  CmLink **links;
  guint n_links;
  gboolean checked = FALSE;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  dataset = cm_document_get_dataset (cm_window_get_document (window));
  viewport = cm_window_get_viewport (window);
  links = cm_dataset_peek_links (dataset, &n_links);

  /* Find a point on an absent channel by walking the straight line
   * between its ends; then hide absent channels and look again. */
  for (guint i = 0; i < n_links && !checked; i++)
    {
      CmActor *a, *b;
      double ax, ay, bx, by;

      if (cm_link_get_channel (links[i]) != CM_CHANNEL_ABSENT)
        continue;
      a = cm_dataset_lookup_actor (dataset, cm_link_get_source (links[i]));
      b = cm_dataset_lookup_actor (dataset, cm_link_get_target (links[i]));
      actor_on_canvas (window, a, &ax, &ay);
      actor_on_canvas (window, b, &bx, &by);

      /* Parallel channels are drawn as curves beside the straight line:
       * look around it too. */
      for (int k = 0; k < 40 * 61 && !checked; k++)
        {
          double t = 0.3 + 0.01 * (k / 61);
          double off = (k % 61) - 30;
          double len = hypot (bx - ax, by - ay);
          double x = ax + (bx - ax) * t - (by - ay) / len * off;
          double y = ay + (by - ay) * t + (bx - ax) / len * off;
          CmRenderOptions options;
          CmActor *actor = NULL;
          CmLink *link = NULL;

          canvas_options (window, &options);
          if (!cm_render_hit_test (dataset, &options, x, y, &actor, &link) || link != links[i])
            continue;

          /* The toggle in the legend is the window's action. */
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-absent", NULL));
          g_assert_false (cm_viewport_get_channel_visible (viewport, CM_CHANNEL_ABSENT));
          g_assert_true (cm_viewport_get_channel_visible (viewport, CM_CHANNEL_DIRECT));

          canvas_options (window, &options);
          actor = NULL;
          link = NULL;
          cm_render_hit_test (dataset, &options, x, y, &actor, &link);
          g_assert_true (link != links[i]);
          g_assert_true (link == NULL || cm_link_get_channel (link) != CM_CHANNEL_ABSENT);

          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-absent", NULL));
          g_assert_true (cm_viewport_get_channel_visible (viewport, CM_CHANNEL_ABSENT));
          checked = TRUE;
        }
    }
  g_assert_true (checked);

  destroy_window (window);
}

/* The legend has a toggle for each channel kind the map has, and only
 * those; it follows edits and other maps. */
static gboolean
toggle_shown (CmWindow   *window,
              const char *action_name)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (window), action_name);

  g_assert_nonnull (button);
  return gtk_widget_is_drawable (button);
}

static CmDocument *
document_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_dataset_load_from_data (json, strlen (json), NULL, &error);

  g_assert_no_error (error);
  return cm_document_new (dataset, NULL);
}

static gboolean
absent_toggle_shown (gpointer data)
{
  return toggle_shown (CM_WINDOW (data), "win.show-absent");
}

static void
test_legend_kinds_present (void)
{
  CmWindow *window;
  g_autoptr(CmDocument) direct_only = document_from_json (
    "{\"format\":\"channel-map\",\"version\":1,"
    "\"actors\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"}],"
    "\"links\":[{\"source\":\"a\",\"target\":\"b\",\"channel\":\"direct\"}]}");
  g_autoptr(CmDocument) no_links = document_from_json (
    "{\"format\":\"channel-map\",\"version\":1,"
    "\"actors\":[{\"id\":\"a\",\"name\":\"A\"}],\"links\":[]}");
  CmLink *link;
  GtkWidget *legend;

  SKIP_WITHOUT_DISPLAY ();

  /* The example has all three. */
  window = window_with_example ();
  g_assert_true (toggle_shown (window, "win.show-direct"));
  g_assert_true (toggle_shown (window, "win.show-indirect"));
  g_assert_true (toggle_shown (window, "win.show-absent"));

  /* Absent channels filtered out, then a map with direct links only:
   * no Indirect or Absent toggle. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-absent", NULL));
  g_assert_false (cm_viewport_get_channel_visible (cm_window_get_viewport (window), CM_CHANNEL_ABSENT));
  cm_window_set_document (window, direct_only);
  iterate ();
  g_assert_true (toggle_shown (window, "win.show-direct"));
  g_assert_false (toggle_shown (window, "win.show-indirect"));
  g_assert_false (toggle_shown (window, "win.show-absent"));

  /* The only link becomes absent: its toggle comes back, still off, so
   * the filtered-out kind can be shown again; Direct goes. */
  link = cm_dataset_peek_links (cm_document_get_dataset (direct_only), NULL)[0];
  cm_link_set_channel (link, CM_CHANNEL_ABSENT);
  g_assert_true (wait_for (absent_toggle_shown, window, 2000));
  g_assert_false (toggle_shown (window, "win.show-direct"));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_actionable (GTK_WIDGET (window),
                                                                                    "win.show-absent"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-absent", NULL));
  g_assert_true (cm_viewport_get_channel_visible (cm_window_get_viewport (window), CM_CHANNEL_ABSENT));

  /* A map without channels has no legend; Show Legend is still on. */
  legend = gtk_widget_get_parent (find_actionable (GTK_WIDGET (window), "win.show-direct"));
  cm_window_set_document (window, no_links);
  iterate ();
  g_assert_false (gtk_widget_get_visible (legend));
  {
    gboolean show = FALSE;

    g_object_get (window, "show-legend", &show, NULL);
    g_assert_true (show);
  }

  destroy_window (window);
}

static gboolean
is_png (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  return length > 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static void
test_export_png (void)
{
  CmWindow *window;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) file2 = NULL;
  g_autoptr(GError) error = NULL;
  CmExportOptions options;
  CmExportDialog *dialog;

  SKIP_WITHOUT_DISPLAY ();

  dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_assert_no_error (error);
  window = window_with_example ();

  /* What the dialog does once it has a file name. */
  path = g_build_filename (dir, "whole.png", NULL);
  file = g_file_new_for_path (path);
  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_PNG;
  options.show_title = options.show_legend = options.show_sources = TRUE;
  g_assert_true (cm_window_export_to_file (window, file, &options, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (is_png (path));

  /* Through the dialog: the file chooser's answer is the "export" signal.
   * A name without extension gets the format's. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  iterate ();
  dialog = CM_EXPORT_DIALOG (find_toplevel (CM_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  cm_export_dialog_set_format (dialog, CM_EXPORT_FORMAT_PNG);
  path2 = g_build_filename (dir, "view", NULL);
  file2 = g_file_new_for_path (path2);
  g_signal_emit_by_name (dialog, "export", file2);
  /* Written in a worker thread: the dialog waits, busy, the window stays
   * live; it closes when the file is there. */
  g_assert_true (cm_window_get_exporting (window));
  g_assert_true (cm_export_dialog_get_busy (dialog));
  g_assert_true (wait_for (not_exporting, window, 10000));
  iterate ();
  {
    g_autofree char *with_ext = g_strconcat (path2, ".png", NULL);

    g_assert_true (is_png (with_ext));
    g_assert_null (find_toplevel (CM_TYPE_EXPORT_DIALOG));   /* closed on success */
    g_unlink (with_ext);
  }

  /* A failure: a clear message, no file. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing-folder", "x.png", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

    g_assert_false (cm_window_export_to_file (window, bad_file, &options, FALSE, &error));
    g_assert_nonnull (error);
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }

  /* Through the dialog, a failure: the message on top of the dialog,
   * which stays open (and usable) to choose another place. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing-folder", "x.png", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
    iterate ();
    dialog = CM_EXPORT_DIALOG (find_toplevel (CM_TYPE_EXPORT_DIALOG));
    g_assert_nonnull (dialog);
    g_signal_emit_by_name (dialog, "export", bad_file);
    g_assert_true (wait_for (not_exporting, window, 10000));
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    g_assert_true (gtk_window_get_transient_for (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) ==
                   GTK_WINDOW (dialog));
    close_message_dialog ("close");
    g_assert_false (cm_export_dialog_get_busy (dialog));
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

    /* Closing the dialog while it exports stops the export: either the
     * whole file or none, never a part of one. */
    {
      g_autofree char *big = g_build_filename (dir, "big.png", NULL);
      g_autoptr(GFile) big_file = g_file_new_for_path (big);
      g_autoptr(GDir) listing = NULL;
      const char *entry;

      g_signal_emit_by_name (dialog, "export", big_file);
      g_assert_true (cm_window_get_exporting (window));
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_assert_true (wait_for (not_exporting, window, 10000));
      if (g_file_test (big, G_FILE_TEST_EXISTS))
        {
          g_assert_true (is_png (big));
          g_unlink (big);
        }
      listing = g_dir_open (dir, 0, NULL);
      while ((entry = g_dir_read_name (listing)) != NULL)
        g_assert_cmpstr (entry, ==, "whole.png");
    }
  }

  g_unlink (path);
  g_rmdir (dir);
  destroy_window (window);
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_titled (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_switch (GtkWidget  *root,
            const char *title,
            gboolean    active)
{
  GtkWidget *row = find_row_titled (root, title);

  g_assert_nonnull (row);
  gtk_switch_set_active (GTK_SWITCH (find_descendant (row, GTK_TYPE_SWITCH)), active);
}

/* The export dialog says the size of the image as the options change,
 * and refuses a width too small to read instead of raising it. */
static void
test_export_dialog_size (void)
{
  CmWindow *window;
  GtkWidget *dialog, *size, *resolution, *width_row, *area, *export_button;
  GtkSpinButton *spin;
  CmExportOptions options;
  GtkWidget *canvas;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  canvas = GTK_WIDGET (cm_window_get_canvas (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  iterate ();
  dialog = GTK_WIDGET (find_toplevel (CM_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  size = find_row_titled (dialog, "Image Size");
  resolution = find_row_titled (dialog, "_Resolution");
  width_row = find_row_titled (dialog, "_Width");
  area = find_row_titled (dialog, "_Area");
  g_assert_nonnull (size);
  g_assert_nonnull (resolution);
  g_assert_nonnull (width_row);
  g_assert_nonnull (area);
  spin = GTK_SPIN_BUTTON (find_descendant (width_row, GTK_TYPE_SPIN_BUTTON));
  export_button = find_button_labelled (dialog, "_Export…");
  g_assert_nonnull (export_button);

  /* The whole map at its own size: the size the exporter will write. */
  {
    g_autofree char *expected = NULL;
    int w, h;

    cm_export_dialog_get_options (CM_EXPORT_DIALOG (dialog), &options);
    g_assert_true (cm_export_get_size (cm_document_get_dataset (cm_window_get_document (window)),
                                       &options, &w, &h, NULL));
    expected = g_strdup_printf ("%d × %d px", w, h);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size)), ==, expected);
  }

  /* A width: said, and kept as typed even when too small, with why. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (resolution), 3);
  g_assert_true (gtk_widget_get_visible (width_row));
  gtk_spin_button_set_value (spin, 1070);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (size)), "1070 × "));
  cm_export_dialog_get_options (CM_EXPORT_DIALOG (dialog), &options);
  g_assert_cmpint (options.width, ==, 1070);

  gtk_spin_button_set_value (spin, 10);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 10);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (width_row)), "At least 320 px"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  g_assert_false (gtk_widget_get_visible (size));
  /* Export is refused: no file chooser opens. */
  g_assert_false (gtk_widget_get_sensitive (export_button));
  cm_export_dialog_choose_file (CM_EXPORT_DIALOG (dialog));
  iterate ();
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  gtk_spin_button_set_value (spin, 20000);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (width_row)), "At most 16384 px"));
  gtk_spin_button_set_value (spin, 800);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (width_row)), ==, "");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  g_assert_true (gtk_widget_get_visible (size));
  g_assert_true (gtk_widget_get_sensitive (export_button));

  /* The current view, without title and sources: the view's size, and
   * twice it at 2×. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (area), 1);
  set_switch (dialog, "_Title", FALSE);
  set_switch (dialog, "_Sources", FALSE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (resolution), 1);
  {
    g_autofree char *expected = g_strdup_printf ("%d × %d px", 2 * gtk_widget_get_width (canvas),
                                                 2 * gtk_widget_get_height (canvas));

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size)), ==, expected);
  }
  set_switch (dialog, "_Title", TRUE);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size)), "and the title and sources"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  destroy_window (window);
}

static void
test_unsaved_changes (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmActor *actor;
  CmDocument *document;
  gboolean destroyed = FALSE;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  g_signal_connect (window, "destroy", G_CALLBACK (set_true_cb), &destroyed);
  document = cm_window_get_document (window);
  dataset = cm_document_get_dataset (document);
  actor = cm_dataset_lookup_actor (dataset, "tass");

  g_assert_false (cm_document_get_modified (document));
  cm_actor_set_position (actor, cm_actor_get_x (actor) + 40, cm_actor_get_y (actor));
  g_assert_true (cm_document_get_modified (document));

  /* Closing asks; Cancel keeps the window and the change. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  close_message_dialog ("cancel");
  g_assert_false (destroyed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (cm_document_get_modified (document));

  /* Opening another file asks too. */
  {
    g_autoptr(GFile) file = example_file ();

    cm_window_open_file (window, file);
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    close_message_dialog ("cancel");
    g_assert_false (cm_window_get_loading (window));
    g_assert_true (cm_window_get_document (window) == document);
  }

  /* Discard closes. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  close_message_dialog ("discard");
  iterate ();
  g_assert_true (destroyed);
}

static void
test_save_and_changed_on_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = copy_example_to_tmp (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmDocument) document = load_document (file);
  CmWindow *window;
  CmActor *actor;

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  cm_window_set_document (window, document);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  actor = cm_dataset_lookup_actor (cm_document_get_dataset (document), "ukraine");
  cm_actor_set_position (actor, 12.5, -7.25);
  g_assert_true (cm_document_get_modified (document));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  iterate ();
  g_assert_false (cm_document_get_modified (document));
  {
    g_autoptr(CmDataset) again = cm_dataset_load_from_file (file, NULL, NULL, &error);
    CmActor *saved;

    g_assert_no_error (error);
    saved = cm_dataset_lookup_actor (again, "ukraine");
    g_assert_cmpfloat (cm_actor_get_x (saved), ==, 12.5);
    g_assert_cmpfloat (cm_actor_get_y (saved), ==, -7.25);
  }

  /* Another program changes the file: saving asks before overwriting. */
  {
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GFileInfo) info = g_file_info_new ();
    guint64 later = (guint64) (g_get_real_time () / G_USEC_PER_SEC) + 5;

    /* Same bytes, another modification time: still a change on disk. */
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
    g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, later);
    g_assert_true (g_file_set_attributes_from_info (file, info, G_FILE_QUERY_INFO_NONE, NULL, NULL));
  }
  g_assert_true (cm_document_changed_on_disk (document));
  cm_actor_set_position (actor, 1, 2);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  close_message_dialog ("cancel");
  g_assert_true (cm_document_get_modified (document));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  close_message_dialog ("overwrite");
  g_assert_false (cm_document_get_modified (document));
  g_assert_false (cm_document_changed_on_disk (document));

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
revealer_revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (data));
}

static gboolean
revealer_hidden (gpointer data)
{
  return !gtk_revealer_get_reveal_child (GTK_REVEALER (data));
}

static gboolean
document_title_is (gpointer data)
{
  CmWindow *window = data;
  CmDocument *document = cm_window_get_document (window);

  return !cm_window_get_loading (window) && document != NULL &&
         g_strcmp0 (cm_dataset_get_title (cm_document_get_dataset (document)),
                    g_object_get_data (G_OBJECT (window), "expected-title")) == 0;
}

/* Writes the file as another program would: the example with another
 * title. */
static void
write_with_title (const char *path,
                  const char *title)
{
  g_autofree char *contents = NULL;
  g_autofree char *quoted = g_strdup_printf ("\"title\": \"%s\"", title);
  g_autoptr(GRegex) regex = g_regex_new ("\"title\": \"[^\"]*\"", 0, 0, NULL);
  g_autofree char *changed = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  changed = g_regex_replace_literal (regex, contents, -1, 0, quoted, G_REGEX_MATCH_DEFAULT, NULL);
  g_assert_true (g_file_set_contents (path, changed, -1, NULL));
}

/* A file another program changes while it is open: a strip says so at
 * once, with Reload; our own saves do not bring it. */
static void
test_changed_on_disk_banner (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = copy_example_to_tmp (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmDocument) document = load_document (file);
  CmWindow *window;
  GtkWidget *banner;
  CmActor *actor;

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  cm_window_set_document (window, document);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (canvas_has_size, window, 5000));
  banner = gtk_widget_get_ancestor (find_actionable (GTK_WIDGET (window), "win.reload"), GTK_TYPE_REVEALER);
  g_assert_nonnull (banner);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Our own save: no strip. */
  actor = cm_dataset_lookup_actor (cm_document_get_dataset (document), "ukraine");
  cm_actor_set_position (actor, 3, 4);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_false (cm_document_get_modified (document));
  wait_ms (1500);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));

  /* Another program writes it: the strip, with Reload. */
  write_with_title (path, "Changed elsewhere");
  g_assert_true (wait_for (revealer_revealed, banner, 5000));
  g_assert_true (gtk_widget_is_sensitive (find_actionable (GTK_WIDGET (window), "win.reload")));
  {
    GtkWidget *label = find_descendant (banner, GTK_TYPE_LABEL);

    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "map.json"));
  }

  /* Reload, with nothing unsaved: the map as the file is now. */
  g_object_set_data (G_OBJECT (window), "expected-title", (gpointer) "Changed elsewhere");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  g_assert_true (wait_for (document_title_is, window, 5000));
  g_assert_true (cm_window_get_document (window) != document);
  g_assert_true (wait_for (revealer_hidden, banner, 2000));

  /* Changed on disk while there are unsaved changes: Reload asks first;
   * Cancel keeps the map and its changes, Discard reloads. */
  {
    CmDocument *edited = cm_window_get_document (window);

    cm_actor_set_position (cm_dataset_lookup_actor (cm_document_get_dataset (edited), "ukraine"), 5, 6);
    g_assert_true (cm_document_get_modified (edited));
    write_with_title (path, "Changed again");
    g_assert_true (wait_for (revealer_revealed, banner, 5000));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    close_message_dialog ("cancel");
    iterate ();
    g_assert_true (cm_window_get_document (window) == edited);
    g_assert_true (cm_document_get_modified (edited));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    close_message_dialog ("discard");
    g_object_set_data (G_OBJECT (window), "expected-title", (gpointer) "Changed again");
    g_assert_true (wait_for (document_title_is, window, 5000));
    g_assert_false (cm_document_get_modified (cm_window_get_document (window)));
  }

  /* Removed: the strip says so, without Reload. */
  g_assert_true (g_unlink (path) == 0);
  g_assert_true (wait_for (revealer_revealed, banner, 5000));
  g_assert_false (gtk_widget_get_visible (find_actionable (GTK_WIDGET (window), "win.reload")));

  destroy_window (window);
  g_rmdir (dir);
}

static void
test_load_error_keeps_map (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmWindow *window;
  CmDocument *before;
  GtkWindow *dialog;
  const char *bad =
    "{ \"format\": \"channel-map\", \"version\": 1,\n"
    "  \"actors\": [ { \"id\": \"a\", \"name\": \"A\" }, { \"id\": \"a\", \"name\": \"B\" } ],\n"
    "  \"links\": [ { \"source\": \"a\", \"target\": \"usaa\", \"channel\": \"sometimes\" } ] }\n";

  SKIP_WITHOUT_DISPLAY ();

  g_assert_true (g_file_set_contents (path, bad, -1, NULL));
  window = window_with_example ();
  before = cm_window_get_document (window);

  cm_window_open_file (window, file);
  g_assert_true (cm_window_get_loading (window));
  g_assert_true (wait_for (not_loading, window, 5000));
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));

  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "broken.json"));
  g_assert_true (cm_window_get_document (window) == before);
  close_message_dialog ("close");

  /* A good file replaces the map. */
  {
    g_autoptr(GFile) good = example_file ();

    cm_window_open_file (window, good);
    g_assert_true (wait_for (not_loading, window, 5000));
    g_assert_nonnull (cm_window_get_document (window));
    g_assert_true (cm_window_get_document (window) != before);
  }
  destroy_window (window);

  /* An empty window shows the empty map while it loads, not the start
   * page, and the start page again when the file fails. */
  {
    GtkWidget *start_page;
    GtkStack *stack;

    window = cm_window_new (NULL);
    gtk_window_present (GTK_WINDOW (window));
    iterate ();
    start_page = find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
    g_assert_nonnull (start_page);
    stack = GTK_STACK (gtk_widget_get_ancestor (start_page, GTK_TYPE_STACK));
    g_assert_true (gtk_stack_get_visible_child (stack) == start_page);

    cm_window_open_file (window, file);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "map");
    g_assert_true (wait_for (not_loading, window, 5000));
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    close_message_dialog ("close");
    g_assert_true (cm_window_is_empty (window));
    g_assert_true (gtk_stack_get_visible_child (stack) == start_page);
    destroy_window (window);
  }

  /* 300 links to no actor: the dialog lists 100 and "… and 200 more
   * problems", and counts 300, not the 101 lines. */
  {
    g_autoptr(GString) json = g_string_new ("{ \"format\": \"channel-map\", \"version\": 1,\n"
                                            "  \"actors\": [ { \"id\": \"a\", \"name\": \"A\" } ],\n"
                                            "  \"links\": [");
    g_autofree char *body = NULL;

    for (guint i = 0; i < 300; i++)
      g_string_append_printf (json, "%s\n{ \"source\": \"a\", \"target\": \"t%u\", \"channel\": \"direct\" }",
                              i > 0 ? "," : "", i);
    g_string_append (json, "] }\n");
    g_assert_true (g_file_set_contents (path, json->str, -1, NULL));

    window = window_with_example ();
    cm_window_open_file (window, file);
    g_assert_true (wait_for (not_loading, window, 5000));
    g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
    dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
    g_assert_nonnull (strstr (body, "300 problems"));
    close_message_dialog ("close");
    destroy_window (window);
  }

  g_unlink (path);
  g_rmdir (dir);
}

/* Escape as the window's shortcut controller runs it when the widget in
 * focus did not take the key: what a key press in the side panel reaches. */
static gboolean
press_escape_in_window (CmWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 GTK_WIDGET (window),
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static GtkWidget *
find_focusable_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)) &&
      gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focusable_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Escape clears the selection with the focus anywhere in the window, not
 * only on the map; it closes the search bar first. */
static void
test_escape_clears_selection (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmViewport *viewport;
  GtkWidget *panel, *label;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  dataset = cm_document_get_dataset (cm_window_get_document (window));
  viewport = cm_window_get_viewport (window);
  panel = GTK_WIDGET (cm_window_get_side_panel (window));

  /* Nothing selected: Escape is left to others. */
  g_assert_false (press_escape_in_window (window));

  /* An actor selected, then the focus in the side panel's quote text. */
  cm_viewport_select_actor (viewport, cm_dataset_lookup_actor (dataset, "ryabkov"));
  wait_ms (100);
  label = find_focusable_label (panel);
  g_assert_nonnull (label);
  gtk_widget_grab_focus (label);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), panel));

  g_assert_true (press_escape_in_window (window));
  g_assert_null (cm_viewport_get_selected_actor (viewport));
  g_assert_null (cm_viewport_get_selected_link (viewport));
  /* The focus is on the map, not lost with the emptied panel. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (cm_window_get_canvas (window)));

  /* A channel selected and the search bar open: Escape closes the search
   * first, then clears the selection. */
  cm_viewport_select_link (viewport, cm_dataset_peek_links (dataset, NULL)[0]);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  iterate ();
  {
    GtkSearchBar *bar = GTK_SEARCH_BAR (find_descendant (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR));

    g_assert_true (gtk_search_bar_get_search_mode (bar));
    g_assert_true (press_escape_in_window (window));
    g_assert_false (gtk_search_bar_get_search_mode (bar));
    g_assert_nonnull (cm_viewport_get_selected_link (viewport));
    g_assert_true (press_escape_in_window (window));
    g_assert_null (cm_viewport_get_selected_link (viewport));
  }

  destroy_window (window);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static gboolean
has_document (gpointer data)
{
  return cm_window_get_document (CM_WINDOW (data)) != NULL && !cm_window_get_loading (CM_WINDOW (data));
}

/* Dropping files on the window opens the first one in it (the others go
 * to the application, each in a window of its own). */
static void
test_drop_opens_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = copy_example_to_tmp (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkDropTarget *target;
  CmWindow *window;
  GValue value = G_VALUE_INIT;
  GSList *files = NULL;
  gboolean accepted = FALSE;

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  target = find_drop_target (GTK_WIDGET (window));
  g_assert_nonnull (target);
  g_assert_true (gtk_drop_target_get_actions (target) & GDK_ACTION_COPY);

  files = g_slist_append (files, file);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 100.0, 100.0, &accepted);
  g_value_unset (&value);
  g_slist_free (files);

  g_assert_true (accepted);
  g_assert_true (wait_for (has_document, window, 5000));
  g_assert_true (g_file_equal (cm_window_get_file (window), file));
  g_assert_false (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* A save that fails says so and leaves the document modified: nothing
 * is lost silently. */
static void
test_failed_save_stays_modified (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (dir, "folder", NULL);
  g_autofree char *path = g_build_filename (folder, "map.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) example = example_file ();
  g_autoptr(CmDocument) document = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  CmWindow *window;
  GtkWindow *dialog;

  SKIP_WITHOUT_DISPLAY ();

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (g_file_load_contents (example, NULL, &contents, &length, NULL, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  document = load_document (file);
  window = cm_window_new (NULL);
  cm_window_set_document (window, document);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  cm_actor_set_position (cm_dataset_lookup_actor (cm_document_get_dataset (document), "tass"), 1, 2);
  g_assert_true (cm_document_get_modified (document));

  /* The folder becomes a file: nothing can be written there (even by root). */
  g_unlink (path);
  g_rmdir (folder);
  g_assert_true (g_file_set_contents (folder, "in the way", -1, NULL));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  /* The file is gone: first the changed-on-disk question. */
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  close_message_dialog ("overwrite");
  g_assert_true (wait_for (message_dialog_shown, NULL, 2000));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "map.json"));
  close_message_dialog ("close");
  g_assert_true (cm_document_get_modified (document));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "• "));

  cm_document_set_modified (document, FALSE);
  destroy_window (window);
  g_unlink (folder);
  g_rmdir (dir);
}

static void
test_quote_row_links (void)
{
  struct {
    const char *url;
    gboolean    shown;
  } cases[] = {
    { "https://tass.com/politics/1542105", TRUE },
    { "http://example.org/a?b=c", TRUE },
    { "javascript:alert(1)", FALSE },
    { "file:///etc/passwd", FALSE },
    { "https://user:secret@example.org/", FALSE },
    { "https:///no-host", FALSE },
    { "ftp://example.org/x", FALSE },
    { "not a url", FALSE },
  };
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  GtkWidget *row;

  SKIP_WITHOUT_DISPLAY ();

  row = g_object_ref_sink (cm_quote_row_new ());
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmQuote) quote = cm_quote_new ("<b>not bold</b>");

      cm_quote_set_url (quote, cases[i].url);
      cm_quote_row_set_quote (CM_QUOTE_ROW (row), quote, dataset);
      g_assert_cmpint (cm_uri_is_openable (cases[i].url), ==, cases[i].shown);
      if (cases[i].shown)
        g_assert_cmpstr (cm_quote_row_get_uri (CM_QUOTE_ROW (row)), ==, cases[i].url);
      else
        g_assert_null (cm_quote_row_get_uri (CM_QUOTE_ROW (row)));
    }
  g_object_unref (row);
}

static void
test_settings_remembered (void)
{
  GSettings *settings = cm_ui_get_settings ();
  CmWindow *window;
  g_auto(GStrv) kinds = NULL;

  SKIP_WITHOUT_DISPLAY ();
  if (settings == NULL)
    {
      g_test_skip ("schema io.github.channelmap.ChannelMap not found (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  /* The channel filter follows the legend's toggles, in every window. */
  window = window_with_example ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-indirect", NULL));
  kinds = g_settings_get_strv (settings, "channel-filter");
  g_assert_false (g_strv_contains ((const char * const *) kinds, "indirect"));
  g_assert_true (g_strv_contains ((const char * const *) kinds, "direct"));

  /* Size and side panel: written when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  iterate ();
  gtk_window_close (GTK_WINDOW (window));
  iterate ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "sidebar-width"), >=, 200);

  window = cm_window_new (NULL);
  g_assert_false (cm_viewport_get_channel_visible (cm_window_get_viewport (window), CM_CHANNEL_INDIRECT));
  g_assert_true (cm_viewport_get_channel_visible (cm_window_get_viewport (window), CM_CHANNEL_ABSENT));
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 1000);
    g_assert_cmpint (height, ==, 700);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-indirect", NULL));
  destroy_window (window);
  g_settings_reset (settings, "channel-filter");
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
widget_has_width (gpointer data)
{
  WidthWait *wait = data;

  return gtk_widget_get_width (wait->widget) == wait->width;
}

static gboolean
bounds_of (GtkWidget       *widget,
           GtkWidget       *root,
           graphene_rect_t *rect)
{
  return gtk_widget_is_drawable (widget) && gtk_widget_compute_bounds (widget, root, rect);
}

/* Resizes @window (GTK keeps it at its smallest size when asked for
 * less) and lets it lay out. */
static void
resize_and_settle (CmWindow *window,
                   int       width,
                   int       height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_ms (400);
  iterate ();
}

/* At the smallest size the legend drops its names and the zoom buttons
 * stay clear of it; the side panel gives the map room, and gets its
 * width back when the window grows again (also the one remembered). */
static void
test_small_window (void)
{
  GSettings *settings = cm_ui_get_settings ();
  CmWindow *window;
  GtkWidget *panel, *legend, *zoom, *label;
  graphene_rect_t legend_rect, zoom_rect;
  int panel_width, small_panel_width;

  SKIP_WITHOUT_DISPLAY ();

  window = window_with_example ();
  panel = GTK_WIDGET (cm_window_get_side_panel (window));
  legend = gtk_widget_get_parent (find_actionable (GTK_WIDGET (window), "win.show-direct"));
  zoom = gtk_widget_get_parent (find_actionable (GTK_WIDGET (window), "win.zoom-in"));
  label = find_descendant (find_actionable (GTK_WIDGET (window), "win.show-direct"), GTK_TYPE_LABEL);
  g_assert_nonnull (label);

  panel_width = gtk_widget_get_width (panel);
  g_assert_cmpint (panel_width, >=, 300);
  g_assert_true (gtk_widget_get_visible (label));

  resize_and_settle (window, 300, 300);   /* as small as it goes */
  small_panel_width = gtk_widget_get_width (panel);
  g_assert_cmpint (small_panel_width, <, panel_width);
  /* The map has more of the window than the panel. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (cm_window_get_canvas (window))), >, small_panel_width);
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_true (bounds_of (legend, GTK_WIDGET (window), &legend_rect));
  g_assert_true (bounds_of (zoom, GTK_WIDGET (window), &zoom_rect));
  g_assert_false (graphene_rect_intersection (&legend_rect, &zoom_rect, NULL));
  /* The legend is whole, inside the map. */
  {
    graphene_rect_t map_rect;

    g_assert_true (bounds_of (GTK_WIDGET (cm_window_get_canvas (window)), GTK_WIDGET (window), &map_rect));
    g_assert_true (graphene_rect_contains_rect (&map_rect, &legend_rect));
    g_assert_true (graphene_rect_contains_rect (&map_rect, &zoom_rect));
  }

  /* Larger again: the panel's width as it was, the legend's names back. */
  resize_and_settle (window, 1100, 720);
  {
    WidthWait wait = { panel, panel_width };

    g_assert_true (wait_for (widget_has_width, &wait, 2000));
  }
  g_assert_true (gtk_widget_get_visible (label));

  /* What is remembered is that width, not the squeezed one. */
  if (settings != NULL)
    {
      resize_and_settle (window, 300, 300);
      gtk_window_close (GTK_WINDOW (window));
      iterate ();
      g_assert_cmpint (g_settings_get_int (settings, "sidebar-width"), ==, panel_width);
      g_settings_reset (settings, "window-width");
      g_settings_reset (settings, "window-height");
    }
  else
    destroy_window (window);
}

static GtkWidget *
find_by_css_name (GtkWidget  *widget,
                  const char *name)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_css_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A toast is shown above the map's legend and zoom buttons, not over
 * them, on a wide window and on the smallest; the import toast's advice
 * is shown whole. */
static void
test_toasts_clear_of_controls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = copy_example_to_tmp (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmDocument) document = load_document (file);
  CmWindow *window;
  GtkWidget *zoom, *legend;
  const int sizes[][2] = { { 1100, 720 }, { 300, 300 } };

  SKIP_WITHOUT_DISPLAY ();

  window = cm_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  cm_window_set_document (window, document);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (canvas_has_size, window, 5000));
  zoom = gtk_widget_get_parent (find_actionable (GTK_WIDGET (window), "win.zoom-in"));
  legend = gtk_widget_get_parent (find_actionable (GTK_WIDGET (window), "win.show-direct"));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *toast;
      graphene_rect_t toast_rect, zoom_rect, legend_rect;

      resize_and_settle (window, sizes[i][0], sizes[i][1]);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
      wait_ms (700);   /* the toast's animation */
      toast = find_by_css_name (GTK_WIDGET (window), "toast");
      g_assert_nonnull (toast);
      g_assert_true (bounds_of (toast, GTK_WIDGET (window), &toast_rect));
      g_assert_true (bounds_of (zoom, GTK_WIDGET (window), &zoom_rect));
      g_assert_true (bounds_of (legend, GTK_WIDGET (window), &legend_rect));
      g_assert_false (graphene_rect_intersection (&toast_rect, &zoom_rect, NULL));
      g_assert_false (graphene_rect_intersection (&toast_rect, &legend_rect, NULL));
      /* The next one replaces it at once. */
      gtk_widget_activate_action (toast, "toast.dismiss", NULL);
    }
  destroy_window (window);
  g_unlink (path);

  /* An import: the advice, on a line of its own, is not cut. */
  {
    g_autofree char *graphml = g_build_filename (dir, "net.graphml", NULL);
    g_autoptr(GFile) import = g_file_new_for_path (graphml);
    GtkWidget *toast;
    GtkWidget *label;
    PangoLayout *layout;

    g_assert_true (g_file_set_contents (graphml,
                                        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
                                        "<graph edgedefault=\"undirected\"><node id=\"a\"/><node id=\"b\"/>"
                                        "<edge source=\"a\" target=\"b\"/></graph></graphml>", -1, NULL));
    window = cm_window_new (NULL);
    gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
    gtk_window_present (GTK_WINDOW (window));
    cm_window_open_file (window, import);
    g_assert_true (wait_for (not_loading, window, 5000));
    wait_ms (700);
    toast = find_by_css_name (GTK_WIDGET (window), "toast");
    g_assert_nonnull (toast);
    label = find_descendant (toast, GTK_TYPE_LABEL);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "net.graphml"));
    g_assert_nonnull (strchr (gtk_label_get_text (GTK_LABEL (label)), '\n'));
    layout = gtk_label_get_layout (GTK_LABEL (label));
    g_assert_false (pango_layout_is_ellipsized (layout));
    destroy_window (window);
    g_unlink (graphml);
  }
  g_rmdir (dir);
}

static void
test_import_needs_save_as (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "net.graphml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmWindow *window;
  CmDocument *document;
  const char *graphml =
    "<?xml version=\"1.0\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
    " <graph edgedefault=\"undirected\">\n"
    "  <node id=\"a\"/><node id=\"b\"/><edge source=\"a\" target=\"b\"/>\n"
    " </graph>\n"
    "</graphml>\n";

  SKIP_WITHOUT_DISPLAY ();

  g_assert_true (g_file_set_contents (path, graphml, -1, NULL));
  window = cm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  cm_window_open_file (window, file);
  g_assert_true (wait_for (not_loading, window, 5000));
  document = cm_window_get_document (window);
  g_assert_nonnull (document);
  g_assert_cmpint (cm_document_get_format (document), ==, CM_FILE_FORMAT_GRAPHML);
  g_assert_true (cm_document_needs_save_as (document));
  g_assert_cmpuint (cm_dataset_get_n_actors (cm_document_get_dataset (document)), ==, 2);

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_viewport_zoom_about_point (void)
{
  g_autoptr(CmViewport) viewport = cm_viewport_new ();
  double before_x, before_y, after_x, after_y;

  /* No display needed: the view state is plain GObject. */
  cm_viewport_set_center (viewport, 100, -50);
  cm_viewport_set_zoom (viewport, 2);
  cm_viewport_to_diagram (viewport, 800, 600, 123, 456, &before_x, &before_y);
  cm_viewport_zoom_at (viewport, 800, 600, 1.7, 123, 456);
  cm_viewport_to_diagram (viewport, 800, 600, 123, 456, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (before_x, after_x, 1e-9);
  g_assert_cmpfloat_with_epsilon (before_y, after_y, 1e-9);
  g_assert_cmpfloat_with_epsilon (cm_viewport_get_zoom (viewport), 3.4, 1e-9);

  cm_viewport_zoom_at (viewport, 800, 600, 1e9, 0, 0);
  g_assert_cmpfloat (cm_viewport_get_zoom (viewport), ==, CM_VIEWPORT_MAX_ZOOM);
}

static gboolean
not_arranging (gpointer data)
{
  return !cm_canvas_get_arranging (cm_window_get_canvas (data));
}

/* Undo and redo of moves: a drag (as the canvas announces it) and a
 * re-arrangement come back exactly with win.undo, go again with win.redo;
 * the actions are enabled only when there is something to do. */
static void
test_undo_moves (void)
{
  CmWindow *window;
  CmDataset *dataset;
  CmActor *russia, *nato;
  double rx, ry, nx, ny;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  window = window_with_example ();
  dataset = cm_document_get_dataset (cm_window_get_document (window));
  russia = cm_dataset_lookup_actor (dataset, "russia");
  nato = cm_dataset_lookup_actor (dataset, "nato");
  g_assert_nonnull (russia);
  g_assert_nonnull (nato);
  rx = cm_actor_get_x (russia);
  ry = cm_actor_get_y (russia);
  nx = cm_actor_get_x (nato);
  ny = cm_actor_get_y (nato);
  /* Nothing to undo yet: nothing moves. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, rx);
  g_assert_false (cm_document_get_modified (cm_window_get_document (window)));

  /* A drag of Russia, as the canvas does it. */
  g_signal_emit_by_name (cm_window_get_canvas (window), "actor-drag-begin", russia);
  cm_actor_set_position (russia, rx + 150, ry - 40);
  cm_actor_set_position (russia, rx + 300, ry - 80);

  /* Then the whole map re-arranged. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rearrange", NULL));
  g_assert_true (wait_for (not_arranging, window, 20000));
  g_assert_true (cm_actor_get_x (nato) != nx || cm_actor_get_y (nato) != ny);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, rx + 300);
  g_assert_cmpfloat (cm_actor_get_y (russia), ==, ry - 80);
  g_assert_cmpfloat (cm_actor_get_x (nato), ==, nx);
  g_assert_cmpfloat (cm_actor_get_y (nato), ==, ny);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, rx);
  g_assert_cmpfloat (cm_actor_get_y (russia), ==, ry);
  /* All undone: one more undo changes nothing; redo takes the drag again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, rx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, rx + 300);
  g_assert_cmpfloat (cm_actor_get_y (russia), ==, ry - 80);

  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);

  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      /* What AdwApplication loads for the app: the windows here have none. */
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      adw_init ();
      gtk_css_provider_load_from_resource (css, "/io/github/channelmap/ChannelMap/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_add_func ("/ui/viewport/zoom-about-point", test_viewport_zoom_about_point);
  g_test_add_func ("/ui/window/start-page-and-title", test_start_page_and_title);
  g_test_add_func ("/ui/window/actions", test_actions_enabled);
  g_test_add_func ("/ui/window/select-actor-fills-quotes", test_select_actor_fills_quotes);
  g_test_add_func ("/ui/window/keyboard-and-search", test_keyboard_walk_and_search);
  g_test_add_func ("/ui/window/filters", test_filters_hide_kinds);
  g_test_add_func ("/ui/window/legend-kinds-present", test_legend_kinds_present);
  g_test_add_func ("/ui/window/escape-clears-selection", test_escape_clears_selection);
  g_test_add_func ("/ui/window/small-window", test_small_window);
  g_test_add_func ("/ui/window/toasts-clear-of-controls", test_toasts_clear_of_controls);
  g_test_add_func ("/ui/window/export-png", test_export_png);
  g_test_add_func ("/ui/window/export-dialog-size", test_export_dialog_size);
  g_test_add_func ("/ui/window/unsaved-changes", test_unsaved_changes);
  g_test_add_func ("/ui/window/save-and-changed-on-disk", test_save_and_changed_on_disk);
  g_test_add_func ("/ui/window/changed-on-disk-banner", test_changed_on_disk_banner);
  g_test_add_func ("/ui/window/load-error-keeps-map", test_load_error_keeps_map);
  g_test_add_func ("/ui/window/settings-remembered", test_settings_remembered);
  g_test_add_func ("/ui/window/import-needs-save-as", test_import_needs_save_as);
  g_test_add_func ("/ui/window/drop-opens-file", test_drop_opens_file);
  g_test_add_func ("/ui/window/failed-save-stays-modified", test_failed_save_stays_modified);
  g_test_add_func ("/ui/quote-row/links", test_quote_row_links);
  g_test_add_func ("/ui/window/undo-moves", test_undo_moves);

  return g_test_run ();
}
