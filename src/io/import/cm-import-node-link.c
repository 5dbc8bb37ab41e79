/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"

/*
 * Node-link JSON, as networkx's node_link_data() and d3 write it:
 *
 *   { "directed": false, "multigraph": false, "graph": { … },
 *     "nodes": [ { "id": "T1", … } ], "links": [ { "source": "T1", "target": "C1", … } ] }
 *
 * Parsed with the app's strict JSON parser.  Node ids may be strings or
 * numbers; link ends name a node id, or (older d3 files) index the nodes
 * array.  Names come from label/name/title, else the first text attribute.
 */

static char *
scalar_text (CmJsonValue *value)
{
  switch (cm_json_value_get_value_type (value))
    {
    case CM_JSON_STRING:
      return g_strdup (cm_json_value_get_string (value));
    case CM_JSON_NUMBER:
      return g_strdup (cm_json_value_get_number_text (value));
    case CM_JSON_BOOLEAN:
      return g_strdup (cm_json_value_get_boolean (value) ? "true" : "false");
    case CM_JSON_NULL:
    case CM_JSON_ARRAY:
    case CM_JSON_OBJECT:
    default:
      return NULL;
    }
}

static CmJsonValue *
copy_scalar (CmJsonValue *value)
{
  switch (cm_json_value_get_value_type (value))
    {
    case CM_JSON_STRING:
      return _cm_import_typed_value ("string", cm_json_value_get_string (value));
    case CM_JSON_NUMBER:
      return cm_json_value_new_number (cm_json_value_get_number (value));
    case CM_JSON_BOOLEAN:
      return cm_json_value_new_boolean (cm_json_value_get_boolean (value));
    case CM_JSON_NULL:
    case CM_JSON_ARRAY:
    case CM_JSON_OBJECT:
    default:
      return NULL;
    }
}

static char *
path_of (const char *array,
         guint       index,
         const char *key)
{
  return key != NULL ? g_strdup_printf ("$.%s[%u].%s", array, index, key)
                     : g_strdup_printf ("$.%s[%u]", array, index);
}

CmDataset *
_cm_import_node_link (CmImport    *imp,
                      const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(CmJsonValue) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) ids_by_index = g_ptr_array_new_with_free_func (g_free);
  CmJsonValue *nodes, *links, *value;
  gboolean directed = FALSE;
  guint line = 0, column = 0;
  const char *links_key = "links";

  root = cm_json_parse (data, length, NULL, &line, &column, &parse_error);
  if (root == NULL)
    {
      g_autofree char *path = line > 0 ? g_strdup_printf (_("line %u"), line) : NULL;
      CmDatasetError code = g_error_matches (parse_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_LARGE)
                            || g_error_matches (parse_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_DEEP)
                            || g_error_matches (parse_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_MANY_MEMBERS)
                            || g_error_matches (parse_error, CM_JSON_ERROR, CM_JSON_ERROR_STRING_TOO_LONG)
                            ? CM_DATASET_ERROR_LIMIT : CM_DATASET_ERROR_SYNTAX;

      _cm_import_fail (imp, error, code, NULL, line, column, parse_error->message);
      return NULL;
    }
  if (cm_json_value_get_value_type (root) != CM_JSON_OBJECT)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, "$", 0, 0,
                       _("The JSON is not an object with nodes and links"));
      return NULL;
    }

  nodes = cm_json_object_lookup (root, "nodes");
  links = cm_json_object_lookup (root, "links");
  if (links == NULL)
    {
      links = cm_json_object_lookup (root, "edges");
      links_key = "edges";
    }
  if (nodes == NULL || cm_json_value_get_value_type (nodes) != CM_JSON_ARRAY)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, "$.nodes", 0, 0,
                       _("The JSON has no “nodes” array: it is not a node-link graph"));
      return NULL;
    }
  if (links != NULL && cm_json_value_get_value_type (links) != CM_JSON_ARRAY)
    {
      g_autofree char *path = g_strdup_printf ("$.%s", links_key);

      _cm_import_fail (imp, error, CM_DATASET_ERROR_INVALID, path, cm_json_value_get_line (links),
                       cm_json_value_get_column (links), _("must be an array"));
      return NULL;
    }

  value = cm_json_object_lookup (root, "directed");
  if (value != NULL && cm_json_value_get_value_type (value) == CM_JSON_BOOLEAN)
    directed = cm_json_value_get_boolean (value);
  value = cm_json_object_lookup (root, "graph");
  if (value != NULL && cm_json_value_get_value_type (value) == CM_JSON_OBJECT)
    {
      CmJsonValue *name = cm_json_object_lookup (value, "name");

      if (name == NULL)
        name = cm_json_object_lookup (value, "title");
      if (name != NULL && cm_json_value_get_value_type (name) == CM_JSON_STRING)
        imp->title = _cm_import_clean_text (cm_json_value_get_string (name), -1, FALSE);
    }

  for (guint i = 0; i < cm_json_array_get_length (nodes) && !imp->limit_reached; i++)
    {
      CmJsonValue *node = cm_json_array_get (nodes, i);
      CmJsonValue *id_value;
      g_autofree char *id = NULL;
      g_autofree char *fallback_name = NULL;
      CmActor *actor;

      if (cm_json_value_get_value_type (node) != CM_JSON_OBJECT)
        {
          g_autofree char *path = path_of ("nodes", i, NULL);

          _cm_import_problem (imp, path, cm_json_value_get_line (node), cm_json_value_get_column (node),
                              "%s", _("must be an object"));
          g_ptr_array_add (ids_by_index, NULL);
          continue;
        }
      id_value = cm_json_object_lookup (node, "id");
      id = id_value != NULL ? scalar_text (id_value) : NULL;
      if (id != NULL)
        {
          char *clean = _cm_import_clean_text (id, -1, FALSE);

          g_free (id);
          id = clean;
        }
      if (id == NULL || *id == '\0')
        {
          g_autofree char *path = path_of ("nodes", i, "id");

          _cm_import_problem (imp, path, cm_json_value_get_line (node), cm_json_value_get_column (node),
                              "%s", _("The node has no id"));
          g_ptr_array_add (ids_by_index, NULL);
          continue;
        }
      g_ptr_array_add (ids_by_index, g_strdup (id));
      actor = _cm_import_add_actor (imp, id, NULL);
      if (actor == NULL)
        {
          if (!imp->limit_reached)
            {
              g_autofree char *path = path_of ("nodes", i, "id");

              _cm_import_problem (imp, path, cm_json_value_get_line (id_value),
                                  cm_json_value_get_column (id_value),
                                  _("A second node has the id “%s”"), id);
            }
          continue;
        }

      for (guint k = 0; k < cm_json_object_get_size (node); k++)
        {
          const char *key = cm_json_object_get_key (node, k);
          CmJsonValue *v = cm_json_object_get_value (node, k);
          g_autofree char *text = scalar_text (v);

          if (strcmp (key, "id") == 0 || text == NULL)
            continue;
          if (_cm_import_actor_attribute (imp, actor, key, text))
            continue;
          /* A bipartite file names its two kinds of node differently
           * ("title" for treaties, "sides" for countries): the first text
           * is the best name there is. */
          if (fallback_name == NULL && cm_json_value_get_value_type (v) == CM_JSON_STRING
              && *g_strstrip (text) != '\0')
            fallback_name = g_strdup (text);
          _cm_import_keep (actor, key, copy_scalar (v));
        }
      if (fallback_name != NULL && g_strcmp0 (cm_actor_get_name (actor), cm_actor_get_id (actor)) == 0)
        cm_actor_set_name (actor, fallback_name);
    }

  for (guint i = 0; links != NULL && i < cm_json_array_get_length (links) && !imp->limit_reached; i++)
    {
      CmJsonValue *link_value = cm_json_array_get (links, i);
      char *ends[2] = { NULL, NULL };
      static const char *const end_keys[2] = { "source", "target" };
      gboolean channel_given = FALSE;
      CmJsonValue *id_value;
      g_autofree char *id = NULL;
      CmLink *link;
      gboolean ok = TRUE;

      if (cm_json_value_get_value_type (link_value) != CM_JSON_OBJECT)
        {
          g_autofree char *path = path_of (links_key, i, NULL);

          _cm_import_problem (imp, path, cm_json_value_get_line (link_value),
                              cm_json_value_get_column (link_value), "%s", _("must be an object"));
          continue;
        }
      for (guint e = 0; e < 2; e++)
        {
          CmJsonValue *end = cm_json_object_lookup (link_value, end_keys[e]);
          g_autofree char *text = end != NULL ? scalar_text (end) : NULL;

          if (text != NULL && _cm_import_lookup_actor (imp, text) == NULL
              && cm_json_value_get_value_type (end) == CM_JSON_NUMBER && cm_json_value_is_integer (end))
            {
              /* d3's older form: the index of the node in "nodes" */
              double index = cm_json_value_get_number (end);

              if (index >= 0 && index < ids_by_index->len && g_ptr_array_index (ids_by_index, (guint) index) != NULL)
                {
                  g_free (text);
                  text = g_strdup (g_ptr_array_index (ids_by_index, (guint) index));
                }
            }
          if (text == NULL || *text == '\0')
            {
              g_autofree char *path = path_of (links_key, i, end_keys[e]);

              _cm_import_problem (imp, path, cm_json_value_get_line (link_value),
                                  cm_json_value_get_column (link_value), "%s",
                                  e == 0 ? _("The link has no source") : _("The link has no target"));
              ok = FALSE;
              break;
            }
          ends[e] = _cm_import_clean_text (text, -1, FALSE);
        }
      if (!ok || _cm_import_ensure_actor (imp, ends[0]) == NULL || _cm_import_ensure_actor (imp, ends[1]) == NULL)
        {
          g_free (ends[0]);
          g_free (ends[1]);
          continue;
        }
      id_value = cm_json_object_lookup (link_value, "id");
      id = id_value != NULL ? scalar_text (id_value) : NULL;
      link = _cm_import_add_link (imp, id, ends[0], ends[1], CM_CHANNEL_DIRECT, FALSE);
      g_free (ends[0]);
      g_free (ends[1]);
      if (link == NULL)
        continue;
      cm_link_set_directed (link, directed);

      for (guint k = 0; k < cm_json_object_get_size (link_value); k++)
        {
          const char *key = cm_json_object_get_key (link_value, k);
          CmJsonValue *v = cm_json_object_get_value (link_value, k);
          g_autofree char *text = scalar_text (v);
          gboolean channel_set = FALSE;

          if (strcmp (key, "source") == 0 || strcmp (key, "target") == 0 || strcmp (key, "id") == 0
              || strcmp (key, "key") == 0 || text == NULL)
            continue;
          if (_cm_import_link_attribute (imp, link, key, text, &channel_set))
            {
              if (channel_set && !channel_given)
                {
                  _cm_import_count_channel_given (imp);
                  channel_given = TRUE;
                }
              continue;
            }
          _cm_import_keep (link, key, copy_scalar (v));
        }
    }

  return _cm_import_finish (imp, error);
}
