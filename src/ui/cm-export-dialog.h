/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-export.h"

G_BEGIN_DECLS

#define CM_TYPE_EXPORT_DIALOG (cm_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CmExportDialog, cm_export_dialog, CM, EXPORT_DIALOG, AdwWindow)

/* Asks how to export the diagram (format, size, area, decorations), then
 * for a file name, and emits CmExportDialog::export with the chosen file.
 * The window does the export and closes the dialog when it succeeded. */
CmExportDialog *cm_export_dialog_new         (GtkWindow       *parent,
                                              const char      *basename,
                                              GFile           *folder);

/* The options as chosen.  `view` is left NULL: the caller fills it in when
 * cm_export_dialog_get_current_view() is TRUE. */
void            cm_export_dialog_get_options (CmExportDialog  *self,
                                              CmExportOptions *options);
gboolean        cm_export_dialog_get_current_view (CmExportDialog *self);
void            cm_export_dialog_set_format  (CmExportDialog  *self,
                                              CmExportFormat   format);
/* "png", "svg" or "pdf" for the chosen format. */
const char     *cm_export_dialog_get_extension (CmExportDialog *self);

/* Shows the file chooser as the Export button does. */
void            cm_export_dialog_choose_file (CmExportDialog  *self);

/* While the window writes the file: the options and the Export button are
 * insensitive and a spinner turns; Cancel (or closing) still works and
 * stops the export. */
void            cm_export_dialog_set_busy    (CmExportDialog  *self,
                                              gboolean         busy);
gboolean        cm_export_dialog_get_busy    (CmExportDialog  *self);

G_END_DECLS
