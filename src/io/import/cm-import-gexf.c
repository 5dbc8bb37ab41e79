/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/*
 * GEXF 1.1draft – 1.3.1 (Gephi, graphology, networkx).
 *
 * GMarkup, elements by local name: real files declare the viz namespace as
 * "http:///www.gexf.net/1.1draft/viz" (three slashes) or a version that does
 * not match the document, so namespaces are not checked at all.
 *
 * - attvalues are matched to their <attribute> declarations per class (node
 *   and edge ids are separate scopes) and kept under the attribute's title,
 *   with the declared type; an undeclared one is kept under its id.
 * - viz:position gives the position (y flipped: Gephi's y axis points up,
 *   ours down); viz:color and viz:size are kept as "color" and "size".
 * - edges: type directed/undirected/mutual (or the graph's default), label
 *   as topic, weight kept, viz:shape dashed/dotted as channel kind, and
 *   start/end or <spells> as the link's from/to when they are dates.
 * - hierarchy: nested <nodes> and pid make the parent the group; of several
 *   <parents>, the first.
 */

#define MAX_DEPTH 256

typedef struct
{
  char *title;
  char *type;
  char *default_value;
} Attribute;

static void
attribute_free (Attribute *attr)
{
  g_free (attr->title);
  g_free (attr->type);
  g_free (attr->default_value);
  g_free (attr);
}

typedef struct
{
  CmActor    *actor;        /* NULL when refused */
  GHashTable *seen;         /* Attribute* given */
  guint       n_parents;
} NodeState;

static void
node_state_free (NodeState *state)
{
  g_hash_table_unref (state->seen);
  g_free (state);
}

typedef struct
{
  char      *id;
  char      *source;
  char      *target;
  char      *label;
  char      *weight;
  char      *type;
  char      *kind;
  char      *from;
  char      *to;
  gboolean   has_shape;
  CmChannel  shape_channel;
  char      *color;
  GPtrArray *attrs;         /* Attribute*, NULL when undeclared */
  GPtrArray *names;         /* char*: the title, or the id of an undeclared one */
  GPtrArray *values;        /* char* */
  GHashTable *seen;
  guint      line;
} PendingEdge;

static void
pending_edge_free (PendingEdge *edge)
{
  g_free (edge->id);
  g_free (edge->source);
  g_free (edge->target);
  g_free (edge->label);
  g_free (edge->weight);
  g_free (edge->type);
  g_free (edge->kind);
  g_free (edge->from);
  g_free (edge->to);
  g_free (edge->color);
  g_ptr_array_unref (edge->attrs);
  g_ptr_array_unref (edge->names);
  g_ptr_array_unref (edge->values);
  g_hash_table_unref (edge->seen);
  g_free (edge);
}

typedef enum
{
  CLASS_NONE,
  CLASS_NODE,
  CLASS_EDGE,
} AttrClass;

typedef struct
{
  CmImport            *imp;
  GMarkupParseContext *context;
  guint                depth;
  gboolean             root_seen;
  gboolean             dates_ok;          /* timeformat allows dates */
  gboolean             timeformat_date;   /* timeformat says dates */
  gboolean             default_directed;
  GHashTable          *node_attrs;        /* id -> Attribute */
  GHashTable          *edge_attrs;
  GPtrArray           *node_attr_list;
  GPtrArray           *edge_attr_list;
  AttrClass            attr_class;
  Attribute           *current_attr;
  guint                default_depth;
  GString             *text;

  gboolean             in_meta;
  guint                meta_text_depth;
  char                *meta_field;        /* "title" / "description" */

  GPtrArray           *node_stack;        /* NodeState* */
  PendingEdge         *edge;
  GPtrArray           *edges;             /* PendingEdge* */

  guint                n_graphs;
  gboolean             skipping;
  guint                skip_depth;
  guint                n_nested;
  guint                n_multi_parents;
  guint                n_spells;
  guint                n_shaped;
  guint                n_repeated;
} Parser;

static guint
current_line (Parser *self)
{
  int line = 0;

  g_markup_parse_context_get_position (self->context, &line, NULL);
  return (guint) line;
}

static NodeState *
current_state (Parser *self)
{
  return self->node_stack->len > 0
    ? g_ptr_array_index (self->node_stack, self->node_stack->len - 1) : NULL;
}

static char *
date_or_null (Parser     *self,
              const char *value)
{
  if (value == NULL || !self->dates_ok)
    return NULL;
  /* Without a timeformat, GEXF's default is "double": only text that is
   * plainly a date ("2009-03", not "1998" or "35") is one. */
  if (!self->timeformat_date && strchr (value, '-') == NULL)
    return NULL;
  return _cm_import_normalize_date (value);
}

static void
widen_period (char       **from,
              char       **to,
              char        *start,
              char        *end)
{
  /* ISO dates of the same precision compare as strings; a period spanning
   * several spells runs from the earliest start to the latest end. */
  if (start != NULL && (*from == NULL || strcmp (start, *from) < 0))
    {
      g_free (*from);
      *from = start;
      start = NULL;
    }
  if (end != NULL && (*to == NULL || strcmp (end, *to) > 0))
    {
      g_free (*to);
      *to = end;
      end = NULL;
    }
  g_free (start);
  g_free (end);
}

static void
start_attribute (Parser       *self,
                 const char  **names,
                 const char  **values)
{
  const char *id = _cm_xml_attr (names, values, "id");
  const char *title = _cm_xml_attr (names, values, "title");
  GHashTable *table = self->attr_class == CLASS_EDGE ? self->edge_attrs : self->node_attrs;
  GPtrArray *list = self->attr_class == CLASS_EDGE ? self->edge_attr_list : self->node_attr_list;
  Attribute *attr;

  if (id == NULL)
    {
      _cm_import_problem_at_line (self->imp, current_line (self), 0, "%s", _("An <attribute> has no id"));
      return;
    }
  attr = g_new0 (Attribute, 1);
  attr->title = g_strdup (title != NULL && *title != '\0' ? title : id);
  attr->type = g_strdup (_cm_xml_attr (names, values, "type"));
  g_ptr_array_add (list, attr);
  /* A later declaration with the same id (a static and a dynamic class)
   * replaces the earlier one for lookups. */
  g_hash_table_replace (table, g_strdup (id), attr);
  self->current_attr = attr;
}

static void
apply_node_attvalue (Parser     *self,
                     CmActor    *actor,
                     Attribute  *attr,
                     const char *name,
                     const char *value)
{
  if (_cm_import_actor_attribute (self->imp, actor, name, value))
    return;
  _cm_import_keep (actor, name, _cm_import_typed_value (attr != NULL ? attr->type : NULL, value));
}

static void
start_attvalue (Parser       *self,
                const char  **names,
                const char  **values)
{
  /* "for" since 1.2, "id" in 1.1draft */
  const char *id = _cm_xml_attr (names, values, "for");
  const char *value = _cm_xml_attr (names, values, "value");

  if (id == NULL)
    id = _cm_xml_attr (names, values, "id");
  if (id == NULL || value == NULL)
    return;

  if (self->edge != NULL)
    {
      Attribute *attr = g_hash_table_lookup (self->edge_attrs, id);

      if (attr != NULL)
        g_hash_table_add (self->edge->seen, attr);
      g_ptr_array_add (self->edge->attrs, attr);
      g_ptr_array_add (self->edge->names, g_strdup (attr != NULL ? attr->title : id));
      g_ptr_array_add (self->edge->values, g_strdup (value));
      return;
    }

  if (current_state (self) != NULL && current_state (self)->actor != NULL)
    {
      NodeState *state = current_state (self);
      Attribute *attr = g_hash_table_lookup (self->node_attrs, id);

      if (attr != NULL)
        g_hash_table_add (state->seen, attr);
      apply_node_attvalue (self, state->actor, attr, attr != NULL ? attr->title : id, value);
    }
}

static void
start_node (Parser       *self,
            const char  **names,
            const char  **values)
{
  const char *id = _cm_xml_attr (names, values, "id");
  const char *label = _cm_xml_attr (names, values, "label");
  const char *pid = _cm_xml_attr (names, values, "pid");
  NodeState *parent = current_state (self);
  NodeState *state = g_new0 (NodeState, 1);

  state->seen = g_hash_table_new (NULL, NULL);
  g_ptr_array_add (self->node_stack, state);

  if (id == NULL || *id == '\0')
    {
      _cm_import_problem_at_line (self->imp, current_line (self), 0, "%s", _("A <node> has no id"));
      return;
    }
  state->actor = _cm_import_add_actor (self->imp, id, label);
  if (state->actor == NULL)
    {
      /* A dynamic graph may list a node again for a later period (Gephi
       * merges them): the same actor, its attributes updated. */
      state->actor = _cm_import_lookup_actor (self->imp, id);
      if (state->actor != NULL)
        {
          self->n_repeated++;
          if (label != NULL && *label != '\0')
            {
              g_autofree char *clean = _cm_import_clean_text (label, -1, FALSE);

              cm_actor_set_name (state->actor, clean);
            }
        }
      return;
    }

  /* A node nested in another belongs to it; pid says the same in a flat
   * list, possibly before the parent is listed (resolved at the end). */
  if (parent != NULL && parent->actor != NULL)
    {
      cm_actor_set_group (state->actor, cm_actor_get_id (parent->actor));
      self->n_nested++;
    }
  else if (pid != NULL && *pid != '\0')
    {
      cm_actor_set_group (state->actor, pid);
      self->n_nested++;
    }
}

static void
start_edge (Parser       *self,
            const char  **names,
            const char  **values)
{
  const char *source = _cm_xml_attr (names, values, "source");
  const char *target = _cm_xml_attr (names, values, "target");
  PendingEdge *edge;

  if (source == NULL || target == NULL || *source == '\0' || *target == '\0')
    {
      _cm_import_problem_at_line (self->imp, current_line (self), 0, "%s",
                                  source == NULL || *source == '\0'
                                  ? _("An <edge> has no source") : _("An <edge> has no target"));
      return;
    }
  edge = g_new0 (PendingEdge, 1);
  edge->id = g_strdup (_cm_xml_attr (names, values, "id"));
  edge->source = g_strdup (source);
  edge->target = g_strdup (target);
  edge->label = g_strdup (_cm_xml_attr (names, values, "label"));
  edge->weight = g_strdup (_cm_xml_attr (names, values, "weight"));
  edge->type = g_strdup (_cm_xml_attr (names, values, "type"));
  edge->kind = g_strdup (_cm_xml_attr (names, values, "kind"));
  edge->from = date_or_null (self, _cm_xml_attr (names, values, "start"));
  edge->to = date_or_null (self, _cm_xml_attr (names, values, "end"));
  edge->attrs = g_ptr_array_new ();
  edge->names = g_ptr_array_new_with_free_func (g_free);
  edge->values = g_ptr_array_new_with_free_func (g_free);
  edge->seen = g_hash_table_new (NULL, NULL);
  edge->line = current_line (self);
  /* An <edge> inside an <edge> is not GEXF: the inner one replaces the
   * outer one (found by the fuzz target: the outer one leaked). */
  g_clear_pointer (&self->edge, pending_edge_free);
  self->edge = edge;
}

static void
start_viz (Parser       *self,
           const char   *local,
           const char  **names,
           const char  **values)
{
  NodeState *state = current_state (self);
  CmActor *actor = (self->edge == NULL && state != NULL) ? state->actor : NULL;

  if (strcmp (local, "position") == 0 && actor != NULL)
    {
      double x, y;

      if (_cm_import_parse_double (_cm_xml_attr (names, values, "x"), &x)
          && _cm_import_parse_double (_cm_xml_attr (names, values, "y"), &y))
        cm_actor_set_position (actor, x, y != 0 ? -y : 0);
    }
  else if (strcmp (local, "color") == 0 && (actor != NULL || self->edge != NULL))
    {
      const char *hex = _cm_xml_attr (names, values, "hex");
      g_autofree char *color = NULL;
      double r, g, b;

      if (hex != NULL)
        color = g_strdup (hex);
      else if (_cm_import_parse_double (_cm_xml_attr (names, values, "r"), &r)
               && _cm_import_parse_double (_cm_xml_attr (names, values, "g"), &g)
               && _cm_import_parse_double (_cm_xml_attr (names, values, "b"), &b))
        color = g_strdup_printf ("#%02x%02x%02x", (guint) CLAMP (r, 0, 255),
                                 (guint) CLAMP (g, 0, 255), (guint) CLAMP (b, 0, 255));
      if (color == NULL)
        return;
      if (actor != NULL)
        _cm_import_keep_string (actor, "color", color);
      else
        {
          g_free (self->edge->color);
          self->edge->color = g_steal_pointer (&color);
        }
    }
  else if (strcmp (local, "size") == 0 && actor != NULL)
    {
      double size;

      if (_cm_import_parse_double (_cm_xml_attr (names, values, "value"), &size))
        _cm_import_keep (actor, "size", cm_json_value_new_number (size));
    }
  else if (strcmp (local, "shape") == 0 && self->edge != NULL)
    {
      const char *shape = _cm_xml_attr (names, values, "value");
      CmChannel channel;

      if (shape != NULL && _cm_import_channel_from_style (shape, &channel))
        {
          self->edge->has_shape = TRUE;
          self->edge->shape_channel = channel;
          if (channel != CM_CHANNEL_DIRECT)
            self->n_shaped++;
        }
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
  gboolean is_viz = strchr (element_name, ':') != NULL;

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
      if (strcmp (local, "gexf") != 0)
        {
          g_autofree char *message = g_strdup_printf (_("The XML document is a <%s>, not GEXF"), local);

          _cm_import_fail (self->imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0, message);
        }
      return;
    }
  if (self->skipping)
    return;

  if (self->current_attr != NULL)
    {
      if (strcmp (local, "default") == 0)
        {
          self->default_depth = self->depth;
          g_string_truncate (self->text, 0);
        }
      return;
    }

  if (self->in_meta)
    {
      /* <title>, <description> (any case: 1.1 writers used <Title>) */
      if (g_ascii_strcasecmp (local, "title") == 0 || g_ascii_strcasecmp (local, "description") == 0)
        {
          self->meta_text_depth = self->depth;
          g_free (self->meta_field);
          self->meta_field = g_ascii_strdown (local, -1);
          g_string_truncate (self->text, 0);
        }
      return;
    }

  /* viz elements by local name only, whatever their prefix or namespace */
  if (is_viz || strcmp (local, "position") == 0 || strcmp (local, "color") == 0
      || strcmp (local, "size") == 0 || strcmp (local, "shape") == 0)
    {
      start_viz (self, local, names, values);
      return;
    }

  if (strcmp (local, "meta") == 0)
    self->in_meta = TRUE;
  else if (strcmp (local, "graph") == 0)
    {
      const char *timeformat = _cm_xml_attr (names, values, "timeformat");
      const char *edgetype = _cm_xml_attr (names, values, "defaultedgetype");

      self->n_graphs++;
      if (self->n_graphs > 1)
        {
          self->skipping = TRUE;
          self->skip_depth = self->depth;
          return;
        }
      /* Dates only when the file says its times are dates (or says
       * nothing, as 1.1 files with dates do); "double" or "integer" times
       * are steps, not dates, even when they look like years. */
      self->dates_ok = timeformat == NULL || g_ascii_strncasecmp (timeformat, "date", 4) == 0;
      self->timeformat_date = timeformat != NULL && g_ascii_strncasecmp (timeformat, "date", 4) == 0;
      self->default_directed = edgetype != NULL && strcmp (edgetype, "directed") == 0;
    }
  else if (strcmp (local, "attributes") == 0)
    {
      const char *klass = _cm_xml_attr (names, values, "class");

      self->attr_class = (klass != NULL && strcmp (klass, "edge") == 0) ? CLASS_EDGE : CLASS_NODE;
    }
  else if (strcmp (local, "attribute") == 0 && self->attr_class != CLASS_NONE)
    start_attribute (self, names, values);
  else if (strcmp (local, "node") == 0)
    start_node (self, names, values);
  else if (strcmp (local, "edge") == 0)
    start_edge (self, names, values);
  else if (strcmp (local, "attvalue") == 0)
    start_attvalue (self, names, values);
  else if (strcmp (local, "spell") == 0 && self->edge != NULL)
    {
      self->n_spells++;
      widen_period (&self->edge->from, &self->edge->to,
                    date_or_null (self, _cm_xml_attr (names, values, "start")),
                    date_or_null (self, _cm_xml_attr (names, values, "end")));
    }
  else if (strcmp (local, "parent") == 0)
    {
      NodeState *state = current_state (self);
      const char *parent = _cm_xml_attr (names, values, "for");

      if (state != NULL && state->actor != NULL && parent != NULL && *parent != '\0')
        {
          state->n_parents++;
          if (state->n_parents == 1)
            {
              cm_actor_set_group (state->actor, parent);
              self->n_nested++;
            }
          else if (state->n_parents == 2)
            self->n_multi_parents++;
        }
    }
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
  if (self->skipping)
    {
      if (depth == self->skip_depth)
        self->skipping = FALSE;
      return;
    }

  if (self->current_attr != NULL)
    {
      if (depth == self->default_depth)
        {
          g_free (self->current_attr->default_value);
          self->current_attr->default_value = g_strdup (self->text->str);
          self->default_depth = 0;
        }
      else if (strcmp (local, "attribute") == 0)
        self->current_attr = NULL;
      return;
    }

  if (self->in_meta)
    {
      if (depth == self->meta_text_depth)
        {
          g_autofree char *text = _cm_import_clean_text (self->text->str, -1, FALSE);

          g_strstrip (text);
          if (*text != '\0' && strcmp (self->meta_field, "title") == 0 && self->imp->title == NULL)
            self->imp->title = g_steal_pointer (&text);
          else if (*text != '\0' && strcmp (self->meta_field, "description") == 0
                   && self->imp->description == NULL)
            self->imp->description = g_steal_pointer (&text);
          self->meta_text_depth = 0;
        }
      else if (strcmp (local, "meta") == 0)
        self->in_meta = FALSE;
      return;
    }

  if (strcmp (local, "attributes") == 0)
    self->attr_class = CLASS_NONE;
  else if (strcmp (local, "node") == 0 && self->node_stack->len > 0)
    {
      NodeState *state = current_state (self);

      if (state->actor != NULL)
        for (guint i = 0; i < self->node_attr_list->len; i++)
          {
            Attribute *attr = g_ptr_array_index (self->node_attr_list, i);

            if (attr->default_value != NULL && !g_hash_table_contains (state->seen, attr))
              apply_node_attvalue (self, state->actor, attr, attr->title, attr->default_value);
          }
      g_ptr_array_set_size (self->node_stack, self->node_stack->len - 1);
    }
  else if (strcmp (local, "edge") == 0 && self->edge != NULL)
    {
      g_ptr_array_add (self->edges, self->edge);
      self->edge = NULL;
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

  if ((self->default_depth != 0 && self->depth == self->default_depth)
      || (self->meta_text_depth != 0 && self->depth == self->meta_text_depth))
    {
      if (self->text->len + length <= CM_DATASET_MAX_STRING_LENGTH)
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

static void
add_edge (Parser      *self,
          PendingEdge *edge)
{
  CmImport *imp = self->imp;
  gboolean directed = self->default_directed;
  gboolean channel_given = edge->has_shape;
  CmLink *link;

  if (edge->type != NULL)
    directed = strcmp (edge->type, "directed") == 0;

  if (_cm_import_ensure_actor (imp, edge->source) == NULL || _cm_import_ensure_actor (imp, edge->target) == NULL)
    return;
  link = _cm_import_add_link (imp, edge->id, edge->source, edge->target,
                              edge->has_shape ? edge->shape_channel : CM_CHANNEL_DIRECT, channel_given);
  if (link == NULL)
    return;
  cm_link_set_directed (link, directed);
  if (edge->label != NULL && *edge->label != '\0')
    {
      g_autofree char *label = _cm_import_clean_text (edge->label, -1, FALSE);

      cm_link_set_topic (link, g_strstrip (label));
    }
  if (edge->from != NULL)
    cm_link_set_from (link, edge->from);
  if (edge->to != NULL)
    cm_link_set_to (link, edge->to);
  if (edge->weight != NULL)
    _cm_import_keep (link, "weight", _cm_import_typed_value ("double", edge->weight));
  if (edge->kind != NULL)
    _cm_import_keep_string (link, "kind", edge->kind);
  if (edge->color != NULL)
    _cm_import_keep_string (link, "color", edge->color);

  for (guint i = 0; i < edge->values->len; i++)
    {
      Attribute *attr = g_ptr_array_index (edge->attrs, i);
      const char *name = g_ptr_array_index (edge->names, i);
      const char *value = g_ptr_array_index (edge->values, i);
      gboolean channel_set = FALSE;

      if (_cm_import_link_attribute (imp, link, name, value, &channel_set))
        {
          if (channel_set && !channel_given)
            {
              _cm_import_count_channel_given (imp);
              channel_given = TRUE;
            }
          continue;
        }
      _cm_import_keep (link, name, _cm_import_typed_value (attr != NULL ? attr->type : NULL, value));
    }
  for (guint i = 0; i < self->edge_attr_list->len; i++)
    {
      Attribute *attr = g_ptr_array_index (self->edge_attr_list, i);
      gboolean channel_set = FALSE;

      if (attr->default_value == NULL || g_hash_table_contains (edge->seen, attr))
        continue;
      if (_cm_import_link_attribute (imp, link, attr->title, attr->default_value, &channel_set))
        {
          if (channel_set && !channel_given)
            {
              _cm_import_count_channel_given (imp);
              channel_given = TRUE;
            }
          continue;
        }
      _cm_import_keep (link, attr->title, _cm_import_typed_value (attr->type, attr->default_value));
    }
}

CmDataset *
_cm_import_gexf (CmImport    *imp,
                 const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autofree char *converted = NULL;
  Parser self = { 0 };
  CmDataset *dataset = NULL;

  data = _cm_xml_prepare (imp, data, &length, &converted, error);
  if (data == NULL)
    return NULL;

  self.imp = imp;
  self.node_attrs = cm_str_hash_table_new (g_free, NULL);
  self.edge_attrs = cm_str_hash_table_new (g_free, NULL);
  self.node_attr_list = g_ptr_array_new_with_free_func ((GDestroyNotify) attribute_free);
  self.edge_attr_list = g_ptr_array_new_with_free_func ((GDestroyNotify) attribute_free);
  self.text = g_string_new (NULL);
  self.node_stack = g_ptr_array_new_with_free_func ((GDestroyNotify) node_state_free);
  self.edges = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_edge_free);

  if (_cm_xml_parse (imp, &parser_funcs, &self, data, length, error))
    {
      gboolean cancelled = FALSE;

      for (guint i = 0; i < self.edges->len && !imp->limit_reached; i++)
        {
          add_edge (&self, g_ptr_array_index (self.edges, i));
          if ((i & 0xFFF) == 0xFFF && _cm_import_cancelled (imp, error))
            {
              cancelled = TRUE;
              break;
            }
        }
      if (!cancelled)
        {
          if (self.n_graphs == 0)
            _cm_import_note (imp, "%s", _("The file holds no <graph>"));
          if (self.n_graphs > 1)
            _cm_import_note (imp,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "The file holds %u graphs: only the first was read",
                                          "The file holds %u graphs: only the first was read",
                                          self.n_graphs),
                             self.n_graphs);
          if (self.n_nested > 0)
            _cm_import_note (imp,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%u node belongs to a parent node: the parent is its group",
                                          "%u nodes belong to parent nodes: the parent is their group",
                                          self.n_nested),
                             self.n_nested);
          if (self.n_multi_parents > 0)
            _cm_import_note (imp,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%u node has several parents: only the first is its group",
                                          "%u nodes have several parents: only the first is their group",
                                          self.n_multi_parents),
                             self.n_multi_parents);
          if (self.n_repeated > 0)
            _cm_import_note (imp,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%u node is listed again (for another period): both listings are one actor",
                                          "%u nodes are listed again (for other periods): each is one actor",
                                          self.n_repeated),
                             self.n_repeated);
          if (self.n_shaped > 0)
            _cm_import_note (imp, "%s", _("Edge shapes were read as channel kinds: solid is direct, dashed indirect, dotted absent"));
          if (self.n_spells > 0 && !self.dates_ok)
            _cm_import_note (imp, "%s", _("The file’s times are not dates, so links have no period"));
          dataset = _cm_import_finish (imp, error);
        }
    }

  g_ptr_array_unref (self.edges);
  g_clear_pointer (&self.edge, pending_edge_free);
  g_ptr_array_unref (self.node_stack);
  g_hash_table_unref (self.node_attrs);
  g_hash_table_unref (self.edge_attrs);
  g_ptr_array_unref (self.node_attr_list);
  g_ptr_array_unref (self.edge_attr_list);
  g_string_free (self.text, TRUE);
  g_free (self.meta_field);
  return dataset;
}
