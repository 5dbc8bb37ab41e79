/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/*
 * CSV edge lists and node tables.
 *
 * What a file is decides itself from its header: source/target columns (or
 * their usual other names) make an edge list; an id/label/name column and no
 * ends make a node table; a column of parties ("sides", "participants")
 * makes each row a multi-party relation, flattened into every pair.  A file
 * without a header is an edge list whose first two columns are the ends.
 * The companion table (nodes for an edge list, or the reverse) arrives in
 * imp->companion_data when cm_dataset_open_file() found one beside the file.
 */

typedef struct
{
  GPtrArray *rows;    /* GStrv */
  GArray    *lines;   /* guint: the line where each row starts */
  guint      n_columns;
  char      *name;    /* for messages, nullable */
} Table;

static void
table_free (Table *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_array_unref (table->lines);
  g_free (table->name);
  g_free (table);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

static const char *
cell (Table *table,
      guint  row,
      int    column)
{
  GStrv cells = g_ptr_array_index (table->rows, row);

  if (column < 0 || (guint) column >= g_strv_length (cells))
    return "";
  return cells[column];
}

/* Reads all rows, converting the text to clean UTF-8 once. */
static Table *
read_table (CmImport    *imp,
            const char  *data,
            gsize        length,
            const char  *name,
            GError     **error)
{
  g_autoptr(Table) table = g_new0 (Table, 1);
  g_autofree char *converted = NULL;
  g_autoptr(CmCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  guint line = 0;
  guint n = 0;

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  table->name = g_strdup (name);

  data = _cm_import_skip_bom (data, &length);
  if (memchr (data, '\0', length) != NULL)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0,
                       _("The file holds NUL bytes: it is binary, not a CSV table"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      /* Spreadsheets on Windows save in their code page; Windows-1252 is a
       * superset of Latin-1 for printable text, Latin-1 never fails. */
      gsize converted_length = 0;

      /* Into its own length: g_convert() sets it also when it fails half
       * way, and the second try then read past the end of the text (found
       * by the fuzz target). */
      converted = g_convert (data, length, "UTF-8", "WINDOWS-1252", NULL, &converted_length, NULL);
      if (converted == NULL)
        converted = g_convert (data, length, "UTF-8", "ISO-8859-1", NULL, &converted_length, NULL);
      if (converted == NULL)
        {
          _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0,
                           _("The file is not valid UTF-8 text"));
          return NULL;
        }
      data = converted;
      length = converted_length;
      _cm_import_note (imp, _("%s is not UTF-8: it was read as Windows-1252 (Western European)"),
                       name != NULL ? name : _("The file"));
    }

  reader = _cm_csv_reader_new (data, length, 0);
  while (_cm_csv_reader_next (reader, fields, &line))
    {
      GStrv cells = g_new (char *, fields->len + 1);

      if ((++n & 0xFFF) == 0 && _cm_import_cancelled (imp, error))
        {
          g_strfreev (cells);
          return NULL;
        }
      for (guint i = 0; i < fields->len; i++)
        cells[i] = _cm_import_clean_text (g_ptr_array_index (fields, i), -1, FALSE);
      cells[fields->len] = NULL;
      g_ptr_array_add (table->rows, cells);
      g_array_append_val (table->lines, line);
      table->n_columns = MAX (table->n_columns, fields->len);
    }

  if (_cm_csv_reader_had_unterminated_quote (reader))
    {
      g_autofree char *path = g_strdup_printf (_("row %u"), table->rows->len);

      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, path, line, 0,
                       _("A quoted field is never closed: a '\"' is missing"));
      return NULL;
    }

  return g_steal_pointer (&table);
}

/* ---- Columns ---------------------------------------------------------------- */

static const char *const source_names[] = {
  "source", "src", "source id", "source node", "node1", "node 1", "sender",
  "actor1", "actor 1", "head", "from", NULL };
static const char *const target_names[] = {
  "target", "dst", "target id", "target node", "node2", "node 2", "receiver",
  "recipient", "actor2", "actor 2", "tail", "to", NULL };
static const char *const party_names[] = {
  "sides", "parties", "participants", "members", "signatories", NULL };
static const char *const key_names[] = { "id", "key", "node", "node id", "name", "label", NULL };
static const char *const known_header_names[] = {
  "source", "target", "from", "to", "id", "label", "name", "weight", "channel",
  "type", "directed", "topic", "mechanism", "node1", "node2", "kind", "group",
  "role", "date", "sides", "parties", NULL };

static int
find_column (GStrv             header,
             const char *const names[],
             int               skip1,
             int               skip2)
{
  /* The first name of the list that a column has wins. */
  for (guint n = 0; names[n] != NULL; n++)
    for (guint i = 0; header[i] != NULL; i++)
      if ((int) i != skip1 && (int) i != skip2 && _cm_import_name_is (header[i], names[n]))
        return (int) i;
  return -1;
}

static gboolean
is_number (const char *text)
{
  double d;

  return _cm_import_parse_double (text, &d);
}

static gboolean
row_has_known_name (GStrv row)
{
  for (guint i = 0; row[i] != NULL; i++)
    for (guint n = 0; known_header_names[n] != NULL; n++)
      if (_cm_import_name_is (row[i], known_header_names[n]))
        return TRUE;
  return FALSE;
}

/* A header unless the first row already looks like data: numeric ends
 * ("1 0 1.0", karate) and no column name we know. */
static gboolean
has_header (Table *table)
{
  GStrv first;

  if (table->rows->len == 0)
    return FALSE;
  first = g_ptr_array_index (table->rows, 0);
  if (row_has_known_name (first))
    return TRUE;
  if (first[0] != NULL && is_number (first[0]) && (first[1] == NULL || is_number (first[1])))
    return FALSE;
  return TRUE;
}

/* "010", "-07": a code, not a number (CAMEO's event codes, ZIP codes),
 * whose zeros would be lost as a number. */
static gboolean
has_leading_zero (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '-' || *text == '+')
    text++;
  return text[0] == '0' && g_ascii_isdigit (text[1]);
}

/* Per column: numbers when every non-empty cell is one (and none is a
 * code with leading zeros), so kept values keep their type in the saved
 * JSON. */
static gboolean *
numeric_columns (Table *table,
                 guint  first_row)
{
  gboolean *numeric = g_new (gboolean, table->n_columns + 1);

  for (guint c = 0; c < table->n_columns; c++)
    {
      gboolean any = FALSE;

      numeric[c] = TRUE;
      for (guint r = first_row; r < table->rows->len && numeric[c]; r++)
        {
          const char *v = cell (table, r, c);

          if (*v == '\0')
            continue;
          any = TRUE;
          numeric[c] = is_number (v) && !has_leading_zero (v);
        }
      numeric[c] = numeric[c] && any;
    }
  return numeric;
}

static void
keep_cell (gpointer    object,
           const char *name,
           const char *value,
           gboolean    numeric)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));

  if (*trimmed == '\0')
    return;
  _cm_import_keep (object, name, _cm_import_typed_value (numeric ? "double" : "string",
                                                         numeric ? trimmed : value));
}

static void
problem_at (CmImport   *imp,
            Table      *table,
            guint       row,
            const char *column,
            const char *message)
{
  g_autofree char *path = NULL;

  if (column != NULL)
    path = table->name != NULL
      ? g_strdup_printf (_("%s row %u, column “%s”"), table->name, row + 1, column)
      : g_strdup_printf (_("row %u, column “%s”"), row + 1, column);
  else
    path = table->name != NULL
      ? g_strdup_printf (_("%s row %u"), table->name, row + 1)
      : g_strdup_printf (_("row %u"), row + 1);
  _cm_import_problem (imp, path, g_array_index (table->lines, guint, row), 0, "%s", message);
}

/* ---- Node tables ---------------------------------------------------------- */

static int
choose_key_column (Table      *nodes,
                   GStrv       header,
                   GHashTable *endpoints)
{
  int best = -1;
  guint best_hits = 0;

  if (endpoints == NULL || g_hash_table_size (endpoints) == 0)
    {
      int c = find_column (header, key_names, -1, -1);

      return c >= 0 ? c : 0;
    }

  /* The column whose values the edges use: Gephi's Id, or the Name of a
   * spreadsheet where people are written out (the Quakers). */
  for (guint k = 0; key_names[k] != NULL; k++)
    for (guint c = 0; header[c] != NULL; c++)
      {
        guint hits = 0;

        if (!_cm_import_name_is (header[c], key_names[k]))
          continue;
        for (guint r = 1; r < nodes->rows->len; r++)
          if (g_hash_table_contains (endpoints, g_strstrip ((char *) cell (nodes, r, c))))
            hits++;
        if (hits > best_hits)
          {
            best = (int) c;
            best_hits = hits;
          }
      }
  if (best < 0)
    {
      /* No usual name: the first column, if the edges use it. */
      best = 0;
    }
  return best;
}

static void
read_nodes (CmImport   *imp,
            Table      *nodes,
            GHashTable *endpoints)
{
  GStrv header = g_ptr_array_index (nodes->rows, 0);
  int key = choose_key_column (nodes, header, endpoints);
  int name_column = -1;
  g_autofree gboolean *numeric = numeric_columns (nodes, 1);
  guint n_duplicates = 0;

  /* The name: Label when the key is an id; the key itself otherwise. */
  for (guint c = 0; header[c] != NULL; c++)
    if ((int) c != key && (_cm_import_name_is (header[c], "label") || _cm_import_name_is (header[c], "name")
                           || _cm_import_name_is (header[c], "title")))
      {
        name_column = (int) c;
        break;
      }

  for (guint r = 1; r < nodes->rows->len; r++)
    {
      g_autofree char *id = g_strstrip (g_strdup (cell (nodes, r, key)));
      const char *name = name_column >= 0 ? cell (nodes, r, name_column) : NULL;
      CmActor *actor;

      if (*id == '\0')
        {
          problem_at (imp, nodes, r, header[key], _("The actor has no id"));
          continue;
        }
      actor = _cm_import_add_actor (imp, id, name != NULL ? g_strstrip ((char *) name) : NULL);
      if (actor == NULL)
        {
          if (imp->limit_reached)
            return;
          n_duplicates++;
          continue;
        }
      for (guint c = 0; header[c] != NULL; c++)
        {
          const char *value = cell (nodes, r, c);

          if ((int) c == key || (int) c == name_column || *value == '\0')
            continue;
          if (!_cm_import_actor_attribute (imp, actor, header[c], value))
            keep_cell (actor, header[c], value, numeric[c]);
        }
    }

  if (n_duplicates > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u row of the node table repeats an id already listed: only the first was read",
                                  "%u rows of the node table repeat ids already listed: only the first of each was read",
                                  n_duplicates),
                     n_duplicates);
}

/* ---- Edge tables ------------------------------------------------------------ */

typedef struct
{
  int source, target;
  int channel, directed, type, id;
  gboolean header;
} EdgeColumns;

static void
edge_columns (Table       *edges,
              gboolean     header,
              EdgeColumns *cols)
{
  GStrv h = header ? g_ptr_array_index (edges->rows, 0) : NULL;

  memset (cols, -1, sizeof *cols);
  cols->header = header;
  if (h == NULL)
    {
      cols->source = 0;
      cols->target = 1;
      return;
    }

  {
    /* "from"/"to" are the ends only when nothing else is: beside
     * source/target they are dates. */
    static const char *const strict_source[] = {
      "source", "src", "source id", "source node", "node1", "node 1", "sender",
      "actor1", "actor 1", NULL };
    static const char *const strict_target[] = {
      "target", "dst", "target id", "target node", "node2", "node 2", "receiver",
      "recipient", "actor2", "actor 2", NULL };

    cols->source = find_column (h, strict_source, -1, -1);
    cols->target = find_column (h, strict_target, cols->source, -1);
    if (cols->source < 0 || cols->target < 0)
      {
        cols->source = find_column (h, source_names, -1, -1);
        cols->target = find_column (h, target_names, cols->source, -1);
      }
  }
  if (cols->source < 0 || cols->target < 0)
    {
      cols->source = 0;
      cols->target = 1;
    }
  {
    static const char *const channel_names[] = { "channel", "channel kind", NULL };
    static const char *const directed_names[] = { "directed", NULL };
    static const char *const type_names[] = { "type", NULL };
    static const char *const id_names[] = { "id", NULL };

    cols->channel = find_column (h, channel_names, cols->source, cols->target);
    cols->directed = find_column (h, directed_names, cols->source, cols->target);
    cols->type = find_column (h, type_names, cols->source, cols->target);
    cols->id = find_column (h, id_names, cols->source, cols->target);
  }
}

static gboolean
is_edge_table (Table *table,
               gboolean header)
{
  GStrv h;

  if (!header)
    return table->n_columns >= 2;
  h = g_ptr_array_index (table->rows, 0);
  return find_column (h, source_names, -1, -1) >= 0 && find_column (h, target_names, -1, -1) >= 0;
}

static gboolean
parse_type_direction (const char *value,
                      gboolean   *directed)
{
  /* Gephi's edge table: Type = Directed | Undirected | Mutual */
  if (g_ascii_strcasecmp (value, "directed") == 0)
    *directed = TRUE;
  else if (g_ascii_strcasecmp (value, "undirected") == 0 || g_ascii_strcasecmp (value, "mutual") == 0)
    *directed = FALSE;
  else
    return FALSE;
  return TRUE;
}

static void
collect_endpoints (Table       *edges,
                   EdgeColumns *cols,
                   GHashTable  *set)
{
  for (guint r = cols->header ? 1 : 0; r < edges->rows->len; r++)
    {
      g_hash_table_add (set, g_strstrip (g_strdup (cell (edges, r, cols->source))));
      g_hash_table_add (set, g_strstrip (g_strdup (cell (edges, r, cols->target))));
    }
}

static void
read_edges (CmImport    *imp,
            Table       *edges,
            EdgeColumns *cols)
{
  GStrv header = cols->header ? g_ptr_array_index (edges->rows, 0) : NULL;
  guint first = cols->header ? 1 : 0;
  g_autofree gboolean *numeric = numeric_columns (edges, first);
  g_autoptr(GHashTable) pairs = cm_str_hash_table_new (g_free, NULL);
  gboolean per_row_direction = cols->directed >= 0 || cols->type >= 0;
  gboolean symmetric = FALSE, some_reciprocal = FALSE;
  guint n_rows = 0, n_merged = 0;
  const char *source_name = header != NULL && header[cols->source] != NULL ? header[cols->source] : "1";
  const char *target_name = header != NULL && cols->target < (int) g_strv_length (header)
                            ? header[cols->target] : "2";

  /* Without a column that says so, the rows tell: a list where every pair
   * appears both ways is an undirected graph written twice (karate); one
   * where only some do records direction (who e-mailed whom). */
  if (!per_row_direction)
    {
      guint n_pairs = 0, n_with_reverse = 0;

      for (guint r = first; r < edges->rows->len; r++)
        {
          g_autofree char *s = g_strstrip (g_strdup (cell (edges, r, cols->source)));
          g_autofree char *t = g_strstrip (g_strdup (cell (edges, r, cols->target)));

          if (*s == '\0' || *t == '\0' || strcmp (s, t) == 0)
            continue;
          /* '\x1f' cannot be in the text: cleaned of control characters */
          g_hash_table_add (pairs, g_strdup_printf ("%s\x1f%s", s, t));
        }
      {
        GHashTableIter iter;
        gpointer key;

        g_hash_table_iter_init (&iter, pairs);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          {
            const char *k = key;
            const char *sepr = strchr (k, '\x1f');
            g_autofree char *reverse = g_strdup_printf ("%s\x1f%.*s", sepr + 1, (int) (sepr - k), k);

            n_pairs++;
            if (g_hash_table_contains (pairs, reverse))
              n_with_reverse++;
          }
      }
      symmetric = n_pairs > 0 && n_with_reverse == n_pairs;
      some_reciprocal = n_with_reverse > 0 && !symmetric;
      g_hash_table_remove_all (pairs);
    }

  for (guint r = first; r < edges->rows->len; r++)
    {
      g_autofree char *s = g_strstrip (g_strdup (cell (edges, r, cols->source)));
      g_autofree char *t = g_strstrip (g_strdup (cell (edges, r, cols->target)));
      const char *id = cols->id >= 0 ? cell (edges, r, cols->id) : NULL;
      CmChannel channel = CM_CHANNEL_DIRECT;
      gboolean channel_given = FALSE;
      gboolean directed = some_reciprocal;
      CmLink *link;

      n_rows++;
      if (*s == '\0' || *t == '\0')
        {
          problem_at (imp, edges, r, *s == '\0' ? source_name : target_name,
                      _("The link has no actor at this end"));
          continue;
        }

      if (symmetric)
        {
          g_autofree char *key = strcmp (s, t) < 0 ? g_strdup_printf ("%s\x1f%s", s, t)
                                                    : g_strdup_printf ("%s\x1f%s", t, s);

          if (g_hash_table_contains (pairs, key))
            {
              n_merged++;
              continue;
            }
          g_hash_table_add (pairs, g_steal_pointer (&key));
        }

      if (cols->channel >= 0 && *cell (edges, r, cols->channel) != '\0')
        channel_given = _cm_import_parse_channel (imp, cell (edges, r, cols->channel), &channel);
      if (cols->directed >= 0)
        _cm_import_parse_bool (cell (edges, r, cols->directed), &directed);
      else if (cols->type >= 0)
        parse_type_direction (g_strstrip ((char *) cell (edges, r, cols->type)), &directed);

      if (_cm_import_ensure_actor (imp, s) == NULL || _cm_import_ensure_actor (imp, t) == NULL)
        {
          if (imp->limit_reached)
            return;
          continue;
        }
      link = _cm_import_add_link (imp, id != NULL && *id != '\0' ? id : NULL, s, t, channel, channel_given);
      if (link == NULL)
        {
          if (imp->limit_reached)
            return;
          continue;
        }
      cm_link_set_directed (link, directed);

      if (header == NULL)
        {
          /* Header-less: a third column is, by convention, the weight. */
          for (guint c = 2; c < edges->n_columns; c++)
            keep_cell (link, c == 2 ? "weight" : "column", cell (edges, r, c), numeric[c]);
          continue;
        }
      for (guint c = 0; header[c] != NULL; c++)
        {
          const char *value = cell (edges, r, c);

          if ((int) c == cols->source || (int) c == cols->target || (int) c == cols->channel
              || (int) c == cols->directed || (int) c == cols->id || *value == '\0')
            continue;
          if ((int) c == cols->type)
            {
              gboolean ignored;

              if (parse_type_direction (value, &ignored))
                continue;
            }
          if (!_cm_import_link_attribute (imp, link, header[c], value, NULL))
            keep_cell (link, header[c], value, numeric[c]);
        }
    }

  if (symmetric && n_merged > 0)
    _cm_import_note (imp,
                     _("Every link is listed in both directions: each pair became one undirected link (%u rows, %u links)"),
                     n_rows, n_rows - n_merged);
  if (some_reciprocal)
    _cm_import_note (imp, "%s",
                     _("Some pairs are listed in both directions, so every row was read as a directed link from the first column to the second"));
}

/* ---- Multi-party rows (a treaty and its signatories) ----------------------- */

static int
roman_month (const char *word)
{
  static const char *const months[] = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII" };

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (strcmp (word, months[i]) == 0)
      return (int) i + 1;
  return 0;
}

/* "1514 VIII 4" (historians' Roman months), "1522 XII 25_1523 I 4" (a
 * range), "1784 I 08 / 1198 AH" (a second calendar): the first date, and the
 * end of a range in @to. */
static char *
parse_historical_date (const char  *text,
                       char       **to)
{
  g_auto(GStrv) range = NULL;
  char *dates[2] = { NULL, NULL };

  *to = NULL;
  {
    g_autofree char *plain = _cm_import_normalize_date (text);

    if (plain != NULL)
      return g_steal_pointer (&plain);
  }

  range = g_strsplit (text, "_", 2);
  for (guint i = 0; i < 2 && range[i] != NULL; i++)
    {
      g_autofree char *with_year = NULL;
      g_autofree char *part = g_strdup (range[i]);
      g_auto(GStrv) words = NULL;
      char *slash = strchr (part, '/');
      guint year = 0;
      int month = 0, day = 0;
      guint n = 0;

      if (slash != NULL)
        *slash = '\0';
      g_strstrip (part);
      /* "1709 X 22_XI 1": the end of a range in the same year omits it */
      if (i == 1 && dates[0] != NULL && !g_ascii_isdigit (*part))
        {
          with_year = g_strdup_printf ("%.4s %s", dates[0], part);
          g_free (part);
          part = g_steal_pointer (&with_year);
        }
      words = g_strsplit_set (part, " .", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          if (*words[w] == '\0')
            continue;
          if (n == 0 && strlen (words[w]) == 4 && strspn (words[w], "0123456789") == 4)
            year = (guint) atoi (words[w]);
          else if (n == 1 && roman_month (words[w]) > 0)
            month = roman_month (words[w]);
          else if (n == 2 && month > 0 && strspn (words[w], "0123456789") == strlen (words[w])
                   && strlen (words[w]) <= 2)
            day = atoi (words[w]);
          else
            break;
          n++;
        }
      if (year == 0)
        continue;
      if (day > 0)
        dates[i] = g_strdup_printf ("%04u-%02d-%02d", year, month, day);
      else if (month > 0)
        dates[i] = g_strdup_printf ("%04u-%02d", year, month);
      else
        dates[i] = g_strdup_printf ("%04u", year);
      if (!cm_date_is_valid (dates[i]))
        g_clear_pointer (&dates[i], g_free);
    }
  *to = dates[1];
  return dates[0];
}

static void
read_parties (CmImport *imp,
              Table    *table,
              int       parties)
{
  GStrv header = g_ptr_array_index (table->rows, 0);
  static const char *const topic_names[] = { "title", "topic", "name", "label", "event", NULL };
  static const char *const date_names[] = { "date", "dates", "year", "start", NULL };
  int topic = find_column (header, topic_names, parties, -1);
  int date = find_column (header, date_names, parties, -1);
  g_autofree gboolean *numeric = numeric_columns (table, 1);
  guint n_multi = 0, n_multi_links = 0, n_fuzzy = 0, n_single = 0;

  for (guint r = 1; r < table->rows->len; r++)
    {
      g_auto(GStrv) names = g_strsplit_set (cell (table, r, parties), ",;|", -1);
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      guint n_links = 0;

      for (guint i = 0; names[i] != NULL; i++)
        {
          char *id = g_strstrip (names[i]);
          gboolean seen = FALSE;

          if (*id == '\0')
            continue;
          for (guint j = 0; j < ids->len; j++)
            seen = seen || strcmp (g_ptr_array_index (ids, j), id) == 0;
          if (!seen)
            g_ptr_array_add (ids, id);
        }
      if (ids->len < 2)
        {
          /* A party confirming a treaty alone: an actor, but no channel. */
          if (ids->len == 1 && _cm_import_ensure_actor (imp, g_ptr_array_index (ids, 0)) == NULL)
            return;
          n_single++;
          continue;
        }
      if (date >= 0)
        {
          const char *text = cell (table, r, date);
          /* Freed: it was only tested for NULL, and leaked (found by the
           * fuzz target). */
          g_autofree char *exact = _cm_import_normalize_date (text);

          from = parse_historical_date (text, &to);
          if (from != NULL && exact == NULL)
            n_fuzzy++;
        }

      for (guint i = 0; i < ids->len; i++)
        if (_cm_import_ensure_actor (imp, g_ptr_array_index (ids, i)) == NULL)
          return;
      for (guint i = 0; i < ids->len; i++)
        for (guint j = i + 1; j < ids->len; j++)
          {
            CmLink *link = _cm_import_add_link (imp, NULL, g_ptr_array_index (ids, i),
                                                g_ptr_array_index (ids, j), CM_CHANNEL_DIRECT, FALSE);

            if (link == NULL)
              {
                if (imp->limit_reached)
                  return;
                continue;
              }
            n_links++;
            if (topic >= 0 && *cell (table, r, topic) != '\0')
              cm_link_set_topic (link, g_strstrip ((char *) cell (table, r, topic)));
            if (from != NULL)
              cm_link_set_from (link, from);
            if (to != NULL)
              cm_link_set_to (link, to);
            for (guint c = 0; header[c] != NULL; c++)
              if ((int) c != parties && (int) c != topic)
                keep_cell (link, header[c], cell (table, r, c), numeric[c]);
          }
      if (ids->len > 2)
        {
          n_multi++;
          n_multi_links += n_links;
        }
    }

  /* Every party counts as an actor, whatever the numbers say. */
  imp->n_implicit_actors = 0;
  _cm_import_note (imp, _("Each row lists its parties in “%s”: every pair of parties became a link"),
                   header[parties]);
  if (n_multi > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u row with three or more parties gave %u links",
                                  "%u rows with three or more parties gave %u links",
                                  n_multi),
                     n_multi, n_multi_links);
  if (n_single > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u row names fewer than two parties: it gave no link",
                                  "%u rows name fewer than two parties: they gave no links",
                                  n_single),
                     n_single);
  if (n_fuzzy > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u date written with Roman months or as a range was read as the dates it names",
                                  "%u dates written with Roman months or as ranges were read as the dates they name",
                                  n_fuzzy),
                     n_fuzzy);
}

/* ---- Entry ---------------------------------------------------------------- */

static int
party_column (Table   *table,
              gboolean header)
{
  GStrv h;

  if (!header || table->rows->len == 0)
    return -1;
  h = g_ptr_array_index (table->rows, 0);
  return find_column (h, party_names, -1, -1);
}

CmDataset *
_cm_import_csv (CmImport    *imp,
                const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(Table) main_table = NULL;
  g_autoptr(Table) companion = NULL;
  Table *edges = NULL, *nodes = NULL;
  gboolean main_header, edges_header = FALSE;
  int parties;
  g_autoptr(GHashTable) endpoints = NULL;
  EdgeColumns cols;
  gsize stripped_length = length;
  const char *stripped = _cm_import_skip_bom (data, &stripped_length);
  const char *main_name = imp->filename != NULL ? imp->filename : _("the file");

  if (stripped_length == 0 || strspn (stripped, " \t\r\n") >= stripped_length)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }

  main_table = read_table (imp, data, length, NULL, error);
  if (main_table == NULL)
    return NULL;
  if (imp->companion_data != NULL)
    {
      g_autoptr(GError) companion_error = NULL;

      companion = read_table (imp, imp->companion_data, imp->companion_length,
                              imp->companion_name, &companion_error);
      if (companion == NULL)
        {
          if (g_error_matches (companion_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&companion_error));
              return NULL;
            }
          /* A broken companion must not hide the file the user opened:
           * say so and read the opened file alone. */
          _cm_import_note (imp, _("The companion table %s could not be read: %s"),
                           imp->companion_name, companion_error->message);
          g_ptr_array_set_size (imp->problems, 0);
          imp->n_problems_total = 0;
        }
    }

  main_header = has_header (main_table);
  parties = party_column (main_table, main_header);
  if (parties >= 0 && !is_edge_table (main_table, main_header))
    {
      read_parties (imp, main_table, parties);
      return _cm_import_finish (imp, error);
    }

  if (main_header)
    {
      GStrv h = g_ptr_array_index (main_table->rows, 0);

      if (is_edge_table (main_table, TRUE))
        edges = main_table;
      else if (find_column (h, key_names, -1, -1) >= 0 || main_table->n_columns < 2)
        nodes = main_table;
      else
        edges = main_table;
      edges_header = TRUE;
    }
  else if (main_table->n_columns >= 2)
    edges = main_table;
  else
    {
      /* One column and no header: a list of actors. */
      for (guint r = 0; r < main_table->rows->len; r++)
        {
          g_autofree char *id = g_strstrip (g_strdup (cell (main_table, r, 0)));

          if (*id != '\0' && _cm_import_lookup_actor (imp, id) == NULL
              && _cm_import_add_actor (imp, id, NULL) == NULL && imp->limit_reached)
            break;
        }
      _cm_import_note (imp, "%s", _("The file has a single column: its values became actors, with no links"));
      return _cm_import_finish (imp, error);
    }

  if (companion != NULL && companion->rows->len > 0)
    {
      gboolean companion_header = has_header (companion);

      if (edges != NULL && companion_header && !is_edge_table (companion, TRUE))
        nodes = companion;
      else if (nodes != NULL && is_edge_table (companion, companion_header))
        {
          edges = companion;
          edges_header = companion_header;
        }
      if (nodes == companion || edges == companion)
        _cm_import_note (imp, _("The actors were read from %s and the links from %s, the table beside it"),
                         nodes == companion ? imp->companion_name : main_name,
                         edges == companion ? imp->companion_name : main_name);
    }

  if (edges != NULL)
    {
      edge_columns (edges, edges_header, &cols);
      endpoints = cm_str_hash_table_new (g_free, NULL);
      collect_endpoints (edges, &cols, endpoints);
      if (edges_header && !is_edge_table (edges, TRUE))
        {
          GStrv h = g_ptr_array_index (edges->rows, 0);

          _cm_import_note (imp, _("No source and target columns: the first two columns, “%s” and “%s”, are the ends of each link"),
                           h[0], h[1] != NULL ? h[1] : "");
        }
      if (!edges_header)
        _cm_import_note (imp, "%s", _("The file has no header row: the first two columns are the ends of each link"));
    }

  if (nodes != NULL)
    read_nodes (imp, nodes, endpoints);
  if (imp->limit_reached)
    return _cm_import_finish (imp, error);

  if (edges != NULL)
    {
      read_edges (imp, edges, &cols);
      /* With no node table every actor comes from the links: nothing to say. */
      if (nodes == NULL)
        imp->n_implicit_actors = 0;
    }
  else
    _cm_import_note (imp, "%s", _("The file is a table of actors: there are no links"));

  return _cm_import_finish (imp, error);
}

char *
_cm_csv_companion_name (const char *basename)
{
  static const struct { const char *from, *to; } swaps[] = {
    { "_edgelist", "_nodelist" }, { "_nodelist", "_edgelist" },
    { "Edges", "Nodes" }, { "Nodes", "Edges" },
    { "edges", "nodes" }, { "nodes", "edges" },
    { "EDGES", "NODES" }, { "NODES", "EDGES" },
  };

  if (basename == NULL)
    return NULL;
  if (!g_str_has_suffix (basename, ".csv") && !g_str_has_suffix (basename, ".CSV")
      && !g_str_has_suffix (basename, ".tsv") && !g_str_has_suffix (basename, ".txt"))
    return NULL;

  /* Only the two naming schemes real exports use: X_edgelist / X_nodelist
   * and XEdges… / XNodes…; the word is replaced where it occurs last. */
  for (guint i = 0; i < G_N_ELEMENTS (swaps); i++)
    {
      const char *at = g_strrstr (basename, swaps[i].from);

      if (at != NULL)
        {
          GString *name = g_string_new_len (basename, at - basename);

          g_string_append (name, swaps[i].to);
          g_string_append (name, at + strlen (swaps[i].from));
          return g_string_free (name, FALSE);
        }
    }
  return NULL;
}
