/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>

#include "cm-atomic-file.h"
#include "cm-dataset-io.h"
#include "cm-export.h"
#include "cm-graph-export.h"
#include "cm-png.h"
#include "cm-render-private.h"

/* Export draws with the very function the canvas uses, into a memory
 * buffer, and only then writes the file, atomically: a failure half way
 * (cairo out of memory, a full disk) never leaves a truncated image and
 * never harms the file it was to replace. */

/* Largest side of an image, in pixels for PNG and points for SVG and PDF:
 * cairo's own limit for image surfaces is 32 767, and viewers struggle
 * long before it. */
#define MAX_SIDE 16384.0
#define MAX_SCALE 16.0
/* An automatic size is at least this wide, so the title and the legend
 * have room next to a tiny map. */
#define MIN_AUTO_WIDTH 480.0
/* A PNG of automatic size has at most this many pixels (after --scale).
 * A bigger map is drawn zoomed out into that size, as the window shows
 * it: shapes smaller, but text, line widths and dash patterns at their
 * usual size, names left out where they have no room.  Shrinking it as a
 * whole instead would make every name a smudge, and the natural size of a
 * 20 000-actor map (16 384 pixels square, 1 GiB of pixels) takes minutes
 * to draw and to encode, and no viewer opens it.  --width and --height
 * still ask for any size up to MAX_SIDE. */
#define AUTO_MAX_PIXELS (8.0 * 1024 * 1024)
/* An automatic size keeps at least this much height for the map between
 * the title, the legend and the sources, however wide and flat the map
 * (two actors 100 000 units apart made an image 29 pixels high). */
#define MIN_AUTO_MAP_HEIGHT 160.0
/* The widest map drawn whole, in diagram units: zoomed out to fit
 * MAX_SIDE at the renderer's smallest fitting zoom (1e-8). */
#define MAX_MAP_SPAN 1e12

G_DEFINE_QUARK (cm-export-error-quark, cm_export_error)

void
cm_export_options_init (CmExportOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (CmExportOptions) {
    .format = CM_EXPORT_FORMAT_PNG,
    .scale = 1.0,
    .show_title = TRUE,
    .show_legend = TRUE,
    .show_sources = TRUE,
    .theme = CM_RENDER_THEME_LIGHT,
  };
}

gboolean
cm_export_format_from_filename (const char     *filename,
                                CmExportFormat *format)
{
  static const struct {
    const char     *extension;
    CmExportFormat  format;
  } formats[] = {
    { ".png", CM_EXPORT_FORMAT_PNG },
    { ".svg", CM_EXPORT_FORMAT_SVG },
    { ".pdf", CM_EXPORT_FORMAT_PDF },
    { ".json", CM_EXPORT_FORMAT_JSON },
    { ".graphml", CM_EXPORT_FORMAT_GRAPHML },
    { ".dot", CM_EXPORT_FORMAT_DOT },
    { ".gv", CM_EXPORT_FORMAT_DOT },
  };
  const char *dot;

  g_return_val_if_fail (filename != NULL, FALSE);

  dot = strrchr (filename, '.');
  /* A dot in a folder's name is no extension. */
  if (dot == NULL || strchr (dot, '/') != NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (dot, formats[i].extension) == 0)
      {
        if (format != NULL)
          *format = formats[i].format;
        return TRUE;
      }

  return FALSE;
}

/* Where the drawing goes: @render is what cm_render_draw() gets (its
 * width and height are the drawing's own units), @out_width × @out_height
 * the size of the file in its units (pixels before the PNG scale, points
 * for SVG and PDF), and @factor = out / render, the same both ways. */
typedef struct
{
  CmRenderOptions render;
  double          out_width;
  double          out_height;
  double          factor;
} Geometry;

/* The map's own size at zoom 1 with the title, legend and sources
 * around it; @min_height is the least height that still shows those and
 * a band of the map. */
static gboolean
natural_size (CmDataset       *dataset,
              CmRenderOptions *render,
              double          *width,
              double          *height,
              double          *min_height,
              GError         **error)
{
  double x0, y0, x1, y1;
  double th, sh, lw, lh;
  double map_w = 240, map_h = 160;

  if (cm_render_get_bounds (dataset, &x0, &y0, &x1, &y1))
    {
      map_w = x1 - x0 + 2 * CM_RENDER_MARGIN;
      map_h = y1 - y0 + 2 * CM_RENDER_MARGIN;
    }
  /* Finite positions can be too far apart to draw in one picture (the
   * map would be zoomed out past what the renderer fits, see fit_zoom()),
   * or even for their difference (±1.7e308). */
  if (!(map_w <= MAX_MAP_SPAN) || !(map_h <= MAX_MAP_SPAN))
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE,
                   _("The actors are placed too far apart to draw; lay the map out anew"));
      return FALSE;
    }

  /* Measured first at a generous width, so the legend can say how wide
   * it wants to be in its two-row form. */
  render->width = MAX_SIDE;
  _cm_render_measure_decorations (dataset, render, &th, &sh, &lw, &lh);
  *width = MAX (MAX (map_w, lw + 2 * CM_RENDER_MARGIN),
                render->show_title || render->show_legend || render->show_sources ? MIN_AUTO_WIDTH : 0);
  *width = ceil (*width);

  render->width = *width;
  _cm_render_measure_decorations (dataset, render, &th, &sh, &lw, &lh);
  *height = ceil (th + map_h + (lh > 0 ? lh + CM_RENDER_MARGIN / 2 : 0) + sh);
  *min_height = ceil (th + MIN_AUTO_MAP_HEIGHT + (lh > 0 ? lh + CM_RENDER_MARGIN / 2 : 0) + sh);
  *min_height = MIN (*min_height, *height);
  return TRUE;
}

static gboolean
compute_geometry (CmDataset             *dataset,
                  const CmExportOptions *options,
                  Geometry              *g,
                  GError               **error)
{
  gboolean whole_map = options->view == NULL;
  double scale = options->format == CM_EXPORT_FORMAT_PNG ? options->scale : 1.0;
  double w, h, min_w = 1.0, min_h = 1.0;

  if (options->width < 0 || options->height < 0 || !(options->scale > 0) ||
      options->scale > MAX_SCALE || !isfinite (options->scale))
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE,
                   _("The size must be positive and the scale between 0 and %g"), MAX_SCALE);
      return FALSE;
    }
  if (options->width * scale > MAX_SIDE || options->height * scale > MAX_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE,
                   _("The image would be too large: at most %g pixels a side"), MAX_SIDE);
      return FALSE;
    }

  if (whole_map)
    cm_render_options_init (&g->render);
  else
    {
      g->render = *options->view;
      if (!(g->render.zoom > 0) || !(g->render.width >= 1) || !(g->render.height >= 1))
        {
          g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE,
                       _("The view to export is empty"));
          return FALSE;
        }
    }
  g->render.theme = options->theme;
  g->render.show_title = options->show_title;
  g->render.show_legend = options->show_legend;
  g->render.show_sources = options->show_sources;
  g->render.background = !options->transparent;
  g->render.exact = TRUE;
  /* A file is looked at without a pointer: no hover. */
  g->render.hover_actor = NULL;
  g->render.hover_link = NULL;

  if (whole_map)
    {
      if (!natural_size (dataset, &g->render, &w, &h, &min_h, error))
        return FALSE;
      min_w = MIN (w, g->render.show_title || g->render.show_legend || g->render.show_sources
                      ? MIN_AUTO_WIDTH : 1.0);
    }
  else
    {
      double th, sh, lw, lh;

      /* The view keeps its size; the title goes above it and the sources
       * below, so they hide nothing of it. */
      _cm_render_measure_decorations (dataset, &g->render, &th, &sh, &lw, &lh);
      w = g->render.width;
      h = g->render.height + th + sh;
      g->render.center_y -= (th - sh) / 2 / g->render.zoom;
      g->render.height = h;
    }

  /* One size given keeps the aspect ratio; two fit the drawing inside
   * and widen it to fill the rest; none is the natural size.  In every
   * case the drawing is scaled as a whole, so a bigger file shows the
   * same map, bigger, not more of it in smaller print. */
  if (options->width > 0 && options->height > 0)
    {
      g->factor = MIN (options->width / w, options->height / h);
      g->out_width = options->width;
      g->out_height = options->height;
    }
  else if (options->width > 0)
    {
      g->factor = options->width / w;
      g->out_width = options->width;
      g->out_height = MAX (1.0, round (h * g->factor));
    }
  else if (options->height > 0)
    {
      g->factor = options->height / h;
      g->out_height = options->height;
      g->out_width = MAX (1.0, round (w * g->factor));
    }
  else if (options->format == CM_EXPORT_FORMAT_PNG)
    {
      double f = 1.0;

      /* Too big for an image: the same aspect, fewer pixels, the map
       * zoomed out to fit (cm_render_fit() below).  The pixel budget is
       * counted before --scale, which only makes the same picture
       * sharper (2× the pixels a side), up to the largest side. */
      if (w * h > AUTO_MAX_PIXELS)
        f = sqrt (AUTO_MAX_PIXELS / (w * h));
      if (MAX (w, h) * f * scale > MAX_SIDE)
        f = MAX_SIDE / (MAX (w, h) * scale);
      g->factor = 1.0;
      g->out_width = MAX (floor (MAX_SIDE / scale) < min_w ? 1.0 : min_w, floor (w * f));
      g->out_height = MAX (floor (MAX_SIDE / scale) < min_h ? 1.0 : min_h, floor (h * f));
    }
  else
    {
      g->factor = 1.0;
      /* Too big for a page: shrink it as a whole (a vector file can be
       * zoomed into). */
      if (MAX (w, h) * scale > MAX_SIDE)
        g->factor = MAX_SIDE / (MAX (w, h) * scale);
      /* Not so flat that the title, legend and sources shrink away:
       * taller, the map drawn zoomed out into it (cm_render_fit()). */
      if (h * g->factor < min_h || w * g->factor < min_w)
        {
          g->factor = MAX (g->factor, MIN (min_h / h, min_w / w));
          g->factor = MIN (g->factor, 1.0);
        }
      g->out_width = MAX (1.0, floor (w * g->factor));
      g->out_height = MAX (1.0, floor (h * g->factor));
    }

  if (g->out_width * scale > MAX_SIDE || g->out_height * scale > MAX_SIDE)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE,
                   _("The image would be too large: at most %g pixels a side"), MAX_SIDE);
      return FALSE;
    }

  g->render.width = g->out_width / g->factor;
  g->render.height = g->out_height / g->factor;
  if (whole_map)
    cm_render_fit (&g->render, dataset);

  return TRUE;
}

static cairo_status_t
write_to_array_cb (void                *closure,
                   const unsigned char *data,
                   unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_status (cairo_status_t   status,
              GFile           *file,
              GError         **error)
{
  g_autofree char *name = NULL;

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  name = g_file_get_parse_name (file);
  g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FAILED,
               _("Could not draw “%s”: %s"), name, cairo_status_to_string (status));
  return FALSE;
}

static void
draw (cairo_surface_t *surface,
      CmDataset       *dataset,
      const Geometry  *g,
      double           scale)
{
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, g->factor * scale, g->factor * scale);
  cm_render_draw (cr, dataset, &g->render);
  cairo_destroy (cr);
}

static GByteArray *
render_png (CmDataset             *dataset,
            const CmExportOptions *options,
            const Geometry        *g,
            GFile                 *file,
            GError               **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  int pw = MAX (1, (int) ceil (g->out_width * options->scale - 1e-6));
  int ph = MAX (1, (int) ceil (g->out_height * options->scale - 1e-6));

  /* An opaque image is written without an alpha channel: smaller, and
   * what every viewer expects. */
  surface = cairo_image_surface_create (options->transparent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        pw, ph);
  if (!check_status (cairo_surface_status (surface), file, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  draw (surface, dataset, g, options->scale);
  cairo_surface_flush (surface);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS && !_cm_png_encode (surface, bytes))
    status = CAIRO_STATUS_NO_MEMORY;
  cairo_surface_destroy (surface);

  if (!check_status (status, file, error))
    return NULL;
  return g_steal_pointer (&bytes);
}

static GByteArray *
render_vector (CmDataset             *dataset,
               const CmExportOptions *options,
               const Geometry        *g,
               GFile                 *file,
               GError               **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  if (options->format == CM_EXPORT_FORMAT_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (write_to_array_cb, bytes,
                                                     g->out_width, g->out_height);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
    }
  else
    {
      const char *title = cm_dataset_get_title (dataset);

      surface = cairo_pdf_surface_create_for_stream (write_to_array_cb, bytes,
                                                     g->out_width, g->out_height);
      if (title != NULL && *title != '\0')
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Channel Map");
    }

  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    draw (surface, dataset, g, 1.0);
  /* Finishing writes the rest of the document into the buffer; errors
   * while drawing or writing show in the status only after it. */
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (!check_status (status, file, error))
    return NULL;
  return g_steal_pointer (&bytes);
}

gboolean
cm_export_get_size (CmDataset              *dataset,
                    const CmExportOptions  *options,
                    int                    *width,
                    int                    *height,
                    GError                **error)
{
  Geometry g;
  double scale;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (options->format != CM_EXPORT_FORMAT_PNG && options->format != CM_EXPORT_FORMAT_SVG &&
      options->format != CM_EXPORT_FORMAT_PDF)
    {
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FORMAT,
                   _("Only a picture has a size"));
      return FALSE;
    }
  if (!compute_geometry (dataset, options, &g, error))
    return FALSE;
  /* As render_png() sizes its image; a page is as many points. */
  scale = options->format == CM_EXPORT_FORMAT_PNG ? options->scale : 1.0;
  if (width != NULL)
    *width = MAX (1, (int) ceil (g.out_width * scale - 1e-6));
  if (height != NULL)
    *height = MAX (1, (int) ceil (g.out_height * scale - 1e-6));
  return TRUE;
}

gboolean
cm_export_to_file (CmDataset              *dataset,
                   GFile                  *file,
                   const CmExportOptions  *options,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *json = NULL;
  const char *data;
  gsize length;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Say plainly when the folder is missing, before any drawing: "No such
   * file or directory" alone does not tell which part is missing. */
  {
    g_autoptr(GFile) parent = g_file_get_parent (file);

    if (parent != NULL && g_file_is_native (parent) &&
        g_file_query_file_type (parent, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
      {
        g_autofree char *name = g_file_get_parse_name (file);
        g_autofree char *folder = g_file_get_parse_name (parent);

        g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FAILED,
                     _("Could not save “%s”: the folder “%s” does not exist"), name, folder);
        return FALSE;
      }
  }

  switch (options->format)
    {
    case CM_EXPORT_FORMAT_JSON:
      json = cm_dataset_save_to_data (dataset, &length);
      data = json;
      break;

    case CM_EXPORT_FORMAT_GRAPHML:
      json = cm_graphml_write (dataset, &length);
      data = json;
      break;

    case CM_EXPORT_FORMAT_DOT:
      json = cm_dot_write (dataset, &length);
      data = json;
      break;

    case CM_EXPORT_FORMAT_PNG:
    case CM_EXPORT_FORMAT_SVG:
    case CM_EXPORT_FORMAT_PDF:
      {
        Geometry g;

        if (!compute_geometry (dataset, options, &g, error))
          return FALSE;
        if (options->format == CM_EXPORT_FORMAT_PNG)
          bytes = render_png (dataset, options, &g, file, error);
        else
          bytes = render_vector (dataset, options, &g, file, error);
        if (bytes == NULL)
          return FALSE;
        data = (const char *) bytes->data;
        length = bytes->len;
      }
      break;

    default:
      g_set_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FORMAT,
                   _("Unknown export format"));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!cm_atomic_file_write (file, data, length, cancellable, &local_error))
    {
      /* Cancelling is no failure of the export: keep its error as is. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FAILED,
                             local_error->message);
      return FALSE;
    }

  return TRUE;
}
