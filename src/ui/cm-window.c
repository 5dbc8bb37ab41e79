/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-canvas.h"
#include "cm-channel-sample.h"
#include "cm-dataset-io.h"
#include "cm-export-dialog.h"
#include "cm-import.h"
#include "cm-side-panel.h"
#include "cm-ui-util.h"
#include "cm-window.h"

#define RECENT_APP_NAME   "channel-map"
#define RECENT_MAX_ITEMS  8
#define DEFAULT_SIDEBAR   380
#define PANED_HANDLE      1     /* GtkPaned's thin handle, in Adwaita */

/* Something to do once a question has been answered (save first?
 * overwrite?).  Dropped, not run, when the person cancels. */
typedef void (*ThenFunc) (CmWindow *self,
                          gpointer  data);

typedef struct
{
  ThenFunc       func;
  gpointer       data;
  GDestroyNotify destroy;
} Then;

struct _CmWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkWidget       *open_button;
  GtkMenuButton   *recent_button;
  GtkSearchBar    *search_bar;
  GtkWidget       *search_button;
  GtkWidget       *start_open_button;
  GtkWidget       *start_example_button;
  GtkWidget       *cancel_load_button;
  GtkSearchEntry  *search_entry;
  GtkLabel        *search_status;
  GtkRevealer     *loading_revealer;
  GtkSpinner      *loading_spinner;
  GtkLabel        *loading_label;
  GtkStack        *main_stack;
  GtkBox          *recent_box;
  GtkListBox      *recent_list;
  GtkPaned        *paned;
  GtkWidget       *legend;
  GtkWidget       *show_direct_button;
  GtkWidget       *show_indirect_button;
  GtkWidget       *show_absent_button;
  GtkWidget       *direct_label;
  GtkWidget       *indirect_label;
  GtkWidget       *absent_label;
  GtkWidget       *zoom_box;
  GtkRevealer     *disk_banner;
  GtkLabel        *disk_banner_label;
  GtkWidget       *disk_reload_button;
  CmCanvas        *canvas;
  CmSidePanel     *side_panel;

  CmDocument      *document;
  CmDataset       *dataset;             /* the document's, while it has one */
  CmHistory       *history;             /* undo of moves, for that dataset */
  CmViewport      *viewport;

  /* The legend: shown when asked for (Show Legend) and the map has a
   * channel, with a toggle for each kind the map has. */
  gboolean         show_legend;
  CmChannelFlags   kinds_present;
  guint64          kinds_generation;    /* structure generation they were counted at */
  guint            kinds_idle;
  gboolean         legend_compact;      /* samples only, no names: a narrow map */
  gboolean         controls_stacked;    /* the zoom buttons above the legend */
  guint            map_controls_idle;

  GCancellable    *load_cancellable;
  GFile           *loading_file;

  /* The open file, watched for another program's changes. */
  GFileMonitor    *file_monitor;
  GFile           *watched_file;
  guint            disk_check_id;

  GMenu           *recent_menu;
#if GTK_CHECK_VERSION (4, 10, 0)
  GCancellable    *file_dialog;         /* while a GtkFileDialog is open */
#else
  GtkNativeDialog *file_chooser;
#endif
  GtkWindow       *export_dialog;       /* weak */
  GCancellable    *export_cancellable;  /* while a file is being exported */

  /* The side panel's width as the person set it (or remembered): a
   * window too narrow for it squeezes the panel for a while, and the
   * panel gets it back when the window grows again. */
  int              sidebar_width;
  int              paned_width;         /* the paned's width the last time it was laid out */
  guint            paned_resize_idle;   /* a resize being laid out: positions are not the person's */
  gboolean         setting_position;
  guint            search_index;
  gboolean         paned_restored;
  gboolean         close_confirmed;
};

enum {
  PROP_0,
  PROP_SHOW_DIRECT,
  PROP_SHOW_INDIRECT,
  PROP_SHOW_ABSENT,
  PROP_SHOW_LEGEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmWindow, cm_window, ADW_TYPE_APPLICATION_WINDOW)

static void start_load (CmWindow *self, GFile *file, gboolean is_example);
static void maybe_discard_changes (CmWindow *self, Then *then);
static void save_document (CmWindow *self, gboolean choose_file, Then *then);

/* ---- continuations ---------------------------------------------------- */

static Then *
then_new (ThenFunc       func,
          gpointer       data,
          GDestroyNotify destroy)
{
  Then *then = g_new0 (Then, 1);

  then->func = func;
  then->data = data;
  then->destroy = destroy;
  return then;
}

static void
then_free (Then *then)
{
  if (then == NULL)
    return;
  if (then->destroy != NULL && then->data != NULL)
    then->destroy (then->data);
  g_free (then);
}

static void
then_run (CmWindow *self,
          Then     *then)
{
  if (then == NULL)
    return;
  if (then->func != NULL)
    then->func (self, then->data);
  then_free (then);
}

typedef struct
{
  CmWindow *self;
  Then     *then;
  gboolean  save;
  gboolean  overwrite;
  gboolean  save_as;
} Deferred;

static void write_document (CmWindow *self, GFile *file, Then *then);
static void choose_save_file (CmWindow *self, Then *then);

static gboolean
deferred_cb (gpointer user_data)
{
  Deferred *deferred = user_data;
  CmWindow *self = deferred->self;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    then_free (deferred->then);
  else if (deferred->save)
    save_document (self, FALSE, deferred->then);
  else if (deferred->overwrite && self->document != NULL)
    write_document (self, cm_document_get_file (self->document), deferred->then);
  else if (deferred->save_as)
    choose_save_file (self, deferred->then);
  else
    then_run (self, deferred->then);

  g_object_unref (deferred->self);
  g_free (deferred);
  return G_SOURCE_REMOVE;
}

/* A dialog's answer is acted on once the dialog has gone: the next step
 * may close the window the dialog belongs to, or open another dialog. */
static void
defer (CmWindow *self,
       Then     *then,
       gboolean  save,
       gboolean  overwrite,
       gboolean  save_as)
{
  Deferred *deferred = g_new0 (Deferred, 1);

  deferred->self = g_object_ref (self);
  deferred->then = then;
  deferred->save = save;
  deferred->overwrite = overwrite;
  deferred->save_as = save_as;
  g_idle_add (deferred_cb, deferred);
}

/* ---- settings --------------------------------------------------------- */

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

static GFile *
get_last_folder (CmWindow *self)
{
  GSettings *settings = cm_ui_get_settings ();
  g_autofree char *uri = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->document != NULL && cm_document_get_file (self->document) != NULL &&
      !cm_document_get_is_example (self->document))
    return g_file_get_parent (cm_document_get_file (self->document));

  if (!settings_has_key (settings, "last-folder"))
    return NULL;
  uri = g_settings_get_string (settings, "last-folder");
  if (uri == NULL || *uri == '\0')
    return NULL;
  folder = g_file_new_for_uri (uri);
  if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    return NULL;
  return g_steal_pointer (&folder);
}

static void
remember_folder_of (CmWindow *self,
                    GFile    *file)
{
  GSettings *settings = cm_ui_get_settings ();
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *uri = NULL;

  if (parent == NULL || !settings_has_key (settings, "last-folder"))
    return;
  uri = g_file_get_uri (parent);
  g_settings_set_string (settings, "last-folder", uri);
}

static void
settings_set_int (GSettings  *settings,
                  const char *key,
                  int         value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new_int32 (value));

  if (!settings_has_key (settings, key))
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  if (g_settings_schema_key_range_check (schema_key, variant))
    g_settings_set_value (settings, key, variant);
}

static void
load_channel_filter (CmWindow *self)
{
  GSettings *settings = cm_ui_get_settings ();
  g_auto(GStrv) kinds = NULL;
  CmChannelFlags flags = CM_CHANNEL_FLAGS_NONE;

  if (!settings_has_key (settings, "channel-filter"))
    return;
  kinds = g_settings_get_strv (settings, "channel-filter");
  for (guint i = 0; kinds[i] != NULL; i++)
    {
      CmChannel channel;

      if (cm_channel_from_string (kinds[i], &channel))
        flags |= CM_CHANNEL_FLAG (channel);
    }
  cm_viewport_set_channels (self->viewport, flags);
}

static void
save_channel_filter (CmWindow *self)
{
  GSettings *settings = cm_ui_get_settings ();
  const char *kinds[CM_N_CHANNELS + 1] = { NULL, };
  guint n = 0;

  if (!settings_has_key (settings, "channel-filter"))
    return;
  for (CmChannel channel = 0; channel < CM_N_CHANNELS; channel++)
    if (cm_viewport_get_channel_visible (self->viewport, channel))
      kinds[n++] = cm_channel_to_string (channel);
  g_settings_set_strv (settings, "channel-filter", kinds);
}

static void
load_window_state (CmWindow *self)
{
  GSettings *settings = cm_ui_get_settings ();

  self->sidebar_width = DEFAULT_SIDEBAR;
  if (settings == NULL)
    return;

  if (settings_has_key (settings, "window-width") && settings_has_key (settings, "window-height"))
    {
      int width = g_settings_get_int (settings, "window-width");
      int height = g_settings_get_int (settings, "window-height");

      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    }
  if (settings_has_key (settings, "window-maximized") &&
      g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (settings_has_key (settings, "sidebar-width"))
    {
      int width = g_settings_get_int (settings, "sidebar-width");

      if (width >= 200)
        self->sidebar_width = width;
    }
}

static void
save_window_state (CmWindow *self)
{
  GSettings *settings = cm_ui_get_settings ();
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  if (settings == NULL)
    return;

  if (!maximized && settings_has_key (settings, "window-width") &&
      settings_has_key (settings, "window-height"))
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          settings_set_int (settings, "window-width", width);
          settings_set_int (settings, "window-height", height);
        }
    }
  if (settings_has_key (settings, "window-maximized"))
    g_settings_set_boolean (settings, "window-maximized", maximized);

  /* The width the person chose, not one a small window forced. */
  if (self->paned_restored && settings_has_key (settings, "sidebar-width") &&
      self->sidebar_width >= 200)
    settings_set_int (settings, "sidebar-width", self->sidebar_width);
}

/* The divider where the side panel gets its chosen width, the map at
 * least 55 % of a narrow window (GtkPaned keeps both above their
 * minimum sizes). */
static void
place_divider (CmWindow *self,
               int       width)
{
  int position = MAX (width - self->sidebar_width - PANED_HANDLE, width * 55 / 100);

  self->setting_position = TRUE;
  gtk_paned_set_position (self->paned, position);
  self->setting_position = FALSE;
}

static gboolean
paned_resize_done_cb (gpointer data)
{
  CmWindow *self = data;

  self->paned_resize_idle = 0;
  /* Where the resize left it, GtkPaned having given the difference to
   * the map; again where the chosen width wants it. */
  if (self->paned_width > 0)
    place_divider (self, self->paned_width);
  return G_SOURCE_REMOVE;
}

/* The paned changed width (the window was resized, or shown): the divider
 * goes where the side panel has its chosen width, as far as the window
 * allows; the position GtkPaned computes meanwhile is not the person's. */
static void
paned_check_width (CmWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->paned));

  if (width <= 0 || width == self->paned_width)
    return;
  self->paned_width = width;
  self->paned_restored = TRUE;
  place_divider (self, width);
  if (self->paned_resize_idle == 0)
    self->paned_resize_idle = g_idle_add (paned_resize_done_cb, self);
}

static void
paned_max_position_cb (CmWindow   *self,
                       GParamSpec *pspec,
                       GtkPaned   *paned)
{
  paned_check_width (self);
}

/* The divider moved: by the person (a drag, the keyboard) when the window
 * kept its width, and then the side panel's width is what they chose.
 * Not when it stopped at one end: that is where a window too narrow for
 * the chosen width puts it, on its next layout. */
static void
paned_position_cb (CmWindow   *self,
                   GParamSpec *pspec,
                   GtkPaned   *paned)
{
  int width = gtk_widget_get_width (GTK_WIDGET (paned));
  int position = gtk_paned_get_position (paned);
  int min_position = 0, max_position = 0;

  paned_check_width (self);
  if (self->setting_position || self->paned_resize_idle != 0 || width <= 0)
    return;
  g_object_get (paned, "min-position", &min_position, "max-position", &max_position, NULL);
  if (position <= min_position || position >= max_position)
    return;
  self->sidebar_width = MAX (width - position - PANED_HANDLE, 0);
}

static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* What the map's controls need, found while laying them out, is applied
 * once that is done (changing sizes while allocating is not allowed):
 * the legend with or without names, and the toasts raised above the
 * controls, by one row or two (style.css). */
static gboolean
map_controls_idle_cb (gpointer data)
{
  CmWindow *self = data;
  gboolean compact = self->legend_compact;

  self->map_controls_idle = 0;
  gtk_widget_set_visible (self->direct_label, !compact);
  gtk_widget_set_visible (self->indirect_label, !compact);
  gtk_widget_set_visible (self->absent_label, !compact);
  set_css_class (self->legend, "compact", compact);
  set_css_class (GTK_WIDGET (self->toast_overlay), "map-controls-stacked", self->controls_stacked);
  return G_SOURCE_REMOVE;
}

static void
queue_map_controls_update (CmWindow *self)
{
  if (self->map_controls_idle == 0)
    self->map_controls_idle = g_idle_add (map_controls_idle_cb, self);
}

/* The legend's natural width, margins included, with the kinds' names
 * (measured from their text while they are hidden). */
static int
legend_full_width (CmWindow *self)
{
  GtkWidget *labels[] = { self->direct_label, self->indirect_label, self->absent_label };
  int width;

  gtk_widget_measure (self->legend, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  if (!self->legend_compact)
    return width;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int text_width;

      if (!gtk_widget_get_visible (gtk_widget_get_ancestor (labels[i], GTK_TYPE_BUTTON)))
        continue;
      layout = gtk_widget_create_pango_layout (labels[i], gtk_label_get_text (GTK_LABEL (labels[i])));
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      /* The box's spacing before the name, and (at most) the padding
       * the compact style takes off a button (style.css). */
      width += text_width + 6 + 2 * 6;
    }
  return width;
}

/* The zoom buttons sit at the bottom right of the map, beside the legend
 * at the bottom left.  When the map is too narrow for both on one line,
 * the legend drops the kinds' names (each toggle keeps its line sample,
 * tooltip and accessible name), and if that is not enough, the zoom
 * buttons move up, above the legend: nothing covers anything. */
static gboolean
map_overlay_child_position_cb (CmWindow     *self,
                               GtkWidget    *widget,
                               GdkRectangle *allocation,
                               GtkOverlay   *overlay)
{
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (overlay));
  int zoom_width, zoom_height;
  gboolean stacked;

  /* Natural sizes, margins included. */
  gtk_widget_measure (self->zoom_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &zoom_width, NULL, NULL);

  if (widget == self->legend)
    {
      int full = legend_full_width (self);
      /* Back to names only with some room to spare, so an estimate a
       * pixel off cannot make the legend flip at every frame. */
      gboolean compact = self->legend_compact ? full + 6 + zoom_width + 8 > width
                                              : full + 6 + zoom_width > width;

      if (compact != self->legend_compact)
        {
          self->legend_compact = compact;
          queue_map_controls_update (self);
        }
      return FALSE;
    }
  if (widget != self->zoom_box)
    return FALSE;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, zoom_width, NULL, &zoom_height, NULL, NULL);
  allocation->width = MIN (zoom_width, width);
  allocation->height = MIN (zoom_height, height);
  allocation->x = MAX (width - zoom_width, 0);
  allocation->y = MAX (height - zoom_height, 0);

  stacked = FALSE;
  if (gtk_widget_get_visible (self->legend))
    {
      int legend_width, legend_height;

      gtk_widget_measure (self->legend, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &legend_width, NULL, NULL);
      if (legend_width + zoom_width + 6 > width)
        {
          gtk_widget_measure (self->legend, GTK_ORIENTATION_VERTICAL, legend_width,
                              NULL, &legend_height, NULL, NULL);
          allocation->y = MAX (allocation->y - (legend_height - gtk_widget_get_margin_bottom (widget)) - 6, 0);
          stacked = TRUE;
        }
    }
  if (stacked != self->controls_stacked)
    {
      self->controls_stacked = stacked;
      queue_map_controls_update (self);
    }
  return TRUE;
}

/* ---- the legend ------------------------------------------------------- */

static void
update_legend_visible (CmWindow *self)
{
  gtk_widget_set_visible (self->legend,
                          self->show_legend && self->kinds_present != CM_CHANNEL_FLAGS_NONE);
}

/* The legend has a toggle for each channel kind the map has, and only
 * those (an imported GraphML with direct links only offers no Indirect or
 * Absent).  A kind filtered out keeps its toggle while the map has it, so
 * it can always be brought back; one the map no longer has, drawn or not,
 * has nothing to hide. */
static void
update_legend_kinds (CmWindow *self)
{
  CmChannelFlags present = CM_CHANNEL_FLAGS_NONE;

  if (self->dataset != NULL)
    {
      guint n_links;
      CmLink **links = cm_dataset_peek_links (self->dataset, &n_links);

      for (guint i = 0; i < n_links && present != CM_CHANNEL_FLAGS_ALL; i++)
        present |= CM_CHANNEL_FLAG (cm_link_get_channel (links[i]));
      self->kinds_generation = cm_dataset_get_structure_generation (self->dataset);
    }
  self->kinds_present = present;

  gtk_widget_set_visible (self->show_direct_button, (present & CM_CHANNEL_FLAG (CM_CHANNEL_DIRECT)) != 0);
  gtk_widget_set_visible (self->show_indirect_button, (present & CM_CHANNEL_FLAG (CM_CHANNEL_INDIRECT)) != 0);
  gtk_widget_set_visible (self->show_absent_button, (present & CM_CHANNEL_FLAG (CM_CHANNEL_ABSENT)) != 0);
  update_legend_visible (self);
}

static gboolean
legend_kinds_idle_cb (gpointer data)
{
  CmWindow *self = data;

  self->kinds_idle = 0;
  update_legend_kinds (self);
  return G_SOURCE_REMOVE;
}

/* Links added, removed or given another kind: counted again once the
 * edit is done (moving actors leaves the structure generation alone, so a
 * drag costs nothing here). */
static void
dataset_changed_cb (CmWindow  *self,
                    GObject   *what,
                    CmDataset *dataset)
{
  if (self->kinds_idle != 0 ||
      cm_dataset_get_structure_generation (dataset) == self->kinds_generation)
    return;
  self->kinds_idle = g_idle_add (legend_kinds_idle_cb, self);
}

/* ---- title and actions ------------------------------------------------ */

static void
update_title (CmWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;
  GFile *file;
  gboolean modified;

  if (self->document == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Channel Map"));
      adw_window_title_set_title (self->window_title, _("Channel Map"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  title = cm_document_dup_title (self->document);
  modified = cm_document_get_modified (self->document);
  file = cm_document_get_file (self->document);

  if (modified)
    /* Translators: the window's title with unsaved changes, "• TITLE — Channel Map" */
    window_title = g_strdup_printf (_("• %s — Channel Map"), title);
  else
    /* Translators: the window's title, "TITLE — Channel Map" */
    window_title = g_strdup_printf (_("%s — Channel Map"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);

  shown = modified ? g_strdup_printf ("• %s", title) : g_strdup (title);
  adw_window_title_set_title (self->window_title, shown);

  if (cm_document_get_is_example (self->document))
    subtitle = g_strdup (_("Example — Save As to keep changes"));
  else if (cm_document_get_format (self->document) != CM_FILE_FORMAT_CHANNEL_MAP)
    subtitle = g_strdup_printf (_("Imported from %s — Save As to keep changes"),
                                cm_file_format_get_name (cm_document_get_format (self->document)));
  else if (file != NULL)
    {
      g_autofree char *parse_name = g_file_get_parse_name (file);
      const char *home = g_get_home_dir ();

      if (home != NULL && g_str_has_prefix (parse_name, home) && parse_name[strlen (home)] == '/')
        subtitle = g_strconcat ("~", parse_name + strlen (home), NULL);
      else
        subtitle = g_steal_pointer (&parse_name);
    }
  else
    subtitle = g_strdup (_("Not saved"));
  if (modified)
    {
      char *with = g_strdup_printf (_("%s (unsaved changes)"), subtitle);

      g_free (subtitle);
      subtitle = with;
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void update_actions (CmWindow *self);

static void
history_notify_cb (CmWindow   *self,
                   GParamSpec *pspec,
                   CmHistory  *history)
{
  update_actions (self);
}

/* The undo history of the map shown (NULL: none). */
static void
set_history (CmWindow  *self,
             CmHistory *history)
{
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  self->history = history;
  if (history != NULL)
    {
      g_signal_connect_swapped (history, "notify::can-undo", G_CALLBACK (history_notify_cb), self);
      g_signal_connect_swapped (history, "notify::can-redo", G_CALLBACK (history_notify_cb), self);
    }
}

/* An actor is about to be dragged: where it was, for Undo. */
static void
actor_drag_begin_cb (CmWindow *self,
                     CmActor  *actor,
                     CmCanvas *canvas)
{
  if (self->history != NULL)
    cm_history_record_places (self->history, CM_HISTORY_MOVE, &actor, 1);
}

static void
update_actions (CmWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_map = self->document != NULL;
  static const char * const map_actions[] = {
    "win.save", "win.save-as", "win.export", "win.fit", "win.zoom-in",
    "win.zoom-out", "win.rearrange", "win.search", "win.show-direct",
    "win.show-indirect", "win.show-absent", "win.show-legend",
  };

  for (guint i = 0; i < G_N_ELEMENTS (map_actions); i++)
    gtk_widget_action_set_enabled (widget, map_actions[i], has_map);
  gtk_widget_action_set_enabled (widget, "win.cancel-load", self->load_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.undo", self->history != NULL && cm_history_get_can_undo (self->history));
  gtk_widget_action_set_enabled (widget, "win.redo", self->history != NULL && cm_history_get_can_redo (self->history));
  gtk_widget_set_sensitive (self->search_button, has_map);
  if (!has_map)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void watch_file (CmWindow *self);

static void
document_notify_cb (CmWindow   *self,
                    GParamSpec *pspec,
                    CmDocument *document)
{
  update_title (self);
  watch_file (self);
}

/* ---- toasts and messages ---------------------------------------------- */

/* A toast whose text may hold a line break: each line is cut with an
 * ellipsis on its own, so a long file name on the first line cannot push
 * the advice on the second out of sight (the title AdwToast makes is one
 * line; and a wrapping label is given the height of one line by
 * AdwToastOverlay 1.2, which sizes a toast for its natural width). */
static AdwToast *
toast_new (const char *text,
           guint       timeout)
{
  AdwToast *toast = adw_toast_new ("");
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, timeout);
  return toast;
}

static void
show_toast (CmWindow   *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast_new (text, 4));
}

static char *
file_display_name (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

static GtkWidget *
message_dialog (GtkWindow  *parent,
                const char *heading,
                const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_set_heading_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  return dialog;
}

static void
show_error (GtkWindow  *parent,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = message_dialog (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  cm_fix_button_names (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every problem the loader found, one per line, as --check prints them. */
static void
show_load_error (CmWindow  *self,
                 GFile     *file,
                 GError    *error,
                 GPtrArray *problems)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *heading = g_strdup_printf (_("Could not open “%s”"), name);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  /* Lines listed (at most CM_DATASET_MAX_PROBLEMS and one "… and 200
   * more problems"), and problems found: that last line stands for many. */
  guint n_problems = problems != NULL ? problems->len : 0;
  guint n_found = cm_problems_count (problems);

  if (n_problems > 0)
    body = g_strdup_printf (ngettext ("The file has %u problem. The map that was open is unchanged.",
                                      "The file has %u problems. The map that was open is unchanged.",
                                      n_found),
                            n_found);
  else
    body = g_strdup (error->message);

  dialog = message_dialog (GTK_WINDOW (self), heading, body);

  if (n_problems > 0)
    {
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *view = gtk_text_view_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < n_problems; i++)
        {
          g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));

          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, line);
        }
      gtk_text_buffer_set_text (buffer, text->str, -1);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problems"), -1);
      gtk_widget_add_css_class (view, "problem-list");

      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      if (n_problems > 3)
        gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_widget_set_size_request (scrolled, 420, -1);
      gtk_widget_add_css_class (scrolled, "card");
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
    }

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  cm_fix_button_names (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- recent files ----------------------------------------------------- */

static void
add_to_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) "application/json",
    .app_name = (char *) RECENT_APP_NAME,
    .app_exec = (char *) "channel-map %u",
    .groups = NULL,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *x = *(GtkRecentInfo **) a;
  GtkRecentInfo *y = *(GtkRecentInfo **) b;

  /* Newest first. */
  return g_date_time_compare (gtk_recent_info_get_modified (y), gtk_recent_info_get_modified (x));
}

static char *
escape_mnemonic (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (s, '_');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static void
rebuild_recent (CmWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  GtkWidget *child;

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, RECENT_APP_NAME) &&
          (!gtk_recent_info_is_local (info) || gtk_recent_info_exists (info)))
        g_ptr_array_add (ours, info);
    }
  g_ptr_array_sort (ours, compare_recent);

  g_menu_remove_all (self->recent_menu);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; i < ours->len && i < RECENT_MAX_ITEMS; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (ours, i);
      const char *uri = gtk_recent_info_get_uri (info);
      const char *name = gtk_recent_info_get_display_name (info);
      g_autofree char *label = escape_mnemonic (name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *where = parent != NULL ? g_file_get_parse_name (parent) : NULL;
      GtkWidget *row;

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (uri));
      g_menu_append_item (self->recent_menu, item);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      if (where != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("document-open-recent-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "cm-uri", g_strdup (uri), g_free);
      gtk_list_box_append (self->recent_list, row);
    }

  if (ours->len == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Datasets"), "win.no-recent");

      g_menu_append_item (self->recent_menu, item);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_box), ours->len > 0);

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
recent_row_activated_cb (CmWindow      *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "cm-uri");
  g_autoptr(GFile) file = NULL;

  if (uri == NULL)
    return;
  file = g_file_new_for_uri (uri);
  cm_window_open_file (self, file);
}

/* ---- the file changed on disk ----------------------------------------- */

/* The strip under the header bar says so when the open file is no longer
 * what was read or last saved here: another program wrote, replaced or
 * removed it.  Our own saves leave it alone (the document takes the new
 * file's size, time and tag as its own when it writes). */
static void
check_disk (CmWindow *self)
{
  GFile *file = self->watched_file;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gboolean exists;

  g_clear_handle_id (&self->disk_check_id, g_source_remove);
  if (file == NULL || self->document == NULL || !cm_document_changed_on_disk (self->document))
    {
      gtk_revealer_set_reveal_child (self->disk_banner, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", FALSE);
      return;
    }

  exists = g_file_query_exists (file, NULL);
  name = file_display_name (file);
  if (exists)
    text = g_strdup_printf (_("“%s” was changed by another program"), name);
  else
    text = g_strdup_printf (_("“%s” was deleted or moved by another program"), name);
  gtk_label_set_text (self->disk_banner_label, text);
  gtk_widget_set_visible (self->disk_reload_button, exists);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", exists);
  gtk_revealer_set_reveal_child (self->disk_banner, TRUE);
}

static gboolean
disk_check_cb (gpointer data)
{
  CmWindow *self = data;

  self->disk_check_id = 0;
  check_disk (self);
  return G_SOURCE_REMOVE;
}

/* Looked at once the file has been quiet for a moment: a program may
 * write in several steps, and a save (ours too) is a write and a rename. */
static void
file_monitor_changed_cb (CmWindow          *self,
                         GFile             *file,
                         GFile             *other_file,
                         GFileMonitorEvent  event,
                         GFileMonitor      *monitor)
{
  g_clear_handle_id (&self->disk_check_id, g_source_remove);
  self->disk_check_id = g_timeout_add (250, disk_check_cb, self);
}

/* The monitor and its pending check, gone (the window's widgets are left
 * alone: dispose calls this too). */
static void
stop_watching_file (CmWindow *self)
{
  if (self->file_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->file_monitor, self);
      g_file_monitor_cancel (self->file_monitor);
      g_clear_object (&self->file_monitor);
    }
  g_clear_object (&self->watched_file);
  g_clear_handle_id (&self->disk_check_id, g_source_remove);
}

static void
unwatch_file (CmWindow *self)
{
  stop_watching_file (self);
  gtk_revealer_set_reveal_child (self->disk_banner, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", FALSE);
}

/* Watches the document's file (not the bundled example's), again when
 * Save As gives it another. */
static void
watch_file (CmWindow *self)
{
  GFile *file = NULL;

  if (self->document != NULL && !cm_document_get_is_example (self->document))
    file = cm_document_get_file (self->document);
  if (file != NULL && self->watched_file != NULL && g_file_equal (file, self->watched_file))
    return;

  unwatch_file (self);
  if (file == NULL)
    return;
  self->watched_file = g_object_ref (file);
  self->file_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->file_monitor != NULL)
    g_signal_connect_object (self->file_monitor, "changed", G_CALLBACK (file_monitor_changed_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
disk_dismiss_clicked_cb (CmWindow  *self,
                         GtkButton *button)
{
  gtk_revealer_set_reveal_child (self->disk_banner, FALSE);
}

static void load_file_then (CmWindow *self, gpointer data);

/* Reload: the file again, as it is on disk, once unsaved changes are
 * saved or discarded (or not at all, on Cancel). */
static void
reload_file (CmWindow *self)
{
  if (self->watched_file == NULL)
    return;
  gtk_revealer_set_reveal_child (self->disk_banner, FALSE);
  maybe_discard_changes (self, then_new (load_file_then, g_object_ref (self->watched_file), g_object_unref));
}

/* ---- unsaved changes -------------------------------------------------- */

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CmWindow         *self)
{
  Then *then = g_object_steal_data (G_OBJECT (dialog), "cm-then");

  if (g_str_equal (response, "discard"))
    defer (self, then, FALSE, FALSE, FALSE);
  else if (g_str_equal (response, "save"))
    defer (self, then, TRUE, FALSE, FALSE);
  else
    then_free (then);
}

/* Runs @then at once when nothing would be lost; else asks Save, Discard
 * or Cancel, and runs it after saving or discarding. */
static void
maybe_discard_changes (CmWindow *self,
                       Then     *then)
{
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->document == NULL || !cm_document_get_modified (self->document))
    {
      then_run (self, then);
      return;
    }

  title = cm_document_dup_title (self->document);
  heading = g_strdup_printf (_("Save changes to “%s”?"), title);
  dialog = message_dialog (GTK_WINDOW (self), heading,
                           _("If you don’t save, your changes will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cm-then", then, (GDestroyNotify) then_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  cm_fix_button_names (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- saving ----------------------------------------------------------- */

static void
write_document (CmWindow *self,
                GFile    *file,
                Then     *then)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = file_display_name (file);

  if (!cm_document_save (self->document, file, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could not save “%s”"), name);

      show_error (GTK_WINDOW (self), heading, error->message);
      then_free (then);
      return;
    }

  add_to_recent (file);
  remember_folder_of (self, file);
  /* Overwritten: the strip about another program's change goes. */
  check_disk (self);
  {
    g_autofree char *text = g_strdup_printf (_("Saved “%s”"), name);
    show_toast (self, text);
  }
  then_run (self, then);
}

/* TRUE while an Open or Save file chooser of this window is open. */
static gboolean
choosing_file (CmWindow *self)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  return self->file_dialog != NULL;
#else
  return self->file_chooser != NULL;
#endif
}

static void
save_as_chosen (CmWindow *self,
                GFile    *chosen,
                Then     *then)
{
  g_autoptr(GFile) file = NULL;

  if (chosen == NULL || self->document == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    {
      then_free (then);
      return;
    }

  /* A dataset is a .json file: add the suffix when the name has none. */
  {
    g_autofree char *basename = g_file_get_basename (chosen);
    g_autofree char *lower = g_ascii_strdown (basename, -1);

    if (!g_str_has_suffix (lower, ".json"))
      {
        g_autofree char *with = g_strconcat (basename, ".json", NULL);
        g_autoptr(GFile) parent = g_file_get_parent (chosen);

        file = g_file_get_child (parent, with);
      }
    else
      file = g_object_ref (chosen);
  }

  write_document (self, file, then);
}

#if GTK_CHECK_VERSION (4, 10, 0)
typedef struct
{
  CmWindow *self;
  Then     *then;
} SaveRequest;

static void
save_dialog_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SaveRequest *request = user_data;
  g_autoptr(CmWindow) self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, &error);

  g_clear_object (&self->file_dialog);
  save_as_chosen (self, file, request->then);
  g_free (request);
}
#else
static void
save_chooser_response_cb (CmWindow             *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr(GtkFileChooserNative) keep = g_object_ref (chooser);   /* we drop ours below */
  Then *then = g_object_steal_data (G_OBJECT (chooser), "cm-then");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (GTK_NATIVE_DIALOG (chooser) == self->file_chooser)
    g_clear_object (&self->file_chooser);

  save_as_chosen (self, file, then);
}
#endif

static void
choose_save_file (CmWindow *self,
                  Then     *then)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *basename = cm_document_dup_basename (self->document);
  g_autofree char *name = g_strconcat (basename, ".json", NULL);
  g_autoptr(GFile) folder = get_last_folder (self);

  if (choosing_file (self))
    {
      then_free (then);
      return;
    }

  gtk_file_filter_set_name (filter, _("Channel Map datasets (*.json)"));
  gtk_file_filter_add_suffix (filter, "json");

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
    SaveRequest *request = g_new0 (SaveRequest, 1);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, _("Save Dataset"));
    gtk_file_dialog_set_accept_label (dialog, _("_Save"));
    gtk_file_dialog_set_modal (dialog, TRUE);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_set_initial_name (dialog, name);
    if (folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, folder);

    request->self = g_object_ref (self);
    request->then = then;
    self->file_dialog = g_cancellable_new ();
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), self->file_dialog,
                          save_dialog_done_cb, request);
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (_("Save Dataset"), GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_SAVE,
                                           _("_Save"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);

    g_object_set_data_full (G_OBJECT (chooser), "cm-then", then, (GDestroyNotify) then_free);
    g_signal_connect_object (chooser, "response", G_CALLBACK (save_chooser_response_cb),
                             self, G_CONNECT_SWAPPED);
    self->file_chooser = GTK_NATIVE_DIALOG (chooser);
    gtk_native_dialog_show (self->file_chooser);
  }
#endif
}

static void
overwrite_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CmWindow         *self)
{
  Then *then = g_object_steal_data (G_OBJECT (dialog), "cm-then");

  if (self->document == NULL)
    then_free (then);
  else if (g_str_equal (response, "overwrite"))
    defer (self, then, FALSE, TRUE, FALSE);
  else if (g_str_equal (response, "save-as"))
    defer (self, then, FALSE, FALSE, TRUE);
  else
    then_free (then);
}

static void
save_document (CmWindow *self,
               gboolean  choose_file,
               Then     *then)
{
  GFile *file;

  if (self->document == NULL)
    {
      then_free (then);
      return;
    }

  if (choose_file || cm_document_needs_save_as (self->document))
    {
      choose_save_file (self, then);
      return;
    }

  file = cm_document_get_file (self->document);
  if (cm_document_changed_on_disk (self->document))
    {
      g_autofree char *name = file_display_name (file);
      g_autofree char *heading = g_strdup_printf (_("“%s” Changed on Disk"), name);
      GtkWidget *dialog;

      dialog = message_dialog (GTK_WINDOW (self), heading,
                               _("Another program changed the file since it was opened here. "
                                 "Saving replaces its changes with this map."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "save-as", _("Save _As…"),
                                        "overwrite", _("_Overwrite"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "overwrite",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "cm-then", then, (GDestroyNotify) then_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (overwrite_response_cb), self, 0);
      cm_fix_button_names (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  write_document (self, file, then);
}

/* ---- loading ---------------------------------------------------------- */

typedef struct
{
  CmWindow     *self;
  GFile        *file;
  GCancellable *cancellable;
  gboolean      is_example;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->file);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
set_loading (CmWindow *self,
             GFile    *file)
{
  g_set_object (&self->loading_file, file);
  if (file != NULL)
    {
      g_autofree char *name = file_display_name (file);
      g_autofree char *text = g_strdup_printf (_("Loading “%s”…"), name);

      gtk_label_set_text (self->loading_label, text);
      gtk_spinner_start (self->loading_spinner);
    }
  else
    gtk_spinner_stop (self->loading_spinner);
  gtk_revealer_set_reveal_child (self->loading_revealer, file != NULL);
  update_actions (self);
}

static void
show_import_notes (CmWindow *self)
{
  GPtrArray *notes;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;

  if (self->document == NULL || (notes = cm_document_get_notes (self->document)) == NULL)
    return;

  for (guint i = 0; i < notes->len; i++)
    {
      if (i > 0)
        g_string_append (body, "\n\n");
      g_string_append (body, g_ptr_array_index (notes, i));
    }
  heading = g_strdup_printf (_("Imported from %s"),
                             cm_file_format_get_name (cm_document_get_format (self->document)));
  show_error (GTK_WINDOW (self), heading, body->str);
}

static void
show_import_toast (CmWindow   *self,
                   GFile      *file,
                   CmDocument *document)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *text = g_strdup_printf (_("Imported “%s” from %s\nUse Save As to keep changes"),
                                           name, cm_file_format_get_name (cm_document_get_format (document)));
  AdwToast *toast = toast_new (text, 8);

  if (cm_document_get_notes (document) != NULL)
    {
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.import-notes");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoadRequest *request = user_data;
  CmWindow *self = request->self;
  g_autoptr(CmDocument) document = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  document = cm_document_load_finish (result, &problems, &error);

  /* A newer request replaced this one: its result no longer matters. */
  if (request->cancellable != self->load_cancellable)
    {
      load_request_free (request);
      return;
    }

  g_clear_object (&self->load_cancellable);
  set_loading (self, NULL);

  if (document == NULL)
    {
      if (self->document == NULL)
        gtk_stack_set_visible_child_name (self->main_stack, "start");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !gtk_widget_in_destruction (GTK_WIDGET (self)))
        show_load_error (self, request->file, error, problems);
      /* A reload that failed: the map is the one read before, and the
       * file still differs from it. */
      if (self->document != NULL && !gtk_widget_in_destruction (GTK_WIDGET (self)))
        check_disk (self);
      load_request_free (request);
      return;
    }

  if (request->is_example)
    cm_document_set_is_example (document, TRUE);
  else
    {
      add_to_recent (request->file);
      remember_folder_of (self, request->file);
    }

  cm_window_set_document (self, document);
  if (cm_document_get_format (document) != CM_FILE_FORMAT_CHANNEL_MAP)
    show_import_toast (self, request->file, document);
  g_debug ("Loaded %s", g_file_peek_path (request->file));
  load_request_free (request);
}

static void
start_load (CmWindow *self,
            GFile    *file,
            gboolean  is_example)
{
  LoadRequest *request;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->file = g_object_ref (file);
  request->cancellable = g_object_ref (self->load_cancellable);
  request->is_example = is_example;

  /* An empty window shows the (empty) map while it loads, not the start
   * page: laying out its recent files was a third of a start-up with a
   * file. */
  if (self->document == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "map");
  set_loading (self, file);
  cm_document_load_async (file, self->load_cancellable, load_done_cb, request);
}

static void
load_file_then (CmWindow *self,
                gpointer  data)
{
  start_load (self, G_FILE (data), FALSE);
}

static void
load_example_then (CmWindow *self,
                   gpointer  data)
{
  start_load (self, G_FILE (data), TRUE);
}

static void
cancel_load_clicked_cb (CmWindow  *self,
                        GtkButton *button)
{
  if (self->load_cancellable == NULL)
    return;

  /* The worker stops at its next check, but the layout of a large map
   * (tens of seconds for 100 000 actors) runs to its end first: let go of
   * the request now, so the window is free at once; load_done_cb() drops
   * its result when it comes, as for a request that a newer one replaced. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  set_loading (self, NULL);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
open_dialog_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);

  g_clear_object (&self->file_dialog);
  if (file != NULL && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    cm_window_open_file (self, file);
}
#else
static void
open_chooser_response_cb (CmWindow             *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr(GtkFileChooserNative) keep = g_object_ref (chooser);   /* we drop ours below */
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (GTK_NATIVE_DIALOG (chooser) == self->file_chooser)
    g_clear_object (&self->file_chooser);

  if (file != NULL)
    cm_window_open_file (self, file);
}
#endif

/* "*.graphml" matches "MAP.GRAPHML" too. */
static void
add_pattern_any_case (GtkFileFilter *filter,
                      const char    *pattern)
{
  if (g_str_has_prefix (pattern, "*.") && strchr (pattern + 2, '*') == NULL &&
      strchr (pattern + 2, '?') == NULL && strchr (pattern + 2, '[') == NULL)
    gtk_file_filter_add_suffix (filter, pattern + 2);
  else
    gtk_file_filter_add_pattern (filter, pattern);
}

/* The Open dialog's filters: everything the app reads first (returned in
 * @supported, the one chosen at first), then datasets only, then each
 * import format, then anything (detection looks at the content too). */
static GListStore *
open_filters (GtkFileFilter **supported)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) all_supported = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) datasets = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  const char * const *patterns = cm_file_format_get_all_patterns ();

  gtk_file_filter_set_name (all_supported, _("All supported files"));
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    add_pattern_any_case (all_supported, patterns[i]);
  g_list_store_append (filters, all_supported);

  gtk_file_filter_set_name (datasets, _("Channel Map datasets (*.json)"));
  gtk_file_filter_add_suffix (datasets, "json");
  gtk_file_filter_add_mime_type (datasets, "application/json");
  g_list_store_append (filters, datasets);

  for (CmFileFormat format = CM_FILE_FORMAT_CHANNEL_MAP + 1; format < CM_N_FILE_FORMATS; format++)
    {
      const char * const *format_patterns = cm_file_format_get_patterns (format);
      g_autoptr(GtkFileFilter) filter = NULL;
      g_autofree char *joined = NULL;
      g_autofree char *name = NULL;

      if (format_patterns == NULL || format_patterns[0] == NULL)
        continue;
      filter = gtk_file_filter_new ();
      joined = g_strjoinv (", ", (char **) format_patterns);
      /* Translators: a file filter, "GraphML (*.graphml, *.xml)" */
      name = g_strdup_printf (_("%s (%s)"), cm_file_format_get_name (format), joined);
      gtk_file_filter_set_name (filter, name);
      for (guint i = 0; format_patterns[i] != NULL; i++)
        add_pattern_any_case (filter, format_patterns[i]);
      g_list_store_append (filters, filter);
    }

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, all);

  *supported = g_steal_pointer (&all_supported);
  return filters;
}

static void
show_open_dialog (CmWindow *self)
{
  g_autoptr(GtkFileFilter) supported = NULL;
  g_autoptr(GListStore) filters = NULL;
  g_autoptr(GFile) folder = get_last_folder (self);

  if (choosing_file (self))
    return;

  filters = open_filters (&supported);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Open Dataset"));
    gtk_file_dialog_set_accept_label (dialog, _("_Open"));
    gtk_file_dialog_set_modal (dialog, TRUE);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, supported);
    if (folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, folder);

    self->file_dialog = g_cancellable_new ();
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), self->file_dialog,
                          open_dialog_done_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser;
    guint n = g_list_model_get_n_items (G_LIST_MODEL (filters));

    chooser = gtk_file_chooser_native_new (_("Open Dataset"), GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_OPEN,
                                           _("_Open"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GtkFileFilter) filter = g_list_model_get_item (G_LIST_MODEL (filters), i);

        gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      }
    gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), supported);
    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);

    g_signal_connect_object (chooser, "response", G_CALLBACK (open_chooser_response_cb),
                             self, G_CONNECT_SWAPPED);
    self->file_chooser = GTK_NATIVE_DIALOG (chooser);
    gtk_native_dialog_show (self->file_chooser);
  }
#endif
}

/* ---- drag and drop ---------------------------------------------------- */

static gboolean
drop_cb (CmWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  cm_window_open_file (self, files->data);

  /* More than one file: each of the others in a window of its own. */
  if (files->next != NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      guint n = g_slist_length (files->next);
      g_autofree GFile **rest = g_new0 (GFile *, n);
      guint i = 0;

      for (GSList *l = files->next; l != NULL; l = l->next)
        rest[i++] = l->data;
      if (app != NULL)
        g_application_open (G_APPLICATION (app), rest, n, "");
    }
  g_slist_free (files);
  return TRUE;
}

/* ---- search ----------------------------------------------------------- */

/* How well @hay (casefolded) matches @needle: 0 when it starts with it,
 * 1 when one of its words does, 2 when it holds it anywhere, -1 not at all. */
static int
match_rank (const char *hay,
            const char *needle)
{
  const char *found = strstr (hay, needle);

  if (found == NULL)
    return -1;
  if (found == hay)
    return 0;
  for (; found != NULL; found = strstr (found + 1, needle))
    {
      gunichar before = g_utf8_get_char (g_utf8_find_prev_char (hay, found));

      if (!g_unichar_isalnum (before))
        return 1;
    }
  return 2;
}

typedef struct
{
  CmActor *actor;
  int      rank;
  guint    index;
} Match;

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const Match *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  return (x->index > y->index) - (x->index < y->index);
}

/* The actors whose name, id or role holds @query, ignoring case and
 * accents' composition: names that start with it first, then names with
 * a word that does ("bli" finds Blinken before "Public Diplomacy"), then
 * the rest, each in the dataset's order. */
static GPtrArray *
find_actors (CmWindow   *self,
             const char *query)
{
  GPtrArray *matches = g_ptr_array_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree char *normalized = NULL;
  g_autofree char *needle = NULL;
  CmActor **actors;
  guint n_actors;

  if (self->document == NULL || query == NULL || *query == '\0')
    return matches;

  normalized = g_utf8_normalize (query, -1, G_NORMALIZE_ALL);
  if (normalized == NULL)
    return matches;
  needle = g_utf8_casefold (normalized, -1);

  actors = cm_dataset_peek_actors (cm_document_get_dataset (self->document), &n_actors);
  for (guint i = 0; i < n_actors; i++)
    {
      const char *fields[] = { cm_actor_get_name (actors[i]), cm_actor_get_id (actors[i]),
                               cm_actor_get_role (actors[i]) };
      int best = -1;

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *norm = NULL;
          g_autofree char *hay = NULL;
          int rank;

          if (fields[f] == NULL)
            continue;
          norm = g_utf8_normalize (fields[f], -1, G_NORMALIZE_ALL);
          hay = norm != NULL ? g_utf8_casefold (norm, -1) : NULL;
          if (hay == NULL || (rank = match_rank (hay, needle)) < 0)
            continue;
          /* The name counts most; an id or a role after any name. */
          if (f > 0)
            rank += 3;
          if (best < 0 || rank < best)
            best = rank;
        }
      if (best >= 0)
        {
          Match match = { actors[i], best, i };

          g_array_append_val (found, match);
        }
    }

  g_array_sort (found, compare_matches);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (matches, g_array_index (found, Match, i).actor);
  return matches;
}

static void
search_show (CmWindow *self,
             int       step)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) matches = find_actors (self, query);
  g_autofree char *status = NULL;
  CmActor *actor;

  if (query == NULL || *query == '\0')
    {
      gtk_label_set_text (self->search_status, "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }
  if (matches->len == 0)
    {
      gtk_label_set_text (self->search_status, _("Not found"));
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");

  self->search_index = (self->search_index + matches->len + step) % matches->len;
  actor = g_ptr_array_index (matches, self->search_index);
  cm_viewport_select_actor (self->viewport, actor);
  cm_canvas_center_on_actor (self->canvas, actor);

  /* Translators: the position in the search results, "2 of 3" */
  status = g_strdup_printf (_("%u of %u"), self->search_index + 1, matches->len);
  gtk_label_set_text (self->search_status, status);
}

static void
search_changed_cb (CmWindow       *self,
                   GtkSearchEntry *entry)
{
  self->search_index = 0;
  search_show (self, 0);
}

static void
search_next_cb (CmWindow       *self,
                GtkSearchEntry *entry)
{
  search_show (self, 1);
}

static void
search_previous_cb (CmWindow       *self,
                    GtkSearchEntry *entry)
{
  search_show (self, -1);
}

static void
search_stop_cb (CmWindow       *self,
                GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* ---- export ----------------------------------------------------------- */

/* The options for an export of what this window shows: @view is filled
 * in and pointed to for the current view. */
static void
export_options_for_window (CmWindow              *self,
                           const CmExportOptions *options,
                           gboolean               current_view,
                           CmExportOptions       *out,
                           CmRenderOptions       *view)
{
  *out = *options;
  out->view = NULL;
  if (current_view)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
      int height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

      cm_viewport_get_render_options (self->viewport, MAX (width, 1), MAX (height, 1), view);
      view->theme = options->theme;
      view->hover_actor = NULL;
      view->hover_link = NULL;
      out->view = view;
    }
}

/* An export runs in a worker thread, on a copy of the dataset taken when
 * it starts, so the window stays live (a big map at 4× takes seconds) and
 * nothing done meanwhile can change what is written. */
typedef struct
{
  CmWindow        *self;
  CmExportDialog  *dialog;             /* weak */
  GFile           *target;
  char            *name;
  char            *data;               /* the dataset, saved */
  gsize            length;
  CmExportOptions  options;
  CmRenderOptions  view;
  gboolean         current_view;
  char            *selected_actor;     /* ids, looked up in the copy */
  char            *selected_link;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  if (job->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (job->dialog), (gpointer *) &job->dialog);
  g_clear_object (&job->self);
  g_clear_object (&job->target);
  g_free (job->name);
  g_free (job->data);
  g_free (job->selected_actor);
  g_free (job->selected_link);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(CmDataset) copy = NULL;
  g_autoptr(GError) error = NULL;
  CmExportOptions options = job->options;
  CmRenderOptions view = job->view;

  copy = cm_dataset_load_from_data (job->data, job->length, NULL, &error);
  if (copy == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  options.view = NULL;
  if (job->current_view)
    {
      view.selected_actor = job->selected_actor != NULL
                            ? cm_dataset_lookup_actor (copy, job->selected_actor) : NULL;
      view.selected_link = job->selected_link != NULL
                           ? cm_dataset_lookup_link (copy, job->selected_link) : NULL;
      options.view = &view;
    }

  if (!cm_export_to_file (copy, job->target, &options, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmWindow *self = CM_WINDOW (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean done = g_task_propagate_boolean (G_TASK (result), &error);

  g_clear_object (&self->export_cancellable);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  if (!done)
    {
      g_autofree char *heading = NULL;

      if (job->dialog != NULL)
        cm_export_dialog_set_busy (job->dialog, FALSE);
      /* Cancelled: Cancel was pressed or the dialog closed. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      heading = g_strdup_printf (_("Could not export “%s”"), job->name);
      show_error (job->dialog != NULL ? GTK_WINDOW (job->dialog) : GTK_WINDOW (self),
                  heading, error->message);
      return;
    }

  remember_folder_of (self, job->target);
  if (job->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (job->dialog));

  {
    g_autofree char *text = g_strdup_printf (_("Exported “%s”"), job->name);
    g_autoptr(GFile) parent = g_file_get_parent (job->target);
    g_autofree char *folder_uri = parent != NULL ? g_file_get_uri (parent) : NULL;
    AdwToast *toast = toast_new (text, 6);

    if (folder_uri != NULL)
      {
        adw_toast_set_button_label (toast, _("Open _Folder"));
        adw_toast_set_action_name (toast, "win.show-folder");
        adw_toast_set_action_target_value (toast, g_variant_new_string (folder_uri));
      }
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }
}

static void
export_dialog_destroy_cb (CmWindow  *self,
                          GtkWidget *dialog)
{
  /* Cancel or closing the dialog stops the export; no partial file stays. */
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
export_dialog_export_cb (CmWindow       *self,
                         GFile          *file,
                         CmExportDialog *dialog)
{
  CmExportOptions options;
  CmExportFormat format;
  g_autoptr(GFile) target = g_object_ref (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  if (self->document == NULL || self->export_cancellable != NULL)
    return;

  cm_export_dialog_get_options (dialog, &options);

  /* The name decides when it names a format; else the dialog's format
   * adds its extension. */
  if (cm_export_format_from_filename (basename, &format) && format != CM_EXPORT_FORMAT_JSON)
    {
      if (format != options.format)
        {
          CmExportFormat chosen = options.format;

          cm_export_dialog_set_format (dialog, format);
          cm_export_dialog_get_options (dialog, &options);
          cm_export_dialog_set_format (dialog, chosen);
        }
    }
  else
    {
      g_autofree char *with = g_strconcat (basename, ".", cm_export_dialog_get_extension (dialog), NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      g_object_unref (target);
      target = g_file_get_child (parent, with);
    }

  job = g_new0 (ExportJob, 1);
  job->self = g_object_ref (self);
  job->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &job->dialog);
  job->target = g_object_ref (target);
  job->name = file_display_name (target);
  job->current_view = cm_export_dialog_get_current_view (dialog);
  export_options_for_window (self, &options, job->current_view, &job->options, &job->view);
  job->options.view = NULL;
  if (job->current_view)
    {
      CmActor *actor = cm_viewport_get_selected_actor (self->viewport);
      CmLink *link = cm_viewport_get_selected_link (self->viewport);

      job->selected_actor = actor != NULL ? g_strdup (cm_actor_get_id (actor)) : NULL;
      job->selected_link = link != NULL ? g_strdup (cm_link_get_id (link)) : NULL;
      job->view.selected_actor = NULL;
      job->view.selected_link = NULL;
    }
  /* The copy the worker draws: what the window shows now. */
  job->data = cm_dataset_save_to_data (cm_document_get_dataset (self->document), &job->length);

  self->export_cancellable = g_cancellable_new ();
  cm_export_dialog_set_busy (dialog, TRUE);

  task = g_task_new (self, self->export_cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, export_dialog_export_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
show_export_dialog (CmWindow *self)
{
  CmExportDialog *dialog;
  g_autofree char *basename = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->document == NULL)
    return;

  if (self->export_dialog != NULL)
    {
      gtk_window_present (self->export_dialog);
      return;
    }

  basename = cm_document_dup_basename (self->document);
  folder = get_last_folder (self);
  dialog = cm_export_dialog_new (GTK_WINDOW (self), basename, folder);
  g_signal_connect_object (dialog, "export", G_CALLBACK (export_dialog_export_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (export_dialog_destroy_cb),
                           self, G_CONNECT_SWAPPED);
  self->export_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->export_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- actions ---------------------------------------------------------- */

static void
open_then (CmWindow *self,
           gpointer  data)
{
  show_open_dialog (self);
}

static void
window_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CmWindow *self = CM_WINDOW (widget);

  if (g_str_equal (action_name, "win.open"))
    {
      /* Ask about unsaved changes only once a file was chosen. */
      open_then (self, NULL);
    }
  else if (g_str_equal (action_name, "win.open-example"))
    cm_window_open_example (self);
  else if (g_str_equal (action_name, "win.open-recent"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

      cm_window_open_file (self, file);
    }
  else if (g_str_equal (action_name, "win.save"))
    save_document (self, FALSE, NULL);
  else if (g_str_equal (action_name, "win.save-as"))
    save_document (self, TRUE, NULL);
  else if (g_str_equal (action_name, "win.export"))
    show_export_dialog (self);
  else if (g_str_equal (action_name, "win.fit"))
    cm_canvas_fit (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-in"))
    cm_canvas_zoom (self->canvas, 1.25);
  else if (g_str_equal (action_name, "win.zoom-out"))
    cm_canvas_zoom (self->canvas, 1.0 / 1.25);
  else if (g_str_equal (action_name, "win.rearrange"))
    {
      /* Where everything was, for Undo (a re-arrangement under way is
       * stopped first: its places so far are where things are). */
      cm_canvas_stop_arranging (self->canvas);
      if (self->history != NULL)
        cm_history_record_places (self->history, CM_HISTORY_REARRANGE, NULL, 0);
      cm_canvas_rearrange (self->canvas);
    }
  else if (g_str_equal (action_name, "win.undo") && self->history != NULL)
    {
      cm_canvas_stop_arranging (self->canvas);
      cm_history_undo (self->history);
    }
  else if (g_str_equal (action_name, "win.redo") && self->history != NULL)
    {
      cm_canvas_stop_arranging (self->canvas);
      cm_history_redo (self->history);
    }
  else if (g_str_equal (action_name, "win.search"))
    {
      gtk_search_bar_set_search_mode (self->search_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (g_str_equal (action_name, "win.import-notes"))
    show_import_notes (self);
  else if (g_str_equal (action_name, "win.reload"))
    reload_file (self);
  else if (g_str_equal (action_name, "win.cancel-load"))
    cancel_load_clicked_cb (self, NULL);
  else if (g_str_equal (action_name, "win.show-folder"))
    {
      const char *uri = g_variant_get_string (parameter, NULL);

      /* Our own export's folder, which the person asked to see. */
      if (g_str_has_prefix (uri, "file:"))
        gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
    }
}

/* Escape, wherever the focus is in the window, undoes the last thing
 * begun: a load, then a search, then the selection (also with the focus
 * in the side panel, on a channel row or in quote text). */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  CmWindow *self = CM_WINDOW (widget);
  GtkWidget *focus;
  gboolean in_panel;

  if (self->load_cancellable != NULL)
    {
      cancel_load_clicked_cb (self, NULL);
      return TRUE;
    }
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      search_stop_cb (self, self->search_entry);
      return TRUE;
    }
  if (self->document == NULL ||
      (cm_viewport_get_selected_actor (self->viewport) == NULL &&
       cm_viewport_get_selected_link (self->viewport) == NULL))
    return FALSE;

  /* The side panel's page goes: the focus, if it was there, moves to the
   * map first, rather than fall on whatever the panel shows next (its
   * title, a selectable label, would show all selected). */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  in_panel = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->side_panel));
  if (in_panel)
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  cm_viewport_clear_selection (self->viewport);
  return TRUE;
}

static void
cm_window_set_show_legend (CmWindow *self,
                           gboolean  show)
{
  GSettings *settings = cm_ui_get_settings ();

  show = !!show;
  if (show == self->show_legend)
    return;

  self->show_legend = show;
  update_legend_visible (self);
  if (settings_has_key (settings, "show-legend"))
    g_settings_set_boolean (settings, "show-legend", show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LEGEND]);
}

/* ---- closing ---------------------------------------------------------- */

static void
close_then (CmWindow *self,
            gpointer  data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
cm_window_close_request (GtkWindow *window)
{
  CmWindow *self = CM_WINDOW (window);

  save_window_state (self);

  if (!self->close_confirmed && self->document != NULL &&
      cm_document_get_modified (self->document))
    {
      maybe_discard_changes (self, then_new (close_then, NULL, NULL));
      return TRUE;
    }

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);

  return GTK_WINDOW_CLASS (cm_window_parent_class)->close_request (window);
}

/* ---- GObject ---------------------------------------------------------- */

static void
style_dark_cb (CmWindow        *self,
               GParamSpec      *pspec,
               AdwStyleManager *manager)
{
  cm_viewport_set_theme (self->viewport,
                         adw_style_manager_get_dark (manager) ? CM_RENDER_THEME_DARK
                                                              : CM_RENDER_THEME_LIGHT);
}

static void
viewport_channels_cb (CmWindow   *self,
                      GParamSpec *pspec,
                      CmViewport *viewport)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DIRECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_INDIRECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ABSENT]);
  save_channel_filter (self);
}

static void
cm_window_dispose (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
#if GTK_CHECK_VERSION (4, 10, 0)
  /* The dialog's callback drops it. */
  if (self->file_dialog != NULL)
    g_cancellable_cancel (self->file_dialog);
#else
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
#endif
  if (self->export_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->export_dialog), (gpointer *) &self->export_dialog);
      self->export_dialog = NULL;
    }
  stop_watching_file (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  set_history (self, NULL);
  if (self->dataset != NULL)
    g_signal_handlers_disconnect_by_data (self->dataset, self);
  g_clear_object (&self->dataset);
  g_clear_handle_id (&self->kinds_idle, g_source_remove);
  g_clear_handle_id (&self->map_controls_idle, g_source_remove);
  g_clear_handle_id (&self->paned_resize_idle, g_source_remove);
  g_clear_object (&self->loading_file);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_WINDOW);

  g_clear_object (&self->viewport);
  g_clear_object (&self->recent_menu);

  G_OBJECT_CLASS (cm_window_parent_class)->dispose (object);
}

static void
cm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmWindow *self = CM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_DIRECT:
      g_value_set_boolean (value, cm_viewport_get_channel_visible (self->viewport, CM_CHANNEL_DIRECT));
      break;
    case PROP_SHOW_INDIRECT:
      g_value_set_boolean (value, cm_viewport_get_channel_visible (self->viewport, CM_CHANNEL_INDIRECT));
      break;
    case PROP_SHOW_ABSENT:
      g_value_set_boolean (value, cm_viewport_get_channel_visible (self->viewport, CM_CHANNEL_ABSENT));
      break;
    case PROP_SHOW_LEGEND:
      g_value_set_boolean (value, self->show_legend);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CmWindow *self = CM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_DIRECT:
      cm_viewport_set_channel_visible (self->viewport, CM_CHANNEL_DIRECT, g_value_get_boolean (value));
      break;
    case PROP_SHOW_INDIRECT:
      cm_viewport_set_channel_visible (self->viewport, CM_CHANNEL_INDIRECT, g_value_get_boolean (value));
      break;
    case PROP_SHOW_ABSENT:
      cm_viewport_set_channel_visible (self->viewport, CM_CHANNEL_ABSENT, g_value_get_boolean (value));
      break;
    case PROP_SHOW_LEGEND:
      cm_window_set_show_legend (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_window_class_init (CmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cm_window_dispose;
  object_class->get_property = cm_window_get_property;
  object_class->set_property = cm_window_set_property;
  window_class->close_request = cm_window_close_request;

  properties[PROP_SHOW_DIRECT] =
    g_param_spec_boolean ("show-direct", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_INDIRECT] =
    g_param_spec_boolean ("show-indirect", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_ABSENT] =
    g_param_spec_boolean ("show-absent", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LEGEND] =
    g_param_spec_boolean ("show-legend", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CM_TYPE_CANVAS);
  g_type_ensure (CM_TYPE_SIDE_PANEL);
  g_type_ensure (CM_TYPE_CHANNEL_SAMPLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/channelmap/ChannelMap/cm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, recent_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, start_open_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, start_example_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, cancel_load_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, search_status);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, loading_revealer);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, recent_box);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, show_direct_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, show_indirect_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, show_absent_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, direct_label);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, indirect_label);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, absent_label);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, disk_banner);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, disk_banner_label);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, disk_reload_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, side_panel);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_load_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, paned_max_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, paned_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, disk_dismiss_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_overlay_child_position_cb);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.open-example", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.fit", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.rearrange", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.import-notes", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, window_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-folder", "s", window_action_cb);
  gtk_widget_class_install_property_action (widget_class, "win.show-direct", "show-direct");
  gtk_widget_class_install_property_action (widget_class, "win.show-indirect", "show-indirect");
  gtk_widget_class_install_property_action (widget_class, "win.show-absent", "show-absent");
  gtk_widget_class_install_property_action (widget_class, "win.show-legend", "show-legend");

  /* Escape when no widget in focus took it for itself (the search entry,
   * an editable field; popovers and dialogs are windows of their own). */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
cm_window_init (CmWindow *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkDropTarget *drop;

  self->viewport = cm_viewport_new ();
  self->recent_menu = g_menu_new ();
  self->show_legend = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  cm_button_fix_accessible_name (self->open_button);
  cm_button_fix_accessible_name (self->start_open_button);
  cm_button_fix_accessible_name (self->start_example_button);
  cm_button_fix_accessible_name (self->cancel_load_button);

  cm_canvas_set_viewport (self->canvas, self->viewport);
  g_signal_connect_object (self->canvas, "actor-drag-begin", G_CALLBACK (actor_drag_begin_cb),
                           self, G_CONNECT_SWAPPED);
  cm_side_panel_set_viewport (self->side_panel, self->viewport);
  gtk_menu_button_set_menu_model (self->recent_button, G_MENU_MODEL (self->recent_menu));

  g_signal_connect_object (style, "notify::dark", G_CALLBACK (style_dark_cb), self, G_CONNECT_SWAPPED);
  style_dark_cb (self, NULL, style);
  g_signal_connect_object (self->viewport, "notify::channels", G_CALLBACK (viewport_channels_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->main_stack));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (rebuild_recent), self, G_CONNECT_SWAPPED);
  rebuild_recent (self);

  load_window_state (self);
  load_channel_filter (self);
  if (settings_has_key (cm_ui_get_settings (), "show-legend"))
    cm_window_set_show_legend (self, g_settings_get_boolean (cm_ui_get_settings (), "show-legend"));
  update_legend_kinds (self);
  update_actions (self);
  update_title (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", FALSE);
  gtk_widget_grab_focus (self->start_open_button);
}

/* ---- public API ------------------------------------------------------- */

CmWindow *
cm_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CM_TYPE_WINDOW, "application", application, NULL);
}

void
cm_window_open_file (CmWindow *self,
                     GFile    *file)
{
  GtkApplication *app;

  g_return_if_fail (CM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* A file another window shows already: that window comes forward,
   * rather than a second copy that the two would each save over. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  for (GList *l = app != NULL ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      GFile *shown;

      if (l->data == (gpointer) self || !CM_IS_WINDOW (l->data))
        continue;
      shown = cm_window_get_file (l->data);
      if (shown != NULL && g_file_equal (shown, file))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  maybe_discard_changes (self, then_new (load_file_then, g_object_ref (file), g_object_unref));
}

void
cm_window_open_example (CmWindow *self)
{
  g_autoptr(GFile) file = cm_ui_get_example_file ();

  g_return_if_fail (CM_IS_WINDOW (self));

  maybe_discard_changes (self, then_new (load_example_then, g_steal_pointer (&file), g_object_unref));
}

gboolean
cm_window_get_loading (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return self->load_cancellable != NULL;
}

void
cm_window_set_document (CmWindow   *self,
                        CmDocument *document)
{
  g_return_if_fail (CM_IS_WINDOW (self));
  g_return_if_fail (document == NULL || CM_IS_DOCUMENT (document));

  if (document == self->document)
    return;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_object (document, "notify::modified", G_CALLBACK (document_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::title", G_CALLBACK (document_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::file", G_CALLBACK (document_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::is-example", G_CALLBACK (document_notify_cb),
                               self, G_CONNECT_SWAPPED);
    }
  if (self->dataset != NULL)
    g_signal_handlers_disconnect_by_data (self->dataset, self);
  {
    CmDataset *dataset = document != NULL ? cm_document_get_dataset (document) : NULL;

    g_set_object (&self->dataset, dataset);
  }
  if (self->dataset != NULL)
    g_signal_connect_object (self->dataset, "changed", G_CALLBACK (dataset_changed_cb),
                             self, G_CONNECT_SWAPPED);
  set_history (self, self->dataset != NULL ? cm_history_new (self->dataset) : NULL);
  g_clear_handle_id (&self->kinds_idle, g_source_remove);
  update_legend_kinds (self);
  /* A new document, even of the same file (a reload): watched afresh. */
  unwatch_file (self);
  watch_file (self);

  cm_viewport_clear_selection (self->viewport);
  cm_viewport_set_hover (self->viewport, NULL, NULL);
  cm_canvas_set_dataset (self->canvas, document != NULL ? cm_document_get_dataset (document) : NULL);
  if (document != NULL)
    {
      guint64 generation;
      CmDataset *copy = cm_document_get_drawing_copy (document, &generation);

      cm_canvas_set_drawing_copy (self->canvas, copy, generation);
    }
  cm_side_panel_set_dataset (self->side_panel, document != NULL ? cm_document_get_dataset (document) : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->close_confirmed = FALSE;

  gtk_stack_set_visible_child_name (self->main_stack, document != NULL ? "map" : "start");
  update_actions (self);
  update_title (self);

  /* The map takes the keys; on the start page, Enter opens a dataset. */
  if (document != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  else
    gtk_widget_grab_focus (self->start_open_button);
}

CmDocument *
cm_window_get_document (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->document;
}

CmViewport *
cm_window_get_viewport (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->viewport;
}

CmCanvas *
cm_window_get_canvas (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->canvas;
}

CmSidePanel *
cm_window_get_side_panel (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->side_panel;
}

gboolean
cm_window_is_empty (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return self->document == NULL && self->load_cancellable == NULL;
}

GFile *
cm_window_get_file (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  if (self->document == NULL || cm_document_get_is_example (self->document))
    return NULL;
  return cm_document_get_file (self->document);
}

gboolean
cm_window_export_to_file (CmWindow               *self,
                          GFile                  *file,
                          const CmExportOptions  *options,
                          gboolean                current_view,
                          GError                **error)
{
  CmExportOptions copy;
  CmRenderOptions view;

  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (self->document == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No map is open"));
      return FALSE;
    }

  export_options_for_window (self, options, current_view, &copy, &view);
  return cm_export_to_file (cm_document_get_dataset (self->document), file, &copy, NULL, error);
}

gboolean
cm_window_get_exporting (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), FALSE);

  return self->export_cancellable != NULL;
}
