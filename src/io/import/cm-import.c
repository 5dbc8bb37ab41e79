/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/* ---- Names and patterns ---------------------------------------------------- */

static const char *const channel_map_patterns[] = { "*.json", NULL };
static const char *const graphml_patterns[] = { "*.graphml", NULL };
static const char *const gexf_patterns[] = { "*.gexf", NULL };
static const char *const gml_patterns[] = { "*.gml", NULL };
static const char *const csv_patterns[] = { "*.csv", "*.tsv", "*.tab", "*.edges", "*.edgelist", NULL };
static const char *const dot_patterns[] = { "*.dot", "*.gv", NULL };
static const char *const gdelt_patterns[] = { "*.csv", "*.export.csv", NULL };
static const char *const node_link_patterns[] = { "*.json", NULL };
static const char *const no_patterns[] = { NULL };
static const char *const all_patterns[] = {
  "*.json", "*.graphml", "*.gexf", "*.gml", "*.csv", "*.tsv", "*.tab", "*.edges",
  "*.edgelist", "*.dot", "*.gv", NULL };

const char *
cm_file_format_get_name (CmFileFormat format)
{
  switch (format)
    {
    case CM_FILE_FORMAT_CHANNEL_MAP:
      return _("Channel Map dataset");
    case CM_FILE_FORMAT_GRAPHML:
      return "GraphML";
    case CM_FILE_FORMAT_GEXF:
      return "GEXF";
    case CM_FILE_FORMAT_GML:
      return "GML";
    case CM_FILE_FORMAT_CSV:
      return "CSV";
    case CM_FILE_FORMAT_DOT:
      return "Graphviz DOT";
    case CM_FILE_FORMAT_GDELT:
      return _("GDELT events");
    case CM_FILE_FORMAT_NODE_LINK_JSON:
      return _("Node-link JSON");
    case CM_FILE_FORMAT_UNKNOWN:
    default:
      return _("Unknown");
    }
}

const char * const *
cm_file_format_get_patterns (CmFileFormat format)
{
  switch (format)
    {
    case CM_FILE_FORMAT_CHANNEL_MAP:
      return channel_map_patterns;
    case CM_FILE_FORMAT_GRAPHML:
      return graphml_patterns;
    case CM_FILE_FORMAT_GEXF:
      return gexf_patterns;
    case CM_FILE_FORMAT_GML:
      return gml_patterns;
    case CM_FILE_FORMAT_CSV:
      return csv_patterns;
    case CM_FILE_FORMAT_DOT:
      return dot_patterns;
    case CM_FILE_FORMAT_GDELT:
      return gdelt_patterns;
    case CM_FILE_FORMAT_NODE_LINK_JSON:
      return node_link_patterns;
    case CM_FILE_FORMAT_UNKNOWN:
    default:
      return no_patterns;
    }
}

const char * const *
cm_file_format_get_all_patterns (void)
{
  return all_patterns;
}

/* ---- Detection ------------------------------------------------------------- */

static CmFileFormat
format_from_extension (const char *filename)
{
  static const struct { const char *suffix; CmFileFormat format; } suffixes[] = {
    { ".graphml", CM_FILE_FORMAT_GRAPHML },
    { ".graphml.xml", CM_FILE_FORMAT_GRAPHML },
    { ".gexf", CM_FILE_FORMAT_GEXF },
    { ".gml", CM_FILE_FORMAT_GML },
    { ".dot", CM_FILE_FORMAT_DOT },
    { ".gv", CM_FILE_FORMAT_DOT },
    { ".export.csv", CM_FILE_FORMAT_GDELT },
    { ".csv", CM_FILE_FORMAT_CSV },
    { ".tsv", CM_FILE_FORMAT_CSV },
    { ".tab", CM_FILE_FORMAT_CSV },
    { ".edges", CM_FILE_FORMAT_CSV },
    { ".edgelist", CM_FILE_FORMAT_CSV },
    { ".json", CM_FILE_FORMAT_CHANNEL_MAP },
  };
  g_autofree char *base = NULL;
  g_autofree char *lower = NULL;

  if (filename == NULL)
    return CM_FILE_FORMAT_UNKNOWN;
  base = g_path_get_basename (filename);
  lower = g_ascii_strdown (base, -1);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i].suffix))
      return suffixes[i].format;
  return CM_FILE_FORMAT_UNKNOWN;
}

/* Skips blanks and the comments of DOT (C and C++ style, '#' lines) and GML
 * ('#' lines). */
static const char *
skip_blanks_and_comments (const char *p,
                          const char *end)
{
  while (p < end)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f')
        p++;
      else if (*p == '#')
        {
          while (p < end && *p != '\n')
            p++;
        }
      else if (p + 1 < end && p[0] == '/' && p[1] == '/')
        {
          while (p < end && *p != '\n')
            p++;
        }
      else if (p + 1 < end && p[0] == '/' && p[1] == '*')
        {
          const char *close = g_strstr_len (p + 2, end - p - 2, "*/");

          p = close != NULL ? close + 2 : end;
        }
      else
        break;
    }
  return p;
}

static gboolean
word_at (const char *p,
         const char *end,
         const char *word)
{
  gsize n = strlen (word);

  return (gsize) (end - p) >= n && g_ascii_strncasecmp (p, word, n) == 0
         && (p + n == end || !(g_ascii_isalnum (p[n]) || p[n] == '_'));
}

static gboolean
looks_like_dot (const char *p,
                const char *end)
{
  p = skip_blanks_and_comments (p, end);
  if (word_at (p, end, "strict"))
    p = skip_blanks_and_comments (p + 6, end);
  if (word_at (p, end, "digraph"))
    p += 7;
  else if (word_at (p, end, "graph"))
    p += 5;
  else
    return FALSE;

  /* An optional id, then '{'.  GML's "graph [" is not DOT. */
  p = skip_blanks_and_comments (p, end);
  if (p < end && *p == '"')
    {
      p++;
      while (p < end && *p != '"')
        p += (*p == '\\' && p + 1 < end) ? 2 : 1;
      p++;
    }
  else
    while (p < end && (g_ascii_isalnum (*p) || *p == '_' || *p == '.' || *p == '-' || (guchar) *p >= 0x80))
      p++;
  p = skip_blanks_and_comments (p, end);
  return p < end && *p == '{';
}

static gboolean
looks_like_gml (const char *p,
                const char *end)
{
  /* GML: key value pairs; the top level has "graph [" somewhere, usually
   * after Creator/Version lines. */
  for (guint tokens = 0; tokens < 64 && p < end; tokens++)
    {
      const char *start;

      p = skip_blanks_and_comments (p, end);
      if (p >= end || !(g_ascii_isalpha (*p) || *p == '_'))
        return FALSE;
      start = p;
      while (p < end && (g_ascii_isalnum (*p) || *p == '_'))
        p++;
      if (p - start == 5 && strncmp (start, "graph", 5) == 0)
        {
          p = skip_blanks_and_comments (p, end);
          return p < end && *p == '[';
        }
      /* skip the value: a string, a number or a word */
      p = skip_blanks_and_comments (p, end);
      if (p >= end)
        return FALSE;
      if (*p == '"')
        {
          const char *close = memchr (p + 1, '"', end - p - 1);

          if (close == NULL)
            return FALSE;
          p = close + 1;
        }
      else if (*p == '[')
        return FALSE;
      else
        while (p < end && !g_ascii_isspace (*p))
          p++;
    }
  return FALSE;
}

static CmFileFormat
format_from_xml (const char *p,
                 const char *end)
{
  gsize n = MIN ((gsize) (end - p), 8192);

  /* The root element's local name, after the declaration and comments. */
  if (g_strstr_len (p, n, "<graphml") != NULL || g_strstr_len (p, n, ":graphml") != NULL)
    return CM_FILE_FORMAT_GRAPHML;
  if (g_strstr_len (p, n, "<gexf") != NULL || g_strstr_len (p, n, ":gexf") != NULL)
    return CM_FILE_FORMAT_GEXF;
  return CM_FILE_FORMAT_UNKNOWN;
}

static CmFileFormat
format_from_json (const char *p,
                  const char *end)
{
  gsize n = end - p;

  /* "format": "channel-map" anywhere near the top is ours; a node-link
   * graph has "nodes" and "links" (or "edges") and no such key. */
  if (g_strstr_len (p, MIN (n, 65536), "\"channel-map\"") != NULL)
    return CM_FILE_FORMAT_CHANNEL_MAP;
  if (g_strstr_len (p, n, "\"nodes\"") != NULL
      && (g_strstr_len (p, n, "\"links\"") != NULL || g_strstr_len (p, n, "\"edges\"") != NULL)
      && g_strstr_len (p, MIN (n, 65536), "\"format\"") == NULL)
    return CM_FILE_FORMAT_NODE_LINK_JSON;
  /* Any other JSON: the dataset loader says what is wrong with it. */
  return CM_FILE_FORMAT_CHANNEL_MAP;
}

CmFileFormat
cm_file_format_detect (const char *filename,
                       const char *data,
                       gsize       length)
{
  CmFileFormat by_name = format_from_extension (filename);
  const char *p, *end;

  if (data == NULL || length == 0)
    return by_name;

  p = _cm_import_skip_bom (data, &length);
  end = p + length;
  /* UTF-16 with a BOM: only XML is worth a look. */
  if (length >= 2 && (((guchar) p[0] == 0xFF && (guchar) p[1] == 0xFE)
                      || ((guchar) p[0] == 0xFE && (guchar) p[1] == 0xFF)))
    return by_name;

  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  if (p >= end)
    return by_name;

  if (*p == '<')
    {
      CmFileFormat xml = format_from_xml (p, end);

      return xml != CM_FILE_FORMAT_UNKNOWN ? xml : by_name;
    }
  if (*p == '{' || *p == '[')
    {
      /* JSON, unless it is a DOT file starting with a brace (anonymous) */
      if (*p == '{' || by_name == CM_FILE_FORMAT_CHANNEL_MAP)
        return format_from_json (p, end);
    }
  if (looks_like_dot (p, end))
    return CM_FILE_FORMAT_DOT;
  if (looks_like_gml (p, end))
    return CM_FILE_FORMAT_GML;
  if (_cm_gdelt_sniff (p, end - p))
    return CM_FILE_FORMAT_GDELT;

  /* The content says nothing conclusive: trust the extension, else a text
   * table is CSV. */
  if (by_name != CM_FILE_FORMAT_UNKNOWN)
    return by_name;
  if (_cm_csv_looks_delimited (p, end - p))
    return CM_FILE_FORMAT_CSV;
  return CM_FILE_FORMAT_UNKNOWN;
}

/* ---- Opening ---------------------------------------------------------------- */

static void
set_out (GPtrArray  *notes,
         GPtrArray  *problems,
         GPtrArray **notes_out,
         GPtrArray **problems_out)
{
  if (notes_out != NULL)
    *notes_out = g_ptr_array_ref (notes);
  if (problems_out != NULL)
    *problems_out = g_ptr_array_ref (problems);
}

static char *
title_from_filename (const char *filename)
{
  g_autofree char *base = NULL;
  char *dot;

  if (filename == NULL)
    return NULL;
  base = g_path_get_basename (filename);
  dot = strchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  if (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "/") == 0)
    return NULL;
  return _cm_import_clean_text (base, -1, !g_utf8_validate (base, -1, NULL));
}

static CmDataset *
open_data (const char    *filename_hint,
           const char    *data,
           gsize          length,
           const char    *companion_name,
           const char    *companion_data,
           gsize          companion_length,
           GCancellable  *cancellable,
           CmFileFormat  *format_out,
           GPtrArray    **notes_out,
           GPtrArray    **problems,
           GError       **error)
{
  g_autofree char *basename = filename_hint != NULL ? g_path_get_basename (filename_hint) : NULL;
  CmFileFormat format;
  CmImport imp;
  CmDataset *dataset = NULL;

  if (format_out != NULL)
    *format_out = cm_file_format_detect (filename_hint, NULL, 0);
  if (notes_out != NULL)
    *notes_out = NULL;
  if (problems != NULL)
    *problems = NULL;

  /* Before looking at a byte of it. */
  if (length > CM_DATASET_MAX_FILE_SIZE)
    {
      g_autoptr(GPtrArray) no_notes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);
      g_autofree char *message =
        g_strdup_printf (_("The file is larger than %u MiB, the most Channel Map opens"),
                         CM_DATASET_MAX_FILE_SIZE / (1024 * 1024));

      g_ptr_array_add (list, cm_problem_new (NULL, 0, 0, message));
      set_out (no_notes, list, notes_out, problems);
      g_set_error_literal (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT, message);
      return NULL;
    }

  format = cm_file_format_detect (filename_hint, data, length);
  if (format_out != NULL)
    *format_out = format;

  if (format == CM_FILE_FORMAT_CHANNEL_MAP)
    {
      if (notes_out != NULL)
        *notes_out = g_ptr_array_new_with_free_func (g_free);
      return cm_dataset_load_from_data (data, length, problems, error);
    }

  _cm_import_init (&imp, format, basename, cancellable);
  imp.companion_name = companion_name;
  imp.companion_data = companion_data;
  imp.companion_length = companion_length;

  switch (format)
    {
    case CM_FILE_FORMAT_GRAPHML:
      dataset = _cm_import_graphml (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_GEXF:
      dataset = _cm_import_gexf (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_GML:
      dataset = _cm_import_gml (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_CSV:
      dataset = _cm_import_csv (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_DOT:
      dataset = _cm_import_dot (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_GDELT:
      dataset = _cm_import_gdelt (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_NODE_LINK_JSON:
      dataset = _cm_import_node_link (&imp, data, length, error);
      break;
    case CM_FILE_FORMAT_CHANNEL_MAP:
    case CM_FILE_FORMAT_UNKNOWN:
    default:
      {
        const char *message = (length == 0)
          ? _("The file is empty")
          : _("Channel Map cannot read this file: it is not a dataset, GraphML, GEXF, GML, CSV, DOT or GDELT file");

        _cm_import_fail (&imp, error, length == 0 ? CM_DATASET_ERROR_SYNTAX : CM_DATASET_ERROR_NOT_DATASET,
                         NULL, 0, 0, message);
      }
      break;
    }

  if (dataset != NULL && cm_dataset_get_title (dataset) == NULL)
    {
      g_autofree char *title = title_from_filename (filename_hint);

      if (title != NULL)
        cm_dataset_set_title (dataset, title);
    }

  set_out (imp.notes, imp.problems, notes_out, problems);
  _cm_import_clear (&imp);
  g_assert (dataset != NULL || error == NULL || *error != NULL);
  return dataset;
}

CmDataset *
cm_dataset_open_data (const char    *filename_hint,
                      const char    *data,
                      gsize          length,
                      CmFileFormat  *format_out,
                      GPtrArray    **notes_out,
                      GPtrArray    **problems,
                      GError       **error)
{
  g_autofree char *terminated = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The importers read the text with C string functions (strspn, strchr,
   * strtod), which stop at a NUL: files read by cm_dataset_open_file()
   * have one after their last byte, but bytes from a caller need not
   * (the fuzz targets found strspn() reading past the end).  Give them a
   * terminated copy; the dataset loader itself reads by length. */
  if (length > 0)
    {
      terminated = g_malloc (length + 1);
      memcpy (terminated, data, length);
      terminated[length] = '\0';
    }

  return open_data (filename_hint, terminated != NULL ? terminated : "", length, NULL, NULL, 0, NULL,
                    format_out, notes_out, problems, error);
}

static gboolean
read_file (GFile         *file,
           GCancellable  *cancellable,
           char         **contents,
           gsize         *length,
           GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  /* Refuse what is too large before reading a byte of it. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO,
                     _("Could not read %s: %s"), name, local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO,
                   _("Could not read %s: it is a folder"), name);
      return FALSE;
    }
  /* A FIFO or a device would block or never end; files from the web
   * (G_FILE_TYPE_UNKNOWN on some backends) are read like files. */
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_SPECIAL)
    {
      g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO,
                   _("Could not read %s: it is not a regular file"), name);
      return FALSE;
    }
  if (g_file_info_get_size (info) > CM_DATASET_MAX_FILE_SIZE)
    {
      g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT,
                   _("The file is larger than %u MiB, the most Channel Map opens"),
                   CM_DATASET_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }

  if (!g_file_load_contents (file, cancellable, contents, length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO,
                     _("Could not read %s: %s"), name, local_error->message);
      return FALSE;
    }
  /* The file may have grown between the check and the read. */
  if (*length > CM_DATASET_MAX_FILE_SIZE)
    {
      g_clear_pointer (contents, g_free);
      g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_LIMIT,
                   _("The file is larger than %u MiB, the most Channel Map opens"),
                   CM_DATASET_MAX_FILE_SIZE / (1024 * 1024));
      return FALSE;
    }
  return TRUE;
}

CmDataset *
cm_dataset_open_file (GFile         *file,
                      GCancellable  *cancellable,
                      CmFileFormat  *format_out,
                      GPtrArray    **notes_out,
                      GPtrArray    **problems,
                      GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *companion_contents = NULL;
  g_autofree char *companion_name = NULL;
  g_autofree char *basename = NULL;
  gsize length = 0, companion_length = 0;
  g_autoptr(GError) local_error = NULL;
  CmFileFormat format;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (format_out != NULL)
    *format_out = CM_FILE_FORMAT_UNKNOWN;
  if (notes_out != NULL)
    *notes_out = NULL;
  if (problems != NULL)
    *problems = NULL;

  basename = g_file_get_basename (file);
  if (!read_file (file, cancellable, &contents, &length, &local_error))
    {
      if (format_out != NULL)
        *format_out = cm_file_format_detect (basename, NULL, 0);
      if (notes_out != NULL)
        *notes_out = g_ptr_array_new_with_free_func (g_free);
      if (problems != NULL && local_error->domain == CM_DATASET_ERROR)
        {
          *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);
          g_ptr_array_add (*problems, cm_problem_new (NULL, 0, 0, local_error->message));
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* The one case where a second file is read: the node table of a CSV
   * edge list (or the edge list of a node table) lying beside it, named
   * by the convention of the tool that wrote both.  It is the same
   * dataset split in two, and the note says which file was read. */
  format = cm_file_format_detect (basename, contents, length);
  if (format == CM_FILE_FORMAT_CSV)
    {
      g_autofree char *other = _cm_csv_companion_name (basename);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      if (other != NULL && parent != NULL)
        {
          g_autoptr(GFile) companion = g_file_get_child (parent, other);
          g_autoptr(GError) companion_error = NULL;

          if (g_file_query_file_type (companion, G_FILE_QUERY_INFO_NONE, cancellable) == G_FILE_TYPE_REGULAR)
            {
              if (read_file (companion, cancellable, &companion_contents, &companion_length, &companion_error))
                companion_name = g_steal_pointer (&other);
              else if (g_error_matches (companion_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&companion_error));
                  return NULL;
                }
            }
        }
    }

  return open_data (basename, contents, length, companion_name, companion_contents,
                    companion_length, cancellable, format_out, notes_out, problems, error);
}
