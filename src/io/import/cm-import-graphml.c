/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/*
 * GraphML (networkx, igraph, Gephi, Cytoscape, yEd, yFiles for HTML).
 *
 * Read with GMarkup, in one streaming pass: GMarkup knows only the five
 * predefined entities and never loads a DTD or another file, which is what
 * an importer of untrusted files wants (libxml2 would need care to get the
 * same guarantees, and the tolerance below is ours anyway).  Elements are
 * matched by local name, so prefixes and namespace URIs do not matter.
 *
 * Nodes become actors as they come; edges are kept until the end, since
 * GraphML lets an edge name a node declared after it.  Nested graphs (yEd
 * group nodes) are flattened: inner nodes become actors whose group is the
 * outer node.  Hyperedges are flattened into a link for every pair of their
 * endpoints.  Ports are ignored (the link joins the nodes).
 */

#define MAX_DEPTH 256

typedef enum
{
  DOMAIN_ALL,
  DOMAIN_NODE,
  DOMAIN_EDGE,
  DOMAIN_GRAPH,
  DOMAIN_GRAPHML,
  DOMAIN_OTHER,       /* hyperedge, port, endpoint */
} KeyDomain;

typedef struct
{
  char      *id;
  char      *name;
  char      *type;
  KeyDomain  domain;
  char      *default_value;
  gboolean   has_default;
  gboolean   yfiles;       /* graphics of yEd / yFiles: read for labels, geometry, styles */
  guint      line;
} Key;

static void
key_free (Key *key)
{
  g_free (key->id);
  g_free (key->name);
  g_free (key->type);
  g_free (key->default_value);
  g_free (key);
}

typedef struct
{
  Key  *key;
  char *value;
} DataValue;

typedef struct
{
  char      *id;
  char      *source;
  char      *target;
  gboolean   directed;
  GArray    *data;          /* DataValue */
  char      *label;         /* yEd edge label */
  gboolean   has_style;
  CmChannel  style_channel;
  int        arrows;        /* -1 unknown, 0 none, 1 forward, 2 backward */
  guint      line;
} PendingEdge;

static void
data_value_clear (DataValue *value)
{
  g_free (value->value);
}

static void
pending_edge_free (PendingEdge *edge)
{
  g_free (edge->id);
  g_free (edge->source);
  g_free (edge->target);
  g_free (edge->label);
  if (edge->data != NULL)
    g_array_unref (edge->data);
  g_free (edge);
}

typedef struct
{
  GPtrArray *nodes;         /* char* */
  GPtrArray *types;         /* char* ("in", "out", "undir") */
  guint      line;
} PendingHyperedge;

static void
pending_hyperedge_free (PendingHyperedge *hyper)
{
  g_ptr_array_unref (hyper->nodes);
  g_ptr_array_unref (hyper->types);
  g_free (hyper);
}

/* What an open <node> has seen so far; nodes nest (group nodes). */
typedef struct
{
  CmActor    *actor;         /* NULL when the node was refused */
  GHashTable *seen_keys;     /* Key* set, for defaults */
  gboolean    label_done;
  gboolean    geometry_done;
  gboolean    color_done;
  gboolean    plain_position;   /* from x/y data keys, y up */
  char       *yed_label;
} NodeState;

static void
node_state_free (NodeState *state)
{
  g_hash_table_unref (state->seen_keys);
  g_free (state->yed_label);
  g_free (state);
}

typedef struct
{
  CmImport            *imp;
  GMarkupParseContext *context;
  GHashTable          *keys;            /* id -> Key */
  GPtrArray           *key_list;        /* owns the keys */
  GHashTable          *undeclared;      /* id -> Key for data naming no key */

  guint                depth;
  gboolean             root_seen;
  guint                n_top_graphs;
  gboolean             skipping_graph;  /* second and later top-level graphs */
  guint                skip_depth;
  GArray              *graph_directed;  /* gboolean per open <graph> */
  GPtrArray           *group_stack;     /* CmActor* whose nested <graph> we are in (may hold NULL) */
  GPtrArray           *node_stack;      /* NodeState* of open <node>s */

  Key                 *current_key;
  guint                default_depth;
  GString             *text;

  Key                 *data_key;
  guint                data_depth;
  gboolean             data_is_graph;

  PendingEdge         *edge;
  PendingHyperedge    *hyper;
  guint                port_depth;

  guint                label_depth;
  GString             *label;

  GPtrArray           *edges;           /* PendingEdge* */
  GPtrArray           *hyperedges;      /* PendingHyperedge* */

  guint                n_nested_graphs;
  guint                n_ports;
  guint                n_misplaced_data;
  guint                n_styled_edges;
  guint                n_html_labels;
  gboolean             yed;
} Parser;

static NodeState *
current_state (Parser *self)
{
  return self->node_stack->len > 0
    ? g_ptr_array_index (self->node_stack, self->node_stack->len - 1) : NULL;
}

static CmActor *
current_node (Parser *self)
{
  NodeState *state = current_state (self);

  return state != NULL ? state->actor : NULL;
}

static guint
current_line (Parser *self)
{
  int line = 0;

  g_markup_parse_context_get_position (self->context, &line, NULL);
  return (guint) line;
}

static void
problem (Parser     *self,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Parser     *self,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  _cm_import_problem_at_line (self->imp, current_line (self), 0, "%s", message);
}

static KeyDomain
parse_domain (const char *value)
{
  if (value == NULL || strcmp (value, "all") == 0)
    return DOMAIN_ALL;
  if (strcmp (value, "node") == 0)
    return DOMAIN_NODE;
  if (strcmp (value, "edge") == 0)
    return DOMAIN_EDGE;
  if (strcmp (value, "graph") == 0)
    return DOMAIN_GRAPH;
  if (strcmp (value, "graphml") == 0)
    return DOMAIN_GRAPHML;
  return DOMAIN_OTHER;
}

static Key *
lookup_key (Parser     *self,
            const char *id)
{
  Key *key = g_hash_table_lookup (self->keys, id);

  if (key != NULL)
    return key;

  /* Data naming no declared key (graphology's miserables_broken): read it
   * as a string attribute named by the key id, as graphology and networkx
   * do, rather than lose the labels. */
  key = g_hash_table_lookup (self->undeclared, id);
  if (key == NULL)
    {
      key = g_new0 (Key, 1);
      key->id = g_strdup (id);
      key->name = g_strdup (id);
      key->domain = DOMAIN_ALL;
      g_ptr_array_add (self->key_list, key);
      g_hash_table_insert (self->undeclared, key->id, key);
    }
  return key;
}

static gboolean
key_applies (Key       *key,
             KeyDomain  domain)
{
  return key->domain == DOMAIN_ALL || key->domain == domain;
}

static void
apply_node_value (Parser     *self,
                  NodeState  *state,
                  Key        *key,
                  const char *value)
{
  CmActor *actor = state->actor;

  if (key->yfiles)
    return;
  if (_cm_import_actor_attribute (self->imp, actor, key->name, value))
    {
      if (_cm_import_name_is (key->name, "x") || _cm_import_name_is (key->name, "y"))
        state->plain_position = TRUE;
      return;
    }
  _cm_import_keep (actor, key->name, _cm_import_typed_value (key->type, value));
}

/* ---- Start -------------------------------------------------------------- */

static void
start_key (Parser       *self,
           const char  **names,
           const char  **values)
{
  const char *id = _cm_xml_attr (names, values, "id");
  const char *name = _cm_xml_attr (names, values, "attr.name");
  Key *key;

  if (id == NULL)
    {
      problem (self, "%s", _("A <key> has no id"));
      return;
    }
  if (g_hash_table_contains (self->keys, id))
    {
      problem (self, _("A second <key> has the id “%s”"), id);
      return;
    }

  key = g_new0 (Key, 1);
  key->id = g_strdup (id);
  key->name = g_strdup (name != NULL && *name != '\0' ? name : id);
  key->type = g_strdup (_cm_xml_attr (names, values, "attr.type"));
  key->domain = parse_domain (_cm_xml_attr (names, values, "for"));
  key->line = current_line (self);
  /* yEd marks its graphics keys with yfiles.type; yFiles for HTML with
   * y:attr.uri.  Their data is markup, not a value to keep. */
  key->yfiles = _cm_xml_attr (names, values, "yfiles.type") != NULL
                || _cm_xml_attr (names, values, "attr.uri") != NULL;
  if (key->yfiles)
    self->yed = TRUE;
  g_ptr_array_add (self->key_list, key);
  g_hash_table_insert (self->keys, key->id, key);
  self->current_key = key;
}

static void
start_node (Parser       *self,
            const char  **names,
            const char  **values)
{
  const char *id = _cm_xml_attr (names, values, "id");
  CmActor *actor = NULL;

  if (id == NULL || *id == '\0')
    problem (self, "%s", _("A <node> has no id"));
  else if ((actor = _cm_import_add_actor (self->imp, id, NULL)) == NULL)
    {
      if (!self->imp->limit_reached)
        problem (self, _("A second <node> has the id “%s”"), id);
    }
  else if (self->group_stack->len > 0)
    {
      CmActor *group = g_ptr_array_index (self->group_stack, self->group_stack->len - 1);

      if (group != NULL)
        cm_actor_set_group (actor, cm_actor_get_id (group));
    }

  {
    NodeState *state = g_new0 (NodeState, 1);

    state->actor = actor;
    state->seen_keys = g_hash_table_new (NULL, NULL);
    g_ptr_array_add (self->node_stack, state);
  }
}

static void
start_edge (Parser       *self,
            const char  **names,
            const char  **values)
{
  const char *source = _cm_xml_attr (names, values, "source");
  const char *target = _cm_xml_attr (names, values, "target");
  const char *directed = _cm_xml_attr (names, values, "directed");
  PendingEdge *edge;

  if (source == NULL || target == NULL || *source == '\0' || *target == '\0')
    {
      problem (self, "%s", source == NULL || *source == '\0'
               ? _("An <edge> has no source") : _("An <edge> has no target"));
      return;
    }

  edge = g_new0 (PendingEdge, 1);
  edge->id = g_strdup (_cm_xml_attr (names, values, "id"));
  edge->source = g_strdup (source);
  edge->target = g_strdup (target);
  edge->directed = self->graph_directed->len > 0
    ? g_array_index (self->graph_directed, gboolean, self->graph_directed->len - 1) : FALSE;
  if (directed != NULL)
    _cm_import_parse_bool (directed, &edge->directed);
  edge->data = g_array_new (FALSE, FALSE, sizeof (DataValue));
  g_array_set_clear_func (edge->data, (GDestroyNotify) data_value_clear);
  edge->arrows = -1;
  edge->line = current_line (self);
  if (_cm_xml_attr (names, values, "sourceport") != NULL || _cm_xml_attr (names, values, "targetport") != NULL)
    self->n_ports++;
  /* An <edge> inside an <edge> is not GraphML: the inner one replaces the
   * outer one (found by the fuzz target: the outer one leaked). */
  g_clear_pointer (&self->edge, pending_edge_free);
  self->edge = edge;
}

static void
start_yfiles (Parser       *self,
              const char   *local,
              const char  **names,
              const char  **values)
{
  NodeState *state = current_state (self);
  CmActor *node = current_node (self);

  if (self->port_depth > 0)
    return;

  if (self->edge != NULL)
    {
      if (strcmp (local, "LineStyle") == 0)
        {
          const char *type = _cm_xml_attr (names, values, "type");
          CmChannel channel;

          if (type != NULL && _cm_import_channel_from_style (type, &channel) && !self->edge->has_style)
            {
              self->edge->has_style = TRUE;
              self->edge->style_channel = channel;
              if (channel != CM_CHANNEL_DIRECT)
                self->n_styled_edges++;
            }
        }
      else if (strcmp (local, "Arrows") == 0 && self->edge->arrows < 0)
        {
          const char *s = _cm_xml_attr (names, values, "source");
          const char *t = _cm_xml_attr (names, values, "target");
          gboolean has_s = s != NULL && strcmp (s, "none") != 0;
          gboolean has_t = t != NULL && strcmp (t, "none") != 0;

          self->edge->arrows = has_t ? 1 : has_s ? 2 : 0;
        }
      else if ((strcmp (local, "EdgeLabel") == 0 || strcmp (local, "Label.Text") == 0)
               && self->edge->label == NULL && self->label_depth == 0)
        {
          self->label_depth = self->depth;
          g_string_truncate (self->label, 0);
        }
      return;
    }

  if (node == NULL)
    return;

  if (!state->geometry_done
      && (strcmp (local, "Geometry") == 0 || strcmp (local, "RectD") == 0))
    {
      /* yEd: x, y, width, height (top-left corner); yFiles 3: X, Y, Width,
       * Height.  The actor's position is the centre. */
      gboolean capital = strcmp (local, "RectD") == 0;
      double x, y, w = 0, h = 0;

      if (_cm_import_parse_double (_cm_xml_attr (names, values, capital ? "X" : "x"), &x)
          && _cm_import_parse_double (_cm_xml_attr (names, values, capital ? "Y" : "y"), &y))
        {
          _cm_import_parse_double (_cm_xml_attr (names, values, capital ? "Width" : "width"), &w);
          _cm_import_parse_double (_cm_xml_attr (names, values, capital ? "Height" : "height"), &h);
          cm_actor_set_position (node, x + w / 2, y + h / 2);
          state->geometry_done = TRUE;
        }
    }
  else if (!state->color_done && strcmp (local, "Fill") == 0)
    {
      const char *color = _cm_xml_attr (names, values, "color");

      if (color != NULL)
        {
          _cm_import_keep_string (node, "color", color);
          state->color_done = TRUE;
        }
    }
  else if ((strcmp (local, "NodeLabel") == 0 || strcmp (local, "Label.Text") == 0)
           && !state->label_done && self->label_depth == 0)
    {
      self->label_depth = self->depth;
      g_string_truncate (self->label, 0);
    }
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  Parser *self = user_data;
  const char *local = _cm_xml_local_name (element_name);

  self->context = context;
  self->depth++;
  if (self->depth > MAX_DEPTH)
    {
      g_autofree char *path = g_strdup_printf (_("line %u"), current_line (self));

      _cm_import_fail (self->imp, error, CM_DATASET_ERROR_LIMIT, path, current_line (self), 0,
                       _("Elements are nested too deeply"));
      return;
    }

  if (!self->root_seen)
    {
      self->root_seen = TRUE;
      if (strcmp (local, "graphml") != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("The XML document is a <%s>, not GraphML"), local);

          _cm_import_fail (self->imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0, message);
        }
      return;
    }

  if (self->skipping_graph)
    return;

  if (self->data_key != NULL)
    {
      /* Markup inside <data>: yEd's and yFiles' graphics. */
      if (self->data_key->yfiles || self->data_key->type == NULL)
        start_yfiles (self, local, names, values);
      return;
    }

  if (self->current_key != NULL)
    {
      if (strcmp (local, "default") == 0)
        {
          self->default_depth = self->depth;
          g_string_truncate (self->text, 0);
        }
      return;
    }

  if (strcmp (local, "key") == 0)
    start_key (self, names, values);
  else if (strcmp (local, "graph") == 0)
    {
      const char *edgedefault = _cm_xml_attr (names, values, "edgedefault");
      gboolean directed = edgedefault != NULL && strcmp (edgedefault, "directed") == 0;

      if (self->node_stack->len == 0 && self->graph_directed->len == 0)
        {
          self->n_top_graphs++;
          if (self->n_top_graphs > 1)
            {
              self->skipping_graph = TRUE;
              self->skip_depth = self->depth;
              return;
            }
        }
      if (self->node_stack->len > 0)
        {
          /* A graph inside a node: yEd's group node, or a nested graph. */
          self->n_nested_graphs++;
          g_ptr_array_add (self->group_stack, current_node (self));
        }
      else
        g_ptr_array_add (self->group_stack, NULL);
      g_array_append_val (self->graph_directed, directed);
    }
  else if (strcmp (local, "node") == 0)
    start_node (self, names, values);
  else if (strcmp (local, "edge") == 0)
    start_edge (self, names, values);
  else if (strcmp (local, "hyperedge") == 0)
    {
      /* A <hyperedge> inside a <hyperedge> is not GraphML: the inner one
       * starts afresh (found by the fuzz target: the outer one leaked). */
      g_clear_pointer (&self->hyper, pending_hyperedge_free);
      self->hyper = g_new0 (PendingHyperedge, 1);
      self->hyper->nodes = g_ptr_array_new_with_free_func (g_free);
      self->hyper->types = g_ptr_array_new_with_free_func (g_free);
      self->hyper->line = current_line (self);
    }
  else if (strcmp (local, "endpoint") == 0 && self->hyper != NULL)
    {
      const char *node = _cm_xml_attr (names, values, "node");
      const char *type = _cm_xml_attr (names, values, "type");

      if (node == NULL || *node == '\0')
        problem (self, "%s", _("An <endpoint> has no node"));
      else
        {
          g_ptr_array_add (self->hyper->nodes, g_strdup (node));
          g_ptr_array_add (self->hyper->types, g_strdup (type != NULL ? type : "undir"));
        }
      if (_cm_xml_attr (names, values, "port") != NULL)
        self->n_ports++;
    }
  else if (strcmp (local, "port") == 0)
    {
      if (self->port_depth == 0)
        self->port_depth = self->depth;
      self->n_ports++;
    }
  else if (strcmp (local, "data") == 0)
    {
      const char *id = _cm_xml_attr (names, values, "key");

      if (id == NULL)
        {
          problem (self, "%s", _("A <data> has no key"));
          return;
        }
      self->data_key = lookup_key (self, id);
      self->data_depth = self->depth;
      self->data_is_graph = self->edge == NULL && self->hyper == NULL && current_node (self) == NULL
                            && self->node_stack->len == 0 && self->port_depth == 0;
      g_string_truncate (self->text, 0);
    }
}

/* ---- End -------------------------------------------------------------- */

static void
end_data (Parser *self)
{
  Key *key = self->data_key;
  CmActor *node = current_node (self);
  g_autofree char *value = g_strdup (self->text->str);

  self->data_key = NULL;
  if (key->yfiles || self->port_depth > 0 || self->hyper != NULL)
    return;

  if (self->edge != NULL)
    {
      DataValue dv;

      if (!key_applies (key, DOMAIN_EDGE))
        {
          self->n_misplaced_data++;
          return;
        }
      dv.key = key;
      dv.value = g_steal_pointer (&value);
      g_array_append_val (self->edge->data, dv);
      return;
    }

  if (self->node_stack->len > 0)
    {
      if (node == NULL)
        return;
      if (!key_applies (key, DOMAIN_NODE))
        {
          self->n_misplaced_data++;
          return;
        }
      g_hash_table_add (current_state (self)->seen_keys, key);
      apply_node_value (self, current_state (self), key, value);
      return;
    }

  if (self->data_is_graph && self->group_stack->len <= 1)
    {
      g_strstrip (value);
      if (*value == '\0')
        return;
      if (_cm_import_name_is (key->name, "title") || _cm_import_name_is (key->name, "name")
          || _cm_import_name_is (key->name, "label"))
        {
          if (self->imp->title == NULL)
            self->imp->title = _cm_import_clean_text (value, -1, FALSE);
        }
      else if (_cm_import_name_is (key->name, "description"))
        {
          if (self->imp->description == NULL)
            self->imp->description = _cm_import_clean_text (value, -1, FALSE);
        }
    }
}

static void
end_node (Parser *self)
{
  NodeState *state = current_state (self);
  CmActor *actor = state->actor;

  if (actor != NULL)
    {
      /* Defaults of the keys this node did not give. */
      for (guint i = 0; i < self->key_list->len; i++)
        {
          Key *key = g_ptr_array_index (self->key_list, i);

          if (key->has_default && key_applies (key, DOMAIN_NODE)
              && !g_hash_table_contains (state->seen_keys, key))
            apply_node_value (self, state, key, key->default_value);
        }
      /* Plain x/y keys are Gephi's (and our own export's): y points up,
       * as in GEXF.  yEd's geometry points down, as the map does. */
      if (state->plain_position && !state->geometry_done && cm_actor_has_position (actor))
        {
          double y = cm_actor_get_y (actor);

          cm_actor_set_position (actor, cm_actor_get_x (actor), y != 0 ? -y : 0);
        }
      /* An explicit name or label wins over yEd's drawn label. */
      if (state->yed_label != NULL
          && g_strcmp0 (cm_actor_get_name (actor), cm_actor_get_id (actor)) == 0)
        cm_actor_set_name (actor, state->yed_label);
    }
  g_ptr_array_set_size (self->node_stack, self->node_stack->len - 1);
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  Parser *self = user_data;
  const char *local = _cm_xml_local_name (element_name);
  guint depth = self->depth--;

  self->context = context;

  if (self->skipping_graph)
    {
      if (depth == self->skip_depth)
        self->skipping_graph = FALSE;
      return;
    }

  if (self->label_depth == depth)
    {
      g_autofree char *text = _cm_import_clean_text (self->label->str, -1, FALSE);

      self->label_depth = 0;
      /* yEd's HTML labels ("<html><b>…") and yFiles' markup labels
       * ("<p>regular <strong>bold</strong></p>") draw their text */
      if (_cm_import_looks_like_html (text))
        {
          char *plain = _cm_import_html_to_text (text);

          g_free (text);
          text = plain;
          self->n_html_labels++;
        }
      g_strstrip (text);
      if (*text != '\0')
        {
          if (self->edge != NULL)
            self->edge->label = g_steal_pointer (&text);
          else if (current_node (self) != NULL && !current_state (self)->label_done)
            {
              current_state (self)->yed_label = g_steal_pointer (&text);
              current_state (self)->label_done = TRUE;
            }
        }
    }

  if (self->data_key != NULL)
    {
      if (depth == self->data_depth)
        end_data (self);
      return;
    }

  if (self->current_key != NULL)
    {
      if (depth == self->default_depth && strcmp (local, "default") == 0)
        {
          g_free (self->current_key->default_value);
          self->current_key->default_value = g_strdup (self->text->str);
          self->current_key->has_default = TRUE;
          self->default_depth = 0;
        }
      else if (strcmp (local, "key") == 0)
        self->current_key = NULL;
      return;
    }

  if (self->port_depth == depth)
    self->port_depth = 0;
  else if (strcmp (local, "node") == 0 && self->node_stack->len > 0 && self->port_depth == 0)
    end_node (self);
  else if (strcmp (local, "edge") == 0 && self->edge != NULL)
    {
      g_ptr_array_add (self->edges, self->edge);
      self->edge = NULL;
    }
  else if (strcmp (local, "hyperedge") == 0 && self->hyper != NULL)
    {
      g_ptr_array_add (self->hyperedges, self->hyper);
      self->hyper = NULL;
    }
  else if (strcmp (local, "graph") == 0 && self->graph_directed->len > 0)
    {
      g_array_set_size (self->graph_directed, self->graph_directed->len - 1);
      g_ptr_array_set_size (self->group_stack, self->group_stack->len - 1);
    }
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Parser *self = user_data;

  if (self->label_depth != 0 && self->depth == self->label_depth)
    g_string_append_len (self->label, text, length);
  if ((self->data_key != NULL && self->depth == self->data_depth)
      || (self->default_depth != 0 && self->depth == self->default_depth))
    {
      if (self->text->len + length > CM_DATASET_MAX_STRING_LENGTH)
        return;
      g_string_append_len (self->text, text, length);
    }
}

static const GMarkupParser parser_funcs = {
  start_element_cb,
  end_element_cb,
  text_cb,
  NULL,
  NULL,
};

/* ---- Building ------------------------------------------------------------ */

static void
add_edge (Parser      *self,
          PendingEdge *edge)
{
  CmImport *imp = self->imp;
  const char *source = edge->source, *target = edge->target;
  gboolean directed = edge->directed;
  gboolean channel_given = FALSE;
  CmChannel channel = CM_CHANNEL_DIRECT;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  CmLink *link;

  /* yEd draws direction with arrows, whatever edgedefault says. */
  if (edge->arrows == 0)
    directed = FALSE;
  else if (edge->arrows == 1)
    directed = TRUE;
  else if (edge->arrows == 2)
    {
      directed = TRUE;
      source = edge->target;
      target = edge->source;
    }
  if (edge->has_style)
    {
      channel = edge->style_channel;
      channel_given = TRUE;
    }

  if (_cm_import_ensure_actor (imp, source) == NULL || _cm_import_ensure_actor (imp, target) == NULL)
    return;
  link = _cm_import_add_link (imp, edge->id, source, target, channel, channel_given);
  if (link == NULL)
    return;
  cm_link_set_directed (link, directed);
  if (edge->label != NULL)
    cm_link_set_topic (link, edge->label);

  for (guint pass = 0; pass < 2; pass++)
    {
      /* Explicit values, then the defaults of keys the edge did not give. */
      guint n = pass == 0 ? edge->data->len : self->key_list->len;

      for (guint i = 0; i < n; i++)
        {
          Key *key;
          const char *value;
          gboolean channel_set = FALSE;

          if (pass == 0)
            {
              DataValue *dv = &g_array_index (edge->data, DataValue, i);

              key = dv->key;
              value = dv->value;
              g_hash_table_add (seen, key);
            }
          else
            {
              key = g_ptr_array_index (self->key_list, i);
              if (!key->has_default || !key_applies (key, DOMAIN_EDGE) || key->yfiles
                  || g_hash_table_contains (seen, key))
                continue;
              value = key->default_value;
            }

          if (_cm_import_name_is (key->name, "directed"))
            {
              /* A "directed" data key (networkx writes none, some tools do)
               * only when the edge element did not say. */
              gboolean b;

              if (_cm_import_parse_bool (value, &b))
                cm_link_set_directed (link, b);
              continue;
            }
          if (_cm_import_link_attribute (imp, link, key->name, value, &channel_set))
            {
              if (channel_set && !channel_given)
                {
                  _cm_import_count_channel_given (imp);
                  channel_given = TRUE;
                }
              continue;
            }
          _cm_import_keep (link, key->name, _cm_import_typed_value (key->type, value));
        }
    }
}

static void
add_hyperedge (Parser           *self,
               PendingHyperedge *hyper,
               guint            *n_links)
{
  CmImport *imp = self->imp;

  /* Every pair of endpoints; "out" → "in" is a directed link, any other
   * pair an undirected one. */
  for (guint i = 0; i < hyper->nodes->len; i++)
    if (_cm_import_ensure_actor (imp, g_ptr_array_index (hyper->nodes, i)) == NULL)
      return;
  for (guint i = 0; i < hyper->nodes->len; i++)
    for (guint j = i + 1; j < hyper->nodes->len; j++)
      {
        const char *a = g_ptr_array_index (hyper->nodes, i);
        const char *b = g_ptr_array_index (hyper->nodes, j);
        const char *ta = g_ptr_array_index (hyper->types, i);
        const char *tb = g_ptr_array_index (hyper->types, j);
        gboolean directed = FALSE;
        CmLink *link;

        if (strcmp (ta, "in") == 0 && strcmp (tb, "out") == 0)
          {
            const char *t = a;

            a = b;
            b = t;
            directed = TRUE;
          }
        else if (strcmp (ta, "out") == 0 && strcmp (tb, "in") == 0)
          directed = TRUE;

        link = _cm_import_add_link (imp, NULL, a, b, CM_CHANNEL_DIRECT, FALSE);
        if (link == NULL)
          {
            if (imp->limit_reached)
              return;
            continue;
          }
        cm_link_set_directed (link, directed);
        (*n_links)++;
      }
}

CmDataset *
_cm_import_graphml (CmImport    *imp,
                    const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autofree char *converted = NULL;
  Parser self = { 0 };
  CmDataset *dataset = NULL;
  guint n_hyper_links = 0;
  gboolean ok;

  data = _cm_xml_prepare (imp, data, &length, &converted, error);
  if (data == NULL)
    return NULL;

  self.imp = imp;
  self.key_list = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
  self.keys = cm_str_hash_table_new (NULL, NULL);
  self.undeclared = cm_str_hash_table_new (NULL, NULL);
  self.graph_directed = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self.group_stack = g_ptr_array_new ();
  self.node_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) node_state_free);
  self.text = g_string_new (NULL);
  self.label = g_string_new (NULL);
  self.edges = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_edge_free);
  self.hyperedges = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_hyperedge_free);

  ok = _cm_xml_parse (imp, &parser_funcs, &self, data, length, error);

  if (ok)
    {
      for (guint i = 0; i < self.edges->len && !imp->limit_reached; i++)
        {
          add_edge (&self, g_ptr_array_index (self.edges, i));
          if ((i & 0xFFF) == 0xFFF && _cm_import_cancelled (imp, error))
            {
              ok = FALSE;
              break;
            }
        }
    }
  if (ok)
    {
      for (guint i = 0; i < self.hyperedges->len && !imp->limit_reached; i++)
        add_hyperedge (&self, g_ptr_array_index (self.hyperedges, i), &n_hyper_links);

      if (self.hyperedges->len > 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%u hyperedge was flattened into %u links (one for each pair of its ends)",
                                      "%u hyperedges were flattened into %u links (one for each pair of their ends)",
                                      self.hyperedges->len),
                         self.hyperedges->len, n_hyper_links);
      if (self.n_nested_graphs > 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%u node holds a nested graph (a group): its nodes belong to it as their group",
                                      "%u nodes hold nested graphs (groups): their nodes belong to them as their group",
                                      self.n_nested_graphs),
                         self.n_nested_graphs);
      if (self.n_html_labels > 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%u label is HTML: its text was kept, without the markup",
                                      "%u labels are HTML: their text was kept, without the markup",
                                      self.n_html_labels),
                         self.n_html_labels);
      if (self.n_ports > 0)
        _cm_import_note (imp, "%s", _("Ports were ignored: links join the nodes themselves"));
      if (self.n_misplaced_data > 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%u value uses a key declared for another kind of element: it was ignored",
                                      "%u values use keys declared for another kind of element: they were ignored",
                                      self.n_misplaced_data),
                         self.n_misplaced_data);
      if (self.n_top_graphs > 1)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The file holds %u graphs: only the first was read",
                                      "The file holds %u graphs: only the first was read",
                                      self.n_top_graphs),
                         self.n_top_graphs);
      if (self.yed && imp->links->len > 0 && self.n_styled_edges == 0)
        {
          /* yEd writes a line style on every edge; all solid says nothing. */
          imp->n_links_channel_default += imp->n_links_channel_given;
          imp->n_links_channel_given = 0;
        }
      else if (self.n_styled_edges > 0)
        _cm_import_note (imp, "%s", _("Line styles were read as channel kinds: solid is direct, dashed indirect, dotted absent"));

      dataset = _cm_import_finish (imp, error);
    }

  g_ptr_array_unref (self.edges);
  g_ptr_array_unref (self.hyperedges);
  g_clear_pointer (&self.edge, pending_edge_free);
  g_clear_pointer (&self.hyper, pending_hyperedge_free);
  g_hash_table_unref (self.keys);
  g_hash_table_unref (self.undeclared);
  g_ptr_array_unref (self.key_list);
  g_array_unref (self.graph_directed);
  g_ptr_array_unref (self.group_stack);
  g_ptr_array_unref (self.node_stack);
  g_string_free (self.text, TRUE);
  g_string_free (self.label, TRUE);
  return dataset;
}
