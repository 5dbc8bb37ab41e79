/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Render tests: a fixed scene built in code is drawn into an image and
 * compared with a reference PNG under a tolerance (fonts may differ by a
 * hair between FreeType builds), and pixels are probed for what the visual
 * language promises: dotted is dotted, dashed is dashed, solid is solid,
 * the "no channel" mark is there, filters leave no ink, labels never
 * overlap.
 *
 * Reference images live in tests/reference/.  After an intended change of
 * the drawing, regenerate them and look at them before committing:
 *
 *   CM_UPDATE_REFERENCE=1 meson test -C BUILDDIR render
 *
 * On a mismatch the test writes NAME.out.png (what was drawn) and
 * NAME.diff.png (red where it differs) into the build's tests/ folder. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cm-model.h"
#include "cm-render.h"
#include "cm-arrange.h"
#include "cm-render-private.h"
#include "cm-png.h"

#define WIDTH 600
#define HEIGHT 400

/* Diagram (0, 0) is drawn at the middle of the 600 × 400 image, at zoom 1:
 * device = diagram + (300, 200). */
#define DX(x) ((x) + WIDTH / 2.0)
#define DY(y) ((y) + HEIGHT / 2.0)

/* ------------------------------------------------------------------ */
/* The scene                                                            */

static CmActor *
add_actor (CmDataset   *dataset,
           const char  *id,
           const char  *name,
           CmActorKind  kind,
           double       x,
           double       y)
{
  g_autoptr(CmActor) actor = cm_actor_new (id, name);

  cm_actor_set_kind (actor, kind);
  cm_actor_set_position (actor, x, y);
  g_assert_true (cm_dataset_add_actor (dataset, actor));
  return actor;
}

static CmLink *
add_link (CmDataset  *dataset,
          const char *id,
          const char *source,
          const char *target,
          CmChannel   channel)
{
  g_autoptr(CmLink) link = cm_link_new (id, source, target, channel);

  g_assert_true (cm_dataset_add_link (dataset, link));
  return link;
}

/* Five shapes, three channel kinds, a parallel pair, a route through an
 * intermediary, a directed link, a pinned actor, and a name that looks
 * like markup.
 *
 *     person (-220,-120) ·········⊘········· media (220,-120)
 *        |  direct, directed ↓                 ‖ parallel pair
 *     state  (-220,  20) - - - - - - - - - -  other (220, 20)
 *              \_____ via  org (0,140) _____/
 */
static CmDataset *
build_scene (void)
{
  CmDataset *dataset = cm_dataset_new ();
  CmLink *link;
  const char *via[] = { "o", NULL };

  cm_dataset_set_title (dataset, "Test scene");
  add_actor (dataset, "p", "Person", CM_ACTOR_KIND_PERSON, -220, -120);
  add_actor (dataset, "m", "Media", CM_ACTOR_KIND_MEDIA, 220, -120);
  add_actor (dataset, "s", "State", CM_ACTOR_KIND_STATE, -220, 20);
  add_actor (dataset, "x", "Other", CM_ACTOR_KIND_OTHER, 220, 20);
  add_actor (dataset, "o", "<b>NATO</b>", CM_ACTOR_KIND_ORGANIZATION, 0, 140);
  cm_actor_set_group (cm_dataset_lookup_actor (dataset, "p"), "s");
  cm_actor_set_pinned (cm_dataset_lookup_actor (dataset, "m"), TRUE);

  add_link (dataset, "absent", "p", "m", CM_CHANNEL_ABSENT);
  link = add_link (dataset, "indirect", "s", "x", CM_CHANNEL_INDIRECT);
  cm_link_set_mechanism (link, "signals");
  link = add_link (dataset, "direct", "p", "s", CM_CHANNEL_DIRECT);
  cm_link_set_directed (link, TRUE);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(CmQuote) quote = cm_quote_new ("evidence");

      cm_link_add_quote (link, quote);
    }
  add_link (dataset, "pair-1", "x", "m", CM_CHANNEL_DIRECT);
  add_link (dataset, "pair-2", "m", "x", CM_CHANNEL_INDIRECT);
  link = add_link (dataset, "routed", "s", "x", CM_CHANNEL_INDIRECT);
  cm_link_set_via (link, via);
  cm_link_set_mechanism (link, "via the alliance");

  return dataset;
}

static void
scene_options (CmRenderOptions *options)
{
  cm_render_options_init (options);
  options->width = WIDTH;
  options->height = HEIGHT;
  options->zoom = 1.0;
  options->center_x = 0;
  options->center_y = 0;
  options->exact = TRUE;
}

static cairo_surface_t *
draw_scene (CmDataset             *dataset,
            const CmRenderOptions *options)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         (int) options->width,
                                                         (int) options->height);
  cairo_t *cr = cairo_create (surface);

  cm_render_draw (cr, dataset, options);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* ------------------------------------------------------------------ */
/* Pixels                                                               */

typedef struct
{
  guint8 a, r, g, b;   /* un-premultiplied */
} Pixel;

static Pixel
get_pixel (cairo_surface_t *surface,
           int              x,
           int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 v;
  Pixel p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  memcpy (&v, data + y * stride + 4 * x, 4);
  p.a = v >> 24;
  p.r = v >> 16 & 0xff;
  p.g = v >> 8 & 0xff;
  p.b = v & 0xff;
  if (p.a > 0 && p.a < 255)
    {
      p.r = p.r * 255 / p.a;
      p.g = p.g * 255 / p.a;
      p.b = p.b * 255 / p.a;
    }
  return p;
}

/* How much a pixel differs from the light background (#fafafa), 0 to 1. */
static double
ink (cairo_surface_t *surface,
     int              x,
     int              y)
{
  Pixel p = get_pixel (surface, x, y);
  int d = MAX (MAX (abs (p.r - 0xfa), abs (p.g - 0xfa)), abs (p.b - 0xfa));

  return d / 250.0;
}

/* The strongest ink among the four pixels whose centres surround the
 * point (@x, @y) (pixel centres are at half units). */
static double
ink_near (cairo_surface_t *surface,
          double           x,
          double           y)
{
  int x0 = (int) floor (x - 0.5), y0 = (int) floor (y - 0.5);
  double best = 0;

  for (int j = 0; j < 2; j++)
    for (int i = 0; i < 2; i++)
      best = MAX (best, ink (surface, x0 + i, y0 + j));
  return best;
}

/* Samples @n pixels from (x0, y0) to (x1, y1) and splits them into runs
 * of ink and of no ink; a pixel is ink when it is past half of the
 * strongest ink on the way.  Returns the number of runs of each kind and
 * the longest ink run. */
static void
ink_runs (cairo_surface_t *surface,
          int              x0,
          int              y0,
          int              x1,
          int              y1,
          guint           *ink_count,
          guint           *gap_count,
          guint           *longest_ink,
          guint           *longest_gap)
{
  int n = MAX (abs (x1 - x0), abs (y1 - y0)) + 1;
  g_autofree double *values = g_new (double, n);
  double strongest = 0;
  int run = 0;
  gboolean in_ink = FALSE;

  *ink_count = *gap_count = *longest_ink = *longest_gap = 0;
  for (int i = 0; i < n; i++)
    {
      int x = x0 + (x1 - x0) * i / MAX (n - 1, 1);
      int y = y0 + (y1 - y0) * i / MAX (n - 1, 1);

      values[i] = ink (surface, x, y);
      strongest = MAX (strongest, values[i]);
    }
  if (strongest < 0.2)
    return;

  for (int i = 0; i <= n; i++)
    {
      gboolean here = i < n && values[i] > strongest / 2;

      if (i > 0 && (i == n || here != in_ink))
        {
          if (in_ink)
            {
              (*ink_count)++;
              *longest_ink = MAX (*longest_ink, (guint) run);
            }
          else
            {
              (*gap_count)++;
              *longest_gap = MAX (*longest_gap, (guint) run);
            }
          run = 0;
        }
      in_ink = here;
      run++;
    }
}

/* ------------------------------------------------------------------ */
/* Reference images                                                     */

#define TOLERANCE 8
#define MAX_DIFFERENT_FRACTION 0.005

static void
compare_with_reference (cairo_surface_t *surface,
                        const char      *name)
{
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", file_name, NULL);
  g_autofree char *out_path = NULL;
  g_autofree char *diff_path = NULL;
  cairo_surface_t *reference;
  cairo_surface_t *diff;
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  guint different = 0;
  int max_delta = 0;

  if (g_strcmp0 (g_getenv ("CM_UPDATE_REFERENCE"), "1") == 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
      g_test_message ("wrote the reference %s", path);
      return;
    }

  reference = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (reference) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (reference);
      g_test_fail_printf ("no reference image %s (%s); run with CM_UPDATE_REFERENCE=1 to make it",
                          path, cairo_status_to_string (cairo_surface_status (reference)));
      return;
    }

  g_assert_cmpint (cairo_image_surface_get_width (reference), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (reference), ==, height);

  /* The reference may come back as RGB24 (an opaque PNG): compare
   * colours, and alpha only where both have it. */
  diff = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_surface_flush (diff);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        Pixel a = get_pixel (surface, x, y);
        Pixel b = get_pixel (reference, x, y);
        int delta = MAX (MAX (abs (a.r - b.r), abs (a.g - b.g)), abs (a.b - b.b));
        guint32 *d = (guint32 *) (cairo_image_surface_get_data (diff) +
                                  y * cairo_image_surface_get_stride (diff)) + x;

        if (cairo_image_surface_get_format (reference) == CAIRO_FORMAT_ARGB32)
          delta = MAX (delta, abs (a.a - b.a));
        /* Colour is meaningless where both are fully transparent. */
        if (a.a == 0 && b.a == 0)
          delta = 0;
        max_delta = MAX (max_delta, delta);
        if (delta > TOLERANCE)
          {
            different++;
            *d = 0xffff0000;
          }
        else
          {
            guint8 grey = 0xff - (0xff - (a.r + a.g + a.b) / 3) / 4;

            *d = 0xff000000 | grey << 16 | grey << 8 | grey;
          }
      }
  cairo_surface_mark_dirty (diff);
  cairo_surface_destroy (reference);

  if (different > MAX_DIFFERENT_FRACTION * width * height)
    {
      out_path = g_strdup_printf ("%s%s%s.out.png", g_test_get_dir (G_TEST_BUILT),
                                  G_DIR_SEPARATOR_S, name);
      diff_path = g_strdup_printf ("%s%s%s.diff.png", g_test_get_dir (G_TEST_BUILT),
                                   G_DIR_SEPARATOR_S, name);
      cairo_surface_write_to_png (surface, out_path);
      cairo_surface_write_to_png (diff, diff_path);
      g_test_fail_printf ("%s: %u pixels (%.2f%%) differ by more than %d from the reference "
                          "(largest difference %d); see %s and %s",
                          name, different, 100.0 * different / (width * height), TOLERANCE,
                          max_delta, out_path, diff_path);
    }
  cairo_surface_destroy (diff);
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */

static void
test_reference_light (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;

  scene_options (&options);
  surface = draw_scene (dataset, &options);
  compare_with_reference (surface, "render-scene-light");
  cairo_surface_destroy (surface);
}

static void
test_reference_dark (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  Pixel corner;

  scene_options (&options);
  options.theme = CM_RENDER_THEME_DARK;
  options.show_legend = TRUE;
  options.selected_actor = cm_dataset_lookup_actor (dataset, "s");
  surface = draw_scene (dataset, &options);

  /* The dark theme's background is dark. */
  corner = get_pixel (surface, 2, 2);
  g_assert_cmpint (corner.a, ==, 255);
  g_assert_cmpint ((corner.r + corner.g + corner.b) / 3, <, 0x40);

  compare_with_reference (surface, "render-scene-dark");
  cairo_surface_destroy (surface);
}

static void
test_dotted_absent (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  guint inks, gaps, longest_ink, longest_gap;
  Pixel p;

  scene_options (&options);
  surface = draw_scene (dataset, &options);

  /* Along the absent link (y = -120), away from its ends and its mark:
   * many short dots with gaps, never a line. */
  ink_runs (surface, (int) DX (-170), (int) DY (-120), (int) DX (-30), (int) DY (-120),
            &inks, &gaps, &longest_ink, &longest_gap);
  g_test_message ("absent: %u dots, %u gaps, longest dot %u, longest gap %u",
                  inks, gaps, longest_ink, longest_gap);
  g_assert_cmpuint (inks, >=, 12);
  g_assert_cmpuint (gaps, >=, 11);
  g_assert_cmpuint (longest_ink, <=, 5);
  g_assert_cmpuint (longest_gap, >=, 2);

  /* In the warning colour: the strongest ink is far more red than blue. */
  {
    double strongest = -1;

    for (int x = (int) DX (-110); x < DX (-90); x++)
      if (ink (surface, x, (int) DY (-120)) > strongest)
        {
          strongest = ink (surface, x, (int) DY (-120));
          p = get_pixel (surface, x, (int) DY (-120));
        }
  }
  g_assert_cmpint (p.r, >, p.b + 80);

  cairo_surface_destroy (surface);
}

/* Links between actors absurdly far apart (or a big map zoomed far in):
 * what crosses the view is still dotted and dashed, and drawing it takes
 * the view's worth of dashes, not the line's (1e12 units of dots took
 * forever); into an image (the rasterizer) and into a vector surface
 * (cairo's stroker). */
static void
test_far_links (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  guint inks, gaps, longest_ink, longest_gap;

  add_actor (dataset, "a", "A", CM_ACTOR_KIND_STATE, -1e12, -40);
  add_actor (dataset, "b", "B", CM_ACTOR_KIND_STATE, 1e12, -40);
  add_actor (dataset, "c", "C", CM_ACTOR_KIND_STATE, -1e12, 40);
  add_actor (dataset, "d", "D", CM_ACTOR_KIND_STATE, 1e12, 40);
  add_link (dataset, "ab", "a", "b", CM_CHANNEL_ABSENT);
  add_link (dataset, "cd", "c", "d", CM_CHANNEL_INDIRECT);

  scene_options (&options);
  surface = draw_scene (dataset, &options);
  ink_runs (surface, (int) DX (-150), (int) DY (-40), (int) DX (150), (int) DY (-40),
            &inks, &gaps, &longest_ink, &longest_gap);
  g_test_message ("far absent: %u dots, longest %u", inks, longest_ink);
  g_assert_cmpuint (inks, >=, 20);
  g_assert_cmpuint (longest_ink, <=, 5);
  ink_runs (surface, (int) DX (-150), (int) DY (40), (int) DX (150), (int) DY (40),
            &inks, &gaps, &longest_ink, &longest_gap);
  g_test_message ("far indirect: %u dashes, longest %u", inks, longest_ink);
  g_assert_cmpuint (inks, >=, 8);
  g_assert_cmpuint (gaps, >=, 7);
  cairo_surface_destroy (surface);

  /* The same through cairo's stroker: a recording played into an image. */
  {
    cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create (recording);

    cm_render_draw (cr, dataset, &options);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) options.width, (int) options.height);
    cr = cairo_create (surface);
    cairo_set_source_surface (cr, recording, 0, 0);
    cairo_paint (cr);
    cairo_destroy (cr);
    cairo_surface_flush (surface);
    ink_runs (surface, (int) DX (-150), (int) DY (-40), (int) DX (150), (int) DY (-40),
              &inks, &gaps, &longest_ink, &longest_gap);
    g_assert_cmpuint (inks, >=, 20);
    cairo_surface_destroy (surface);
    cairo_surface_destroy (recording);
  }
}

static double
actor_distance (CmDataset  *dataset,
                const char *a,
                const char *b)
{
  CmActor *x = cm_dataset_lookup_actor (dataset, a);
  CmActor *y = cm_dataset_lookup_actor (dataset, b);

  return hypot (cm_actor_get_x (x) - cm_actor_get_x (y), cm_actor_get_y (x) - cm_actor_get_y (y));
}

/* Three channels between two actors do not pull them closer than one
 * does (the bundle of curves and its labels needs the room): in a square
 * of actors, the side with three links is as long as the others. */
static void
test_arrange_parallel (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  const char *ids[] = { "a", "b", "c", "d" };
  double ab, bc, cd, da;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(CmActor) actor = cm_actor_new (ids[i], ids[i]);

      g_assert_true (cm_dataset_add_actor (dataset, actor));
    }
  add_link (dataset, "ab1", "a", "b", CM_CHANNEL_ABSENT);
  add_link (dataset, "ab2", "a", "b", CM_CHANNEL_INDIRECT);
  add_link (dataset, "ab3", "b", "a", CM_CHANNEL_INDIRECT);
  add_link (dataset, "bc", "b", "c", CM_CHANNEL_DIRECT);
  add_link (dataset, "cd", "c", "d", CM_CHANNEL_DIRECT);
  add_link (dataset, "da", "d", "a", CM_CHANNEL_DIRECT);
  g_assert_true (cm_arrange_dataset (dataset, TRUE, 1, NULL));

  ab = actor_distance (dataset, "a", "b");
  bc = actor_distance (dataset, "b", "c");
  cd = actor_distance (dataset, "c", "d");
  da = actor_distance (dataset, "d", "a");
  g_test_message ("sides: ab %.1f, bc %.1f, cd %.1f, da %.1f", ab, bc, cd, da);
  g_assert_cmpfloat (ab, >=, 0.97 * MIN (MIN (bc, cd), da));
}

static void
test_dashed_indirect (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  guint inks, gaps, longest_ink, longest_gap;

  scene_options (&options);
  surface = draw_scene (dataset, &options);

  /* Along the straight indirect link (y = 20), left of its label. */
  ink_runs (surface, (int) DX (-170), (int) DY (20), (int) DX (-50), (int) DY (20),
            &inks, &gaps, &longest_ink, &longest_gap);
  g_test_message ("indirect: %u dashes, %u gaps, longest dash %u, longest gap %u",
                  inks, gaps, longest_ink, longest_gap);
  g_assert_cmpuint (inks, >=, 6);
  g_assert_cmpuint (gaps, >=, 5);
  /* Dashes, not dots: about 8 px long. */
  g_assert_cmpuint (longest_ink, >=, 6);
  g_assert_cmpuint (longest_ink, <=, 12);
  g_assert_cmpuint (longest_gap, >=, 3);

  cairo_surface_destroy (surface);
}

static void
test_solid_direct (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  guint inks, gaps, longest_ink, longest_gap;

  scene_options (&options);
  surface = draw_scene (dataset, &options);

  /* The vertical direct link at x = -220, between the label and the
   * arrowhead: one run of ink, no gap. */
  ink_runs (surface, (int) DX (-220), (int) DY (-85), (int) DX (-220), (int) DY (-20),
            &inks, &gaps, &longest_ink, &longest_gap);
  g_assert_cmpuint (inks, ==, 1);
  g_assert_cmpuint (gaps, ==, 0);

  /* Three quotes make it heavier than a bare line (1.5 px): 3 px of ink
   * across it. */
  {
    double across = 0;

    for (int x = (int) DX (-226); x <= DX (-214); x++)
      across += ink (surface, x, (int) DY (-50));
    g_assert_cmpfloat (across, >, 2.0);
  }

  /* The arrowhead, 8 px above its tip on the state's rim (half side
   * 12.3, and a pixel of gap). */
  {
    int arrow = 0, line = 0;

    for (int x = (int) DX (-232); x <= DX (-208); x++)
      {
        arrow += ink (surface, x, (int) DY (20 - 12.3 - 1 - 8)) > 0.5;
        line += ink (surface, x, (int) DY (-50)) > 0.5;
      }
    g_assert_cmpint (arrow, >, line + 2);
  }

  cairo_surface_destroy (surface);
}

static void
test_absent_mark (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  g_autoptr(CmScene) scene = NULL;
  CmRenderOptions options;
  cairo_surface_t *surface;
  double cx = 0, cy = 0;
  guint ring = 0;

  scene_options (&options);
  surface = draw_scene (dataset, &options);

  /* The middle of the drawn line, between the rims (the two shapes
   * differ in size, so it is not quite half way between the centres). */
  scene = _cm_scene_new (dataset, &options);
  for (guint i = 0; i < scene->n_links; i++)
    if (g_str_equal (cm_link_get_id (scene->links[i].link), "absent"))
      {
        cx = scene->links[i].mid[0];
        cy = scene->links[i].mid[1];
      }
  g_assert_cmpfloat (fabs (cx - DX (0)), <, 3);
  g_assert_cmpfloat (cy, ==, DY (-120));

  /* The circle: ink all around, 6.5 px out. */
  for (int k = 0; k < 16; k++)
    {
      double a = k * G_PI / 8;

      ring += ink_near (surface, cx + 6.5 * cos (a), cy + 6.5 * sin (a)) > 0.4;
    }
  g_assert_cmpuint (ring, ==, 16);

  /* The slash through the middle, lower left to upper right. */
  g_assert_cmpfloat (ink_near (surface, cx, cy), >, 0.4);
  g_assert_cmpfloat (ink_near (surface, cx - 3, cy + 3), >, 0.4);
  g_assert_cmpfloat (ink_near (surface, cx + 3, cy - 3), >, 0.4);

  /* Filled with the background: the dotted line does not show through
   * inside it, off the slash. */
  g_assert_cmpfloat (ink_near (surface, cx - 3.5, cy), <, 0.1);
  g_assert_cmpfloat (ink_near (surface, cx + 3.5, cy), <, 0.1);
  /* ... while outside it, the dots go on. */
  {
    double along = 0;

    for (int x = (int) (cx + 9); x < cx + 19; x++)
      along = MAX (along, ink (surface, x, (int) cy));
    g_assert_cmpfloat (along, >, 0.4);
  }

  cairo_surface_destroy (surface);
}

static void
test_transparent (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;

  scene_options (&options);
  options.background = FALSE;
  surface = draw_scene (dataset, &options);

  g_assert_cmpint (get_pixel (surface, 0, 0).a, ==, 0);
  g_assert_cmpint (get_pixel (surface, WIDTH - 1, 0).a, ==, 0);
  g_assert_cmpint (get_pixel (surface, 0, HEIGHT - 1).a, ==, 0);
  g_assert_cmpint (get_pixel (surface, WIDTH - 1, HEIGHT - 1).a, ==, 0);
  /* ... while the shapes are opaque. */
  g_assert_cmpint (get_pixel (surface, (int) DX (-220), (int) DY (-120)).a, ==, 255);

  cairo_surface_destroy (surface);
}

static void
test_filter (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *surface;
  CmActor *actor;
  CmLink *link;

  scene_options (&options);
  options.channels = CM_CHANNEL_FLAGS_DIRECT | CM_CHANNEL_FLAGS_INDIRECT;
  surface = draw_scene (dataset, &options);

  /* No ink at all where the absent link and its mark were. */
  for (int x = (int) DX (-190); x <= DX (190); x++)
    for (int y = (int) DY (-130); y <= DY (-110); y++)
      if (ink (surface, x, y) > 0.02)
        g_error ("ink at %d,%d with absent links filtered out", x, y);

  /* And it is not hit either. */
  g_assert_false (cm_render_hit_test (dataset, &options, DX (0), DY (-120), &actor, &link));
  g_assert_null (actor);
  g_assert_null (link);

  /* Filtering out everything leaves the actors. */
  cairo_surface_destroy (surface);
  options.channels = CM_CHANNEL_FLAGS_NONE;
  surface = draw_scene (dataset, &options);
  g_assert_cmpfloat (ink (surface, (int) DX (-100), (int) DY (20)), <, 0.02);
  g_assert_cmpfloat (ink (surface, (int) DX (-220), (int) DY (-120)), >, 0.3);
  cairo_surface_destroy (surface);
}

static void
test_markup_literal (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  g_autoptr(GArray) labels = NULL;
  g_autoptr(PangoLayout) literal = NULL;
  g_autoptr(PangoLayout) markup = NULL;
  CmRenderOptions options;
  CmActor *nato = cm_dataset_lookup_actor (dataset, "o");
  int index = cm_dataset_get_actor_index (dataset, nato);
  const CmRenderLabel *found = NULL;
  int literal_width, markup_width, label_width;

  scene_options (&options);
  labels = _cm_render_compute_labels (dataset, &options);
  for (guint i = 0; i < labels->len; i++)
    if (g_array_index (labels, CmRenderLabel, i).actor == index)
      found = &g_array_index (labels, CmRenderLabel, i);
  g_assert_nonnull (found);
  g_assert_true (found->visible);
  g_assert_cmpstr (pango_layout_get_text (found->layout), ==, "<b>NATO</b>");

  /* The same width as the literal text, not as bold "NATO". */
  literal = pango_layout_new (pango_layout_get_context (found->layout));
  pango_layout_set_font_description (literal, pango_layout_get_font_description (found->layout));
  pango_layout_set_text (literal, "<b>NATO</b>", -1);
  markup = pango_layout_new (pango_layout_get_context (found->layout));
  pango_layout_set_font_description (markup, pango_layout_get_font_description (found->layout));
  pango_layout_set_markup (markup, "<b>NATO</b>", -1);
  pango_layout_get_size (found->layout, &label_width, NULL);
  pango_layout_get_size (literal, &literal_width, NULL);
  pango_layout_get_size (markup, &markup_width, NULL);
  g_assert_cmpint (label_width, ==, literal_width);
  g_assert_cmpint (label_width, !=, markup_width);

  /* Control characters are not drawn; line breaks become spaces. */
  cm_actor_set_name (nato, "Tab\there\nand\x01 bell\x07");
  g_clear_pointer (&labels, g_array_unref);
  labels = _cm_render_compute_labels (dataset, &options);
  found = NULL;
  for (guint i = 0; i < labels->len; i++)
    if (g_array_index (labels, CmRenderLabel, i).actor == index)
      found = &g_array_index (labels, CmRenderLabel, i);
  g_assert_nonnull (found);
  g_assert_cmpstr (pango_layout_get_text (found->layout), ==, "Tab here and bell");

  /* And drawing it does not fail. */
  cairo_surface_destroy (draw_scene (dataset, &options));
}

static void
test_hit (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  g_autoptr(CmScene) scene = NULL;
  CmRenderOptions options;
  CmActor *actor;
  CmLink *link;
  const CmSceneLink *pair[2] = { NULL, NULL };

  scene_options (&options);

  /* An actor at its centre, and at its rim. */
  g_assert_true (cm_render_hit_test (dataset, &options, DX (-220), DY (-120), &actor, &link));
  g_assert_true (actor == cm_dataset_lookup_actor (dataset, "p"));
  g_assert_null (link);
  g_assert_true (cm_render_hit_test (dataset, &options, DX (220 + 13), DY (20), &actor, &link));
  g_assert_true (actor == cm_dataset_lookup_actor (dataset, "x"));

  /* A link at its middle, and a little beside it. */
  g_assert_true (cm_render_hit_test (dataset, &options, DX (-220), DY (-50), &actor, &link));
  g_assert_null (actor);
  g_assert_true (link == cm_dataset_lookup_link (dataset, "direct"));
  g_assert_true (cm_render_hit_test (dataset, &options, DX (-217), DY (-50), &actor, &link));
  g_assert_true (link == cm_dataset_lookup_link (dataset, "direct"));

  /* Nothing in empty space. */
  g_assert_false (cm_render_hit_test (dataset, &options, DX (120), DY (-60), &actor, &link));
  g_assert_null (actor);
  g_assert_null (link);
  g_assert_false (cm_render_hit_test (dataset, &options, 5, HEIGHT - 5, &actor, &link));

  /* The parallel pair: two curves apart, each hit at its own middle. */
  scene = _cm_scene_new (dataset, &options);
  for (guint i = 0; i < scene->n_links; i++)
    {
      const char *id = cm_link_get_id (scene->links[i].link);

      if (g_str_equal (id, "pair-1"))
        pair[0] = &scene->links[i];
      else if (g_str_equal (id, "pair-2"))
        pair[1] = &scene->links[i];
    }
  g_assert_nonnull (pair[0]);
  g_assert_nonnull (pair[1]);
  g_assert_cmpfloat (hypot (pair[0]->mid[0] - pair[1]->mid[0], pair[0]->mid[1] - pair[1]->mid[1]),
                     >=, CM_RENDER_PARALLEL_SPACING - 0.5);
  for (int k = 0; k < 2; k++)
    {
      g_assert_true (cm_render_hit_test (dataset, &options, pair[k]->mid[0], pair[k]->mid[1],
                                         &actor, &link));
      g_assert_true (link == pair[k]->link);
    }

  /* The route passes through its intermediary's centre. */
  for (guint i = 0; i < scene->n_links; i++)
    if (g_str_equal (cm_link_get_id (scene->links[i].link), "routed"))
      g_assert_cmpfloat (_cm_scene_link_distance (scene, &scene->links[i], DX (0), DY (140)), <, 0.5);
}

static void
test_selection_fades (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *normal, *faded;
  double a = 0, b = 0;

  scene_options (&options);
  normal = draw_scene (dataset, &options);
  options.selected_actor = cm_dataset_lookup_actor (dataset, "p");
  faded = draw_scene (dataset, &options);

  /* The indirect link does not touch the selected actor: it fades. */
  for (int x = (int) DX (-170); x < DX (-50); x++)
    {
      a += ink (normal, x, (int) DY (20));
      b += ink (faded, x, (int) DY (20));
    }
  g_assert_cmpfloat (b, <, a * 0.5);
  g_assert_cmpfloat (b, >, 0);
  /* The selected actor's own link does not. */
  g_assert_cmpfloat (fabs (ink (normal, (int) DX (-220), (int) DY (-50)) -
                           ink (faded, (int) DX (-220), (int) DY (-50))), <, 0.05);

  cairo_surface_destroy (normal);
  cairo_surface_destroy (faded);
}

static void
test_labels_no_overlap (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autoptr(GArray) labels = NULL;
  g_autoptr(GArray) again = NULL;
  CmRenderOptions options;
  guint shown = 0, hidden = 0;

  /* A crowded grid: 10 × 8 actors 40 units apart with long names. */
  for (int i = 0; i < 80; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%d", i);
      g_autofree char *name = g_strdup_printf ("Actor number %d of the crowd", i);

      add_actor (dataset, id, name, i % CM_N_ACTOR_KINDS, (i % 10) * 40 - 180, (i / 10) * 40 - 140);
    }
  for (int i = 0; i + 1 < 80; i += 3)
    {
      g_autofree char *id = g_strdup_printf ("l%d", i);
      g_autofree char *s = g_strdup_printf ("a%d", i);
      g_autofree char *t = g_strdup_printf ("a%d", i + 1);

      add_link (dataset, id, s, t, i % CM_N_CHANNELS);
    }

  scene_options (&options);
  labels = _cm_render_compute_labels (dataset, &options);
  for (guint i = 0; i < labels->len; i++)
    {
      const CmRenderLabel *a = &g_array_index (labels, CmRenderLabel, i);

      if (!a->visible)
        {
          hidden++;
          continue;
        }
      shown++;
      g_assert_cmpfloat (a->width, >, 0);
      for (guint j = i + 1; j < labels->len; j++)
        {
          const CmRenderLabel *b = &g_array_index (labels, CmRenderLabel, j);

          if (!b->visible)
            continue;
          if (a->x < b->x + b->width && b->x < a->x + a->width &&
              a->y < b->y + b->height && b->y < a->y + a->height)
            g_error ("labels %u and %u overlap: (%g,%g %gx%g) and (%g,%g %gx%g)", i, j,
                     a->x, a->y, a->width, a->height, b->x, b->y, b->width, b->height);
        }
    }
  g_test_message ("%u labels shown, %u hidden", shown, hidden);
  g_assert_cmpuint (shown, >=, 5);
  g_assert_cmpuint (hidden, >=, 1);

  /* In a file (exact), no name is cut by the picture's edge: it is left
   * out instead.  On screen, names may reach past the view (a pan brings
   * them in), and more of them find a place. */
  for (guint i = 0; i < labels->len; i++)
    {
      const CmRenderLabel *a = &g_array_index (labels, CmRenderLabel, i);

      if (!a->visible)
        continue;
      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->y, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, options.width);
      g_assert_cmpfloat (a->y + a->height, <=, options.height);
    }
  {
    g_autoptr(GArray) screen = NULL;
    CmRenderOptions on_screen = options;
    guint shown_on_screen = 0;

    on_screen.exact = FALSE;
    screen = _cm_render_compute_labels (dataset, &on_screen);
    for (guint i = 0; i < screen->len; i++)
      shown_on_screen += g_array_index (screen, CmRenderLabel, i).visible;
    g_test_message ("%u labels shown on screen", shown_on_screen);
    g_assert_cmpuint (shown_on_screen, >=, 15);
  }

  /* Deterministic. */
  again = _cm_render_compute_labels (dataset, &options);
  g_assert_cmpuint (again->len, ==, labels->len);
  for (guint i = 0; i < labels->len; i++)
    {
      const CmRenderLabel *a = &g_array_index (labels, CmRenderLabel, i);
      const CmRenderLabel *b = &g_array_index (again, CmRenderLabel, i);

      g_assert_cmpint (a->actor, ==, b->actor);
      g_assert_cmpint (a->visible, ==, b->visible);
      g_assert_cmpfloat (a->x, ==, b->x);
      g_assert_cmpfloat (a->y, ==, b->y);
    }

  /* With room (the same actors spread out), every name shows. */
  {
    CmActor **actors;
    guint n;

    actors = cm_dataset_peek_actors (dataset, &n);
    for (guint i = 0; i < n; i++)
      cm_actor_set_position (actors[i], cm_actor_get_x (actors[i]) * 6, cm_actor_get_y (actors[i]) * 6);
  }
  options.width = 2600;
  options.height = 2000;
  g_clear_pointer (&labels, g_array_unref);
  labels = _cm_render_compute_labels (dataset, &options);
  for (guint i = 0; i < labels->len; i++)
    if (g_array_index (labels, CmRenderLabel, i).actor >= 0)
      g_assert_true (g_array_index (labels, CmRenderLabel, i).visible);
}

/* Dash patterns are in device units and shrink on short links: at zoom
 * 0.2 a link 100 units long (20 px between the centres) still shows
 * separate dashes and dots, not a solid line. */
static void
test_short_link_dashes (void)
{
  for (CmChannel channel = CM_CHANNEL_INDIRECT; channel <= CM_CHANNEL_ABSENT; channel++)
    {
      g_autoptr(CmDataset) dataset = cm_dataset_new ();
      CmRenderOptions options;
      cairo_surface_t *surface;
      guint inks, gaps, longest_ink, longest_gap;

      add_actor (dataset, "a", "A", CM_ACTOR_KIND_PERSON, -50, 0);
      add_actor (dataset, "b", "B", CM_ACTOR_KIND_PERSON, 50, 0);
      add_link (dataset, "l", "a", "b", channel);

      cm_render_options_init (&options);
      options.width = 100;
      options.height = 40;
      options.zoom = 0.2;
      surface = draw_scene (dataset, &options);

      /* Between the rims of the two dots (radius 2.8 px at this zoom). */
      ink_runs (surface, 44, 20, 56, 20, &inks, &gaps, &longest_ink, &longest_gap);
      g_test_message ("%s at zoom 0.2: %u inked runs, %u gaps",
                      cm_channel_to_string (channel), inks, gaps);
      g_assert_cmpuint (inks, >=, 2);
      g_assert_cmpuint (gaps, >=, 1);

      /* A long link at the same zoom keeps the full pattern. */
      cairo_surface_destroy (surface);
      cm_actor_set_position (cm_dataset_lookup_actor (dataset, "a"), -1000, 0);
      cm_actor_set_position (cm_dataset_lookup_actor (dataset, "b"), 1000, 0);
      options.width = 420;
      surface = draw_scene (dataset, &options);
      ink_runs (surface, 30, 20, 390, 20, &inks, &gaps, &longest_ink, &longest_gap);
      g_assert_cmpuint (gaps, >=, channel == CM_CHANNEL_ABSENT ? 40 : 20);
      cairo_surface_destroy (surface);
    }
}

static void
test_bounds_fit (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  g_autoptr(CmDataset) empty = cm_dataset_new ();
  CmRenderOptions options;
  double x0, y0, x1, y1;

  g_assert_false (cm_render_get_bounds (empty, &x0, &y0, &x1, &y1));
  g_assert_true (cm_render_get_bounds (dataset, &x0, &y0, &x1, &y1));
  /* Shapes and the labels below them. */
  g_assert_cmpfloat (x0, <=, -220 - 14);
  g_assert_cmpfloat (x1, >=, 220 + 14);
  g_assert_cmpfloat (y0, <=, -120 - 14);
  g_assert_cmpfloat (y1, >=, 140 + 14 + 10);
  g_assert_cmpfloat (y0, >, -170);
  g_assert_cmpfloat (y1, <, 200);

  /* Fit: every actor inside, with the decorations' room kept. */
  cm_render_options_init (&options);
  options.width = 800;
  options.height = 500;
  options.show_title = options.show_legend = TRUE;
  options.zoom = 17;
  cm_render_fit (&options, dataset);
  g_assert_cmpfloat (options.zoom, >, 0.5);
  g_assert_cmpfloat (options.zoom, <=, 2.0);
  {
    CmActor **actors;
    guint n;

    actors = cm_dataset_peek_actors (dataset, &n);
    for (guint i = 0; i < n; i++)
      {
        double x = (cm_actor_get_x (actors[i]) - options.center_x) * options.zoom + options.width / 2;
        double y = (cm_actor_get_y (actors[i]) - options.center_y) * options.zoom + options.height / 2;

        g_assert_cmpfloat (x, >, CM_RENDER_MARGIN);
        g_assert_cmpfloat (x, <, options.width - CM_RENDER_MARGIN);
        /* Below the title. */
        g_assert_cmpfloat (y, >, 40);
        g_assert_cmpfloat (y, <, options.height - CM_RENDER_MARGIN);
      }
  }
}

static void
test_legend_only_present (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  CmRenderOptions options;
  double th, sh, lw1, lh1, lw2, lh2;

  add_actor (dataset, "a", "A", CM_ACTOR_KIND_PERSON, -50, 0);
  add_actor (dataset, "b", "B", CM_ACTOR_KIND_PERSON, 50, 0);
  add_link (dataset, "l", "a", "b", CM_CHANNEL_DIRECT);

  cm_render_options_init (&options);
  options.show_legend = TRUE;
  options.width = 1000;
  _cm_render_measure_decorations (dataset, &options, &th, &sh, &lw1, &lh1);
  g_assert_cmpfloat (lw1, >, 0);

  /* One more kind of channel: a wider legend. */
  add_link (dataset, "m", "a", "b", CM_CHANNEL_ABSENT);
  _cm_render_measure_decorations (dataset, &options, &th, &sh, &lw2, &lh2);
  g_assert_cmpfloat (lw2, >, lw1);

  /* Filtered out: as before. */
  options.channels = CM_CHANNEL_FLAGS_DIRECT;
  _cm_render_measure_decorations (dataset, &options, &th, &sh, &lw2, &lh2);
  g_assert_cmpfloat (lw2, ==, lw1);
}

static void
test_colors (void)
{
  double rgba[4];
  g_autoptr(CmDataset) dataset = build_scene ();
  guint8 colors[5];

  /* Absent is vermillion on light. */
  cm_render_get_channel_color (CM_RENDER_THEME_LIGHT, CM_CHANNEL_ABSENT, rgba);
  g_assert_cmpfloat_with_epsilon (rgba[0], 0xD5 / 255.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (rgba[1], 0x5E / 255.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (rgba[2], 0x00 / 255.0, 1e-6);

  /* Groups: "p" belongs to "s", which is therefore a group of its own;
   * the rest belong to none. */
  _cm_render_assign_colors (dataset, colors);
  g_assert_cmpint (colors[0], ==, colors[2]);       /* p and s */
  g_assert_cmpint (colors[0], ==, 0);               /* first group: orange */
  g_assert_cmpint (colors[1], ==, CM_RENDER_GREY);  /* m */
  g_assert_cmpint (colors[4], ==, CM_RENDER_GREY);  /* o */
}

static void
test_empty_and_degenerate (void)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autoptr(CmActor) loose = cm_actor_new ("loose", "No position");
  CmRenderOptions options;
  CmActor *actor;
  CmLink *link;

  cm_render_options_init (&options);
  options.show_title = options.show_legend = options.show_sources = TRUE;
  cairo_surface_destroy (draw_scene (dataset, &options));

  /* Unplaced actors, links to missing actors, two actors on one spot. */
  cm_dataset_add_actor (dataset, loose);
  add_actor (dataset, "a", "A", CM_ACTOR_KIND_PERSON, 0, 0);
  add_actor (dataset, "b", "B", CM_ACTOR_KIND_STATE, 0, 0);
  add_link (dataset, "ab", "a", "b", CM_CHANNEL_ABSENT);
  add_link (dataset, "al", "a", "loose", CM_CHANNEL_DIRECT);
  add_link (dataset, "ag", "a", "ghost", CM_CHANNEL_INDIRECT);
  cm_render_fit (&options, dataset);
  cairo_surface_destroy (draw_scene (dataset, &options));
  g_assert_true (cm_render_hit_test (dataset, &options,
                                     -options.center_x * options.zoom + options.width / 2,
                                     -options.center_y * options.zoom + options.height / 2,
                                     &actor, &link));
  g_assert_nonnull (actor);

  /* Zero zoom or size draws nothing and does not crash. */
  options.zoom = 0;
  cairo_surface_destroy (draw_scene (dataset, &options));
  g_assert_false (cm_render_hit_test (dataset, &options, 1, 1, &actor, &link));
}

/* ------------------------------------------------------------------ */
/* Arrange                                                              */

static void
changed_cb (CmDataset *dataset,
            GObject   *object,
            guint     *count)
{
  (*count)++;
}

static CmDataset *
build_unplaced (void)
{
  CmDataset *dataset = cm_dataset_new ();

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%d", i);
      g_autoptr(CmActor) actor = cm_actor_new (id, id);

      cm_dataset_add_actor (dataset, actor);
    }
  for (int i = 0; i < 11; i++)
    {
      g_autofree char *id = g_strdup_printf ("l%d", i);
      g_autofree char *s = g_strdup_printf ("a%d", i);
      g_autofree char *t = g_strdup_printf ("a%d", i + 1);

      add_link (dataset, id, s, t, CM_CHANNEL_DIRECT);
    }
  return dataset;
}

static void
test_arrange (void)
{
  g_autoptr(CmDataset) dataset = build_unplaced ();
  g_autoptr(CmDataset) twin = build_unplaced ();
  CmActor **actors, **twins;
  guint n, changes = 0;
  CmActor *pinned;

  /* One placed and pinned actor stays where it is. */
  pinned = cm_dataset_lookup_actor (dataset, "a0");
  cm_actor_set_position (pinned, 500, -300);
  cm_actor_set_pinned (pinned, TRUE);
  cm_actor_set_position (cm_dataset_lookup_actor (twin, "a0"), 500, -300);
  cm_actor_set_pinned (cm_dataset_lookup_actor (twin, "a0"), TRUE);

  /* Cancelled: nothing measured or moved, and it says so. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    guint64 generation = cm_dataset_get_generation (dataset);

    g_cancellable_cancel (cancellable);
    g_assert_false (cm_arrange_dataset (dataset, TRUE, 42, cancellable));
    g_assert_cmpuint (cm_dataset_get_generation (dataset), ==, generation);
    g_assert_false (cm_actor_has_position (cm_dataset_lookup_actor (dataset, "a1")));
  }

  g_signal_connect (dataset, "changed", G_CALLBACK (changed_cb), &changes);
  g_assert_true (cm_arrange_dataset (dataset, TRUE, 42, NULL));
  g_assert_true (cm_arrange_dataset (twin, TRUE, 42, NULL));

  actors = cm_dataset_peek_actors (dataset, &n);
  twins = cm_dataset_peek_actors (twin, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (cm_actor_has_position (actors[i]));
      g_assert_true (isfinite (cm_actor_get_x (actors[i])));
      /* Same seed, same result. */
      g_assert_cmpfloat (cm_actor_get_x (actors[i]), ==, cm_actor_get_x (twins[i]));
      g_assert_cmpfloat (cm_actor_get_y (actors[i]), ==, cm_actor_get_y (twins[i]));
    }
  g_assert_cmpfloat (cm_actor_get_x (pinned), ==, 500);
  g_assert_cmpfloat (cm_actor_get_y (pinned), ==, -300);
  /* Written back once: at most x, y and has-position for each actor. */
  g_assert_cmpuint (changes, <=, 3 * (n - 1));
  g_assert_cmpuint (changes, >=, n - 1);

  /* Step by step reaches an end, with progress up to 1. */
  {
    g_autoptr(CmArrange) arrange = cm_arrange_new (dataset, TRUE, 7);
    double progress = 0;
    guint steps = 0;

    while (cm_arrange_step (arrange))
      {
        g_assert_cmpfloat (cm_arrange_get_progress (arrange), >=, progress);
        progress = cm_arrange_get_progress (arrange);
        g_assert_cmpuint (++steps, <, 100000);
      }
    g_assert_cmpfloat (cm_arrange_get_progress (arrange), ==, 1.0);
  }
  g_signal_handlers_disconnect_by_func (dataset, changed_cb, &changes);
}

/* ------------------------------------------------------------------ */
/* Speed without a different picture                                    */

/* How many pixels differ by more than @tolerance in any channel. */
static guint
count_different (cairo_surface_t *a,
                 cairo_surface_t *b,
                 int              tolerance)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  guint count = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        Pixel p = get_pixel (a, x, y), q = get_pixel (b, x, y);

        if (abs (p.r - q.r) > tolerance || abs (p.g - q.g) > tolerance ||
            abs (p.b - q.b) > tolerance || abs (p.a - q.a) > tolerance)
          count++;
      }
  return count;
}

/* Drawn into an image, links go straight into its pixels; drawn anywhere
 * else (here a recording, played back), cairo strokes them.  The two
 * pictures are the same up to antialiasing. */
static void
test_raster_matches_cairo (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmRenderOptions options;
  cairo_surface_t *direct, *recording, *replayed;
  cairo_t *cr;
  guint different;

  for (int pass = 0; pass < 2; pass++)
    {
      scene_options (&options);
      /* The dark style too, and a zoom that makes every dash pattern
       * shrink. */
      if (pass == 1)
        {
          options.theme = CM_RENDER_THEME_DARK;
          options.zoom = 0.45;
        }
      direct = draw_scene (dataset, &options);

      recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cr = cairo_create (recording);
      cm_render_draw (cr, dataset, &options);
      cairo_destroy (cr);
      replayed = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
      cr = cairo_create (replayed);
      cairo_set_source_surface (cr, recording, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_flush (replayed);

      /* Antialiasing of line edges and joints differs by a few levels:
       * pixels that differ by more than a third of the range are few. */
      different = count_different (direct, replayed, 80);
      g_test_message ("pass %d: %u pixels differ by more than 80", pass, different);
      g_assert_cmpuint (different, <, WIDTH * HEIGHT / 500);

      cairo_surface_destroy (direct);
      cairo_surface_destroy (replayed);
      cairo_surface_destroy (recording);
    }
}

/* The window's layers: everything but a dragged actor, then that actor
 * over it, give the whole picture. */
static void
test_layers (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmActor *dragged = cm_dataset_lookup_actor (dataset, "p");
  CmRenderOptions options, top;
  cairo_surface_t *whole, *layered, *alone;
  cairo_t *cr;

  scene_options (&options);
  options.exact = FALSE;
  whole = draw_scene (dataset, &options);

  options.without_actor = dragged;
  layered = draw_scene (dataset, &options);
  /* Without it: no ink where it is. */
  g_assert_cmpfloat (ink (layered, (int) DX (-220), (int) DY (-120)), <, 0.05);
  top = options;
  top.without_actor = NULL;
  top.only_actor = dragged;
  top.background = FALSE;
  cr = cairo_create (layered);
  cm_render_draw (cr, dataset, &top);
  cairo_destroy (cr);
  cairo_surface_flush (layered);
  g_assert_cmpuint (count_different (whole, layered, 80), <, WIDTH * HEIGHT / 200);

  /* Alone: the actor and its three links, nothing else. */
  alone = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (alone);
  cm_render_draw (cr, dataset, &top);
  cairo_destroy (cr);
  cairo_surface_flush (alone);
  g_assert_cmpint (get_pixel (alone, (int) DX (-220), (int) DY (-120)).a, ==, 255);
  g_assert_cmpint (get_pixel (alone, (int) DX (220), (int) DY (20)).a, ==, 0);
  g_assert_cmpint (get_pixel (alone, (int) DX (0), (int) DY (140)).a, ==, 0);

  cairo_surface_destroy (whole);
  cairo_surface_destroy (layered);
  cairo_surface_destroy (alone);
}

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} Reader;

static cairo_status_t
read_cb (void          *closure,
         unsigned char *data,
         unsigned int   length)
{
  Reader *r = closure;

  if (r->offset + length > r->length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Our PNG writer, read back by libpng (through cairo): the same pixels,
 * also across the pieces it deflates separately, with and without
 * alpha. */
static void
test_png_writer (void)
{
  for (int alpha = 0; alpha < 2; alpha++)
    {
      int w = 301, h = 7001;
      cairo_surface_t *surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      guint8 *data = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      cairo_surface_t *back;
      Reader reader;

      /* Noise that compresses badly and flat runs that compress well;
       * alpha either 0 or 255, the values that survive premultiplying. */
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            guint32 v = (guint32) (x * 2654435761u ^ y * 40503u);
            guint32 a = !alpha || (v >> 7) % 5 ? 0xff : 0;

            if (y % 97 < 40)
              v = 0x336699;
            v = a == 0 ? 0 : (a << 24) | (v & 0xffffff);
            memcpy (data + (gsize) y * stride + 4 * x, &v, 4);
          }
      cairo_surface_mark_dirty (surface);

      g_assert_true (_cm_png_encode (surface, bytes));
      reader = (Reader) { bytes->data, bytes->len, 0 };
      back = cairo_image_surface_create_from_png_stream (read_cb, &reader);
      g_assert_cmpint (cairo_surface_status (back), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_format (back), ==,
                       alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24);
      g_assert_cmpuint (count_different (surface, back, 0), ==, 0);
      cairo_surface_destroy (back);
      cairo_surface_destroy (surface);
    }
}

/* What the renderer remembers of a dataset between frames (which actors
 * each link joins) follows the dataset: a link given a new end is hit
 * there, and an actor that moves takes its links along. */
static void
test_follows_changes (void)
{
  g_autoptr(CmDataset) dataset = build_scene ();
  CmLink *link = cm_dataset_lookup_link (dataset, "absent");
  CmRenderOptions options;
  CmActor *actor;
  CmLink *hit;

  scene_options (&options);
  g_assert_true (cm_render_hit_test (dataset, &options, DX (0), DY (-120) + 1, &actor, &hit));
  g_assert_true (hit == link);

  /* From person–media to person–other: the old middle is empty, the
   * middle of the new line is the link. */
  cm_link_set_target (link, "x");
  g_assert_false (cm_render_hit_test (dataset, &options, DX (0) + 60, DY (-120) + 1, &actor, &hit) &&
                  hit == link);
  g_assert_true (cm_render_hit_test (dataset, &options, DX (0) + 0.5, DY (-50) + 0.5, &actor, &hit));
  g_assert_true (hit == link);

  /* Only a move: the same links, elsewhere. */
  cm_actor_set_position (cm_dataset_lookup_actor (dataset, "x"), 220, 160);
  g_assert_true (cm_render_hit_test (dataset, &options, DX (0), DY (20), &actor, &hit));
  g_assert_true (hit == link);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/reference/light", test_reference_light);
  g_test_add_func ("/render/reference/dark", test_reference_dark);
  g_test_add_func ("/render/dotted-absent", test_dotted_absent);
  g_test_add_func ("/render/far-links", test_far_links);
  g_test_add_func ("/render/arrange-parallel", test_arrange_parallel);
  g_test_add_func ("/render/dashed-indirect", test_dashed_indirect);
  g_test_add_func ("/render/solid-direct", test_solid_direct);
  g_test_add_func ("/render/absent-mark", test_absent_mark);
  g_test_add_func ("/render/transparent", test_transparent);
  g_test_add_func ("/render/filter", test_filter);
  g_test_add_func ("/render/markup-literal", test_markup_literal);
  g_test_add_func ("/render/hit", test_hit);
  g_test_add_func ("/render/selection-fades", test_selection_fades);
  g_test_add_func ("/render/labels-no-overlap", test_labels_no_overlap);
  g_test_add_func ("/render/short-link-dashes", test_short_link_dashes);
  g_test_add_func ("/render/bounds-fit", test_bounds_fit);
  g_test_add_func ("/render/legend-only-present", test_legend_only_present);
  g_test_add_func ("/render/colors", test_colors);
  g_test_add_func ("/render/empty-and-degenerate", test_empty_and_degenerate);
  g_test_add_func ("/render/arrange", test_arrange);
  g_test_add_func ("/render/raster-matches-cairo", test_raster_matches_cairo);
  g_test_add_func ("/render/layers", test_layers);
  g_test_add_func ("/render/png-writer", test_png_writer);
  g_test_add_func ("/render/follows-changes", test_follows_changes);

  return g_test_run ();
}
