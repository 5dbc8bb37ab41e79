/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/*
 * GML (Graph Modelling Language) as Newman, igraph and networkx write it:
 *
 *   Creator "…"
 *   graph [ directed 0  node [ id 1 label "x" graphics [ x 1.0 y 2.0 ] ]
 *           edge [ source 1 target 2 value 3 ] ]
 *
 * The text becomes a tree of key/value pairs first (so nesting, order and
 * unknown keys cost nothing), then the first "graph" list becomes the map.
 * Strings have no escapes; GML writes non-ASCII as HTML entities (&amp;,
 * &eacute;, &#233;), which are decoded.  GML is Latin-1 by its
 * specification; files that are not valid UTF-8 are read as Latin-1.
 */

#define MAX_DEPTH 64

typedef enum
{
  VALUE_INT,
  VALUE_REAL,
  VALUE_STRING,
  VALUE_LIST,
} ValueType;

typedef struct _Pair Pair;

struct _Pair
{
  char      *key;
  ValueType  type;
  char      *text;   /* number lexeme or decoded string */
  GPtrArray *list;   /* Pair*, for VALUE_LIST */
  guint      line;
};

static void
pair_free (Pair *pair)
{
  g_free (pair->key);
  g_free (pair->text);
  if (pair->list != NULL)
    g_ptr_array_unref (pair->list);
  g_free (pair);
}

typedef struct
{
  CmImport   *imp;
  const char *p;
  const char *end;
  guint       line;
  gboolean    latin1;
} Lexer;

static void
skip_space (Lexer *lx)
{
  while (lx->p < lx->end)
    {
      char c = *lx->p;

      if (c == '\n')
        {
          lx->line++;
          lx->p++;
        }
      else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        lx->p++;
      else if (c == '#')
        {
          /* a comment to the end of the line */
          while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
        }
      else
        break;
    }
}

static char *
decode_string (const char *raw,
               gsize       length,
               gboolean    latin1)
{
  g_autofree char *text = _cm_import_clean_text (raw, length, latin1);

  return _cm_import_decode_entities (text);
}

static gboolean
parse_list (Lexer      *lx,
            GPtrArray  *into,
            gboolean    top,
            guint       depth,
            GError    **error);

static gboolean
fail_at (Lexer       *lx,
         GError     **error,
         const char  *message)
{
  g_autofree char *path = g_strdup_printf (_("line %u"), lx->line);

  _cm_import_fail (lx->imp, error, CM_DATASET_ERROR_SYNTAX, path, lx->line, 0, message);
  return FALSE;
}

static gboolean
parse_value (Lexer      *lx,
             Pair       *pair,
             guint       depth,
             GError    **error)
{
  char c;

  skip_space (lx);
  if (lx->p >= lx->end)
    {
      g_autofree char *message = g_strdup_printf (_("The file ends where the value of “%s” should be"), pair->key);

      return fail_at (lx, error, message);
    }
  c = *lx->p;

  if (c == '[')
    {
      if (depth >= MAX_DEPTH)
        return fail_at (lx, error, _("Lists are nested too deeply"));
      lx->p++;
      pair->type = VALUE_LIST;
      pair->list = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
      return parse_list (lx, pair->list, FALSE, depth + 1, error);
    }
  if (c == '"')
    {
      const char *start = ++lx->p;
      guint start_line = lx->line;

      while (lx->p < lx->end && *lx->p != '"')
        {
          if (*lx->p == '\n')
            lx->line++;
          lx->p++;
        }
      if (lx->p >= lx->end)
        {
          lx->line = start_line;
          return fail_at (lx, error, _("A string is never closed: a '\"' is missing"));
        }
      pair->type = VALUE_STRING;
      pair->text = decode_string (start, lx->p - start, lx->latin1);
      lx->p++;
      return TRUE;
    }
  if (c == '-' || c == '+' || c == '.' || g_ascii_isdigit (c))
    {
      const char *start = lx->p;
      gboolean real = FALSE;

      lx->p++;
      while (lx->p < lx->end && (g_ascii_isdigit (*lx->p) || *lx->p == '.' || *lx->p == 'e'
                                 || *lx->p == 'E' || *lx->p == '-' || *lx->p == '+'))
        {
          if (*lx->p == '.' || *lx->p == 'e' || *lx->p == 'E')
            real = TRUE;
          lx->p++;
        }
      pair->type = real ? VALUE_REAL : VALUE_INT;
      pair->text = g_strndup (start, lx->p - start);
      return TRUE;
    }
  if (g_ascii_isalpha (c) || c == '_')
    {
      /* Some writers leave words unquoted (networkx: "NAN", "INF"). */
      const char *start = lx->p;

      while (lx->p < lx->end && (g_ascii_isalnum (*lx->p) || *lx->p == '_'))
        lx->p++;
      pair->type = VALUE_STRING;
      pair->text = g_strndup (start, lx->p - start);
      return TRUE;
    }

  {
    g_autofree char *message = g_strdup_printf (_("Unexpected “%c” after the key “%s”"), c, pair->key);

    return fail_at (lx, error, message);
  }
}

static gboolean
parse_list (Lexer      *lx,
            GPtrArray  *into,
            gboolean    top,
            guint       depth,
            GError    **error)
{
  for (;;)
    {
      const char *start;
      Pair *pair;

      if (_cm_import_cancelled (lx->imp, error))
        return FALSE;

      skip_space (lx);
      if (lx->p >= lx->end)
        {
          if (top)
            return TRUE;
          return fail_at (lx, error, _("The file ends inside a list: a ']' is missing"));
        }
      if (*lx->p == ']')
        {
          if (top)
            return fail_at (lx, error, _("A ']' closes a list that was never opened"));
          lx->p++;
          return TRUE;
        }
      if (!g_ascii_isalpha (*lx->p) && *lx->p != '_')
        {
          g_autofree char *message = NULL;

          if ((guchar) *lx->p < 0x20 || (guchar) *lx->p >= 0x7F)
            message = g_strdup (_("Unexpected character where a key should be"));
          else
            message = g_strdup_printf (_("Unexpected “%c” where a key should be"), *lx->p);
          return fail_at (lx, error, message);
        }
      start = lx->p;
      while (lx->p < lx->end && (g_ascii_isalnum (*lx->p) || *lx->p == '_'))
        lx->p++;
      pair = g_new0 (Pair, 1);
      pair->key = g_strndup (start, lx->p - start);
      pair->line = lx->line;
      g_ptr_array_add (into, pair);
      if (!parse_value (lx, pair, depth, error))
        return FALSE;
    }
}

static Pair *
find (GPtrArray  *list,
      const char *key)
{
  for (guint i = 0; i < list->len; i++)
    {
      Pair *pair = g_ptr_array_index (list, i);

      if (strcmp (pair->key, key) == 0)
        return pair;
    }
  return NULL;
}

static const char *
scalar (GPtrArray  *list,
        const char *key)
{
  Pair *pair = find (list, key);

  return (pair != NULL && pair->type != VALUE_LIST) ? pair->text : NULL;
}

static CmJsonValue *
pair_json (Pair *pair)
{
  if (pair->type == VALUE_STRING)
    return cm_json_value_new_string (pair->text);
  return _cm_import_typed_value ("double", pair->text);
}

static void
read_graphics_position (CmActor   *actor,
                        GPtrArray *node)
{
  Pair *graphics = find (node, "graphics");
  double x, y;

  if (graphics == NULL || graphics->type != VALUE_LIST)
    return;
  /* GML's graphics are in screen coordinates (y down), as ours. */
  if (_cm_import_parse_double (scalar (graphics->list, "x"), &x)
      && _cm_import_parse_double (scalar (graphics->list, "y"), &y))
    cm_actor_set_position (actor, x, y);
}

CmDataset *
_cm_import_gml (CmImport    *imp,
                const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(GPtrArray) root = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  Lexer lx = { imp, NULL, NULL, 1, FALSE };
  GPtrArray *graph = NULL;
  guint n_graphs = 0;
  gboolean directed = FALSE;
  g_autoptr(GPtrArray) edges = g_ptr_array_new ();

  data = _cm_import_skip_bom (data, &length);
  if (length == 0 || strspn (data, " \t\r\n") >= length)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0,
                       _("The file holds NUL bytes: it is binary, not GML"));
      return NULL;
    }
  lx.latin1 = !g_utf8_validate_len (data, length, NULL);
  if (lx.latin1)
    _cm_import_note (imp, "%s", _("The file is not UTF-8: it was read as Latin-1, as GML specifies"));

  lx.p = data;
  lx.end = data + length;
  if (!parse_list (&lx, root, TRUE, 0, error))
    return NULL;

  for (guint i = 0; i < root->len; i++)
    {
      Pair *pair = g_ptr_array_index (root, i);

      if (strcmp (pair->key, "graph") == 0 && pair->type == VALUE_LIST)
        {
          if (graph == NULL)
            graph = pair->list;
          n_graphs++;
        }
    }
  if (graph == NULL)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0,
                       _("The file has no “graph [ … ]”: it is not GML"));
      return NULL;
    }
  if (n_graphs > 1)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The file holds %u graphs: only the first was read",
                                  "The file holds %u graphs: only the first was read", n_graphs),
                     n_graphs);

  {
    const char *d = scalar (graph, "directed");

    directed = d != NULL && strcmp (d, "0") != 0;
  }
  {
    const char *title = scalar (graph, "label");

    if (title == NULL)
      title = scalar (graph, "name");
    if (title != NULL && *title != '\0')
      imp->title = g_strdup (title);
  }

  /* Nodes first: edges may come before the nodes they name. */
  for (guint i = 0; i < graph->len; i++)
    {
      Pair *pair = g_ptr_array_index (graph, i);
      const char *id;
      CmActor *actor;

      if (pair->type != VALUE_LIST)
        continue;
      if (strcmp (pair->key, "edge") == 0)
        {
          g_ptr_array_add (edges, pair);
          continue;
        }
      if (strcmp (pair->key, "node") != 0)
        continue;

      id = scalar (pair->list, "id");
      if (id == NULL || *id == '\0')
        {
          _cm_import_problem_at_line (imp, pair->line, 0, "%s", _("The node has no id"));
          continue;
        }
      actor = _cm_import_add_actor (imp, id, NULL);
      if (actor == NULL)
        {
          if (imp->limit_reached)
            break;
          _cm_import_problem_at_line (imp, pair->line, 0, _("A second node has the id %s"), id);
          continue;
        }
      read_graphics_position (actor, pair->list);
      for (guint k = 0; k < pair->list->len; k++)
        {
          Pair *attr = g_ptr_array_index (pair->list, k);

          if (strcmp (attr->key, "id") == 0 || strcmp (attr->key, "graphics") == 0
              || attr->type == VALUE_LIST)
            continue;
          /* GML's label is the name; Newman's "value" is a category. */
          if (!_cm_import_actor_attribute (imp, actor, attr->key, attr->text))
            _cm_import_keep (actor, attr->key, pair_json (attr));
        }
    }

  for (guint i = 0; i < edges->len && !imp->limit_reached; i++)
    {
      Pair *pair = g_ptr_array_index (edges, i);
      const char *source = scalar (pair->list, "source");
      const char *target = scalar (pair->list, "target");
      const char *id = scalar (pair->list, "id");
      Pair *graphics = find (pair->list, "graphics");
      CmChannel channel = CM_CHANNEL_DIRECT;
      gboolean channel_given = FALSE;
      CmLink *link;

      if (source == NULL || target == NULL || *source == '\0' || *target == '\0')
        {
          _cm_import_problem_at_line (imp, pair->line, 0, "%s",
                                      source == NULL || *source == '\0'
                                      ? _("The edge has no source") : _("The edge has no target"));
          continue;
        }
      if (graphics != NULL && graphics->type == VALUE_LIST)
        {
          const char *style = scalar (graphics->list, "style");

          if (style != NULL && _cm_import_channel_from_style (style, &channel))
            channel_given = channel != CM_CHANNEL_DIRECT;
        }
      if (_cm_import_ensure_actor (imp, source) == NULL || _cm_import_ensure_actor (imp, target) == NULL)
        break;
      link = _cm_import_add_link (imp, id, source, target, channel, channel_given);
      if (link == NULL)
        continue;
      cm_link_set_directed (link, directed);
      for (guint k = 0; k < pair->list->len; k++)
        {
          Pair *attr = g_ptr_array_index (pair->list, k);
          gboolean channel_set = FALSE;

          if (strcmp (attr->key, "source") == 0 || strcmp (attr->key, "target") == 0
              || strcmp (attr->key, "id") == 0 || attr->type == VALUE_LIST)
            continue;
          if (_cm_import_link_attribute (imp, link, attr->key, attr->text, &channel_set))
            {
              if (channel_set && !channel_given)
                {
                  _cm_import_count_channel_given (imp);
                  channel_given = TRUE;
                }
              continue;
            }
          /* Newman writes the weight as "value". */
          _cm_import_keep (link, strcmp (attr->key, "value") == 0 ? "weight" : attr->key, pair_json (attr));
        }
    }

  return _cm_import_finish (imp, error);
}
