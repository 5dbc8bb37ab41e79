/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Export tests: the bundled example written as PNG, SVG, PDF and JSON,
 * each checked for what makes it a valid file of its kind and for the size
 * asked for; and the file-system side: a folder that does not exist gives
 * a clear error and leaves nothing behind, and writing over a file
 * replaces it in one step. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cm-model.h"
#include "cm-dataset-io.h"
#include "cm-export.h"

#define EXAMPLE_NAME "moscow-washington-2022.json"

typedef struct
{
  CmDataset *dataset;
  char      *dir;
} Fixture;

static char *
example_path (void)
{
  const char *root = g_getenv ("CM_SOURCE_ROOT");

  if (root != NULL && *root != '\0')
    return g_build_filename (root, "data", "examples", EXAMPLE_NAME, NULL);
  return g_build_filename (SOURCE_EXAMPLES_DIR, EXAMPLE_NAME, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  f->dataset = cm_dataset_load_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->dataset);
  f->dir = g_dir_make_tmp ("cm-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->dataset);
  remove_tree (f->dir);
  g_free (f->dir);
}

/* Exports to DIR/NAME and returns the file's contents. */
static GBytes *
export (Fixture               *f,
        const char            *name,
        const CmExportOptions *options)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (cm_export_to_file (f->dataset, file, options, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The files in @path, sorted, as one string "a b c". */
static char *
list_dir_sorted (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Whether @needle occurs in binary @data (which may hold NUL bytes). */
static gboolean
contains (const char *data,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* Checks the PNG signature and the IHDR chunk; returns width and height
 * and the colour type. */
static void
check_png (GBytes *bytes,
           guint  *width,
           guint  *height,
           guint  *color_type)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  g_assert_cmpuint (length, >, 8 + 25 + 12);
  g_assert_cmpmem (data, 8, signature, 8);
  /* The first chunk is IHDR, 13 bytes long. */
  g_assert_cmpuint (read_be32 (data + 8), ==, 13);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  *width = read_be32 (data + 16);
  *height = read_be32 (data + 20);
  *color_type = data[25];
  /* And it ends with IEND. */
  g_assert_cmpmem (data + length - 8, 4, "IEND", 4);
}

static void
test_png_size (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  CmExportOptions options;
  guint width, height, color_type;

  cm_export_options_init (&options);
  options.width = 800;
  options.height = 600;
  options.scale = 2;
  bytes = export (f, "map.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_assert_cmpuint (width, ==, 1600);
  g_assert_cmpuint (height, ==, 1200);
  /* Opaque: RGB without alpha. */
  g_assert_cmpuint (color_type, ==, 2);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* One side given keeps the map's aspect ratio. */
  options.height = 0;
  options.scale = 1;
  bytes = export (f, "map.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_assert_cmpuint (width, ==, 800);
  g_assert_cmpuint (height, >, 300);
  g_assert_cmpuint (height, <, 900);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Automatic: the map at about one pixel per unit (the example spans
   * some 1000 × 650 units, plus title, legend and sources). */
  options.width = 0;
  bytes = export (f, "map.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_test_message ("automatic size: %u × %u", width, height);
  g_assert_cmpuint (width, >=, 1000);
  g_assert_cmpuint (width, <=, 1300);
  g_assert_cmpuint (height, >=, 700);
  g_assert_cmpuint (height, <=, 1100);
}

/* cm_export_get_size() says the size of the PNG that is then written,
 * for the sizes the export dialog offers. */
static void
test_get_size (Fixture       *f,
               gconstpointer  data)
{
  const struct { int width; double scale; } cases[] = { { 0, 1 }, { 0, 2 }, { 0, 4 }, { 800, 1 }, { 333, 1 } };
  CmExportOptions options;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      guint width, height, color_type;
      int said_width, said_height;

      cm_export_options_init (&options);
      options.width = cases[i].width;
      options.scale = cases[i].scale;
      g_assert_true (cm_export_get_size (f->dataset, &options, &said_width, &said_height, &error));
      g_assert_no_error (error);
      bytes = export (f, "map.png", &options);
      check_png (bytes, &width, &height, &color_type);
      g_assert_cmpint (said_width, ==, width);
      g_assert_cmpint (said_height, ==, height);
    }

  /* Only pictures have one. */
  {
    g_autoptr(GError) error = NULL;

    cm_export_options_init (&options);
    options.format = CM_EXPORT_FORMAT_JSON;
    g_assert_false (cm_export_get_size (f->dataset, &options, NULL, NULL, &error));
    g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FORMAT);
  }
}

/* --scale makes the same picture sharper: exactly that many times the
 * pixels a side, not a capped budget that crowds the text. */
static void
test_png_scale (Fixture       *f,
                gconstpointer  data)
{
  CmExportOptions options;
  guint width1, height1, width, height, color_type;

  cm_export_options_init (&options);
  {
    g_autoptr(GBytes) bytes = export (f, "map.png", &options);

    check_png (bytes, &width1, &height1, &color_type);
  }
  for (int scale = 2; scale <= 4; scale += 2)
    {
      g_autoptr(GBytes) bytes = NULL;

      options.scale = scale;
      bytes = export (f, "map.png", &options);
      check_png (bytes, &width, &height, &color_type);
      g_assert_cmpuint (width, ==, width1 * scale);
      g_assert_cmpuint (height, ==, height1 * scale);
    }
}

/* Replaces the example's positions: actor i at (i * @dx, i * @dy). */
static void
spread_actors (CmDataset *dataset,
               double     dx,
               double     dy)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);

  for (guint i = 0; i < n; i++)
    cm_actor_set_position (actors[i], i * dx, i * dy);
}

/* A map far wider than high still leaves room for its title, legend and
 * sources (two actors 100 000 apart made a 16 384 × 29 image); a map too
 * wide to draw at all is refused, at once, rather than drawn for hours
 * (1e155 apart: a dotted line of 1e151 pixels, dot by dot). */
static void
test_extreme_positions (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "far.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmExportOptions options;
  guint width, height, color_type;
  GError *error = NULL;

  cm_export_options_init (&options);
  spread_actors (f->dataset, 10000, 0);
  {
    g_autoptr(GBytes) bytes = export (f, "flat.png", &options);

    check_png (bytes, &width, &height, &color_type);
    g_test_message ("flat map: %u × %u", width, height);
    g_assert_cmpuint (width, <=, 16384);
    g_assert_cmpuint (height, >=, 200);
  }
  options.format = CM_EXPORT_FORMAT_SVG;
  {
    g_autoptr(GBytes) bytes = export (f, "flat.svg", &options);
    gsize length;
    const char *svg = g_bytes_get_data (bytes, &length);

    g_assert_false (contains (svg, length, "nan"));
  }

  options.format = CM_EXPORT_FORMAT_PNG;
  spread_actors (f->dataset, 1e155, 1e155);
  g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_png_transparent_dark (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "clear.png", NULL);
  g_autoptr(GBytes) bytes = NULL;
  CmExportOptions options;
  cairo_surface_t *surface;
  guint width, height, color_type;
  guint32 corner;

  cm_export_options_init (&options);
  options.transparent = TRUE;
  options.width = 400;
  bytes = export (f, "clear.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_assert_cmpuint (color_type, ==, 6);   /* RGBA */

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  memcpy (&corner, cairo_image_surface_get_data (surface), 4);
  g_assert_cmpuint (corner >> 24, ==, 0);
  cairo_surface_destroy (surface);

  /* Dark: a dark, opaque background. */
  options.transparent = FALSE;
  options.theme = CM_RENDER_THEME_DARK;
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = export (f, "clear.png", &options);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  memcpy (&corner, cairo_image_surface_get_data (surface), 4);
  g_assert_cmpuint ((corner >> 16 & 0xff), <, 0x40);
  g_assert_cmpuint ((corner >> 8 & 0xff), <, 0x40);
  cairo_surface_destroy (surface);
}

static void
test_svg (Fixture       *f,
          gconstpointer  data)
{
  static const GMarkupParser parser = { NULL, };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  CmExportOptions options;
  gsize length;
  const char *text;

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  options.width = 640;
  options.height = 480;
  bytes = export (f, "map.svg", &options);
  text = g_bytes_get_data (bytes, &length);

  /* Well-formed XML. */
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, length, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);

  /* SVG 1.1, at the size asked for (1 point a unit). */
  g_assert_nonnull (g_strstr_len (text, length, "<svg"));
  g_assert_nonnull (g_strstr_len (text, length, "version=\"1.1\""));
  g_assert_nonnull (g_strstr_len (text, length, "width=\"640"));
  g_assert_nonnull (g_strstr_len (text, length, "height=\"480"));
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  CmExportOptions options;
  gsize length;
  const char *text;
  g_autofree char *tail = NULL;

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_PDF;
  bytes = export (f, "map.pdf", &options);
  text = g_bytes_get_data (bytes, &length);

  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (text, 5, "%PDF-", 5);
  tail = g_strndup (text + length - 16, 16);
  g_strchomp (tail);
  g_assert_true (g_str_has_suffix (tail, "%%EOF"));
  /* The dataset's title is the document's (binary data: no strstr). */
  g_assert_true (contains (text, length, "/Title"));
  g_assert_true (contains (text, length, "/Creator (Channel Map)"));
  /* Names and sources are text a reader can search and copy (fonts with
   * a map back to Unicode), not only glyph outlines. */
  g_assert_true (contains (text, length, "/ToUnicode"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "map.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CmDataset) back = NULL;
  g_autoptr(GError) error = NULL;
  CmExportOptions options;
  CmActor **actors;
  guint n;

  /* Every actor keeps its place. */
  cm_export_options_init (&options);
  g_assert_true (cm_export_format_from_filename (path, &options.format));
  g_assert_cmpint (options.format, ==, CM_EXPORT_FORMAT_JSON);
  bytes = export (f, "map.json", &options);

  back = cm_dataset_load_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (cm_dataset_get_n_actors (back), ==, cm_dataset_get_n_actors (f->dataset));
  g_assert_cmpuint (cm_dataset_get_n_links (back), ==, cm_dataset_get_n_links (f->dataset));
  actors = cm_dataset_peek_actors (back, &n);
  for (guint i = 0; i < n; i++)
    {
      CmActor *original = cm_dataset_lookup_actor (f->dataset, cm_actor_get_id (actors[i]));

      g_assert_true (cm_actor_has_position (actors[i]));
      g_assert_cmpfloat (cm_actor_get_x (actors[i]), ==, cm_actor_get_x (original));
      g_assert_cmpfloat (cm_actor_get_y (actors[i]), ==, cm_actor_get_y (original));
    }
}

static void
test_view (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  CmExportOptions options;
  CmRenderOptions view;
  guint width, height, color_type, plain_height;

  /* The window's current view: its own size. */
  cm_render_options_init (&view);
  view.width = 300;
  view.height = 200;
  view.zoom = 2;
  view.center_x = -260;
  view.center_y = 60;
  view.selected_actor = cm_dataset_lookup_actor (f->dataset, "russia");
  cm_export_options_init (&options);
  options.view = &view;
  options.show_title = options.show_legend = options.show_sources = FALSE;
  bytes = export (f, "view.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_assert_cmpuint (width, ==, 300);
  g_assert_cmpuint (height, ==, 200);
  plain_height = height;

  /* Title and sources are added above and below, not over it. */
  options.show_title = options.show_sources = TRUE;
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = export (f, "view.png", &options);
  check_png (bytes, &width, &height, &color_type);
  g_assert_cmpuint (width, ==, 300);
  g_assert_cmpuint (height, >, plain_height + 40);
}

static void
test_format_from_filename (void)
{
  static const struct {
    const char     *name;
    gboolean        known;
    CmExportFormat  format;
  } cases[] = {
    { "map.png", TRUE, CM_EXPORT_FORMAT_PNG },
    { "MAP.PNG", TRUE, CM_EXPORT_FORMAT_PNG },
    { "a.b.Svg", TRUE, CM_EXPORT_FORMAT_SVG },
    { "/tmp/x.pdf", TRUE, CM_EXPORT_FORMAT_PDF },
    { "data.JSON", TRUE, CM_EXPORT_FORMAT_JSON },
    { "map.jpeg", FALSE, 0 },
    { "map", FALSE, 0 },
    { "png", FALSE, 0 },
    { "dir.png/map", FALSE, 0 },
    { "map.png.txt", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CmExportFormat format = 99;

      g_assert_cmpint (cm_export_format_from_filename (cases[i].name, &format), ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (format, ==, cases[i].format);
    }
}

static void
test_size_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CmExportOptions options;
  GError *error = NULL;

  cm_export_options_init (&options);
  options.width = 20000;
  g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE);
  g_clear_error (&error);

  /* Within the limit, but not at scale 4. */
  options.width = 5000;
  options.scale = 4;
  g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE);
  g_clear_error (&error);

  options.width = 100;
  options.scale = 0;
  g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE);
  g_clear_error (&error);

  options.scale = 1;
  options.height = -5;
  g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
  g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_SIZE);
  g_clear_error (&error);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_missing_folder (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", NULL);
  g_autofree char *path = g_build_filename (missing, "map.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *listing = NULL;
  CmExportOptions options;
  GError *error = NULL;

  for (CmExportFormat format = CM_EXPORT_FORMAT_PNG; format <= CM_EXPORT_FORMAT_JSON; format++)
    {
      cm_export_options_init (&options);
      options.format = format;
      g_assert_false (cm_export_to_file (f->dataset, file, &options, NULL, &error));
      g_assert_error (error, CM_EXPORT_ERROR, CM_EXPORT_ERROR_FAILED);
      /* The message names the file. */
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "map.png"));
      g_clear_error (&error);
    }

  /* Nothing was left behind: no folder, no temporary file. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  listing = list_dir_sorted (f->dir);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_replace_atomically (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "map.svg", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other-name.svg", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *old_contents = NULL;
  g_autofree char *listing = NULL;
  CmExportOptions options;
  GStatBuf before, after;

  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  /* A second name for the old file: an atomic replace gives "map.svg" a
   * new file and leaves this one alone, where writing in place would
   * change both. */
  g_assert_cmpint (link (path, other), ==, 0);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  cm_export_options_init (&options);
  options.format = CM_EXPORT_FORMAT_SVG;
  bytes = export (f, "map.svg", &options);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL), "<?xml"));

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_true (g_file_get_contents (other, &old_contents, NULL, NULL));
  g_assert_cmpstr (old_contents, ==, "old contents");

  /* No temporary file left. */
  listing = list_dir_sorted (f->dir);
  g_assert_cmpstr (listing, ==, "map.svg other-name.svg");
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "map.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CmExportOptions options;
  GError *error = NULL;

  cm_export_options_init (&options);
  options.width = 200;
  g_cancellable_cancel (cancellable);
  g_assert_false (cm_export_to_file (f->dataset, file, &options, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/export/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("png-size", test_png_size);
  ADD ("png-scale", test_png_scale);
  ADD ("get-size", test_get_size);
  ADD ("extreme-positions", test_extreme_positions);
  ADD ("png-transparent-dark", test_png_transparent_dark);
  ADD ("svg", test_svg);
  ADD ("pdf", test_pdf);
  ADD ("json", test_json);
  ADD ("view", test_view);
  ADD ("size-errors", test_size_errors);
  ADD ("missing-folder", test_missing_folder);
  ADD ("replace-atomically", test_replace_atomically);
  ADD ("cancelled", test_cancelled);
  g_test_add_func ("/export/format-from-filename", test_format_from_filename);

#undef ADD

  return g_test_run ();
}
