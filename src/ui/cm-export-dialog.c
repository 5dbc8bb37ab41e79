/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-export-dialog.h"
#include "cm-ui-util.h"
#include "cm-window.h"

/* A width asked for in pixels: below this, the whole drawing scaled down
 * to it leaves names, the legend and the title unreadable (the example's
 * 1070 px natural width at 320 px puts its names under 4 px high);
 * above it, no image is made (the exporter's limit a side). */
#define MIN_WIDTH 320
#define MAX_WIDTH 16384

struct _CmExportDialog
{
  AdwWindow     parent_instance;

  AdwComboRow  *format_row;
  AdwComboRow  *area_row;
  AdwComboRow  *size_row;
  AdwActionRow *width_row;
  GtkSpinButton *width_spin;
  AdwActionRow *size_info_row;
  GtkSwitch    *title_switch;
  GtkSwitch    *legend_switch;
  GtkSwitch    *sources_switch;
  AdwActionRow *transparent_row;
  GtkSwitch    *transparent_switch;
  AdwComboRow  *style_row;
  GtkWidget    *export_button;
  GtkWidget    *cancel_button;
  GtkWidget    *page;
  GtkSpinner   *spinner;
  gboolean      busy;

  char         *basename;
  GFile        *folder;
#if GTK_CHECK_VERSION (4, 10, 0)
  GCancellable *chooser;          /* while the GtkFileDialog is open */
#else
  GtkNativeDialog *chooser;
#endif
};

enum {
  EXPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmExportDialog, cm_export_dialog, ADW_TYPE_WINDOW)

enum { FORMAT_PNG, FORMAT_SVG, FORMAT_PDF };
enum { SIZE_1X, SIZE_2X, SIZE_4X, SIZE_WIDTH };

/* TRUE when the width asked for is one the dialog refuses (too narrow to
 * read, or more than an image can have); @message says why. */
static gboolean
width_refused (CmExportDialog  *self,
               char           **message)
{
  int width;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->width_row)))
    return FALSE;
  width = gtk_spin_button_get_value_as_int (self->width_spin);
  if (width < MIN_WIDTH)
    {
      if (message != NULL)
        *message = g_strdup_printf (_("At least %d px: narrower, the names and the legend could not be read"),
                                    MIN_WIDTH);
      return TRUE;
    }
  if (width > MAX_WIDTH)
    {
      if (message != NULL)
        *message = g_strdup_printf (_("At most %d px"), MAX_WIDTH);
      return TRUE;
    }
  return FALSE;
}

static void
update_export_sensitive (CmExportDialog *self)
{
  gtk_widget_set_sensitive (self->export_button,
                            !self->busy && self->chooser == NULL && !width_refused (self, NULL));
}

/* The size of the file: the whole map's as the exporter computes it
 * (cm_export_get_size()); the current view's is the canvas's, with the
 * title and sources added when they are on. */
static char *
describe_size (CmExportDialog *self)
{
  CmExportOptions options;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gboolean png;
  int scale;

  cm_export_dialog_get_options (self, &options);
  png = options.format == CM_EXPORT_FORMAT_PNG;
  scale = png ? (int) options.scale : 1;

  if (cm_export_dialog_get_current_view (self) && CM_IS_WINDOW (parent))
    {
      GtkWidget *canvas = GTK_WIDGET (cm_window_get_canvas (CM_WINDOW (parent)));
      int width = MAX (gtk_widget_get_width (canvas), 1) * scale;
      int height = MAX (gtk_widget_get_height (canvas), 1) * scale;

      if (!options.show_title && !options.show_sources)
        return g_strdup_printf (png ? _("%d × %d px") : _("%d × %d pt"), width, height);
      return g_strdup_printf (png ? _("%d × %d px, and the title and sources")
                                  : _("%d × %d pt, and the title and sources"),
                              width, height);
    }
  /* The whole map: the exporter says. */
  if (CM_IS_WINDOW (parent) && cm_window_get_document (CM_WINDOW (parent)) != NULL)
    {
      CmDataset *dataset = cm_document_get_dataset (cm_window_get_document (CM_WINDOW (parent)));
      g_autoptr(GError) error = NULL;
      int width, height;

      if (cm_export_get_size (dataset, &options, &width, &height, &error))
        return g_strdup_printf (png ? _("%d × %d px") : _("%d × %d pt"), width, height);
      return g_strdup (error->message);
    }
  if (options.width > 0)
    return g_strdup_printf (_("%d px wide, as tall as the map needs"), options.width);
  if (png)
    return g_strdup_printf (_("The map’s own size, ×%d"), scale);
  return g_strdup (_("The map’s own size, in points"));
}

static void
update_size (CmExportDialog *self)
{
  g_autofree char *refusal = NULL;
  g_autofree char *size = NULL;

  if (width_refused (self, &refusal))
    {
      adw_action_row_set_subtitle (self->width_row, refusal);
      gtk_widget_add_css_class (GTK_WIDGET (self->width_spin), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->size_info_row), FALSE);
    }
  else
    {
      adw_action_row_set_subtitle (self->width_row, "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->width_spin), "error");
      size = describe_size (self);
      adw_action_row_set_subtitle (self->size_info_row, size);
      gtk_widget_set_visible (GTK_WIDGET (self->size_info_row), TRUE);
    }
  update_export_sensitive (self);
}

static void
update_sensitivity_cb (CmExportDialog *self)
{
  gboolean png = adw_combo_row_get_selected (self->format_row) == FORMAT_PNG;
  gboolean whole = adw_combo_row_get_selected (self->area_row) == 0;
  gboolean custom = adw_combo_row_get_selected (self->size_row) == SIZE_WIDTH;

  /* Vector formats have no pixels: only PNG has a resolution and can be
   * transparent.  The current view has the window's size. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->size_row), png);
  gtk_widget_set_visible (GTK_WIDGET (self->width_row), png && custom && whole);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transparent_row), png);
  update_size (self);
}

static void
file_chosen (CmExportDialog *self,
             GFile          *file)
{
  update_export_sensitive (self);

  if (file != NULL && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    g_signal_emit (self, signals[EXPORT], 0, file);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CmExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, &error);

  g_clear_object (&self->chooser);
  file_chosen (self, file);
}
#else
static void
chooser_response_cb (CmExportDialog       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GtkFileChooserNative) keep = g_object_ref (chooser);   /* we drop ours below */
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);
  file_chosen (self, file);
}
#endif

void
cm_export_dialog_choose_file (CmExportDialog *self)
{
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  const char *ext;

  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));

  /* A width the dialog refuses is said next to it, and not exported. */
  if (self->chooser != NULL || self->busy || width_refused (self, NULL))
    return;

  ext = cm_export_dialog_get_extension (self);
  filter = gtk_file_filter_new ();
  switch (adw_combo_row_get_selected (self->format_row))
    {
    case FORMAT_SVG:
      gtk_file_filter_set_name (filter, _("SVG drawings (*.svg)"));
      gtk_file_filter_add_suffix (filter, "svg");
      break;
    case FORMAT_PDF:
      gtk_file_filter_set_name (filter, _("PDF documents (*.pdf)"));
      gtk_file_filter_add_suffix (filter, "pdf");
      break;
    case FORMAT_PNG:
    default:
      gtk_file_filter_set_name (filter, _("PNG images (*.png)"));
      gtk_file_filter_add_suffix (filter, "png");
      break;
    }
  name = g_strdup_printf ("%s.%s", self->basename != NULL ? self->basename : "map", ext);
  gtk_widget_set_sensitive (self->export_button, FALSE);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, _("Export Diagram As"));
    gtk_file_dialog_set_accept_label (dialog, _("_Export"));
    gtk_file_dialog_set_modal (dialog, TRUE);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_set_initial_name (dialog, name);
    if (self->folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, self->folder);

    self->chooser = g_cancellable_new ();
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), self->chooser,
                          file_dialog_done_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (_("Export Diagram As"), GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_SAVE,
                                           _("_Export"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    if (self->folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->folder, NULL);

    g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb),
                             self, G_CONNECT_SWAPPED);
    self->chooser = GTK_NATIVE_DIALOG (chooser);
    gtk_native_dialog_show (self->chooser);
  }
#endif
}

static void
export_clicked_cb (CmExportDialog *self,
                   GtkButton      *button)
{
  cm_export_dialog_choose_file (self);
}

static void
cm_export_dialog_dispose (GObject *object)
{
  CmExportDialog *self = CM_EXPORT_DIALOG (object);

#if GTK_CHECK_VERSION (4, 10, 0)
  /* The dialog's callback drops it. */
  if (self->chooser != NULL)
    g_cancellable_cancel (self->chooser);
#else
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
#endif
  g_clear_object (&self->folder);
  g_clear_pointer (&self->basename, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (cm_export_dialog_parent_class)->dispose (object);
}

static void
cm_export_dialog_class_init (CmExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_export_dialog_dispose;

  /**
   * CmExportDialog::export:
   * @file: where to write
   *
   * The person chose a file; the options are those of the dialog now.
   */
  signals[EXPORT] =
    g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/channelmap/ChannelMap/cm-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, area_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, width_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, size_info_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, title_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, legend_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, sources_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, transparent_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, transparent_switch);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, style_row);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, CmExportDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cm_export_dialog_init (CmExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_button_fix_accessible_name (self->export_button);
  cm_button_fix_accessible_name (self->cancel_button);
  /* The size follows every option, and the window the dialog is for. */
  g_signal_connect_swapped (self->title_switch, "notify::active", G_CALLBACK (update_size), self);
  g_signal_connect_swapped (self->sources_switch, "notify::active", G_CALLBACK (update_size), self);
  g_signal_connect_swapped (self->legend_switch, "notify::active", G_CALLBACK (update_size), self);
  g_signal_connect_swapped (self->width_spin, "value-changed", G_CALLBACK (update_size), self);
  g_signal_connect_swapped (self, "notify::transient-for", G_CALLBACK (update_size), self);
  update_sensitivity_cb (self);
  /* No default widget: Enter on a row opens its choices (with one, GTK
   * 4.8 took Enter on a focused combo row to mean Export). */
  /* Ctrl+E, Enter: export with the options as they are. */
  gtk_widget_grab_focus (self->export_button);
}

CmExportDialog *
cm_export_dialog_new (GtkWindow  *parent,
                      const char *basename,
                      GFile      *folder)
{
  CmExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (CM_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->basename = g_strdup (basename);
  g_set_object (&self->folder, folder);
  return self;
}

void
cm_export_dialog_get_options (CmExportDialog  *self,
                              CmExportOptions *options)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (options != NULL);

  cm_export_options_init (options);

  switch (adw_combo_row_get_selected (self->format_row))
    {
    case FORMAT_SVG:
      options->format = CM_EXPORT_FORMAT_SVG;
      break;
    case FORMAT_PDF:
      options->format = CM_EXPORT_FORMAT_PDF;
      break;
    case FORMAT_PNG:
    default:
      options->format = CM_EXPORT_FORMAT_PNG;
      break;
    }

  options->scale = 1.0;
  if (options->format == CM_EXPORT_FORMAT_PNG)
    {
      switch (adw_combo_row_get_selected (self->size_row))
        {
        case SIZE_2X:
          options->scale = 2.0;
          break;
        case SIZE_4X:
          options->scale = 4.0;
          break;
        case SIZE_WIDTH:
          if (!cm_export_dialog_get_current_view (self))
            options->width = gtk_spin_button_get_value_as_int (self->width_spin);
          break;
        case SIZE_1X:
        default:
          break;
        }
      options->transparent = gtk_switch_get_active (self->transparent_switch);
    }

  options->show_title = gtk_switch_get_active (self->title_switch);
  options->show_legend = gtk_switch_get_active (self->legend_switch);
  options->show_sources = gtk_switch_get_active (self->sources_switch);
  options->theme = adw_combo_row_get_selected (self->style_row) == 1
                   ? CM_RENDER_THEME_DARK : CM_RENDER_THEME_LIGHT;
  options->view = NULL;
}

gboolean
cm_export_dialog_get_current_view (CmExportDialog *self)
{
  g_return_val_if_fail (CM_IS_EXPORT_DIALOG (self), FALSE);

  return adw_combo_row_get_selected (self->area_row) == 1;
}

void
cm_export_dialog_set_format (CmExportDialog *self,
                             CmExportFormat  format)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));

  switch (format)
    {
    case CM_EXPORT_FORMAT_SVG:
      adw_combo_row_set_selected (self->format_row, FORMAT_SVG);
      break;
    case CM_EXPORT_FORMAT_PDF:
      adw_combo_row_set_selected (self->format_row, FORMAT_PDF);
      break;
    case CM_EXPORT_FORMAT_PNG:
    case CM_EXPORT_FORMAT_JSON:
    default:
      adw_combo_row_set_selected (self->format_row, FORMAT_PNG);
      break;
    }
}

const char *
cm_export_dialog_get_extension (CmExportDialog *self)
{
  g_return_val_if_fail (CM_IS_EXPORT_DIALOG (self), "png");

  switch (adw_combo_row_get_selected (self->format_row))
    {
    case FORMAT_SVG:
      return "svg";
    case FORMAT_PDF:
      return "pdf";
    case FORMAT_PNG:
    default:
      return "png";
    }
}

void
cm_export_dialog_set_busy (CmExportDialog *self,
                           gboolean        busy)
{
  g_return_if_fail (CM_IS_EXPORT_DIALOG (self));

  self->busy = !!busy;
  gtk_widget_set_sensitive (self->page, !self->busy);
  update_export_sensitive (self);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  if (self->busy)
    gtk_widget_grab_focus (self->cancel_button);
  else
    gtk_widget_grab_focus (self->export_button);
}

gboolean
cm_export_dialog_get_busy (CmExportDialog *self)
{
  g_return_val_if_fail (CM_IS_EXPORT_DIALOG (self), FALSE);

  return self->busy;
}
