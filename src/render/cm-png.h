/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Appends @surface (an RGB24 or ARGB32 image) to @out as a PNG file: RGB
 * without alpha, RGBA (unpremultiplied) with.  FALSE if zlib failed or the
 * surface is of another kind. */
gboolean _cm_png_encode (cairo_surface_t *surface,
                         GByteArray      *out);

G_END_DECLS
