/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include "cm-graph-export.h"

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
};

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
      g_string_append (out, "];\n");
    }

  g_string_append (out, "}\n");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
