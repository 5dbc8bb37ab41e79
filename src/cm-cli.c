/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "cm-arrange.h"
#include "cm-cli.h"
#include "cm-dataset-io.h"
#include "cm-export.h"
#include "cm-import.h"

static const GOptionEntry option_entries[] = {
  { "check", 'c', 0, G_OPTION_ARG_NONE, NULL,
    N_("Check the files; print every problem and exit 1 if there is any"), NULL },
  { "export", 'e', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export FILE to OUT (.png, .svg, .pdf, .json, .graphml or .dot) without opening a window"), N_("OUT") },
  { "width", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Width of the exported image (default: fit the map)"), N_("PX") },
  { "height", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Height of the exported image (default: fit the map)"), N_("PX") },
  { "scale", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Pixel density of a PNG export (1, 2, 4, …)"), N_("N") },
  { "relayout", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Lay out every actor that is not pinned, not only those without a position"), NULL },
  { "seed", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("Seed of the layout (the same seed gives the same picture)"), N_("N") },
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

void
cm_cli_add_options (GApplication *app)
{
  g_application_add_main_option_entries (app, option_entries);
  g_application_set_option_context_summary (app,
    _("Map who talks to whom: actors, the channels between them, and the quotes behind each."));
  g_application_set_option_context_description (app,
    _("Modes:\n"
      "  channel-map [FILE…]                  open the files in the window\n"
      "  channel-map --check FILE…            validate; print every problem\n"
      "  channel-map --export OUT FILE        write OUT (.png .svg .pdf .json .graphml .dot)\n"
      "        [--width PX] [--height PX] [--scale N] [--relayout] [--seed N]\n"
      "\n"
      "Exit status: 0 success, 1 a file could not be read or breaks the format,\n"
      "2 bad options, 3 the output could not be written.\n"
      "Problems are printed one per line: FILE: $.path: message, or\n"
      "FILE: LINE:COLUMN: message for JSON syntax."));
}

/* File names go into messages as UTF-8 whatever their encoding. */
static char *
display_name (const char *filename)
{
  return g_filename_display_name (filename);
}

static void
print_problems (FILE       *err,
                const char *filename,
                GPtrArray  *problems,
                GError     *error)
{
  g_autofree char *name = display_name (filename);

  if (problems != NULL && problems->len > 0)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));
          fprintf (err, "%s: %s\n", name, line);
        }
    }
  else if (error != NULL)
    {
      fprintf (err, "%s: %s\n", name, error->message);
    }
}

/* Any supported file: a Channel Map dataset, or one of the import formats
 * (detected by extension and content).  An importer's notes ("no channel
 * kind in the file: all links are direct") go to @notes_out as
 * "FILE: note" lines. */
static CmDataset *
load (const char  *filename,
      FILE        *notes_out,
      FILE        *err)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (filename);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  CmFileFormat format;
  CmDataset *dataset;

  dataset = cm_dataset_open_file (file, NULL, &format, &notes, &problems, &error);
  if (dataset == NULL)
    {
      print_problems (err, filename, problems, error);
      return NULL;
    }
  if (notes_out != NULL && notes != NULL)
    {
      g_autofree char *name = display_name (filename);

      for (guint i = 0; i < notes->len; i++)
        fprintf (notes_out, "%s: %s\n", name, (const char *) g_ptr_array_index (notes, i));
    }
  return dataset;
}

int
cm_cli_check (const char * const *files,
              FILE               *out,
              FILE               *err)
{
  int status = CM_EXIT_OK;

  if (files == NULL || files[0] == NULL)
    {
      fprintf (err, "%s\n", _("--check needs at least one FILE"));
      return CM_EXIT_USAGE;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(CmDataset) dataset = load (files[i], out, err);
      g_autofree char *name = display_name (files[i]);

      if (dataset == NULL)
        {
          status = CM_EXIT_INVALID;
          continue;
        }
      /* TRANSLATORS: FILE: ok (N actors, M links) */
      fprintf (out, _("%s: ok (%u actors, %u links)\n"), name,
               cm_dataset_get_n_actors (dataset), cm_dataset_get_n_links (dataset));
    }
  fflush (out);
  fflush (err);
  return status;
}

static gboolean
needs_layout (CmDataset *dataset)
{
  guint n;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n);

  for (guint i = 0; i < n; i++)
    if (!cm_actor_has_position (actors[i]))
      return TRUE;
  return FALSE;
}

int
cm_cli_export (const char *output,
               const char *input,
               int         width,
               int         height,
               double      scale,
               gboolean    relayout,
               guint64     seed,
               FILE       *err)
{
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_name = NULL;
  CmExportOptions options;

  cm_export_options_init (&options);
  if (!cm_export_format_from_filename (output, &options.format))
    {
      g_autofree char *name = display_name (output);
      fprintf (err, _("%s: unknown export format (use .png, .svg, .pdf, .json, .graphml or .dot)\n"), name);
      return CM_EXIT_USAGE;
    }
  if (width < 0 || height < 0 || width > 100000 || height > 100000)
    {
      fprintf (err, "%s\n", _("--width and --height must be between 1 and 100000 pixels"));
      return CM_EXIT_USAGE;
    }
  if (scale != 0 && !(scale >= 0.1 && scale <= 16))
    {
      fprintf (err, "%s\n", _("--scale must be between 0.1 and 16"));
      return CM_EXIT_USAGE;
    }

  dataset = load (input, NULL, err);
  if (dataset == NULL)
    return CM_EXIT_INVALID;

  if (relayout || needs_layout (dataset))
    cm_arrange_dataset (dataset, relayout, seed, NULL);

  options.width = width;
  options.height = height;
  if (scale > 0)
    options.scale = scale;

  out_file = g_file_new_for_commandline_arg (output);
  if (!cm_export_to_file (dataset, out_file, &options, NULL, &error))
    {
      out_name = display_name (output);
      fprintf (err, "%s: %s\n", out_name, error->message);
      return CM_EXIT_EXPORT;
    }
  return CM_EXIT_OK;
}

int
cm_cli_handle_local_options (GApplication *app,
                             GVariantDict *options,
                             gpointer      user_data)
{
  g_autofree const char **files = NULL;
  const char *export_to = NULL;
  gboolean check = FALSE;
  gboolean relayout = FALSE;
  gboolean version = FALSE;
  gint64 seed = 1;
  int width = 0, height = 0;
  double scale = 0;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);
  g_variant_dict_lookup (options, "check", "b", &check);
  g_variant_dict_lookup (options, "export", "^&ay", &export_to);
  g_variant_dict_lookup (options, "width", "i", &width);
  g_variant_dict_lookup (options, "height", "i", &height);
  g_variant_dict_lookup (options, "scale", "d", &scale);
  g_variant_dict_lookup (options, "relayout", "b", &relayout);
  g_variant_dict_lookup (options, "seed", "x", &seed);
  g_variant_dict_lookup (options, "version", "b", &version);

  if (version)
    {
      printf ("channel-map %s\n", PACKAGE_VERSION);
      return CM_EXIT_OK;
    }

  if (check && export_to != NULL)
    {
      fprintf (stderr, "%s\n", _("--check and --export cannot be used together"));
      return CM_EXIT_USAGE;
    }

  if (check)
    return cm_cli_check (files, stdout, stderr);

  if (export_to != NULL)
    {
      if (files == NULL || files[0] == NULL || files[1] != NULL)
        {
          fprintf (stderr, "%s\n", _("--export needs exactly one FILE to read: channel-map --export OUT FILE"));
          return CM_EXIT_USAGE;
        }
      return cm_cli_export (export_to, files[0], width, height, scale, relayout,
                            (guint64) seed, stderr);
    }

  if (width || height || scale != 0 || relayout || g_variant_dict_contains (options, "seed"))
    {
      fprintf (stderr, "%s\n", _("--width, --height, --scale, --relayout and --seed go with --export"));
      return CM_EXIT_USAGE;
    }

  /* The window.  Files given on the command line go to the running
   * instance if there is one (GApplication forwards open() over D-Bus);
   * otherwise this process becomes it and opens them itself, then
   * activate() presents the window that open() made. */
  if (files != NULL && files[0] != NULL)
    {
      g_autoptr(GPtrArray) gfiles = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;

      if (!g_application_register (app, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return CM_EXIT_USAGE;
        }
      for (guint i = 0; files[i] != NULL; i++)
        g_ptr_array_add (gfiles, g_file_new_for_commandline_arg (files[i]));
      g_application_open (app, (GFile **) gfiles->pdata, (int) gfiles->len, "");
      return g_application_get_is_remote (app) ? CM_EXIT_OK : -1;
    }

  return -1;
}
