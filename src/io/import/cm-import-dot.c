/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <graphviz/cgraph.h>

#include "cm-import-private.h"

/*
 * Graphviz DOT, read by Graphviz's own parser (cgraph) rather than one of
 * ours: DOT's grammar has enough corners (HTML strings, escString, ports,
 * subgraphs as edge ends, "strict", string concatenation with '+') that
 * only the reference parser reads every file the way Graphviz does.
 *
 * cgraph keeps its lexer, its error state and its error callback in
 * globals, so every use of it is serialised by one lock; cm_dataset_open_*
 * stay thread-safe.
 *
 * Mapping: nodes are actors (label, HTML labels reduced to their text,
 * record labels to their fields; pos from -Tdot output with y flipped, "!"
 * pins); clusters (subgraph cluster*) become group actors that their nodes
 * belong to; edges are links (ports stripped: cgraph keeps them apart from
 * node names), style solid/dashed/dotted gives the channel, a channel=
 * attribute wins; label is the topic.  Attributes that are not layout are
 * kept.  Latin-1 files (not UTF-8, or charset=latin1) are converted.
 */

static GMutex cgraph_lock;
static GString *cgraph_messages;   /* under cgraph_lock */

static int
collect_message_cb (char *message)
{
  if (cgraph_messages != NULL && cgraph_messages->len < 4096)
    g_string_append (cgraph_messages, message);
  return 0;
}

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
} MemoryChannel;

static int
memory_read_cb (void *chan,
                char *buffer,
                int   size)
{
  MemoryChannel *channel = chan;
  gsize n = 0;

  /* A line at a time: the lexer counts lines per read. */
  if (size <= 0 || channel->pos >= channel->length)
    return 0;
  while (n < (gsize) size && channel->pos < channel->length)
    {
      char c = channel->data[channel->pos++];

      buffer[n++] = c;
      if (c == '\n')
        break;
    }
  return (int) n;
}

static int
memory_putstr_cb (void       *chan,
                  const char *str)
{
  return 0;
}

static int
memory_flush_cb (void *chan)
{
  return 0;
}

static Agiodisc_t memory_io = { memory_read_cb, memory_putstr_cb, memory_flush_cb };

typedef struct
{
  CmImport   *imp;
  Agraph_t   *graph;
  gboolean    latin1;
  guint       n_ports;
  guint       n_clusters;
  guint       n_styled;
} Reader;

static char *
text (Reader     *self,
      const char *value)
{
  return _cm_import_clean_text (value, -1, self->latin1);
}

static const char *
get_attr (void       *object,
          const char *name)
{
  /* agget() wants a mutable name in older cgraph headers. */
  char *value = agget (object, (char *) name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

/* Graphviz's escString: \N the node's name, \G the graph's, \E the edge's,
 * \T and \H its ends; \n \l \r line breaks; "\\" a backslash.  Record
 * labels ("<f0> left|<f1> right", "{a|{b|c}}") become their fields. */
static char *
expand_label (const char *label,
              const char *node_name,
              const char *graph_name,
              const char *edge_name,
              const char *tail_name,
              const char *head_name,
              gboolean    record)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 'N': g_string_append (out, node_name != NULL ? node_name : ""); break;
            case 'G': g_string_append (out, graph_name != NULL ? graph_name : ""); break;
            case 'E': g_string_append (out, edge_name != NULL ? edge_name : ""); break;
            case 'T': g_string_append (out, tail_name != NULL ? tail_name : ""); break;
            case 'H': g_string_append (out, head_name != NULL ? head_name : ""); break;
            case 'n': case 'l': case 'r': g_string_append_c (out, '\n'); break;
            default: g_string_append_c (out, *p); break;
            }
          continue;
        }
      if (record)
        {
          if (*p == '{' || *p == '}')
            continue;
          if (*p == '|')
            {
              g_string_append (out, " | ");
              continue;
            }
          if (*p == '<')
            {
              const char *close = strchr (p, '>');

              if (close != NULL)
                {
                  p = close;
                  continue;
                }
            }
        }
      g_string_append_c (out, *p);
    }

  if (record)
    {
      /* tidy the field separators left by empty fields */
      g_auto(GStrv) fields = g_strsplit (out->str, "|", -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; fields[i] != NULL; i++)
        if (*g_strstrip (fields[i]) != '\0')
          g_ptr_array_add (kept, fields[i]);
      g_ptr_array_add (kept, NULL);
      g_string_free (out, TRUE);
      return g_strjoinv (" | ", (char **) kept->pdata);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
label_text (Reader     *self,
            void       *object,
            const char *node_name,
            const char *edge_name,
            const char *tail_name,
            const char *head_name)
{
  char *label = agget (object, (char *) "label");
  g_autofree char *plain = NULL;
  const char *shape;
  gboolean record;

  if (label == NULL || *label == '\0')
    return NULL;
  if (aghtmlstr (label))
    {
      /* in UTF-8 first (a Latin-1 file), then the entities decoded */
      g_autofree char *utf8 = text (self, label);

      plain = _cm_import_html_to_text (utf8);
      return *plain != '\0' ? g_steal_pointer (&plain) : NULL;
    }
  else
    {
      shape = get_attr (object, "shape");
      record = shape != NULL && (strcmp (shape, "record") == 0 || strcmp (shape, "Mrecord") == 0);
      plain = expand_label (label, node_name, agnameof (self->graph), edge_name, tail_name, head_name, record);
    }
  if (plain == NULL || *g_strstrip (plain) == '\0')
    return NULL;
  {
    /* tabs and runs of spaces (b545.dot) as one space; line breaks kept */
    g_autofree char *clean = text (self, plain);

    return _cm_import_collapse_space (clean, TRUE);
  }
}

static gboolean
is_layout_attribute (const char *name)
{
  static const char *const skipped[] = {
    "label", "pos", "width", "height", "lp", "xlp", "bb", "rects", "head_lp", "tail_lp",
    "lwidth", "lheight", "channel", "style", "tailport", "headport", "dir", "key",
  };

  if (name[0] == '_')
    return TRUE;     /* _draw_, _ldraw_, ... from -Txdot */
  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (strcmp (name, skipped[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
keep_attributes (Reader  *self,
                 void    *object,
                 int      kind,
                 gpointer target)
{
  Agsym_t *sym = NULL;

  while ((sym = agnxtattr (self->graph, kind, sym)) != NULL)
    {
      char *value = agxget (object, sym);
      g_autofree char *clean_name = NULL;
      g_autofree char *clean_value = NULL;

      if (value == NULL || *value == '\0' || is_layout_attribute (sym->name))
        continue;
      /* A graph-wide default ("node [shape=box]") says nothing about this one. */
      if (sym->defval != NULL && strcmp (value, sym->defval) == 0)
        continue;
      clean_name = text (self, sym->name);
      clean_value = text (self, value);
      if (CM_IS_ACTOR (target) && _cm_import_actor_attribute (self->imp, target, clean_name, clean_value))
        continue;
      if (CM_IS_LINK (target) && _cm_import_link_attribute (self->imp, target, clean_name, clean_value, NULL))
        continue;
      g_clear_pointer (&clean_value, g_free);
      clean_value = text (self, value);
      if (aghtmlstr (value))
        {
          char *plain = _cm_import_html_to_text (clean_value);

          g_free (clean_value);
          clean_value = plain;
        }
      _cm_import_keep_string (target, clean_name, clean_value);
    }
}

static void
read_node (Reader   *self,
           Agnode_t *node)
{
  g_autofree char *id = text (self, agnameof (node));
  g_autofree char *label = NULL;
  const char *pos;
  CmActor *actor;

  if (*id == '\0')
    return;
  label = label_text (self, node, agnameof (node), NULL, NULL, NULL);
  actor = _cm_import_add_actor (self->imp, id, label);
  if (actor == NULL)
    return;

  pos = get_attr (node, "pos");
  if (pos != NULL)
    {
      double x, y;
      char *end = NULL;

      /* "x,y" in points, y up; "x,y!" pins the node for neato -n */
      x = g_ascii_strtod (pos, &end);
      if (end != pos && *end == ',')
        {
          const char *ys = end + 1;

          y = g_ascii_strtod (ys, &end);
          if (end != ys && isfinite (x) && isfinite (y))
            {
              cm_actor_set_position (actor, x, y != 0 ? -y : 0);
              if (*end == '!')
                cm_actor_set_pinned (actor, TRUE);
            }
        }
    }
  keep_attributes (self, node, AGNODE, actor);
}

static gboolean
is_cluster (Agraph_t *subgraph)
{
  const char *name = agnameof (subgraph);

  return name != NULL && g_ascii_strncasecmp (name, "cluster", 7) == 0;
}

static void
read_clusters (Reader     *self,
               Agraph_t   *graph,
               const char *parent_id,
               guint       depth)
{
  /* Graphviz accepts subgraphs nested thousands deep; groups that deep
   * mean nothing on a map, and the recursion must stay bounded. */
  if (depth > 64)
    return;
  for (Agraph_t *sub = agfstsubg (graph); sub != NULL; sub = agnxtsubg (sub))
    {
      g_autofree char *group_id = NULL;
      const char *inner_parent = parent_id;

      if (is_cluster (sub))
        {
          g_autofree char *name = text (self, agnameof (sub));
          g_autofree char *label = label_text (self, sub, NULL, NULL, NULL, NULL);
          g_autofree char *display = NULL;
          CmActor *group;

          /* A node may have the cluster's name: the cluster yields. */
          group_id = g_strdup (name);
          for (guint i = 2; _cm_import_lookup_actor (self->imp, group_id) != NULL; i++)
            {
              g_free (group_id);
              group_id = g_strdup_printf ("%s-%u", name, i);
            }
          if (label == NULL)
            {
              const char *rest = name + 7;

              while (*rest == '_' || *rest == ' ' || *rest == '-')
                rest++;
              display = g_strdup (*rest != '\0' ? rest : name);
            }
          group = _cm_import_add_actor (self->imp, group_id, label != NULL ? label : display);
          if (group == NULL)
            return;
          self->n_clusters++;
          if (parent_id != NULL)
            cm_actor_set_group (group, parent_id);
          keep_attributes (self, sub, AGRAPH, group);

          for (Agnode_t *n = agfstnode (sub); n != NULL; n = agnxtnode (sub, n))
            {
              g_autofree char *id = text (self, agnameof (n));
              CmActor *member = _cm_import_lookup_actor (self->imp, id);

              if (member != NULL && member != group)
                cm_actor_set_group (member, group_id);
            }
          inner_parent = group_id;
        }
      /* inner clusters are read after: their nodes end in the innermost */
      read_clusters (self, sub, inner_parent, depth + 1);
    }
}

static void
read_edge (Reader   *self,
           Agedge_t *edge)
{
  g_autofree char *tail = text (self, agnameof (agtail (edge)));
  g_autofree char *head = text (self, agnameof (aghead (edge)));
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  const char *style = get_attr (edge, "style");
  const char *channel_attr = get_attr (edge, "channel");
  const char *dir = get_attr (edge, "dir");
  const char *edge_name = agnameof (edge);
  gboolean directed = agisdirected (self->graph);
  CmChannel channel = CM_CHANNEL_DIRECT;
  gboolean channel_given = FALSE;
  CmLink *link;

  if (edge_name != NULL && *edge_name != '\0' && edge_name[0] != '%')
    id = text (self, edge_name);

  if (get_attr (edge, "tailport") != NULL || get_attr (edge, "headport") != NULL)
    self->n_ports++;
  if (channel_attr != NULL)
    channel_given = _cm_import_parse_channel (self->imp, channel_attr, &channel);
  if (!channel_given && style != NULL && _cm_import_channel_from_style (style, &channel))
    {
      channel_given = TRUE;
      if (channel != CM_CHANNEL_DIRECT)
        self->n_styled++;
    }

  if (dir != NULL && strcmp (dir, "none") == 0)
    directed = FALSE;
  else if (dir != NULL && strcmp (dir, "back") == 0 && directed)
    {
      char *t = tail;

      tail = head;
      head = t;
    }

  link = _cm_import_add_link (self->imp, id, tail, head, channel, channel_given);
  if (link == NULL)
    return;
  cm_link_set_directed (link, directed);
  label = label_text (self, edge, NULL, edge_name, agnameof (agtail (edge)), agnameof (aghead (edge)));
  if (label != NULL)
    cm_link_set_topic (link, label);
  keep_attributes (self, edge, AGEDGE, link);
}

static gboolean
is_latin1_charset (const char *charset)
{
  static const char *const names[] = {
    "latin1", "latin-1", "l1", "iso-8859-1", "iso_8859-1", "iso8859-1", "iso-ir-100", "isolatin1",
  };

  if (charset == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (charset, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
cgraph_message_to_problem (const char *messages,
                           guint      *line)
{
  g_auto(GStrv) lines = g_strsplit (messages, "\n", -1);
  const char *first = NULL;
  const char *at;

  *line = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0' && !g_str_has_prefix (lines[i], "Warning"))
      {
        first = lines[i];
        break;
      }
  if (first == NULL)
    return g_strdup (_("Graphviz could not read the file"));

  if (g_str_has_prefix (first, "Error: "))
    first += 7;
  if (g_str_has_prefix (first, ": "))
    first += 2;
  {
    g_autofree char *clean = _cm_import_clean_text (first, -1, !g_utf8_validate (first, -1, NULL));
    char *in_line = strstr (clean, " in line ");

    /* "syntax error in line 3 near 'x'": the line goes into the path */
    if (in_line != NULL)
      {
        char *end = NULL;

        *line = (guint) g_ascii_strtoull (in_line + 9, &end, 10);
        if (end != NULL)
          memmove (in_line, end, strlen (end) + 1);
      }
    else if ((at = strstr (clean, "line ")) != NULL)
      *line = (guint) g_ascii_strtoull (at + 5, NULL, 10);
    return g_strdup_printf (_("Graphviz: %s"), clean);
  }
}

static CmDataset *
read_graph_locked (CmImport    *imp,
                   const char  *data,
                   gsize        length,
                   GError     **error)
{
  MemoryChannel channel = { data, length, 0 };
  Agdisc_t disc = { &AgMemDisc, &AgIdDisc, &memory_io };
  Reader self = { imp, NULL, FALSE, 0, 0, 0 };
  Agraph_t *graph;
  guint n_more = 0;
  const char *charset;
  CmDataset *dataset = NULL;

  agreseterrors ();
  /* cgraph counts lines across files unless told where one starts */
  agreadline (0);
  agsetfile ((char *) "");
  graph = agread (&channel, &disc);
  if (graph != NULL && agerrors () >= AGERR)
    {
      /* cgraph returns what it built before an error (a parser stack
       * overflow, for one): half a graph is no answer. */
      agclose (graph);
      graph = NULL;
    }
  if (graph == NULL)
    {
      guint line = 0;
      g_autofree char *message = cgraph_message_to_problem (cgraph_messages->str, &line);
      g_autofree char *path = line > 0 ? g_strdup_printf (_("line %u"), line) : NULL;

      if (cgraph_messages->len == 0)
        {
          g_free (message);
          message = g_strdup (_("The file holds no graph"));
        }
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, path, line, 0, message);
      /* drain the lexer, so the next file starts clean */
      for (;;)
        {
          Agraph_t *rest = agread (&channel, &disc);

          if (rest == NULL)
            break;
          agclose (rest);
        }
      return NULL;
    }

  /* Read the rest of the file: to count the other graphs, and so that the
   * lexer holds nothing of this file when the next one comes. */
  for (;;)
    {
      Agraph_t *rest = agread (&channel, &disc);

      if (rest == NULL)
        break;
      n_more++;
      agclose (rest);
    }

  self.graph = graph;
  charset = get_attr (graph, "charset");
  if (!g_utf8_validate_len (data, length, NULL))
    {
      self.latin1 = TRUE;
      _cm_import_note (imp, "%s", _("The file is not UTF-8: it was read as Latin-1 (ISO 8859-1), as Graphviz does"));
    }
  else if (is_latin1_charset (charset))
    {
      self.latin1 = TRUE;
      _cm_import_note (imp, "%s", _("The file says charset=latin1: it was read as Latin-1 (ISO 8859-1)"));
    }

  {
    g_autofree char *label = label_text (&self, graph, NULL, NULL, NULL, NULL);
    const char *name = agnameof (graph);

    if (label != NULL)
      imp->title = g_steal_pointer (&label);
    else if (name != NULL && name[0] != '%' && strlen (name) > 1
             && g_ascii_strcasecmp (name, "graph") != 0 && g_ascii_strcasecmp (name, "digraph") != 0)
      imp->title = text (&self, name);
  }

  for (Agnode_t *n = agfstnode (graph); n != NULL && !imp->limit_reached; n = agnxtnode (graph, n))
    read_node (&self, n);
  if (!imp->limit_reached)
    read_clusters (&self, graph, NULL, 0);
  for (Agnode_t *n = agfstnode (graph); n != NULL && !imp->limit_reached; n = agnxtnode (graph, n))
    for (Agedge_t *e = agfstout (graph, n); e != NULL && !imp->limit_reached; e = agnxtout (graph, e))
      read_edge (&self, e);

  if (n_more > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The file holds %u more graph after the first: only the first was read",
                                  "The file holds %u more graphs after the first: only the first was read",
                                  n_more),
                     n_more);
  if (self.n_clusters > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u cluster became a group actor that its nodes belong to",
                                  "%u clusters became group actors that their nodes belong to",
                                  self.n_clusters),
                     self.n_clusters);
  if (self.n_ports > 0)
    _cm_import_note (imp, "%s", _("Ports were ignored: links join the nodes themselves"));
  if (self.n_styled > 0)
    _cm_import_note (imp, "%s", _("Edge styles were read as channel kinds: solid is direct, dashed indirect, dotted absent"));

  agclose (graph);
  dataset = _cm_import_finish (imp, error);
  return dataset;
}

CmDataset *
_cm_import_dot (CmImport    *imp,
                const char  *data,
                gsize        length,
                GError     **error)
{
  agusererrf previous_errf;
  agerrlevel_t previous_level;
  CmDataset *dataset;

  data = _cm_import_skip_bom (data, &length);
  if (length == 0 || strspn (data, " \t\r\n") >= length)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0,
                       _("The file holds NUL bytes: it is binary, not DOT"));
      return NULL;
    }
  if (_cm_import_cancelled (imp, error))
    return NULL;

  g_mutex_lock (&cgraph_lock);
  cgraph_messages = g_string_new (NULL);
  previous_errf = agseterrf (collect_message_cb);
  previous_level = agseterr (AGWARN);

  dataset = read_graph_locked (imp, data, length, error);

  agseterr (previous_level);
  agseterrf (previous_errf);
  g_string_free (cgraph_messages, TRUE);
  cgraph_messages = NULL;
  g_mutex_unlock (&cgraph_lock);

  return dataset;
}
