/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-render.h"

G_BEGIN_DECLS

#define CM_EXPORT_ERROR (cm_export_error_quark ())

typedef enum
{
  CM_EXPORT_ERROR_FORMAT,     /* unknown extension */
  CM_EXPORT_ERROR_SIZE,       /* width/height/scale out of range */
  CM_EXPORT_ERROR_FAILED,     /* cairo or the file system failed (message says which) */
} CmExportError;

GQuark cm_export_error_quark (void);

typedef enum
{
  CM_EXPORT_FORMAT_PNG,
  CM_EXPORT_FORMAT_SVG,
  CM_EXPORT_FORMAT_PDF,
  CM_EXPORT_FORMAT_JSON,      /* the dataset with positions (io's saver) */
  CM_EXPORT_FORMAT_GRAPHML,   /* the graph, with channel, quote count and positions as data keys */
  CM_EXPORT_FORMAT_DOT,       /* Graphviz: solid/dashed/dotted per channel, positions */
} CmExportFormat;

gboolean cm_export_format_from_filename (const char     *filename,
                                         CmExportFormat *format);

typedef struct
{
  CmExportFormat   format;
  /* Size of the image, in pixels before @scale for PNG and in points for
   * SVG and PDF; at most 16 384 (times @scale) a side.  0 = automatic:
   * the whole map at 1 unit per diagram unit, plus room for title,
   * legend and sources (shrunk as a whole if that would be too large).
   * One of them set keeps the aspect ratio; both set fit the drawing
   * inside and widen the map to fill.  Either way the drawing is scaled
   * as a whole: a bigger file shows the same picture, bigger. */
  int              width;
  int              height;
  double           scale;          /* PNG pixel density (1, 2, 4, ...; up to 16); default 1 */
  gboolean         transparent;    /* no background: PNG with alpha; SVG/PDF paint none */
  gboolean         show_title;
  gboolean         show_legend;
  gboolean         show_sources;
  CmRenderTheme    theme;
  /* NULL: the whole map.  Else this view (the window's "current view"):
   * its zoom, centre, size, filters and selection are used. */
  const CmRenderOptions *view;
} CmExportOptions;

/* Defaults: PNG, automatic size, scale 1, light, opaque, with title,
 * legend and sources, the whole map. */
void     cm_export_options_init (CmExportOptions *options);

/* The size of the picture cm_export_to_file() would write with
 * @options: pixels for PNG (scale included), points for SVG and PDF. */
gboolean cm_export_get_size     (CmDataset              *dataset,
                                 const CmExportOptions  *options,
                                 int                    *width,
                                 int                    *height,
                                 GError                **error);

/* Writes @dataset to @file atomically: into a temporary file next to it,
 * renamed over the target only when complete, so a failure (no
 * permission, disk full) leaves no partial file and the old one intact. */
gboolean cm_export_to_file      (CmDataset              *dataset,
                                 GFile                  *file,
                                 const CmExportOptions  *options,
                                 GCancellable           *cancellable,
                                 GError                **error);

G_END_DECLS
