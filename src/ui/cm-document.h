/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-import.h"
#include "cm-model.h"

G_BEGIN_DECLS

#define CM_TYPE_DOCUMENT (cm_document_get_type ())
G_DECLARE_FINAL_TYPE (CmDocument, cm_document, CM, DOCUMENT, GObject)

/* A dataset and where it lives: its file (NULL for a new map or the bundled
 * example, which is never written over), whether it has unsaved changes
 * (any CmDataset::changed sets it; saving clears it), and what the file
 * looked like on disk when it was read or last written, to notice when
 * another program changed it. */
CmDocument *cm_document_new               (CmDataset            *dataset,
                                           GFile                *file);

/* Reads @file (a dataset, or any format the importers read) in a worker thread (the dataset is not shared until it is
 * done), lays out actors that have no position, and returns a new document.
 * On failure, cm_document_load_finish() also gives every problem found
 * (an array of CmProblem). */
void        cm_document_load_async        (GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
CmDocument *cm_document_load_finish       (GAsyncResult         *result,
                                           GPtrArray           **problems,
                                           GError              **error);

CmDataset  *cm_document_get_dataset       (CmDocument           *self);
CmDataset  *cm_document_get_drawing_copy  (CmDocument           *self,
                                           guint64              *generation);
GFile      *cm_document_get_file          (CmDocument           *self);
/* The name shown to people: the dataset's title, else the file's name,
 * else "Untitled Map". */
char       *cm_document_dup_title         (CmDocument           *self);
/* A file name to suggest when saving or exporting, without extension. */
char       *cm_document_dup_basename      (CmDocument           *self);

gboolean    cm_document_get_modified      (CmDocument           *self);
void        cm_document_set_modified      (CmDocument           *self,
                                           gboolean              modified);

/* What the file was when it was read: CM_FILE_FORMAT_CHANNEL_MAP, or the
 * format it was imported from. */
CmFileFormat cm_document_get_format       (CmDocument           *self);
/* What the importer wants the person to know (char *), or NULL. */
GPtrArray  *cm_document_get_notes         (CmDocument           *self);

/* Opened from the bundled examples: Save asks for a new name. */
gboolean    cm_document_get_is_example    (CmDocument           *self);
void        cm_document_set_is_example    (CmDocument           *self,
                                           gboolean              is_example);
/* TRUE when Save must ask for a name: no file, the example, or a file that
 * is not a Channel Map dataset (an imported GraphML, GEXF or CSV). */
gboolean    cm_document_needs_save_as     (CmDocument           *self);

/* TRUE when the file on disk is no longer the one read or last written
 * (other size, modification time or entity tag, or gone). */
gboolean    cm_document_changed_on_disk   (CmDocument           *self);

/* Writes the dataset atomically to @file (NULL: the document's own file).
 * On success the document belongs to @file and is no longer modified. */
gboolean    cm_document_save              (CmDocument           *self,
                                           GFile                *file,
                                           GError              **error);

G_END_DECLS
