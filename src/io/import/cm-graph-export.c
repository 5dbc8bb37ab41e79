/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-graph-export.h"
#include "cm-import-private.h"
#include "cm-dataset-io-private.h"

/* ---- Kept attributes ------------------------------------------------------- */

/*
 * What an importer kept on an actor or a link without a field for it
 * (weights, colours, sizes, Gephi's modularity class, a CSV's extra
 * columns: the JSON qdata the saver starts from) is written back: as typed
 * GraphML keys, as DOT attributes.  The names the model's own fields take
 * are left out (a map loaded from .json holds them all in the qdata), and
 * so are the names the writer gives its own keys.
 */

/* More distinct names than this per kind of element are not written: a
 * file of half a million actors each with its own attribute name would
 * otherwise give as many keys. */
#define MAX_EXTRA_KEYS 10000

enum
{
  SEEN_BOOLEAN = 1 << 0,
  SEEN_NUMBER  = 1 << 1,
  SEEN_STRING  = 1 << 2,
};

typedef struct
{
  char     *name;
  gboolean  edge;
  guint     seen;
  gboolean  all_integer;
  double    max_abs;
  char     *id;
} ExtraKey;

static void
extra_key_free (ExtraKey *key)
{
  g_free (key->name);
  g_free (key->id);
  g_free (key);
}

typedef struct
{
  GPtrArray  *keys;        /* ExtraKey*, in the order first met */
  GHashTable *node_keys;   /* name -> ExtraKey* */
  GHashTable *edge_keys;
} Extras;

static gboolean
extra_name_allowed (gpointer            object,
                    const char         *name,
                    const char * const *own)
{
  if (*name == '\0' || _cm_import_name_is_reserved (object, name))
    return FALSE;
  for (guint i = 0; own[i] != NULL; i++)
    if (_cm_import_name_is (name, own[i]))
      return FALSE;
  return TRUE;
}

static const char * const *
own_names (gboolean edge,
           gboolean dot)
{
  /* What each writer writes itself, and for DOT what Graphviz lays out
   * with (the DOT importer skips those on reading) */
  static const char * const graphml_node[] = {
    "name", "label", "kind", "role", "group", "x", "y", "notes", "pinned", NULL };
  static const char * const graphml_edge[] = {
    "channel", "quotes", "topic", "mechanism", "from", "to", "directed", "label", NULL };
  static const char * const dot_node[] = {
    "label", "kind", "role", "group", "pos", "notes", "width", "height", "lp", "xlp", "key",
    "style", NULL };
  static const char * const dot_edge[] = {
    "label", "channel", "style", "quotes", "dir", "mechanism", "from", "to", "pos", "lp", "xlp",
    "head_lp", "tail_lp", "tailport", "headport", "key", NULL };

  return dot ? (edge ? dot_edge : dot_node) : (edge ? graphml_edge : graphml_node);
}

static void
extras_scan (Extras   *extras,
             gpointer  object,
             gboolean  edge)
{
  CmJsonValue *json = _cm_dataset_io_get_json (object);
  GHashTable *table = edge ? extras->edge_keys : extras->node_keys;
  const char * const *own = own_names (edge, FALSE);

  if (json == NULL || cm_json_value_get_value_type (json) != CM_JSON_OBJECT)
    return;
  for (guint i = 0; i < cm_json_object_get_size (json); i++)
    {
      const char *name = cm_json_object_get_key (json, i);
      CmJsonValue *value = cm_json_object_get_value (json, i);
      CmJsonType type = cm_json_value_get_value_type (value);
      ExtraKey *key;

      if (type == CM_JSON_NULL || !extra_name_allowed (object, name, own))
        continue;
      key = g_hash_table_lookup (table, name);
      if (key == NULL)
        {
          if (g_hash_table_size (table) >= MAX_EXTRA_KEYS)
            continue;
          key = g_new0 (ExtraKey, 1);
          key->name = g_strdup (name);
          key->edge = edge;
          key->all_integer = TRUE;
          g_ptr_array_add (extras->keys, key);
          g_hash_table_insert (table, key->name, key);
        }
      if (type == CM_JSON_BOOLEAN)
        key->seen |= SEEN_BOOLEAN;
      else if (type == CM_JSON_NUMBER)
        {
          key->seen |= SEEN_NUMBER;
          key->all_integer = key->all_integer && cm_json_value_is_integer (value);
          key->max_abs = MAX (key->max_abs, fabs (cm_json_value_get_number (value)));
        }
      else
        key->seen |= SEEN_STRING;
    }
}

static Extras *
extras_new (CmDataset *dataset)
{
  Extras *extras = g_new0 (Extras, 1);
  guint n_actors, n_links;
  CmActor **actors = cm_dataset_peek_actors (dataset, &n_actors);
  CmLink **links = cm_dataset_peek_links (dataset, &n_links);

  extras->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) extra_key_free);
  extras->node_keys = cm_str_hash_table_new (NULL, NULL);
  extras->edge_keys = cm_str_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_actors; i++)
    extras_scan (extras, actors[i], FALSE);
  for (guint i = 0; i < n_links; i++)
    extras_scan (extras, links[i], TRUE);
  return extras;
}

static void
extras_free (Extras *extras)
{
  g_hash_table_unref (extras->node_keys);
  g_hash_table_unref (extras->edge_keys);
  g_ptr_array_unref (extras->keys);
  g_free (extras);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Extras, extras_free)

/* GraphML's attr.type: what all the values are (whole numbers within
 * 32 bits an int, within 2^53 a long), else string. */
static const char *
extra_type (ExtraKey *key)
{
  if (key->seen == SEEN_BOOLEAN)
    return "boolean";
  if (key->seen != SEEN_NUMBER)
    return "string";
  if (!key->all_integer)
    return "double";
  if (key->max_abs <= G_MAXINT32)
    return "int";
  return key->max_abs < 9007199254740992.0 ? "long" : "double";
}

/* The value as text for @key's type; NULL for a value not to write. */
static char *
extra_value_text (ExtraKey    *key,
                  CmJsonValue *value)
{
  switch (cm_json_value_get_value_type (value))
    {
    case CM_JSON_BOOLEAN:
      return g_strdup (cm_json_value_get_boolean (value) ? "true" : "false");
    case CM_JSON_NUMBER:
      {
        const char *type = extra_type (key);

        if (strcmp (type, "int") == 0 || strcmp (type, "long") == 0)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) cm_json_value_get_number (value));
        return g_strdup (cm_json_value_get_number_text (value));
      }
    case CM_JSON_STRING:
      return g_strdup (cm_json_value_get_string (value));
    case CM_JSON_ARRAY:
    case CM_JSON_OBJECT:
      return cm_json_write (value, FALSE, NULL);
    case CM_JSON_NULL:
    default:
      return NULL;
    }
}

/* ---- GraphML ------------------------------------------------------------- */

static gboolean
xml_char_allowed (gunichar c)
{
  /* XML 1.0 Char: no C0 controls but tab, newline, return; no FFFE/FFFF */
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
         || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static void
append_xml_escaped (GString    *out,
                    const char *text,
                    gboolean    attribute)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!xml_char_allowed (c))
        continue;
      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\r': g_string_append (out, "&#13;"); break;
        case '\t':
        case '\n':
          /* Attribute values normalise white space unless escaped. */
          if (attribute)
            g_string_append_printf (out, "&#%u;", c);
          else
            g_string_append_unichar (out, c);
          break;
        default:
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
    }
}

typedef struct
{
  const char *id;
  const char *domain;
  const char *name;
  const char *type;
} KeyDef;

static const KeyDef graphml_keys[] = {
  { "d0", "node", "name", "string" },
  { "d1", "node", "label", "string" },
  { "d2", "node", "kind", "string" },
  { "d3", "node", "role", "string" },
  { "d4", "node", "group", "string" },
  { "d5", "node", "x", "double" },
  { "d6", "node", "y", "double" },
  { "d7", "edge", "channel", "string" },
  { "d8", "edge", "quotes", "int" },
  { "d9", "edge", "topic", "string" },
  { "d10", "edge", "mechanism", "string" },
  { "d11", "edge", "from", "string" },
  { "d12", "edge", "to", "string" },
  { "d13", "graph", "title", "string" },
  { "d14", "graph", "description", "string" },
  { "d15", "node", "notes", "string" },
  { "d16", "node", "pinned", "boolean" },
};

static void append_data (GString    *out,
                         const char *indent,
                         const char *key,
                         const char *value);

/* The kept attributes of @object, as <data> of the extra keys. */
static void
append_extra_data (GString    *out,
                   Extras     *extras,
                   gpointer    object,
                   gboolean    edge)
{
  CmJsonValue *json = _cm_dataset_io_get_json (object);
  GHashTable *table = edge ? extras->edge_keys : extras->node_keys;

  if (json == NULL || cm_json_value_get_value_type (json) != CM_JSON_OBJECT)
    return;
  for (guint i = 0; i < cm_json_object_get_size (json); i++)
    {
      ExtraKey *key = g_hash_table_lookup (table, cm_json_object_get_key (json, i));
      g_autofree char *text = NULL;

      if (key == NULL)
        continue;
      text = extra_value_text (key, cm_json_object_get_value (json, i));
      append_data (out, "      ", key->id, text);
    }
}

static void
append_data (GString    *out,
             const char *indent,
             const char *key,
             const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, "%s<data key=\"%s\">", indent, key);
  append_xml_escaped (out, value, FALSE);
  g_string_append (out, "</data>\n");
}

static void
append_number_data (GString    *out,
                    const char *indent,
                    const char *key,
                    double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s<data key=\"%s\">%s</data>\n", indent, key,
                          g_ascii_dtostr (buffer, sizeof buffer, value));
}

char *
cm_graphml_write (CmDataset *dataset,
                  gsize     *length)
{
  GString *out;
  CmActor **actors;
  CmLink **links;
  guint n_actors, n_links, n_directed = 0;
  gboolean default_directed;
  g_autoptr(Extras) extras = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  out = g_string_sized_new (4096);
  actors = cm_dataset_peek_actors (dataset, &n_actors);
  links = cm_dataset_peek_links (dataset, &n_links);

  /* edgedefault says what most links are, and only the others carry a
   * directed attribute: networkx reads a graph whose links are all
   * directed only when edgedefault says so (it refuses directed="true" in
   * an undirected graph, and cannot read a mixed graph at all; yEd, igraph
   * and our importer read per-edge directions). */
  for (guint i = 0; i < n_links; i++)
    if (cm_link_get_directed (links[i]))
      n_directed++;
  default_directed = n_directed > n_links - n_directed;

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
                   "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                   "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                   "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
                   "  <!-- Written by Channel Map " PACKAGE_VERSION " -->\n");
  for (guint i = 0; i < G_N_ELEMENTS (graphml_keys); i++)
    g_string_append_printf (out, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                            graphml_keys[i].id, graphml_keys[i].domain, graphml_keys[i].name,
                            graphml_keys[i].type);
  /* then the attributes the importers kept, typed as their values are */
  extras = extras_new (dataset);
  for (guint i = 0; i < extras->keys->len; i++)
    {
      ExtraKey *key = g_ptr_array_index (extras->keys, i);

      key->id = g_strdup_printf ("d%u", (guint) G_N_ELEMENTS (graphml_keys) + i);
      g_string_append_printf (out, "  <key id=\"%s\" for=\"%s\" attr.name=\"", key->id,
                              key->edge ? "edge" : "node");
      append_xml_escaped (out, key->name, TRUE);
      g_string_append_printf (out, "\" attr.type=\"%s\"/>\n", extra_type (key));
    }

  g_string_append_printf (out, "  <graph id=\"G\" edgedefault=\"%s\">\n",
                          default_directed ? "directed" : "undirected");
  append_data (out, "    ", "d13", cm_dataset_get_title (dataset));
  append_data (out, "    ", "d14", cm_dataset_get_description (dataset));

  for (guint i = 0; i < n_actors; i++)
    {
      CmActor *actor = actors[i];

      g_string_append (out, "    <node id=\"");
      append_xml_escaped (out, cm_actor_get_id (actor), TRUE);
      g_string_append (out, "\">\n");
      append_data (out, "      ", "d0", cm_actor_get_name (actor));
      append_data (out, "      ", "d1", cm_actor_get_name (actor));
      append_data (out, "      ", "d2", cm_actor_get_kind_name (actor));
      append_data (out, "      ", "d3", cm_actor_get_role (actor));
      append_data (out, "      ", "d4", cm_actor_get_group (actor));
      if (cm_actor_has_position (actor))
        {
          double y = cm_actor_get_y (actor);

          /* y up, as Gephi reads and writes x/y keys */
          append_number_data (out, "      ", "d5", cm_actor_get_x (actor));
          append_number_data (out, "      ", "d6", y != 0 ? -y : 0);
        }
      append_data (out, "      ", "d15", cm_actor_get_notes (actor));
      if (cm_actor_get_pinned (actor))
        append_data (out, "      ", "d16", "true");
      append_extra_data (out, extras, actor, FALSE);
      g_string_append (out, "    </node>\n");
    }

  for (guint i = 0; i < n_links; i++)
    {
      CmLink *link = links[i];
      g_autofree char *count = g_strdup_printf ("%u", cm_link_get_n_quotes (link));

      g_string_append (out, "    <edge id=\"");
      append_xml_escaped (out, cm_link_get_id (link), TRUE);
      g_string_append (out, "\" source=\"");
      append_xml_escaped (out, cm_link_get_source (link), TRUE);
      g_string_append (out, "\" target=\"");
      append_xml_escaped (out, cm_link_get_target (link), TRUE);
      if (!cm_link_get_directed (link) == !default_directed)
        g_string_append (out, "\">\n");
      else
        g_string_append (out, default_directed ? "\" directed=\"false\">\n" : "\" directed=\"true\">\n");
      append_data (out, "      ", "d7", cm_channel_to_string (cm_link_get_channel (link)));
      append_data (out, "      ", "d8", count);
      append_data (out, "      ", "d9", cm_link_get_topic (link));
      append_data (out, "      ", "d10", cm_link_get_mechanism (link));
      append_data (out, "      ", "d11", cm_link_get_from (link));
      append_data (out, "      ", "d12", cm_link_get_to (link));
      append_extra_data (out, extras, link, TRUE);
      g_string_append (out, "    </edge>\n");
    }

  g_string_append (out, "  </graph>\n</graphml>\n");

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* ---- DOT ---------------------------------------------------------------- */

/* A quoted DOT string.  @label: an escString, where a backslash is an
 * escape (\\ for itself, \n for a line break); elsewhere cgraph keeps
 * backslashes as written and only \" is special. */
static void
append_dot_string (GString    *out,
                   const char *text,
                   gboolean    label)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        g_string_append (out, "\\\"");
      else if (c == '\\' && label)
        g_string_append (out, "\\\\");
      else if (c == '\n')
        {
          if (label)
            g_string_append (out, "\\n");
          else
            g_string_append_c (out, ' ');
        }
      else if (c < 0x20 || c == 0x7F)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  /* A backslash right before the closing quote would escape it. */
  if (!label && out->len > 0 && out->str[out->len - 1] == '\\')
    g_string_append_c (out, ' ');
  g_string_append_c (out, '"');
}

static gboolean
safe_dot_id (const char *id)
{
  /* cgraph reads a quoted id verbatim but for \" and a backslash-newline:
   * ids holding a backslash or a control character get a made-up name. */
  for (const char *p = id; *p != '\0'; p++)
    if (*p == '\\' || (guchar) *p < 0x20 || *p == 0x7F)
      return FALSE;
  return *id != '\0' && g_utf8_validate (id, -1, NULL);
}

static const char *
channel_style (CmChannel channel)
{
  switch (channel)
    {
    case CM_CHANNEL_INDIRECT:
      return "dashed";
    case CM_CHANNEL_ABSENT:
      return "dotted";
    case CM_CHANNEL_DIRECT:
    default:
      return "solid";
    }
}

/* The kept attributes of @object as DOT attributes, ", name="value"",
 * quoted whatever their type (the DOT importer keeps them as text).  Names
 * Graphviz lays out with and the writer's own are left out, and so is
 * anything that cgraph could not read back as one attribute. */
static void
append_dot_extras (GString  *out,
                   gpointer  object,
                   gboolean  edge)
{
  CmJsonValue *json = _cm_dataset_io_get_json (object);
  const char * const *own = own_names (edge, TRUE);
  guint n = 0;

  if (json == NULL || cm_json_value_get_value_type (json) != CM_JSON_OBJECT)
    return;
  for (guint i = 0; i < cm_json_object_get_size (json) && n < MAX_EXTRA_KEYS; i++)
    {
      const char *name = cm_json_object_get_key (json, i);
      CmJsonValue *value = cm_json_object_get_value (json, i);
      ExtraKey any = { .all_integer = FALSE, .seen = SEEN_STRING };
      g_autofree char *text = NULL;

      if (name[0] == '_' || !safe_dot_id (name) || !extra_name_allowed (object, name, own))
        continue;
      text = extra_value_text (&any, value);
      if (text == NULL)
        continue;
      g_string_append (out, ", ");
      append_dot_string (out, name, FALSE);
      g_string_append_c (out, '=');
      append_dot_string (out, text, FALSE);
      n++;
    }
}

char *
cm_dot_write (CmDataset *dataset,
              gsize     *length)
{
  GString *out;
  CmActor **actors;
  CmLink **links;
  guint n_actors, n_links;
  gboolean any_directed = FALSE;
  g_autoptr(GHashTable) dot_ids = NULL;
  const char *title;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  out = g_string_sized_new (4096);
  actors = cm_dataset_peek_actors (dataset, &n_actors);
  links = cm_dataset_peek_links (dataset, &n_links);
  dot_ids = cm_str_hash_table_new (NULL, g_free);

  for (guint i = 0; i < n_links; i++)
    any_directed = any_directed || cm_link_get_directed (links[i]);
  for (guint i = 0; i < n_actors; i++)
    {
      const char *id = cm_actor_get_id (actors[i]);

      g_hash_table_insert (dot_ids, (gpointer) id,
                           safe_dot_id (id) ? g_strdup (id) : g_strdup_printf ("actor%u", i + 1));
    }

  title = cm_dataset_get_title (dataset);
  g_string_append (out, "/* Written by Channel Map " PACKAGE_VERSION ". Channels: solid = direct, "
                        "dashed = indirect, dotted = absent. */\n");
  g_string_append (out, any_directed ? "digraph " : "graph ");
  append_dot_string (out, title != NULL ? title : "channel-map", FALSE);
  g_string_append (out, " {\n");
  if (title != NULL)
    {
      g_string_append (out, "  graph [label=");
      append_dot_string (out, title, TRUE);
      g_string_append (out, "];\n");
    }

  for (guint i = 0; i < n_actors; i++)
    {
      CmActor *actor = actors[i];
      const char *group = cm_actor_get_group (actor);

      g_string_append (out, "  ");
      append_dot_string (out, g_hash_table_lookup (dot_ids, cm_actor_get_id (actor)), FALSE);
      g_string_append (out, " [label=");
      append_dot_string (out, cm_actor_get_name (actor), TRUE);
      if (cm_actor_get_kind_name (actor) != NULL)
        {
          g_string_append (out, ", kind=");
          append_dot_string (out, cm_actor_get_kind_name (actor), FALSE);
        }
      if (cm_actor_get_role (actor) != NULL)
        {
          g_string_append (out, ", role=");
          append_dot_string (out, cm_actor_get_role (actor), FALSE);
        }
      if (group != NULL && g_hash_table_contains (dot_ids, group))
        {
          g_string_append (out, ", group=");
          append_dot_string (out, g_hash_table_lookup (dot_ids, group), FALSE);
        }
      if (cm_actor_has_position (actor))
        {
          char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
          double dy = cm_actor_get_y (actor);

          /* Graphviz's y axis points up; "!" keeps the position with neato -n */
          g_ascii_dtostr (x, sizeof x, cm_actor_get_x (actor));
          g_ascii_dtostr (y, sizeof y, dy != 0 ? -dy : 0);
          g_string_append_printf (out, ", pos=\"%s,%s!\"", x, y);
        }
      if (cm_actor_get_notes (actor) != NULL)
        {
          g_string_append (out, ", notes=");
          append_dot_string (out, cm_actor_get_notes (actor), FALSE);
        }
      append_dot_extras (out, actor, FALSE);
      g_string_append (out, "];\n");
    }

  for (guint i = 0; i < n_links; i++)
    {
      CmLink *link = links[i];
      const char *source = g_hash_table_lookup (dot_ids, cm_link_get_source (link));
      const char *target = g_hash_table_lookup (dot_ids, cm_link_get_target (link));
      CmChannel channel = cm_link_get_channel (link);

      /* a link to an actor that is not there (an editor's half-done
       * state) still names its end, as the model does */
      g_string_append (out, "  ");
      append_dot_string (out, source != NULL ? source : cm_link_get_source (link), FALSE);
      g_string_append (out, any_directed ? " -> " : " -- ");
      append_dot_string (out, target != NULL ? target : cm_link_get_target (link), FALSE);
      g_string_append_printf (out, " [channel=%s, style=%s, quotes=%u",
                              cm_channel_to_string (channel), channel_style (channel),
                              cm_link_get_n_quotes (link));
      if (any_directed && !cm_link_get_directed (link))
        g_string_append (out, ", dir=none");
      if (cm_link_get_topic (link) != NULL)
        {
          g_string_append (out, ", label=");
          append_dot_string (out, cm_link_get_topic (link), TRUE);
        }
      if (cm_link_get_mechanism (link) != NULL)
        {
          g_string_append (out, ", mechanism=");
          append_dot_string (out, cm_link_get_mechanism (link), FALSE);
        }
      if (cm_link_get_from (link) != NULL)
        {
          g_string_append (out, ", from=");
          append_dot_string (out, cm_link_get_from (link), FALSE);
        }
      if (cm_link_get_to (link) != NULL)
        {
          g_string_append (out, ", to=");
          append_dot_string (out, cm_link_get_to (link), FALSE);
        }
      append_dot_extras (out, link, TRUE);
      g_string_append (out, "];\n");
    }

  g_string_append (out, "}\n");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
