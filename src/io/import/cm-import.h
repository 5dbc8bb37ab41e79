/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-model.h"
#include "cm-dataset-io.h"

G_BEGIN_DECLS

/*
 * Opening any supported file: the app's own JSON datasets and the graph and
 * event formats analysts already have.  Every entry point of the app (file
 * dialog, drag and drop, the command line, --check, --export) goes through
 * cm_dataset_open_file() or cm_dataset_open_data(), so they all accept the
 * same files, detected by extension and by content.
 *
 * Importing only reads: the result is a new dataset that the user saves as a
 * Channel Map .json file.  The only other file an importer may read is the
 * companion node table of a CSV edge list (X_edgelist.csv + X_nodelist.csv,
 * XEdges*.csv + XNodes*.csv) lying beside it, and only through
 * cm_dataset_open_file(); a note says so when it happens.
 */

typedef enum
{
  CM_FILE_FORMAT_UNKNOWN,
  CM_FILE_FORMAT_CHANNEL_MAP,     /* the app's own JSON (FORMAT.md) */
  CM_FILE_FORMAT_GRAPHML,         /* GraphML, incl. yEd / yFiles extensions */
  CM_FILE_FORMAT_GEXF,            /* GEXF 1.1 – 1.3 (Gephi) */
  CM_FILE_FORMAT_GML,             /* GML (Newman, igraph, networkx) */
  CM_FILE_FORMAT_CSV,             /* delimited edge list / node table */
  CM_FILE_FORMAT_DOT,             /* Graphviz DOT, read with cgraph */
  CM_FILE_FORMAT_GDELT,           /* GDELT 2.0 event table (CAMEO-coded events) */
  CM_FILE_FORMAT_NODE_LINK_JSON,  /* NetworkX / d3 node-link JSON {nodes, links} */
} CmFileFormat;

#define CM_N_FILE_FORMATS (CM_FILE_FORMAT_NODE_LINK_JSON + 1)

/* Extension AND content: content decides whenever it is conclusive (a .txt
 * holding GraphML is GraphML, a .csv holding a GDELT header is GDELT); the
 * extension decides when the content says nothing (an empty file, or text
 * that only a delimiter sniff would call CSV).  @filename and @data are both
 * nullable (@length 0 with @data NULL detects by name alone). */
CmFileFormat        cm_file_format_detect        (const char   *filename,
                                                  const char   *data,
                                                  gsize         length);
/* "GraphML", "GEXF", ... : for messages and the file dialog.  Not translated
 * (format names), except "Unknown" / "Channel Map dataset". */
const char         *cm_file_format_get_name      (CmFileFormat  format);
/* Glob patterns for a GtkFileFilter ("*.graphml", ...), lower case,
 * NULL-terminated; empty for CM_FILE_FORMAT_UNKNOWN. */
const char * const *cm_file_format_get_patterns  (CmFileFormat  format);
/* Every pattern of every format, once: for an "All supported files" filter. */
const char * const *cm_file_format_get_all_patterns (void);

/* Opens any supported file.  Native datasets go through
 * cm_dataset_load_from_data(), the others through their importer.
 *
 * @format_out (nullable): what the file was, also on failure when known.
 * @notes_out (nullable): a GPtrArray of char* sentences the importer wants the
 *   user to know ("No channel kind in the file: all 254 links are direct"),
 *   set on success and on failure (possibly empty).
 * @problems (nullable): CmProblem*, every problem found, as the loader does;
 *   for XML and CSV the path is line-like: "line 12", "row 5, column \"target\"".
 *
 * Errors: CM_DATASET_ERROR (SYNTAX: not well-formed; NOT_DATASET: no format
 * this app reads; INVALID: readable but breaks the format's own rules, every
 * problem in @problems; LIMIT: file size or counts; IO: cannot be read) or
 * G_IO_ERROR_CANCELLED.  Refuses files over CM_DATASET_MAX_FILE_SIZE before
 * reading them, and more than CM_DATASET_MAX_ACTORS actors or
 * CM_DATASET_MAX_LINKS links.  Thread-safe: may run in a GTask thread. */
CmDataset *cm_dataset_open_file (GFile         *file,
                                 GCancellable  *cancellable,
                                 CmFileFormat  *format_out,
                                 GPtrArray    **notes_out,
                                 GPtrArray    **problems,
                                 GError       **error);

/* The same on bytes already read.  @filename_hint (nullable) is used for
 * detection and for a title when the file has none; no other file is read. */
CmDataset *cm_dataset_open_data (const char    *filename_hint,
                                 const char    *data,
                                 gsize          length,
                                 CmFileFormat  *format_out,
                                 GPtrArray    **notes_out,
                                 GPtrArray    **problems,
                                 GError       **error);

G_END_DECLS
