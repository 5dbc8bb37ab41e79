/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cm-canvas.h"
#include "cm-document.h"
#include "cm-export.h"
#include "cm-side-panel.h"
#include "cm-viewport.h"

G_BEGIN_DECLS

#define CM_TYPE_WINDOW (cm_window_get_type ())
G_DECLARE_FINAL_TYPE (CmWindow, cm_window, CM, WINDOW, AdwApplicationWindow)

/* One window shows one map: the start page until a dataset is open, then
 * the canvas and the side panel.  Opening, saving and exporting go
 * through it; it asks before unsaved changes could be lost. */
CmWindow    *cm_window_new               (GtkApplication         *application);

/* Loads @file in the background and shows it when done; the map open now
 * stays until then, and stays for good when the file cannot be read.
 * Asks first when the current map has unsaved changes. */
void         cm_window_open_file         (CmWindow               *self,
                                          GFile                  *file);
void         cm_window_open_example      (CmWindow               *self);
gboolean     cm_window_get_loading       (CmWindow               *self);

/* Shows @document at once (no questions asked). */
void         cm_window_set_document      (CmWindow               *self,
                                          CmDocument             *document);
CmDocument  *cm_window_get_document      (CmWindow               *self);
CmViewport  *cm_window_get_viewport      (CmWindow               *self);
CmCanvas    *cm_window_get_canvas        (CmWindow               *self);
CmSidePanel *cm_window_get_side_panel    (CmWindow               *self);

/* TRUE when nothing is open or loading: a file opened from elsewhere may
 * take this window. */
gboolean     cm_window_is_empty          (CmWindow               *self);
/* The file shown, if any. */
GFile       *cm_window_get_file          (CmWindow               *self);

/* What the Export dialog does once it has a file: writes the map as
 * @options say; with @current_view, exactly the part on screen. */
gboolean     cm_window_export_to_file    (CmWindow               *self,
                                          GFile                  *file,
                                          const CmExportOptions  *options,
                                          gboolean                current_view,
                                          GError                **error);
/* TRUE while the Export dialog's file is being written (in a worker
 * thread; the window stays live). */
gboolean     cm_window_get_exporting     (CmWindow               *self);

G_END_DECLS
