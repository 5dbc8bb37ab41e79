/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include "cm-import-private.h"

/*
 * A streaming reader of delimited text, shared by the CSV and GDELT
 * importers.  RFC 4180 plus what real files do: any of , ; TAB | or space
 * as the separator, CRLF or LF, quoted fields with doubled quotes and
 * newlines inside, text after a closing quote kept, blank lines skipped.
 * With a space separator, runs of spaces count as one (edge lists such as
 * "1 0 1.0" are aligned with several spaces as often as with one).
 */

struct _CmCsvReader
{
  const char *data;
  gsize       length;
  gsize       pos;
  char        separator;
  guint       line;
  gboolean    unterminated;
  GString    *buffer;
  GArray     *starts;
};

static const char candidates[] = { ',', '\t', ';', '|', ' ' };

static char
sniff (const char *data,
       gsize       length,
       gboolean   *consistent_out)
{
  guint counts[G_N_ELEMENTS (candidates)][32];
  guint n_lines = 0;
  gboolean in_quotes = FALSE, at_line_start = TRUE;
  guint per_line[G_N_ELEMENTS (candidates)] = { 0 };
  guint totals[G_N_ELEMENTS (candidates)] = { 0 };
  char previous = '\n';
  gsize i;

  memset (counts, 0, sizeof counts);

  /* Count each candidate outside quotes on the first 32 non-blank lines. */
  for (i = 0; i < length && n_lines < 32; i++)
    {
      char c = data[i];

      if (c == '"')
        in_quotes = !in_quotes;
      if (in_quotes)
        {
          previous = c;
          continue;
        }
      if (c == '\n')
        {
          if (!at_line_start)
            {
              /* a trailing space is no separator */
              if (previous == ' ' && per_line[4] > 0)
                per_line[4]--;
              for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
                {
                  counts[k][n_lines] = per_line[k];
                  totals[k] += per_line[k];
                  per_line[k] = 0;
                }
              n_lines++;
            }
          at_line_start = TRUE;
          previous = c;
          continue;
        }
      if (c == '\r')
        continue;
      if (at_line_start && (c == ' ' || c == '\t'))
        {
          /* leading blanks: neither a separator nor the start of data */
          if (c == '\t')
            per_line[1]++;
          previous = c;
          continue;
        }
      at_line_start = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        if (c == candidates[k])
          {
            /* runs of spaces are one separator */
            if (c != ' ' || previous != ' ')
              per_line[k]++;
          }
      previous = c;
    }
  if (!at_line_start && n_lines < 32)
    {
      if (previous == ' ' && per_line[4] > 0)
        per_line[4]--;
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        {
          counts[k][n_lines] = per_line[k];
          totals[k] += per_line[k];
        }
      n_lines++;
    }

  *consistent_out = FALSE;
  if (n_lines == 0)
    return ',';

  /* The first candidate, in order of preference, found the same number of
   * times on every line wins; a separator is consistent, text is not. */
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      gboolean consistent = counts[k][0] > 0;

      for (guint l = 1; consistent && l < n_lines; l++)
        if (counts[k][l] != counts[k][0])
          consistent = FALSE;
      if (consistent)
        {
          *consistent_out = TRUE;
          return candidates[k];
        }
    }

  /* Ragged files: the most frequent of , TAB ; |, else space. */
  {
    guint best = 0;

    for (guint k = 1; k < 4; k++)
      if (totals[k] > totals[best])
        best = k;
    if (totals[best] > 0)
      return candidates[best];
    if (totals[4] > 0)
      return ' ';
  }
  return ',';
}

char
_cm_csv_sniff_separator (const char *data,
                         gsize       length)
{
  gboolean consistent;

  return sniff (data, length, &consistent);
}

gboolean
_cm_csv_looks_delimited (const char *data,
                         gsize       length)
{
  gboolean consistent;

  /* The same number of separators on every one of the first lines: a
   * table, not prose (a README has commas here and there). */
  if (memchr (data, '\0', MIN (length, 65536)) != NULL)
    return FALSE;
  sniff (data, length, &consistent);
  return consistent;
}

CmCsvReader *
_cm_csv_reader_new (const char *data,
                    gsize       length,
                    char        separator)
{
  CmCsvReader *reader = g_new0 (CmCsvReader, 1);

  reader->data = _cm_import_skip_bom (data, &length);
  reader->length = length;
  reader->separator = separator != 0 ? separator : _cm_csv_sniff_separator (reader->data, length);
  reader->line = 1;
  reader->buffer = g_string_sized_new (256);
  reader->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  return reader;
}

void
_cm_csv_reader_free (CmCsvReader *reader)
{
  if (reader == NULL)
    return;
  g_string_free (reader->buffer, TRUE);
  g_array_unref (reader->starts);
  g_free (reader);
}

char
_cm_csv_reader_get_separator (CmCsvReader *reader)
{
  return reader->separator;
}

gsize
_cm_csv_reader_get_offset (CmCsvReader *reader)
{
  return reader->pos;
}

gboolean
_cm_csv_reader_had_unterminated_quote (CmCsvReader *reader)
{
  return reader->unterminated;
}

static gboolean
skip_blank_lines (CmCsvReader *reader)
{
  for (;;)
    {
      gsize p = reader->pos;

      while (p < reader->length && (reader->data[p] == ' ' || reader->data[p] == '\t'
                                    || reader->data[p] == '\r'))
        p++;
      if (p >= reader->length)
        {
          reader->pos = p;
          return FALSE;
        }
      if (reader->data[p] != '\n')
        return TRUE;
      reader->pos = p + 1;
      reader->line++;
    }
}

gboolean
_cm_csv_reader_next (CmCsvReader *reader,
                     GPtrArray   *fields,
                     guint       *line)
{
  const char *data = reader->data;
  const gsize length = reader->length;
  const char sep = reader->separator;
  gsize p;
  gsize zero = 0;

  g_ptr_array_set_size (fields, 0);
  g_string_truncate (reader->buffer, 0);
  g_array_set_size (reader->starts, 0);

  if (!skip_blank_lines (reader))
    return FALSE;

  p = reader->pos;
  if (line != NULL)
    *line = reader->line;

  if (sep == ' ')
    while (p < length && data[p] == ' ')
      p++;

  g_array_append_val (reader->starts, zero);
  for (;;)
    {
      char c;

      if (p >= length)
        break;
      c = data[p];

      if (c == '"' && (reader->buffer->len == g_array_index (reader->starts, gsize, reader->starts->len - 1)))
        {
          /* A quoted field: up to the quote that is not doubled. */
          p++;
          for (;;)
            {
              const char *q;
              gsize run;

              if (p >= length)
                {
                  reader->unterminated = TRUE;
                  break;
                }
              q = memchr (data + p, '"', length - p);
              run = (q != NULL ? (gsize) (q - data) : length) - p;
              for (gsize k = 0; k < run; k++)
                if (data[p + k] == '\n')
                  reader->line++;
              g_string_append_len (reader->buffer, data + p, run);
              p += run;
              if (q == NULL)
                continue;
              if (p + 1 < length && data[p + 1] == '"')
                {
                  g_string_append_c (reader->buffer, '"');
                  p += 2;
                  continue;
                }
              p++;
              break;
            }
          continue;
        }

      if (c == sep)
        {
          gsize start;

          p++;
          if (sep == ' ')
            {
              while (p < length && data[p] == ' ')
                p++;
              /* trailing spaces end the row, they start no field */
              if (p >= length || data[p] == '\n' || data[p] == '\r')
                continue;
            }
          g_string_append_c (reader->buffer, '\0');
          start = reader->buffer->len;
          g_array_append_val (reader->starts, start);
          continue;
        }

      if (c == '\n')
        {
          p++;
          reader->line++;
          break;
        }
      if (c == '\r')
        {
          /* CRLF, or a lone CR (old Mac files) as a line end */
          p++;
          if (p < length && data[p] == '\n')
            p++;
          reader->line++;
          break;
        }

      {
        /* Plain characters up to the next special one, in one go. */
        gsize start = p;

        while (p < length && data[p] != sep && data[p] != '\n' && data[p] != '\r' && data[p] != '"')
          p++;
        if (p == start)
          {
            /* a quote in the middle of an unquoted field is kept */
            g_string_append_c (reader->buffer, data[p]);
            p++;
          }
        else
          g_string_append_len (reader->buffer, data + start, p - start);
      }
    }

  reader->pos = p;
  g_string_append_c (reader->buffer, '\0');
  for (guint i = 0; i < reader->starts->len; i++)
    g_ptr_array_add (fields, reader->buffer->str + g_array_index (reader->starts, gsize, i));
  return TRUE;
}
