/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cm-arrange.h"
#include "cm-cli.h"
#include "cm-dataset-io.h"
#include "cm-export.h"
#include "cm-import.h"

/* The largest --width and --height: the exporter's limit on a side
 * (MAX_SIDE in src/render/cm-export.c), in pixels before --scale for a
 * PNG and in points for SVG and PDF.  Stated here so that a size the
 * exporter would refuse is refused as a bad option, before any work. */
#define MAX_SIDE 16384
#define MIN_SCALE 0.1
#define MAX_SCALE 16.0

/* The options that only mean something to --export, in the order --help
 * lists them. */
static const char * const export_only_options[] = {
  "width", "height", "scale", "relayout", "seed",
};

/* --width, --height, --scale and --seed are taken as text and read here:
 * GApplication leaves a number option that is 0 out of the options it
 * hands over, so "--width 0" would read as no --width at all. */
static const GOptionEntry option_entries[] = {
  { "check", 'c', 0, G_OPTION_ARG_NONE, NULL,
    N_("Check the files; print every problem and exit 1 if there is any"), NULL },
  { "export", 'e', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export FILE to OUT (.png, .svg, .pdf, .json, .graphml or .dot) without opening a window"), N_("OUT") },
  { "width", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Width of the exported image, 1 to 16384 (default: fit the map)"), N_("PX") },
  { "height", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Height of the exported image, 1 to 16384 (default: fit the map)"), N_("PX") },
  { "scale", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Pixel density of a PNG export, 0.1 to 16 (1, 2, 4, …)"), N_("N") },
  { "relayout", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Lay out every actor that is not pinned, not only those without a position"), NULL },
  { "seed", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Seed of the layout (the same seed gives the same picture)"), N_("N") },
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

/* The name messages start with: the program as it was run. */
static const char *
program_name (void)
{
  const char *name = g_get_prgname ();

  return name != NULL && *name != '\0' ? name : "channel-map";
}

/* Prints "channel-map: MESSAGE (see channel-map --help)" to @err: a bad
 * option, exit status 2. */
static void
print_usage_error (FILE       *err,
                   const char *message)
{
  /* TRANSLATORS: the first and third %s are the program's name, the
   * second what was wrong ("Unknown option --bogus") */
  fprintf (err, _("%s: %s (see %s --help)\n"), program_name (), message, program_name ());
  fflush (err);
}

static int G_GNUC_PRINTF (2, 3)
usage_error (FILE       *err,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  print_usage_error (err, message);
  return CM_EXIT_USAGE;
}

/* @s (any bytes) as one line of text that is safe to print: control and
 * invisible characters escaped as in a JSON string (\n, \t, \r, \u001B),
 * and bytes that are not UTF-8 as \xFF.  A file name with a newline or an
 * escape sequence in it cannot break a message in two or talk to the
 * terminal.  Backslashes are left alone: a path is shown as typed. */
static char *
escape_for_message (const char *s)
{
  GString *out = g_string_new (NULL);
  const char *p = s;
  const char *end = s + strlen (s);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guint) (guchar) *p);
          p++;
          continue;
        }
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (cm_problem_char_needs_escape (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* A file name as messages show it: as typed, escaped, and '' when empty
 * (": empty file name" would read as a message about nothing). */
static char *
display_name (const char *filename)
{
  g_autofree char *utf8 = NULL;

  if (*filename == '\0')
    return g_strdup ("''");
  /* In a locale whose file names are not UTF-8, convert first; what
   * does not convert is shown byte by byte. */
  if (!g_get_filename_charsets (NULL))
    utf8 = g_filename_to_utf8 (filename, -1, NULL, NULL, NULL);
  return escape_for_message (utf8 != NULL ? utf8 : filename);
}

/* An option's value as typed, for a message. */
static char *
quote_value (const char *text)
{
  return *text == '\0' ? g_strdup ("''") : escape_for_message (text);
}

/* Prints "FILE: MESSAGE", both escaped, so it stays one line. */
static void
print_file_message (FILE       *err,
                    const char *filename,
                    const char *message)
{
  g_autofree char *name = display_name (filename);
  g_autofree char *text = escape_for_message (message);

  fprintf (err, "%s: %s\n", name, text);
}

static void
print_problems (FILE       *err,
                const char *filename,
                GPtrArray  *problems,
                GError     *error)
{
  if (problems != NULL && problems->len > 0)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = cm_problem_to_string (g_ptr_array_index (problems, i));
          print_file_message (err, filename, line);
        }
    }
  else if (error != NULL)
    {
      print_file_message (err, filename, error->message);
    }
}

/* GApplication prints an option the parser refuses (--bogus, --width 800x,
 * --seed 99999999999999999999) and exits with status 1, which --check
 * uses for a broken file.  This hook runs first, says it the way the
 * other bad options are said, and exits with 2, as documented. */
static void
option_error (GOptionContext  *context,
              GOptionGroup    *group,
              gpointer         user_data,
              GError         **error)
{
  g_autofree char *message = NULL;

  if (error == NULL || *error == NULL)
    return;
  message = escape_for_message ((*error)->message);
  fflush (stdout);
  print_usage_error (stderr, message);
  exit (CM_EXIT_USAGE);
}

void
cm_cli_add_options (GApplication *app)
{
  GOptionGroup *errors;

  g_application_add_main_option_entries (app, option_entries);
  /* A group with no options, only for its error hook: every group's hook
   * is called whichever option failed, and one without entries is not
   * listed in --help. */
  errors = g_option_group_new ("cli-errors", "", "", NULL, NULL);
  g_option_group_set_error_hook (errors, option_error);
  g_application_add_option_group (app, errors);

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

/* Any supported file: a Channel Map dataset, or one of the import formats
 * (detected by extension and content).  An importer's notes ("no channel
 * kind in the file: all links are direct") go to @notes_out as
 * "FILE: note" lines. */
static CmDataset *
load (const char  *filename,
      FILE        *notes_out,
      FILE        *err)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  CmFileFormat format;
  CmDataset *dataset;

  /* g_file_new_for_commandline_arg ("") is the current folder. */
  if (*filename == '\0')
    {
      print_file_message (err, filename, _("empty file name"));
      return NULL;
    }

  file = g_file_new_for_commandline_arg (filename);
  dataset = cm_dataset_open_file (file, NULL, &format, &notes, &problems, &error);
  if (dataset == NULL)
    {
      print_problems (err, filename, problems, error);
      return NULL;
    }
  if (notes_out != NULL && notes != NULL)
    {
      for (guint i = 0; i < notes->len; i++)
        print_file_message (notes_out, filename, g_ptr_array_index (notes, i));
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
    return usage_error (err, "%s", _("--check needs at least one FILE"));

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

static void
side_error (const char *option,
            const char *text,
            FILE       *err)
{
  g_autofree char *shown = quote_value (text);

  /* TRANSLATORS: "--width must be from 1 to 16384 pixels, not 0" */
  usage_error (err, _("%s must be from 1 to %d pixels, not %s"), option, MAX_SIDE, shown);
}

static void
scale_error (const char *text,
             FILE       *err)
{
  g_autofree char *shown = quote_value (text);

  /* TRANSLATORS: "--scale must be from 0.1 to 16, not 0" */
  usage_error (err, _("%s must be from %g to %g, not %s"), "--scale", MIN_SCALE, MAX_SCALE, shown);
}

/* --width or --height @value: 0 is "fit the map" (the option not given). */
static gboolean
check_side (const char *option,
            int         value,
            double      scale,
            gboolean    png,
            FILE       *err)
{
  if (value == 0)
    return TRUE;
  if (value < 0 || value > MAX_SIDE)
    {
      g_autofree char *text = g_strdup_printf ("%d", value);

      side_error (option, text, err);
      return FALSE;
    }
  if (png && value * scale > MAX_SIDE)
    {
      /* TRANSLATORS: "--width 9000 at --scale 2 makes 18000 pixels; a PNG has at most 16384 a side" */
      usage_error (err, _("%s %d at --scale %g makes %.0f pixels; a PNG has at most %d a side"),
                   option, value, scale, value * scale, MAX_SIDE);
      return FALSE;
    }
  return TRUE;
}

/* The folder the export goes to, when it is missing, named as typed:
 * said before the input is read and laid out, which can take a while. */
static gboolean
check_output_folder (const char *output,
                     GFile      *out_file,
                     FILE       *err)
{
  g_autoptr(GFile) parent = g_file_get_parent (out_file);
  g_autofree char *folder = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *message = NULL;

  if (parent == NULL || !g_file_is_native (parent) ||
      g_file_query_file_type (parent, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    return TRUE;

  if (g_uri_peek_scheme (output) == NULL)
    folder = g_path_get_dirname (output);
  else
    folder = g_file_get_parse_name (parent);
  shown = display_name (folder);
  message = g_strdup_printf (_("could not save: the folder “%s” does not exist"), shown);
  print_file_message (err, output, message);
  return FALSE;
}

/* An export error, after "OUT: ".  The file layer names the file its own
 * way ("Could not save “x.png”: …", the base name alone); the line
 * already starts with the name as typed, so that part gives way to
 * "could not save: …". */
static char *
export_error_text (GFile        *out_file,
                   const GError *error)
{
  g_autofree char *path = g_file_get_path (out_file);
  g_autofree char *base = path != NULL ? g_filename_display_basename (path) : NULL;
  g_autofree char *parse_name = g_file_get_parse_name (out_file);
  const char *names[] = { base, parse_name };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *prefix = NULL;

      if (names[i] == NULL)
        continue;
      /* The file layer's own message, with an empty reason. */
      prefix = g_strdup_printf (_("Could not save “%s”: %s"), names[i], "");
      if (g_str_has_prefix (error->message, prefix))
        /* TRANSLATORS: after "OUT: "; %s is why ("Permission denied") */
        return g_strdup_printf (_("could not save: %s"), error->message + strlen (prefix));
    }
  return g_strdup (error->message);
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
  CmExportOptions options;

  cm_export_options_init (&options);
  if (*output == '\0')
    {
      print_file_message (err, output, _("empty file name"));
      return CM_EXIT_USAGE;
    }
  if (!cm_export_format_from_filename (output, &options.format))
    {
      print_file_message (err, output,
                          _("unknown export format (use .png, .svg, .pdf, .json, .graphml or .dot)"));
      return CM_EXIT_USAGE;
    }
  /* 0 is the default, 1. */
  if (scale != 0 && !(scale >= MIN_SCALE && scale <= MAX_SCALE))
    {
      g_autofree char *text = g_strdup_printf ("%g", scale);

      scale_error (text, err);
      return CM_EXIT_USAGE;
    }
  if (scale > 0)
    options.scale = scale;
  if (!check_side ("--width", width, options.scale, options.format == CM_EXPORT_FORMAT_PNG, err) ||
      !check_side ("--height", height, options.scale, options.format == CM_EXPORT_FORMAT_PNG, err))
    return CM_EXIT_USAGE;
  options.width = width;
  options.height = height;

  out_file = g_file_new_for_commandline_arg (output);
  if (!check_output_folder (output, out_file, err))
    return CM_EXIT_EXPORT;

  /* Never over the file it reads (the same file by another name, a
   * link, included): an export is a new file, and the source is the
   * user's data. */
  if (*input != '\0')
    {
      g_autoptr(GFile) in_file = g_file_new_for_commandline_arg (input);
      g_autoptr(GFileInfo) in_info = g_file_query_info (in_file, G_FILE_ATTRIBUTE_ID_FILE,
                                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
      g_autoptr(GFileInfo) out_info = g_file_query_info (out_file, G_FILE_ATTRIBUTE_ID_FILE,
                                                         G_FILE_QUERY_INFO_NONE, NULL, NULL);
      const char *in_id = in_info ? g_file_info_get_attribute_string (in_info, G_FILE_ATTRIBUTE_ID_FILE) : NULL;
      const char *out_id = out_info ? g_file_info_get_attribute_string (out_info, G_FILE_ATTRIBUTE_ID_FILE) : NULL;

      if (g_file_equal (in_file, out_file) || (in_id != NULL && g_strcmp0 (in_id, out_id) == 0))
        {
          print_file_message (err, output, _("is the file being exported: choose another name for the export"));
          return CM_EXIT_USAGE;
        }
    }

  dataset = load (input, NULL, err);
  if (dataset == NULL)
    return CM_EXIT_INVALID;

  if (relayout || needs_layout (dataset))
    cm_arrange_dataset (dataset, relayout, seed, NULL);

  if (!cm_export_to_file (dataset, out_file, &options, NULL, &error))
    {
      g_autofree char *text = export_error_text (out_file, error);

      print_file_message (err, output, text);
      return CM_EXIT_EXPORT;
    }
  return CM_EXIT_OK;
}

/* Option @name as typed, or NULL when it was not given. */
static const char *
lookup_text (GVariantDict *options,
             const char   *name)
{
  const char *text = NULL;

  g_variant_dict_lookup (options, name, "&s", &text);
  return text;
}

/* Reads the values of the --export options; FALSE (and the message
 * printed) for one that is not a number or out of its range. */
static gboolean
read_export_options (GVariantDict *options,
                     int          *width,
                     int          *height,
                     double       *scale,
                     gint64       *seed,
                     FILE         *err)
{
  const char *sides[] = { "width", "height" };
  int *values[] = { width, height };
  const char *text;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      gint64 value;

      text = lookup_text (options, sides[i]);
      if (text == NULL)
        continue;
      if (!g_ascii_string_to_signed (text, 10, 1, MAX_SIDE, &value, NULL))
        {
          g_autofree char *option = g_strconcat ("--", sides[i], NULL);

          side_error (option, text, err);
          return FALSE;
        }
      *values[i] = (int) value;
    }

  text = lookup_text (options, "scale");
  if (text != NULL)
    {
      char *end = NULL;

      *scale = g_ascii_strtod (text, &end);
      if (*text == '\0' || *end != '\0' || !(*scale >= MIN_SCALE && *scale <= MAX_SCALE))
        {
          scale_error (text, err);
          return FALSE;
        }
    }

  text = lookup_text (options, "seed");
  if (text != NULL && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, seed, NULL))
    {
      g_autofree char *shown = quote_value (text);

      /* TRANSLATORS: "--seed must be a whole number from -9223372036854775808 to 9223372036854775807, not x" */
      usage_error (err, _("%s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", not %s"),
                   "--seed", G_MININT64, G_MAXINT64, shown);
      return FALSE;
    }
  return TRUE;
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
  g_variant_dict_lookup (options, "relayout", "b", &relayout);
  g_variant_dict_lookup (options, "version", "b", &version);

  if (version)
    {
      printf ("channel-map %s\n", PACKAGE_VERSION);
      return CM_EXIT_OK;
    }

  if (check && export_to != NULL)
    return usage_error (stderr, "%s", _("--check and --export cannot be used together"));

  if (export_to == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (export_only_options); i++)
        if (g_variant_dict_contains (options, export_only_options[i]))
          /* TRANSLATORS: "--width applies to --export only" */
          return usage_error (stderr, _("--%s applies to --export only"), export_only_options[i]);
    }
  else if (!read_export_options (options, &width, &height, &scale, &seed, stderr))
    return CM_EXIT_USAGE;

  if (check)
    return cm_cli_check (files, stdout, stderr);

  if (export_to != NULL)
    {
      if (files == NULL || files[0] == NULL || files[1] != NULL)
        return usage_error (stderr, "%s", _("--export needs exactly one FILE to read: channel-map --export OUT FILE"));
      return cm_cli_export (export_to, files[0], width, height, scale, relayout,
                            (guint64) seed, stderr);
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
