/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-render"

#include "config.h"

#include <string.h>

#include "cm-render-private.h"

/* Explicit fonts: the setup installs Cantarell (GNOME's UI font, with
 * Latin, Greek and Cyrillic) and DejaVu; fontconfig falls back per
 * character for other scripts.  Sizes in points at 96 dpi. */
static const char * const font_names[CM_RENDER_N_FONTS] = {
  [CM_RENDER_FONT_LABEL] = "Cantarell 10",
  [CM_RENDER_FONT_SMALL] = "DejaVu Sans Oblique 7.5",
  [CM_RENDER_FONT_TITLE] = "Cantarell Bold 15",
  [CM_RENDER_FONT_BODY] = "Cantarell 9.5",
  [CM_RENDER_FONT_SOURCES] = "Cantarell 8.5",
};

/* Width limits of map labels, in ems of their font. */
#define LABEL_WIDTH_EMS 12.0
#define LABEL_MAX_LINES 2
#define SMALL_WIDTH_EMS 16.0
#define SMALL_MAX_LINES 2

/* The cache would otherwise grow without bound over a long session of
 * renaming; past this it starts again.  Layouts are kept for the labels
 * that are drawn (a few thousand at most on a screen or in a file); the
 * sizes of names, which placing and fitting need for every actor, are
 * kept apart and much smaller: a PangoLayout with its lines and glyphs
 * is about 2 KiB, so 100 000 cached names took 200 MiB. */
#define MAX_CACHED_LAYOUTS 16384
#define MAX_CACHED_SIZES   (1 << 20)

/* Characters of one text handed to Pango.  Pango itemizes and shapes a
 * whole paragraph even when only two ellipsized lines are shown, so a
 * 10 MB name took seconds per layout (a 10 MB title: 49 s) and froze the
 * window.  No drawn text shows this many characters (labels are two
 * lines, the title three, at any export width up to 100 000 px), so the
 * cut, marked with an ellipsis, is never visible as anything else. */
#define MAX_DRAWN_CHARS 4096

/* Bytes of a text that decide what is drawn: MAX_DRAWN_CHARS characters
 * of at most 4 bytes, and one byte more to tell a text that ends there
 * from one that goes on (and gets the ellipsis).  The caches key on this
 * prefix only: hashing a 10 MB name whole at every lookup cost the window
 * hundreds of milliseconds per frame. */
#define DRAWN_PREFIX_BYTES (MAX_DRAWN_CHARS * 4 + 1)

typedef struct
{
  PangoContext         *context;
  PangoFontDescription *fonts[CM_RENDER_N_FONTS];
  GHashTable           *labels;     /* text → PangoLayout */
  GHashTable           *small;
  GHashTable           *label_sizes; /* text → LabelSize */
  PangoLayout          *scratch;    /* for measuring without keeping */
} TextCache;

static void
text_cache_free (gpointer data)
{
  TextCache *cache = data;

  g_clear_pointer (&cache->labels, g_hash_table_unref);
  g_clear_pointer (&cache->small, g_hash_table_unref);
  g_clear_pointer (&cache->label_sizes, g_hash_table_unref);
  g_clear_object (&cache->scratch);
  for (guint i = 0; i < CM_RENDER_N_FONTS; i++)
    g_clear_pointer (&cache->fonts[i], pango_font_description_free);
  g_clear_object (&cache->context);
  g_free (cache);
}

/* Pango objects are not thread-safe (and the default font map is per
 * thread), while an export may run in a worker thread as the window
 * draws: so one cache per thread. */
static GPrivate text_cache_key = G_PRIVATE_INIT (text_cache_free);

/* g_str_hash() and g_str_equal() over the drawn prefix only. */
static guint
drawn_prefix_hash (gconstpointer key)
{
  const unsigned char *p = key;
  guint32 h = 5381;

  for (gsize i = 0; i < DRAWN_PREFIX_BYTES && p[i] != '\0'; i++)
    h = (h << 5) + h + p[i];
  return h;
}

static gboolean
drawn_prefix_equal (gconstpointer a,
                    gconstpointer b)
{
  return strncmp (a, b, DRAWN_PREFIX_BYTES) == 0;
}

/* The key a cache keeps for @text: its drawn prefix, no longer than the
 * text itself (g_strndup() would allocate the whole prefix length). */
static char *
drawn_prefix_dup (const char *text)
{
  return g_strndup (text, strnlen (text, DRAWN_PREFIX_BYTES));
}

static TextCache *
get_text_cache (void)
{
  TextCache *cache = g_private_get (&text_cache_key);

  if (cache == NULL)
    {
      PangoFontMap *map = pango_cairo_font_map_get_default ();
      cairo_font_options_t *font_options;

      cache = g_new0 (TextCache, 1);
      cache->context = pango_font_map_create_context (map);

      /* Identical output on every machine and at every scale: no hinting
       * (it snaps outlines and advances to the pixel grid of one size),
       * no subpixel colours, no rounding of glyph positions. */
      font_options = cairo_font_options_create ();
      cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
      cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
      pango_cairo_context_set_font_options (cache->context, font_options);
      cairo_font_options_destroy (font_options);
      pango_cairo_context_set_resolution (cache->context, 96.0);
      pango_context_set_round_glyph_positions (cache->context, FALSE);
      pango_context_set_base_dir (cache->context, PANGO_DIRECTION_WEAK_LTR);

      for (guint i = 0; i < CM_RENDER_N_FONTS; i++)
        cache->fonts[i] = pango_font_description_from_string (font_names[i]);

      cache->labels = g_hash_table_new_full (drawn_prefix_hash, drawn_prefix_equal, g_free, g_object_unref);
      cache->small = g_hash_table_new_full (drawn_prefix_hash, drawn_prefix_equal, g_free, g_object_unref);
      cache->label_sizes = g_hash_table_new_full (drawn_prefix_hash, drawn_prefix_equal, g_free, g_free);
      g_private_set (&text_cache_key, cache);
    }

  return cache;
}

PangoContext *
_cm_render_get_pango_context (void)
{
  return get_text_cache ()->context;
}

char *
_cm_render_sanitize_text (const char *text)
{
  GString *out;
  const char *p, *end;
  guint n_chars = 0;

  if (text == NULL)
    return g_strdup ("");

  end = text + strlen (text);
  out = g_string_sized_new (MIN ((gsize) (end - text), MAX_DRAWN_CHARS * 4));
  for (p = text; p < end;)
    {
      gunichar c;

      if (n_chars++ == MAX_DRAWN_CHARS)
        {
          g_string_append (out, "…");
          break;
        }

      c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8 (the loader refuses that, but code may set
           * anything): a replacement character for the byte. */
          g_string_append (out, "\xef\xbf\xbd");
          p++;
          continue;
        }

      if (c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        ; /* bidi embeddings, overrides and isolates: they would reorder
           * the name ("evil\u202etxt.exe" drawn as "evilexe.txt") */
      else if (!g_unichar_iscntrl (c))
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

PangoLayout *
_cm_render_create_layout (CmRenderFont  font,
                          const char   *text,
                          double        max_width,
                          int           max_lines)
{
  TextCache *cache = get_text_cache ();
  PangoLayout *layout = pango_layout_new (cache->context);
  g_autofree char *clean = _cm_render_sanitize_text (text);

  pango_layout_set_font_description (layout, cache->fonts[font]);
  /* Plain text, always: a name like "<b>NATO</b>" is drawn as written. */
  pango_layout_set_text (layout, clean, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (layout, max_lines > 0 ? -max_lines : -1);
    }

  return layout;
}

static double
font_em (CmRenderFont font)
{
  TextCache *cache = get_text_cache ();

  /* Points at 96 dpi. */
  return pango_font_description_get_size (cache->fonts[font]) / (double) PANGO_SCALE * 96.0 / 72.0;
}

static PangoLayout *
get_cached_layout (GHashTable   *table,
                   CmRenderFont  font,
                   const char   *text,
                   double        width_ems,
                   int           max_lines)
{
  PangoLayout *layout;

  if (text == NULL)
    text = "";

  layout = g_hash_table_lookup (table, text);
  if (layout == NULL)
    {
      if (g_hash_table_size (table) >= MAX_CACHED_LAYOUTS)
        g_hash_table_remove_all (table);

      layout = _cm_render_create_layout (font, text, width_ems * font_em (font), max_lines);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      /* A short label must not be as wide as the wrap width: measure it
       * without the limit and only wrap when it is longer. */
      {
        int w;

        pango_layout_set_width (layout, -1);
        pango_layout_get_size (layout, &w, NULL);
        if (w <= width_ems * font_em (font) * PANGO_SCALE)
          pango_layout_set_height (layout, -1);
        else
          pango_layout_set_width (layout, (int) (width_ems * font_em (font) * PANGO_SCALE));
      }
      g_hash_table_insert (table, drawn_prefix_dup (text), layout);
    }

  return layout;
}

/* Sets @layout up for @text as get_cached_layout() does: unwrapped when
 * it fits @width_ems, else wrapped at that width and cut after
 * @max_lines. */
static void
configure_layout (PangoLayout  *layout,
                  CmRenderFont  font,
                  double        width_ems,
                  int           max_lines)
{
  int w;

  pango_layout_set_width (layout, -1);
  pango_layout_set_height (layout, -1);
  pango_layout_get_size (layout, &w, NULL);
  if (w > width_ems * font_em (font) * PANGO_SCALE)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, (int) (width_ems * font_em (font) * PANGO_SCALE));
      pango_layout_set_height (layout, -max_lines);
    }
}

typedef struct
{
  double width;
  double height;
} LabelSize;

void
_cm_render_measure_label (const char *name,
                          double     *width,
                          double     *height)
{
  TextCache *cache = get_text_cache ();
  LabelSize *size;

  if (name == NULL)
    name = "";
  size = g_hash_table_lookup (cache->label_sizes, name);
  if (size == NULL)
    {
      /* A layout drawn already knows; else one scratch layout measures
       * and keeps nothing. */
      PangoLayout *layout = g_hash_table_lookup (cache->labels, name);
      PangoRectangle logical;

      if (layout == NULL)
        {
          g_autofree char *clean = _cm_render_sanitize_text (name);

          if (cache->scratch == NULL)
            {
              cache->scratch = pango_layout_new (cache->context);
              pango_layout_set_font_description (cache->scratch, cache->fonts[CM_RENDER_FONT_LABEL]);
              pango_layout_set_alignment (cache->scratch, PANGO_ALIGN_CENTER);
            }
          layout = cache->scratch;
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
          pango_layout_set_text (layout, clean, -1);
          configure_layout (layout, CM_RENDER_FONT_LABEL, LABEL_WIDTH_EMS, LABEL_MAX_LINES);
        }
      pango_layout_get_extents (layout, NULL, &logical);
      if (g_hash_table_size (cache->label_sizes) >= MAX_CACHED_SIZES)
        g_hash_table_remove_all (cache->label_sizes);
      size = g_new (LabelSize, 1);
      size->width = logical.width / (double) PANGO_SCALE;
      size->height = logical.height / (double) PANGO_SCALE;
      g_hash_table_insert (cache->label_sizes, drawn_prefix_dup (name), size);
    }
  *width = size->width;
  *height = size->height;
}

PangoLayout *
_cm_render_get_label_layout (const char *name)
{
  TextCache *cache = get_text_cache ();

  return get_cached_layout (cache->labels, CM_RENDER_FONT_LABEL, name,
                            LABEL_WIDTH_EMS, LABEL_MAX_LINES);
}

PangoLayout *
_cm_render_get_small_layout (const char *text)
{
  TextCache *cache = get_text_cache ();

  return get_cached_layout (cache->small, CM_RENDER_FONT_SMALL, text,
                            SMALL_WIDTH_EMS, SMALL_MAX_LINES);
}

/* The glyphs of a layout, positioned relative to its origin, ready for
 * cairo_show_glyphs(): kept on the (cached) layout, so a label drawn in
 * every frame is shaped and converted once. */
typedef struct
{
  cairo_scaled_font_t *font;
  cairo_glyph_t       *glyphs;
  int                  n_glyphs;
} GlyphRun;

typedef struct
{
  GArray   *runs;      /* GlyphRun */
  gboolean  usable;    /* FALSE: a glyph pango draws as a box, or no font */
} LayoutGlyphs;

static void
layout_glyphs_free (gpointer data)
{
  LayoutGlyphs *lg = data;

  for (guint i = 0; i < lg->runs->len; i++)
    {
      GlyphRun *run = &g_array_index (lg->runs, GlyphRun, i);

      cairo_scaled_font_destroy (run->font);
      g_free (run->glyphs);
    }
  g_array_unref (lg->runs);
  g_free (lg);
}

static LayoutGlyphs *
get_layout_glyphs (PangoLayout *layout)
{
  static GQuark quark;
  LayoutGlyphs *lg;
  PangoLayoutIter *iter;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-render-glyphs");
  lg = g_object_get_qdata (G_OBJECT (layout), quark);
  if (lg != NULL)
    return lg;

  lg = g_new0 (LayoutGlyphs, 1);
  lg->runs = g_array_new (FALSE, FALSE, sizeof (GlyphRun));
  lg->usable = TRUE;
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle logical;
      cairo_scaled_font_t *font;
      GlyphRun out;
      int x, baseline;

      if (run == NULL)
        continue;
      font = PANGO_IS_CAIRO_FONT (run->item->analysis.font) ?
             pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (run->item->analysis.font)) : NULL;
      if (font == NULL || cairo_scaled_font_status (font) != CAIRO_STATUS_SUCCESS)
        {
          lg->usable = FALSE;
          break;
        }
      pango_layout_iter_get_run_extents (iter, NULL, &logical);
      baseline = pango_layout_iter_get_baseline (iter);
      out.font = cairo_scaled_font_reference (font);
      out.glyphs = g_new (cairo_glyph_t, MAX (run->glyphs->num_glyphs, 1));
      out.n_glyphs = 0;
      x = logical.x;
      for (int i = 0; i < run->glyphs->num_glyphs; i++)
        {
          const PangoGlyphInfo *gi = &run->glyphs->glyphs[i];

          /* Missing glyphs are drawn by Pango as hex boxes, which
           * cairo_show_glyphs() cannot do: such a label keeps the
           * outline path. */
          if (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG)
            lg->usable = FALSE;
          else if (gi->glyph != PANGO_GLYPH_EMPTY)
            {
              out.glyphs[out.n_glyphs].index = gi->glyph;
              out.glyphs[out.n_glyphs].x = (x + gi->geometry.x_offset) / (double) PANGO_SCALE;
              out.glyphs[out.n_glyphs].y = (baseline + gi->geometry.y_offset) / (double) PANGO_SCALE;
              out.n_glyphs++;
            }
          x += gi->geometry.width;
        }
      g_array_append_val (lg->runs, out);
    }
  while (lg->usable && pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);

  g_object_set_qdata_full (G_OBJECT (layout), quark, lg, layout_glyphs_free);
  return lg;
}

static void
show_glyphs (cairo_t      *cr,
             LayoutGlyphs *lg,
             double        x,
             double        y)
{
  cairo_glyph_t buffer[64];

  for (guint i = 0; i < lg->runs->len; i++)
    {
      const GlyphRun *run = &g_array_index (lg->runs, GlyphRun, i);
      cairo_glyph_t *glyphs = run->n_glyphs <= (int) G_N_ELEMENTS (buffer) ?
                              buffer : g_new (cairo_glyph_t, run->n_glyphs);

      for (int k = 0; k < run->n_glyphs; k++)
        {
          glyphs[k] = run->glyphs[k];
          glyphs[k].x += x;
          glyphs[k].y += y;
        }
      cairo_set_scaled_font (cr, run->font);
      cairo_show_glyphs (cr, glyphs, run->n_glyphs);
      if (glyphs != buffer)
        g_free (glyphs);
    }
}

static gboolean
target_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_group_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_SCRIPT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The halo: eight copies of the text in the background colour around it,
 * 1.5 units out, then the text.  In an image this is glyph blits from
 * cairo's glyph cache, several times faster than stroking the glyph
 * outlines (a third of the drawing time of a map of thousands of names);
 * documents get the halo as the outlines stroked, then the text itself. */
static const double halo_offsets[8][2] = {
  { 1.5, 0 }, { -1.5, 0 }, { 0, 1.5 }, { 0, -1.5 },
  { 1.06, 1.06 }, { -1.06, 1.06 }, { 1.06, -1.06 }, { -1.06, -1.06 },
};

void
_cm_render_draw_text (cairo_t      *cr,
                      PangoLayout  *layout,
                      double        x,
                      double        y,
                      const double  color[4],
                      const double  halo[4],
                      double        alpha)
{
  PangoRectangle logical;
  double ox, oy;
  LayoutGlyphs *lg;

  pango_layout_get_extents (layout, NULL, &logical);
  ox = x - logical.x / (double) PANGO_SCALE;
  oy = y - logical.y / (double) PANGO_SCALE;

  if (!target_is_vector (cr) && (lg = get_layout_glyphs (layout))->usable)
    {
      if (halo != NULL)
        {
          cairo_set_source_rgba (cr, halo[0], halo[1], halo[2], halo[3] * alpha);
          for (guint i = 0; i < G_N_ELEMENTS (halo_offsets); i++)
            show_glyphs (cr, lg, ox + halo_offsets[i][0], oy + halo_offsets[i][1]);
        }
      cairo_set_source_rgba (cr, color[0], color[1], color[2], color[3] * alpha);
      show_glyphs (cr, lg, ox, oy);
      return;
    }

  cairo_new_path (cr);
  cairo_move_to (cr, ox, oy);
  pango_cairo_layout_path (cr, layout);

  /* The halo: the glyph outlines stroked in the background colour under
   * the text, so a label stays readable where it crosses a line. */
  if (halo != NULL)
    {
      cairo_set_line_width (cr, 3.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_source_rgba (cr, halo[0], halo[1], halo[2], halo[3] * alpha);
      cairo_stroke (cr);
    }
  /* The words as text, not outlines: a PDF reader can then find, select
   * and copy names and sources (one cites from it). */
  cairo_new_path (cr);
  cairo_set_source_rgba (cr, color[0], color[1], color[2], color[3] * alpha);
  cairo_move_to (cr, ox, oy);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}
