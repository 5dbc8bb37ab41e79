/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"
#include "cm-dataset-io-private.h"

/* Kept attributes per object: far below the loader's member limit, so a
 * file with absurdly many attributes still saves to a file that loads. */
#define MAX_KEPT_ATTRIBUTES 1000
/* Kept strings longer than the loader accepts would make the saved file
 * unloadable; cut them at a much smaller, still generous size. */
#define MAX_KEPT_STRING     (1024 * 1024)

void
_cm_import_init (CmImport     *imp,
                 CmFileFormat  format,
                 const char   *filename,
                 GCancellable *cancellable)
{
  memset (imp, 0, sizeof *imp);
  imp->format = format;
  imp->filename = filename;
  imp->cancellable = cancellable;
  imp->actors = g_ptr_array_new_with_free_func (g_object_unref);
  imp->actors_by_id = cm_str_hash_table_new (NULL, NULL);
  imp->links = g_ptr_array_new_with_free_func (g_object_unref);
  imp->link_ids = cm_str_hash_table_new (NULL, NULL);
  imp->sources = g_ptr_array_new_with_free_func (g_object_unref);
  imp->sources_by_id = cm_str_hash_table_new (NULL, NULL);
  imp->notes = g_ptr_array_new_with_free_func (g_free);
  imp->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);
}

void
_cm_import_clear (CmImport *imp)
{
  /* The hash tables borrow the ids of the objects: drop them first. */
  g_clear_pointer (&imp->actors_by_id, g_hash_table_unref);
  g_clear_pointer (&imp->link_ids, g_hash_table_unref);
  g_clear_pointer (&imp->sources_by_id, g_hash_table_unref);
  g_clear_pointer (&imp->actors, g_ptr_array_unref);
  g_clear_pointer (&imp->links, g_ptr_array_unref);
  g_clear_pointer (&imp->sources, g_ptr_array_unref);
  g_clear_pointer (&imp->notes, g_ptr_array_unref);
  g_clear_pointer (&imp->problems, g_ptr_array_unref);
  g_clear_pointer (&imp->title, g_free);
  g_clear_pointer (&imp->description, g_free);
  g_clear_pointer (&imp->unknown_channel_example, g_free);
}

gboolean
_cm_import_cancelled (CmImport  *imp,
                      GError   **error)
{
  return g_cancellable_set_error_if_cancelled (imp->cancellable, error);
}

/* Messages and notes quote the file ("Unexpected “…” after the key"), and
 * a file need not be UTF-8 nor free of line breaks: what a person reads,
 * in a terminal or a label, must be valid UTF-8 on one line, since
 * --check prints one problem per line (the fuzz targets found encoding
 * names and GML tokens passed through byte for byte, and a GEXF value
 * with a line break).  Takes @text, returns it made valid, with control
 * characters escaped as in JSON. */
static char *
make_valid_take (char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean has_control = FALSE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      g_free (text);
    }
  else
    valid = text;

  for (const char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      has_control = TRUE;
  if (!has_control)
    return g_steal_pointer (&valid);

  out = g_string_sized_new (strlen (valid) + 16);
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\u%04X", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

void
_cm_import_note (CmImport   *imp,
                 const char *format,
                 ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = make_valid_take (g_strdup_vprintf (format, args));
  va_end (args);

  /* The same sentence twice says nothing new. */
  for (guint i = 0; i < imp->notes->len; i++)
    if (strcmp (g_ptr_array_index (imp->notes, i), text) == 0)
      {
        g_free (text);
        return;
      }
  g_ptr_array_add (imp->notes, text);
}

static void
add_problem_take (CmImport   *imp,
                  const char *path,
                  guint       line,
                  guint       column,
                  char       *message)
{
  imp->n_problems_total++;
  if (imp->problems->len < CM_DATASET_MAX_PROBLEMS)
    g_ptr_array_add (imp->problems, _cm_problem_new_take (path, line, column, make_valid_take (message)));
  else
    g_free (message);
}

void
_cm_import_problem (CmImport   *imp,
                    const char *path,
                    guint       line,
                    guint       column,
                    const char *format,
                    ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  add_problem_take (imp, path, line, column, message);
}

void
_cm_import_problem_at_line (CmImport   *imp,
                            guint       line,
                            guint       column,
                            const char *format,
                            ...)
{
  va_list args;
  char *message;
  g_autofree char *path = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    path = g_strdup_printf (_("line %u"), line);
  add_problem_take (imp, path, line, column, message);
}

/* ---- Actors, links, sources ---------------------------------------------- */

CmActor *
_cm_import_lookup_actor (CmImport   *imp,
                         const char *id)
{
  return id != NULL ? g_hash_table_lookup (imp->actors_by_id, id) : NULL;
}

CmActor *
_cm_import_add_actor (CmImport   *imp,
                      const char *id,
                      const char *name)
{
  CmActor *actor;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  if (g_hash_table_contains (imp->actors_by_id, id))
    return NULL;
  if (imp->actors->len >= CM_DATASET_MAX_ACTORS)
    {
      imp->limit_reached = TRUE;
      return NULL;
    }

  {
    /* Names are drawn: no control characters, no surrounding blanks. */
    g_autofree char *clean = name != NULL ? _cm_import_clean_text (name, -1, FALSE) : NULL;

    if (clean != NULL)
      g_strstrip (clean);
    actor = cm_actor_new (id, (clean != NULL && *clean != '\0') ? clean : id);
  }
  g_ptr_array_add (imp->actors, actor);
  g_hash_table_insert (imp->actors_by_id, (gpointer) cm_actor_get_id (actor), actor);
  return actor;
}

CmActor *
_cm_import_ensure_actor (CmImport   *imp,
                         const char *id)
{
  CmActor *actor = _cm_import_lookup_actor (imp, id);

  if (actor != NULL)
    return actor;
  actor = _cm_import_add_actor (imp, id, NULL);
  if (actor != NULL)
    imp->n_implicit_actors++;
  return actor;
}

static char *
make_link_id (CmImport   *imp,
              const char *source_id,
              const char *target_id)
{
  /* The model's scheme (cm_dataset_make_link_id), applied to the links
   * collected so far, which are not in a dataset yet. */
  g_autofree char *base = g_strdup_printf ("%s-%s", source_id, target_id);

  if (!g_hash_table_contains (imp->link_ids, base))
    return g_steal_pointer (&base);
  for (guint i = 2; ; i++)
    {
      char *candidate = g_strdup_printf ("%s-%u", base, i);

      if (!g_hash_table_contains (imp->link_ids, candidate))
        return candidate;
      g_free (candidate);
    }
}

CmLink *
_cm_import_add_link (CmImport   *imp,
                     const char *id,
                     const char *source_id,
                     const char *target_id,
                     CmChannel   channel,
                     gboolean    channel_given)
{
  g_autofree char *fresh_id = NULL;
  CmLink *link;

  g_return_val_if_fail (source_id != NULL && target_id != NULL, NULL);

  /* No actor has an empty id (FORMAT.md; _cm_import_add_actor() refuses
   * one), so a link to "" would be saved dangling: DOT allows "" as a node
   * name (found by the fuzz target). */
  if (*source_id == '\0' || *target_id == '\0')
    return NULL;

  /* FORMAT.md: a link joins two different actors. */
  if (strcmp (source_id, target_id) == 0)
    {
      imp->n_self_loops++;
      return NULL;
    }
  if (imp->links->len >= CM_DATASET_MAX_LINKS)
    {
      imp->limit_reached = TRUE;
      return NULL;
    }

  if (id == NULL || *id == '\0' || g_hash_table_contains (imp->link_ids, id))
    {
      if (id != NULL && *id != '\0')
        imp->n_duplicate_link_ids++;
      fresh_id = make_link_id (imp, source_id, target_id);
      id = fresh_id;
    }

  link = cm_link_new (id, source_id, target_id, channel);
  g_ptr_array_add (imp->links, link);
  g_hash_table_add (imp->link_ids, (gpointer) cm_link_get_id (link));
  if (channel_given)
    imp->n_links_channel_given++;
  else
    imp->n_links_channel_default++;
  return link;
}

void
_cm_import_count_channel_given (CmImport *imp)
{
  if (imp->n_links_channel_default > 0)
    {
      imp->n_links_channel_default--;
      imp->n_links_channel_given++;
    }
}

CmSource *
_cm_import_add_source (CmImport   *imp,
                       const char *id)
{
  CmSource *source;

  if (g_hash_table_contains (imp->sources_by_id, id))
    return NULL;
  source = cm_source_new (id);
  g_ptr_array_add (imp->sources, source);
  g_hash_table_insert (imp->sources_by_id, (gpointer) cm_source_get_id (source), source);
  return source;
}

/* ---- Attribute mapping --------------------------------------------------- */

gboolean
_cm_import_name_is (const char *name,
                    const char *wanted)
{
  const char *a = name, *b = wanted;

  if (name == NULL)
    return FALSE;

  /* "Edge Label", "edge_label" and "edgelabel" are the same column. */
  for (;;)
    {
      while (*a == ' ' || *a == '_' || *a == '-' || *a == '.' || *a == '\t')
        a++;
      while (*b == ' ' || *b == '_' || *b == '-' || *b == '.')
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == '\0' && *b == '\0';
      if (g_ascii_tolower (*a) != g_ascii_tolower (*b))
        return FALSE;
      a++;
      b++;
    }
}

gboolean
_cm_import_parse_double (const char *text,
                         double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return FALSE;
  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
_cm_import_parse_bool (const char *text,
                       gboolean   *value)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  /* GraphML says "true"/"false"; real files write 1, True, fAlSe, yes. */
  if (g_ascii_strcasecmp (copy, "true") == 0 || strcmp (copy, "1") == 0
      || g_ascii_strcasecmp (copy, "yes") == 0)
    {
      *value = TRUE;
      return TRUE;
    }
  if (g_ascii_strcasecmp (copy, "false") == 0 || strcmp (copy, "0") == 0
      || g_ascii_strcasecmp (copy, "no") == 0)
    {
      *value = FALSE;
      return TRUE;
    }
  return FALSE;
}

char *
_cm_import_normalize_date (const char *text)
{
  g_autofree char *copy = NULL;
  gsize len;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  len = strlen (copy);

  /* "20170701" (GDELT's SQLDATE) */
  if (len == 8 && strspn (copy, "0123456789") == 8)
    {
      char *date = g_strdup_printf ("%.4s-%.2s-%.2s", copy, copy + 4, copy + 6);

      if (cm_date_is_valid (date))
        return date;
      g_free (date);
      return NULL;
    }

  /* A date-time or a date with a zone: keep the date part. */
  if (len > 10 && (copy[10] == 'T' || copy[10] == ' ' || copy[10] == '+' || copy[10] == 'Z'))
    copy[10] = '\0';

  if (cm_date_is_valid (copy))
    return g_steal_pointer (&copy);
  return NULL;
}

gboolean
_cm_import_parse_channel (CmImport   *imp,
                          const char *value,
                          CmChannel  *channel)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return FALSE;
  copy = g_ascii_strdown (value, -1);
  g_strstrip (copy);
  if (*copy == '\0')
    return FALSE;
  if (cm_channel_from_string (copy, channel))
    return TRUE;
  /* Words people write for the same three kinds. */
  if (strcmp (copy, "none") == 0 || strcmp (copy, "no") == 0 || strcmp (copy, "no channel") == 0)
    {
      *channel = CM_CHANNEL_ABSENT;
      return TRUE;
    }
  if (_cm_import_channel_from_style (copy, channel))
    return TRUE;

  if (imp != NULL)
    {
      imp->n_unknown_channels++;
      if (imp->unknown_channel_example == NULL)
        imp->unknown_channel_example = g_utf8_make_valid (value, -1);
    }
  return FALSE;
}

gboolean
_cm_import_channel_from_style (const char *style,
                               CmChannel  *channel)
{
  g_auto(GStrv) parts = NULL;
  gboolean found = FALSE;

  if (style == NULL)
    return FALSE;

  /* Graphviz styles are lists ("dashed,bold"); yEd writes one word. */
  parts = g_strsplit_set (style, ", ()", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      if (g_ascii_strcasecmp (p, "solid") == 0 || g_ascii_strcasecmp (p, "line") == 0)
        {
          *channel = CM_CHANNEL_DIRECT;
          found = TRUE;
        }
      else if (g_ascii_strcasecmp (p, "dashed") == 0 || g_ascii_strcasecmp (p, "dash") == 0
               || g_ascii_strcasecmp (p, "dashed_dotted") == 0 || g_ascii_strcasecmp (p, "dashdot") == 0)
        {
          *channel = CM_CHANNEL_INDIRECT;
          return TRUE;
        }
      else if (g_ascii_strcasecmp (p, "dotted") == 0 || g_ascii_strcasecmp (p, "dot") == 0)
        {
          *channel = CM_CHANNEL_ABSENT;
          return TRUE;
        }
    }
  return found;
}

/* FORMAT.md's names, per object: kept attributes must not shadow the
 * model's own fields when the map is saved. */
static const char *const actor_names[] = {
  "id", "name", "kind", "role", "group", "x", "y", "pinned", "notes", "quotes", NULL };
static const char *const link_names[] = {
  "id", "source", "target", "channel", "directed", "topic", "via", "mechanism",
  "from", "to", "quotes", NULL };
static const char *const dataset_names[] = {
  "format", "version", "title", "description", "sources", "actors", "links", NULL };

static gboolean
is_reserved (gpointer    object,
             const char *name)
{
  const char *const *names = CM_IS_ACTOR (object) ? actor_names
                             : CM_IS_LINK (object) ? link_names : dataset_names;

  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_cm_import_name_is_reserved (gpointer    object,
                             const char *name)
{
  return is_reserved (object, name);
}

void
_cm_import_keep (gpointer     object,
                 const char  *name,
                 CmJsonValue *take_value)
{
  CmJsonValue *json;
  g_autofree char *key = NULL;

  g_return_if_fail (G_IS_OBJECT (object));

  if (take_value == NULL)
    return;
  if (name == NULL || *name == '\0')
    {
      cm_json_value_unref (take_value);
      return;
    }

  key = _cm_import_clean_text (name, -1, FALSE);
  g_strstrip (key);
  if (*key == '\0' || is_reserved (object, key))
    {
      cm_json_value_unref (take_value);
      return;
    }

  json = _cm_dataset_io_get_json (object);
  if (json == NULL)
    {
      json = cm_json_value_new_object ();
      g_object_set_qdata_full (G_OBJECT (object), _cm_dataset_io_json_quark (),
                               json, (GDestroyNotify) cm_json_value_unref);
    }
  if (cm_json_object_lookup (json, key) == NULL
      && cm_json_object_get_size (json) >= MAX_KEPT_ATTRIBUTES)
    {
      cm_json_value_unref (take_value);
      return;
    }
  cm_json_object_set (json, key, take_value);
}

void
_cm_import_keep_string (gpointer    object,
                        const char *name,
                        const char *value)
{
  g_autofree char *clean = NULL;

  if (value == NULL)
    return;
  clean = _cm_import_clean_text (value, -1, FALSE);
  if (strlen (clean) > MAX_KEPT_STRING)
    {
      const char *end = g_utf8_find_prev_char (clean, clean + MAX_KEPT_STRING);

      clean[end != NULL ? end - clean : 0] = '\0';
    }
  _cm_import_keep (object, name, cm_json_value_new_string (clean));
}

CmJsonValue *
_cm_import_typed_value (const char *type,
                        const char *text)
{
  g_autofree char *clean = NULL;

  if (text == NULL)
    return NULL;

  if (type != NULL)
    {
      if (g_ascii_strcasecmp (type, "boolean") == 0 || g_ascii_strcasecmp (type, "bool") == 0)
        {
          gboolean b;

          if (_cm_import_parse_bool (text, &b))
            return cm_json_value_new_boolean (b);
        }
      else if (g_ascii_strcasecmp (type, "int") == 0 || g_ascii_strcasecmp (type, "long") == 0
               || g_ascii_strcasecmp (type, "integer") == 0 || g_ascii_strcasecmp (type, "float") == 0
               || g_ascii_strcasecmp (type, "double") == 0 || g_ascii_strcasecmp (type, "number") == 0)
        {
          double d;

          if (_cm_import_parse_double (text, &d))
            return cm_json_value_new_number (d);
        }
    }

  clean = _cm_import_clean_text (text, -1, FALSE);
  if (strlen (clean) > MAX_KEPT_STRING)
    {
      const char *end = g_utf8_find_prev_char (clean, clean + MAX_KEPT_STRING);

      clean[end != NULL ? end - clean : 0] = '\0';
    }
  return cm_json_value_new_string (clean);
}

typedef struct
{
  double x, y;
  gboolean has_x, has_y;
} PendingPosition;

static void
set_coordinate (CmActor  *actor,
                gboolean  is_x,
                double    value)
{
  PendingPosition *p = g_object_get_data (G_OBJECT (actor), "cm-import-position");

  /* x and y arrive as two attributes; the model sets both at once. */
  if (p == NULL)
    {
      p = g_new0 (PendingPosition, 1);
      g_object_set_data_full (G_OBJECT (actor), "cm-import-position", p, g_free);
    }
  if (is_x)
    {
      p->x = value;
      p->has_x = TRUE;
    }
  else
    {
      p->y = value;
      p->has_y = TRUE;
    }
  if (p->has_x && p->has_y)
    cm_actor_set_position (actor, p->x, p->y);
}

static gboolean
kind_from_word (const char  *word,
                CmActorKind *kind)
{
  static const struct { const char *word; CmActorKind kind; } words[] = {
    { "person", CM_ACTOR_KIND_PERSON }, { "people", CM_ACTOR_KIND_PERSON },
    { "individual", CM_ACTOR_KIND_PERSON }, { "state", CM_ACTOR_KIND_STATE },
    { "country", CM_ACTOR_KIND_STATE }, { "nation", CM_ACTOR_KIND_STATE },
    { "organization", CM_ACTOR_KIND_ORGANIZATION }, { "organisation", CM_ACTOR_KIND_ORGANIZATION },
    { "company", CM_ACTOR_KIND_ORGANIZATION }, { "ngo", CM_ACTOR_KIND_ORGANIZATION },
    { "media", CM_ACTOR_KIND_MEDIA }, { "newspaper", CM_ACTOR_KIND_MEDIA },
  };
  g_autofree char *lower = g_ascii_strdown (word, -1);

  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (lower, words[i].word) == 0)
      {
        *kind = words[i].kind;
        return TRUE;
      }
  return FALSE;
}

gboolean
_cm_import_actor_attribute (CmImport   *imp,
                            CmActor    *actor,
                            const char *name,
                            const char *value)
{
  g_autofree char *clean = NULL;
  CmActorKind kind;

  if (name == NULL || value == NULL)
    return FALSE;

  clean = _cm_import_clean_text (value, -1, FALSE);
  g_strstrip (clean);

  if (_cm_import_name_is (name, "name"))
    {
      if (*clean != '\0')
        cm_actor_set_name (actor, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "label"))
    {
      /* "name" wins over "label" whichever comes first. */
      if (*clean != '\0' && g_strcmp0 (cm_actor_get_name (actor), cm_actor_get_id (actor)) == 0)
        cm_actor_set_name (actor, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "kind"))
    {
      if (*clean != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (clean, -1);

          cm_actor_set_kind_name (actor, cm_actor_kind_from_string (lower, &kind) ? lower : clean);
        }
      return TRUE;
    }
  if (_cm_import_name_is (name, "type") || _cm_import_name_is (name, "node type")
      || _cm_import_name_is (name, "actor type"))
    {
      /* "type" means many things in other tools: only a kind word maps,
       * and the value is kept as well, in the file's own words. */
      if (kind_from_word (clean, &kind))
        cm_actor_set_kind (actor, kind);
      return FALSE;
    }
  if (_cm_import_name_is (name, "role") || _cm_import_name_is (name, "occupation")
      || _cm_import_name_is (name, "historical significance"))
    {
      if (*clean != '\0')
        cm_actor_set_role (actor, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "group"))
    {
      if (*clean != '\0')
        cm_actor_set_group (actor, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "notes") || _cm_import_name_is (name, "note")
      || _cm_import_name_is (name, "description"))
    {
      if (*clean != '\0')
        cm_actor_set_notes (actor, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "x") || _cm_import_name_is (name, "y"))
    {
      double d;

      if (!_cm_import_parse_double (clean, &d))
        return FALSE;
      set_coordinate (actor, g_ascii_tolower (name[strspn (name, " _")]) == 'x', d);
      return TRUE;
    }
  if (_cm_import_name_is (name, "pinned"))
    {
      gboolean b;

      if (!_cm_import_parse_bool (clean, &b))
        return FALSE;
      cm_actor_set_pinned (actor, b);
      return TRUE;
    }
  return FALSE;
}

gboolean
_cm_import_link_attribute (CmImport   *imp,
                           CmLink     *link,
                           const char *name,
                           const char *value,
                           gboolean   *channel_set)
{
  g_autofree char *clean = NULL;

  if (name == NULL || value == NULL)
    return FALSE;

  clean = _cm_import_clean_text (value, -1, FALSE);
  g_strstrip (clean);

  if (_cm_import_name_is (name, "channel") || _cm_import_name_is (name, "channel kind"))
    {
      CmChannel channel;

      if (_cm_import_parse_channel (imp, clean, &channel))
        {
          cm_link_set_channel (link, channel);
          if (channel_set != NULL)
            *channel_set = TRUE;
        }
      return TRUE;
    }
  if (_cm_import_name_is (name, "directed"))
    {
      gboolean b;

      if (!_cm_import_parse_bool (clean, &b))
        return FALSE;
      cm_link_set_directed (link, b);
      return TRUE;
    }
  if (_cm_import_name_is (name, "topic"))
    {
      if (*clean != '\0')
        cm_link_set_topic (link, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "label") || _cm_import_name_is (name, "edge label"))
    {
      /* An edge's label names the relation: the topic, unless one is given. */
      if (*clean != '\0' && cm_link_get_topic (link) == NULL)
        cm_link_set_topic (link, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "mechanism"))
    {
      if (*clean != '\0')
        cm_link_set_mechanism (link, clean);
      return TRUE;
    }
  if (_cm_import_name_is (name, "from") || _cm_import_name_is (name, "start")
      || _cm_import_name_is (name, "date") || _cm_import_name_is (name, "start date")
      || _cm_import_name_is (name, "to") || _cm_import_name_is (name, "end")
      || _cm_import_name_is (name, "end date"))
    {
      g_autofree char *date = _cm_import_normalize_date (clean);
      gboolean is_end = _cm_import_name_is (name, "to") || _cm_import_name_is (name, "end")
                        || _cm_import_name_is (name, "end date");

      if (date == NULL)
        return FALSE;
      if (is_end)
        cm_link_set_to (link, date);
      else
        cm_link_set_from (link, date);
      return TRUE;
    }
  if (_cm_import_name_is (name, "quotes"))
    /* Our own exporters write the number of quotes; the quotes themselves
     * are not in a graph file, so there is nothing to read back. */
    return TRUE;
  return FALSE;
}

/* ---- Text ------------------------------------------------------------------ */

gboolean
_cm_import_data_is_utf8 (const char *data,
                         gsize       length)
{
  data = _cm_import_skip_bom (data, &length);
  return g_utf8_validate_len (data, length, NULL);
}

const char *
_cm_import_skip_bom (const char *data,
                     gsize      *length)
{
  if (data != NULL && *length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      *length -= 3;
      return data + 3;
    }
  return data;
}

char *
_cm_import_clean_text (const char *text,
                       gssize      length,
                       gboolean    latin1)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (text);

  if (latin1)
    valid = g_convert (text, length, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (valid == NULL)
    valid = g_utf8_make_valid (text, length);

  /* FORMAT.md: control characters are not drawn; tabs and newlines are
   * kept (quotes and notes may have several lines). */
  out = g_string_sized_new (strlen (valid));
  end = valid + strlen (valid);
  for (p = valid; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 && c != '\t' && c != '\n')
        continue;
      if (c == 0x7F)
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* HTML's named character references that real files use (Latin-1 and the
 * typographic ones); numeric references cover the rest. */
static const struct { const char *name; gunichar c; } html_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "iexcl", 0xA1 }, { "cent", 0xA2 }, { "pound", 0xA3 },
  { "curren", 0xA4 }, { "yen", 0xA5 }, { "brvbar", 0xA6 }, { "sect", 0xA7 },
  { "uml", 0xA8 }, { "copy", 0xA9 }, { "ordf", 0xAA }, { "laquo", 0xAB },
  { "not", 0xAC }, { "shy", 0xAD }, { "reg", 0xAE }, { "macr", 0xAF },
  { "deg", 0xB0 }, { "plusmn", 0xB1 }, { "sup2", 0xB2 }, { "sup3", 0xB3 },
  { "acute", 0xB4 }, { "micro", 0xB5 }, { "para", 0xB6 }, { "middot", 0xB7 },
  { "cedil", 0xB8 }, { "sup1", 0xB9 }, { "ordm", 0xBA }, { "raquo", 0xBB },
  { "frac14", 0xBC }, { "frac12", 0xBD }, { "frac34", 0xBE }, { "iquest", 0xBF },
  { "Agrave", 0xC0 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Atilde", 0xC3 },
  { "Auml", 0xC4 }, { "Aring", 0xC5 }, { "AElig", 0xC6 }, { "Ccedil", 0xC7 },
  { "Egrave", 0xC8 }, { "Eacute", 0xC9 }, { "Ecirc", 0xCA }, { "Euml", 0xCB },
  { "Igrave", 0xCC }, { "Iacute", 0xCD }, { "Icirc", 0xCE }, { "Iuml", 0xCF },
  { "ETH", 0xD0 }, { "Ntilde", 0xD1 }, { "Ograve", 0xD2 }, { "Oacute", 0xD3 },
  { "Ocirc", 0xD4 }, { "Otilde", 0xD5 }, { "Ouml", 0xD6 }, { "times", 0xD7 },
  { "Oslash", 0xD8 }, { "Ugrave", 0xD9 }, { "Uacute", 0xDA }, { "Ucirc", 0xDB },
  { "Uuml", 0xDC }, { "Yacute", 0xDD }, { "THORN", 0xDE }, { "szlig", 0xDF },
  { "agrave", 0xE0 }, { "aacute", 0xE1 }, { "acirc", 0xE2 }, { "atilde", 0xE3 },
  { "auml", 0xE4 }, { "aring", 0xE5 }, { "aelig", 0xE6 }, { "ccedil", 0xE7 },
  { "egrave", 0xE8 }, { "eacute", 0xE9 }, { "ecirc", 0xEA }, { "euml", 0xEB },
  { "igrave", 0xEC }, { "iacute", 0xED }, { "icirc", 0xEE }, { "iuml", 0xEF },
  { "eth", 0xF0 }, { "ntilde", 0xF1 }, { "ograve", 0xF2 }, { "oacute", 0xF3 },
  { "ocirc", 0xF4 }, { "otilde", 0xF5 }, { "ouml", 0xF6 }, { "divide", 0xF7 },
  { "oslash", 0xF8 }, { "ugrave", 0xF9 }, { "uacute", 0xFA }, { "ucirc", 0xFB },
  { "uuml", 0xFC }, { "yacute", 0xFD }, { "thorn", 0xFE }, { "yuml", 0xFF },
  { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
  { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "hellip", 0x2026 }, { "euro", 0x20AC },
};

char *
_cm_import_decode_entities (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; )
    {
      const char *semi;
      gunichar c = 0;

      if (*p != '&' || (semi = strchr (p, ';')) == NULL || semi - p > 10 || semi - p < 2)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (p[1] == '#')
        {
          char *endp = NULL;
          guint64 v = (p[2] == 'x' || p[2] == 'X')
            ? g_ascii_strtoull (p + 3, &endp, 16)
            : g_ascii_strtoull (p + 2, &endp, 10);

          if (endp == semi && v > 0 && v <= 0x10FFFF && g_unichar_validate ((gunichar) v)
              && (v >= 0x20 || v == '\t' || v == '\n'))
            c = (gunichar) v;
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (html_entities); i++)
            if (strlen (html_entities[i].name) == (gsize) (semi - p - 1)
                && strncmp (p + 1, html_entities[i].name, semi - p - 1) == 0)
              {
                c = html_entities[i].c;
                break;
              }
        }
      if (c == 0)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      g_string_append_unichar (out, c);
      p = semi + 1;
    }
  return g_string_free (out, FALSE);
}

/* Tags that mark words up without separating them: "<b>NA</b>TO" is one
 * word; any other tag (<p>, <br/>, <td>, <div>…) separates. */
static const char *const inline_tags[] = {
  "a", "abbr", "b", "big", "code", "em", "font", "i", "mark", "o", "s", "small", "span",
  "strike", "strong", "sub", "sup", "tt", "u",
};

/* The tag name at @p (just after '<' and an optional '/'), its length. */
static gsize
tag_name_length (const char *p)
{
  gsize n = 0;

  while (g_ascii_isalnum (p[n]))
    n++;
  return n;
}

static gboolean
tag_is (const char        *name,
        gsize              length,
        const char *const *tags,
        guint              n_tags)
{
  for (guint i = 0; i < n_tags; i++)
    if (strlen (tags[i]) == length && g_ascii_strncasecmp (name, tags[i], length) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_cm_import_looks_like_html (const char *text)
{
  static const char *const block_tags[] = {
    "html", "body", "p", "br", "div", "table", "tr", "td", "th", "ul", "ol", "li", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "blockquote",
  };

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (g_ascii_strncasecmp (text, "<html", 5) == 0)
    return TRUE;
  /* a known tag, opened or closed, with its '>' */
  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      const char *name = p + 1 + (p[1] == '/');
      gsize n = tag_name_length (name);
      char after = name[n];

      if (n > 0 && (after == '>' || after == ' ' || after == '/')
          && strchr (name + n, '>') != NULL
          && (tag_is (name, n, block_tags, G_N_ELEMENTS (block_tags))
              || tag_is (name, n, inline_tags, G_N_ELEMENTS (inline_tags))))
        return TRUE;
    }
  return FALSE;
}

char *
_cm_import_html_to_text (const char *html)
{
  GString *out = g_string_new (NULL);
  g_autofree char *decoded = NULL;

  for (const char *p = html; *p != '\0'; )
    {
      const char *close;

      if (*p != '<')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (g_str_has_prefix (p, "<!--"))
        {
          close = strstr (p + 4, "-->");
          p = close != NULL ? close + 3 : p + strlen (p);
          continue;
        }
      close = strchr (p, '>');
      if (close == NULL)
        break;
      {
        const char *name = p + 1 + (p[1] == '/');
        gsize n = tag_name_length (name);

        /* what a <head>, <style> or <script> holds is not text */
        if (p[1] != '/' && n > 0 && (tag_is (name, n, (const char *const[]) { "head", "style", "script" }, 3)))
          {
            g_autofree char *end_tag = g_strdup_printf ("</%.*s", (int) n, name);
            const char *q = close + 1;

            while (*q != '\0' && g_ascii_strncasecmp (q, end_tag, strlen (end_tag)) != 0)
              q++;
            close = *q != '\0' ? strchr (q, '>') : NULL;
            if (close == NULL)
              break;
          }
        else if (n == 0 || !tag_is (name, n, inline_tags, G_N_ELEMENTS (inline_tags)))
          g_string_append_c (out, ' ');
      }
      p = close + 1;
    }

  decoded = _cm_import_decode_entities (out->str);
  g_string_free (out, TRUE);
  return _cm_import_collapse_space (decoded, FALSE);
}

char *
_cm_import_collapse_space (const char *text,
                           gboolean    keep_newlines)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean space = FALSE, newline = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && keep_newlines)
        {
          newline = TRUE;
          continue;
        }
      if (g_unichar_isspace (c) || c == 0xA0 || c == '\n')
        {
          space = TRUE;
          continue;
        }
      if (out->len > 0 && newline)
        g_string_append_c (out, '\n');
      else if (out->len > 0 && space)
        g_string_append_c (out, ' ');
      space = newline = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* ---- Finishing ------------------------------------------------------------- */

static void
set_error_from_problems (CmImport        *imp,
                         CmDatasetError   code,
                         GError         **error)
{
  g_autofree char *first = NULL;

  if (imp->problems->len == 0)
    {
      g_set_error_literal (error, CM_DATASET_ERROR, code, _("The file could not be read."));
      return;
    }

  first = cm_problem_to_string (g_ptr_array_index (imp->problems, 0));
  if (imp->n_problems_total == 1)
    g_set_error_literal (error, CM_DATASET_ERROR, code, first);
  else
    g_set_error (error, CM_DATASET_ERROR, code,
                 g_dngettext (GETTEXT_PACKAGE, "%u problem in the file; the first: %s",
                              "%u problems in the file; the first: %s", imp->n_problems_total),
                 imp->n_problems_total, first);
}

void
_cm_import_fail (CmImport        *imp,
                 GError         **error,
                 CmDatasetError   code,
                 const char      *path,
                 guint            line,
                 guint            column,
                 const char      *message)
{
  /* The fatal problem goes first: it is the one the user must fix. */
  g_ptr_array_insert (imp->problems, 0, _cm_problem_new_take (path, line, column,
                                                              make_valid_take (g_strdup (message))));
  imp->n_problems_total++;
  set_error_from_problems (imp, code, error);
}

/* The length our own layout gives a link: cm_layout_set_ideal_edge_length()'s
 * default, 100 diagram units (DEFAULT_LENGTH in src/layout/cm-layout.c is
 * not public, so the value is repeated here), and the closest it puts two
 * actors, 0.3 of that (cm-layout.h). */
#define MAP_LINK_LENGTH 100.0
#define MAP_MIN_SPACING (0.3 * MAP_LINK_LENGTH)
/* Nearest neighbours are looked for from at most this many actors, each
 * looking at no more than MAX_NEIGHBOUR_VISITS others: a bound on the work
 * for half a million actors piled on one spot. */
#define MAX_SPACING_SAMPLES   10000
#define MAX_SCALED_EXTENT     1e9
#define MAX_NEIGHBOUR_VISITS  4096

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median_of (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_doubles);
  return n % 2 == 1 ? g_array_index (values, double, n / 2)
                    : (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

/* The median distance from an actor to its nearest neighbour, over the
 * placed actors (@xy: 2 × @n coordinates), through a grid of about one
 * actor per cell; 0 when it cannot be told (fewer than two places, all on
 * one spot, or coordinates too large to subtract). */
static double
median_spacing (const double *xy,
                guint         n)
{
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double cell, result;
  guint side, gx, gy, step;
  g_autofree guint *start = NULL, *order = NULL, *cell_of = NULL;
  g_autoptr(GArray) nearest = NULL;

  if (n < 2)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      min_x = MIN (min_x, xy[2 * i]);
      max_x = MAX (max_x, xy[2 * i]);
      min_y = MIN (min_y, xy[2 * i + 1]);
      max_y = MAX (max_y, xy[2 * i + 1]);
    }
  if (!isfinite (max_x - min_x) || !isfinite (max_y - min_y) || (max_x == min_x && max_y == min_y))
    return 0;

  side = (guint) ceil (sqrt ((double) n));
  cell = MAX (max_x - min_x, max_y - min_y) / side;
  gx = (guint) MIN ((max_x - min_x) / cell, side - 1) + 1;
  gy = (guint) MIN ((max_y - min_y) / cell, side - 1) + 1;

  /* counting sort of the actors by cell */
  start = g_new0 (guint, (gsize) gx * gy + 1);
  order = g_new (guint, n);
  cell_of = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      guint cx = (guint) MIN ((xy[2 * i] - min_x) / cell, gx - 1);
      guint cy = (guint) MIN ((xy[2 * i + 1] - min_y) / cell, gy - 1);

      cell_of[i] = cy * gx + cx;
      start[cell_of[i] + 1]++;
    }
  for (guint c = 0; c < gx * gy; c++)
    start[c + 1] += start[c];
  {
    g_autofree guint *fill = g_memdup2 (start, sizeof (guint) * gx * gy);

    for (guint i = 0; i < n; i++)
      order[fill[cell_of[i]]++] = i;
  }

  nearest = g_array_new (FALSE, FALSE, sizeof (double));
  step = n > MAX_SPACING_SAMPLES ? n / MAX_SPACING_SAMPLES : 1;
  for (guint i = 0; i < n; i += step)
    {
      int cx = (int) (cell_of[i] % gx), cy = (int) (cell_of[i] / gx);
      double best = G_MAXDOUBLE;
      guint visits = 0;
      int r;

      /* rings of cells around the actor's own, their borders only: a
       * point beyond ring r is at least r cells away.  Each cell and each
       * actor looked at counts as a visit. */
      for (r = 0; r <= (int) MAX (gx, gy) && visits < MAX_NEIGHBOUR_VISITS; r++)
        {
          for (int y = cy - r; y <= cy + r && visits < MAX_NEIGHBOUR_VISITS; y++)
            {
              /* the top and bottom rows whole, the others at both ends */
              int x_step = (y == cy - r || y == cy + r || r == 0) ? 1 : 2 * r;

              if (y < 0 || y >= (int) gy)
                continue;
              for (int x = cx - r; x <= cx + r && visits < MAX_NEIGHBOUR_VISITS; x += x_step)
                {
                  if (x < 0 || x >= (int) gx)
                    continue;
                  visits++;
                  for (guint k = start[y * gx + x];
                       k < start[y * gx + x + 1] && visits < MAX_NEIGHBOUR_VISITS; k++)
                    {
                      guint j = order[k];

                      if (j == i)
                        continue;
                      double dx = xy[2 * j] - xy[2 * i], dy = xy[2 * j + 1] - xy[2 * i + 1];

                      /* squared: far (overflowing) pairs only lose */
                      best = MIN (best, dx * dx + dy * dy);
                      visits++;
                    }
                }
            }
          if (best <= (r * cell) * (r * cell))
            break;
        }
      /* nothing found before giving up: at least that far */
      best = best < G_MAXDOUBLE ? sqrt (best) : MAX (r - 1, 0) * cell;
      g_array_append_val (nearest, best);
    }
  result = nearest->len > 0 ? median_of (nearest) : 0;
  return isfinite (result) ? result : 0;
}

/* Positions a file brings are in its own units: yEd's diagrams and
 * Gephi's layouts have links hundreds of units long, geographic files
 * thousands, and Gephi's power grid sample is a random scatter of 4 941
 * actors 7 units apart.  All positions are scaled by one factor (shape and
 * aspect kept) so that the median link between two placed actors is as
 * long as the links our layout draws, and further, when actors would then
 * stand closer than our layout ever puts them (the median distance to the
 * nearest neighbour below MAP_MIN_SPACING: a random or very dense
 * drawing), until they do not.  The note says by how much.  A file
 * already at that scale (our own exports) is left exactly as it is. */
static void
scale_positions (CmImport *imp)
{
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  double factor = 0, spacing;
  gboolean spread = FALSE;

  /* A group (yEd's group node) is drawn around its members, its centre
   * among theirs: not a neighbour to keep apart from. */
  for (guint i = 0; i < imp->actors->len; i++)
    {
      const char *group = cm_actor_get_group (g_ptr_array_index (imp->actors, i));

      if (group != NULL)
        g_hash_table_add (groups, (gpointer) group);
    }
  for (guint i = 0; i < imp->actors->len; i++)
    {
      CmActor *actor = g_ptr_array_index (imp->actors, i);

      if (cm_actor_has_position (actor) && !g_hash_table_contains (groups, cm_actor_get_id (actor)))
        {
          double p[2] = { cm_actor_get_x (actor), cm_actor_get_y (actor) };

          g_array_append_vals (xy, p, 2);
        }
    }
  for (guint i = 0; i < imp->links->len; i++)
    {
      CmLink *link = g_ptr_array_index (imp->links, i);
      CmActor *a = _cm_import_lookup_actor (imp, cm_link_get_source (link));
      CmActor *b = _cm_import_lookup_actor (imp, cm_link_get_target (link));
      double length;

      if (a == NULL || b == NULL || !cm_actor_has_position (a) || !cm_actor_has_position (b))
        continue;
      length = hypot (cm_actor_get_x (a) - cm_actor_get_x (b), cm_actor_get_y (a) - cm_actor_get_y (b));
      if (length > 0 && isfinite (length))
        g_array_append_val (lengths, length);
    }
  if (lengths->len > 0)
    factor = MAP_LINK_LENGTH / median_of (lengths);

  spacing = median_spacing ((const double *) (gpointer) xy->data, xy->len / 2);
  if (spacing > 0)
    {
      if (factor == 0)
        factor = 1;
      if (MAP_MIN_SPACING / spacing > factor)
        {
          factor = MAP_MIN_SPACING / spacing;
          spread = TRUE;
        }
    }
  {
    /* A pile of actors on one spot and a few far away would be spread
     * wider than the map can be drawn (src/render refuses 1e12): keep the
     * map within MAX_SCALED_EXTENT. */
    double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

    for (guint i = 0; i < imp->actors->len; i++)
      {
        CmActor *actor = g_ptr_array_index (imp->actors, i);

        if (!cm_actor_has_position (actor))
          continue;
        min_x = MIN (min_x, cm_actor_get_x (actor));
        max_x = MAX (max_x, cm_actor_get_x (actor));
        min_y = MIN (min_y, cm_actor_get_y (actor));
        max_y = MAX (max_y, cm_actor_get_y (actor));
      }
    if (max_x >= min_x && MAX (max_x - min_x, max_y - min_y) * factor > MAX_SCALED_EXTENT)
      factor = MAX_SCALED_EXTENT / MAX (max_x - min_x, max_y - min_y);
  }
  if (!isfinite (factor) || factor <= 0 || fabs (factor - 1) < 1e-9)
    return;

  /* A factor that would take a coordinate out of the doubles (a file of
   * links 1e-300 long) leaves the positions as they are. */
  for (guint i = 0; i < imp->actors->len; i++)
    {
      CmActor *actor = g_ptr_array_index (imp->actors, i);

      if (cm_actor_has_position (actor)
          && (!isfinite (cm_actor_get_x (actor) * factor) || !isfinite (cm_actor_get_y (actor) * factor)))
        return;
    }
  for (guint i = 0; i < imp->actors->len; i++)
    {
      CmActor *actor = g_ptr_array_index (imp->actors, i);

      if (cm_actor_has_position (actor))
        cm_actor_set_position (actor, cm_actor_get_x (actor) * factor, cm_actor_get_y (actor) * factor);
    }

  {
    char text[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (text, sizeof text, factor >= 0.01 && factor < 1000 ? "%.3g" : "%.2e", factor);
    if (spread)
      /* TRANSLATORS: %s is a factor such as "14.3" or "0.0213" */
      _cm_import_note (imp, _("Positions were scaled by ×%s so that actors stand no closer than the map's own layout puts them"), text);
    else
      /* TRANSLATORS: %s is a factor such as "14.3" or "0.0213" */
      _cm_import_note (imp, _("Positions were scaled by ×%s to the map's link length"), text);
  }
}

static void
resolve_groups (CmImport *imp)
{
  guint n_missing = 0, n_cycles = 0;
  g_autoptr(GHashTable) state = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  char *example = NULL;

  for (guint i = 0; i < imp->actors->len; i++)
    {
      CmActor *actor = g_ptr_array_index (imp->actors, i);
      const char *group = cm_actor_get_group (actor);

      if (group == NULL)
        continue;
      if (strcmp (group, cm_actor_get_id (actor)) == 0
          || _cm_import_lookup_actor (imp, group) == NULL)
        {
          /* A group that names no actor is usually a category ("1", "c"):
           * keep the word, lose only the link to an actor. */
          if (example == NULL)
            example = g_strdup (group);
          _cm_import_keep_string (actor, "group_name", group);
          cm_actor_set_group (actor, NULL);
          n_missing++;
        }
    }

  /* Cycles: walk each chain once; 1 = on the current path, 2 = done. */
  for (guint i = 0; i < imp->actors->len; i++)
    {
      CmActor *actor = g_ptr_array_index (imp->actors, i);

      g_ptr_array_set_size (path, 0);
      while (actor != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (state, actor)) == 0)
        {
          CmActor *next;

          g_hash_table_insert (state, actor, GUINT_TO_POINTER (1));
          g_ptr_array_add (path, actor);
          next = _cm_import_lookup_actor (imp, cm_actor_get_group (actor));
          if (next != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (state, next)) == 1)
            {
              cm_actor_set_group (actor, NULL);
              n_cycles++;
              next = NULL;
            }
          actor = next;
        }
      for (guint j = 0; j < path->len; j++)
        g_hash_table_insert (state, g_ptr_array_index (path, j), GUINT_TO_POINTER (2));
    }

  if (n_missing > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u actor names a group that is no actor (such as “%s”): kept as the attribute “group_name”",
                                  "%u actors name a group that is no actor (such as “%s”): kept as the attribute “group_name”",
                                  n_missing),
                     n_missing, example);
  if (n_cycles > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u group loop was broken (an actor cannot belong to itself)",
                                  "%u group loops were broken (an actor cannot belong to itself)",
                                  n_cycles),
                     n_cycles);
  g_free (example);
}

CmDataset *
_cm_import_finish (CmImport  *imp,
                   GError   **error)
{
  g_autoptr(CmDataset) dataset = NULL;
  guint n_links;

  if (imp->limit_reached)
    {
      g_autofree char *message =
        g_strdup_printf (_("The file has more than %u actors or %u links, the most Channel Map opens"),
                         CM_DATASET_MAX_ACTORS, CM_DATASET_MAX_LINKS);

      _cm_import_fail (imp, error, CM_DATASET_ERROR_LIMIT, NULL, 0, 0, message);
      return NULL;
    }
  if (imp->n_problems_total > 0)
    {
      if (imp->n_problems_total > imp->problems->len)
        g_ptr_array_add (imp->problems,
                         _cm_problem_new_more (NULL, imp->n_problems_total - imp->problems->len,
                                               g_strdup_printf (_("… and %u more problems"),
                                                                imp->n_problems_total - imp->problems->len)));
      set_error_from_problems (imp, CM_DATASET_ERROR_INVALID, error);
      return NULL;
    }

  resolve_groups (imp);
  scale_positions (imp);

  /* FORMAT.md refuses a channel that ends before it starts, and so would
   * the saved dataset (found by the GEXF fuzz target: spells widened into
   * an inverted period).  Partial dates compare on the digits both give,
   * as the loader does; the end, the doubtful half, is dropped. */
  {
    guint n_inverted = 0;

    for (guint i = 0; i < imp->links->len; i++)
      {
        CmLink *link = g_ptr_array_index (imp->links, i);
        const char *from = cm_link_get_from (link);
        const char *to = cm_link_get_to (link);

        if (from != NULL && to != NULL && strncmp (to, from, MIN (strlen (from), strlen (to))) < 0)
          {
            cm_link_set_to (link, NULL);
            n_inverted++;
          }
      }
    if (n_inverted > 0)
      _cm_import_note (imp,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "%u link ended before it started: its end date was left out",
                                    "%u links ended before they started: their end dates were left out",
                                    n_inverted),
                       n_inverted);
  }

  n_links = imp->links->len;
  if (imp->n_self_loops > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u link from an actor to itself was left out (a channel joins two different actors)",
                                  "%u links from an actor to itself were left out (a channel joins two different actors)",
                                  imp->n_self_loops),
                     imp->n_self_loops);
  if (imp->n_implicit_actors > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u actor is named only by links; it was added with its id as its name",
                                  "%u actors are named only by links; they were added with their ids as names",
                                  imp->n_implicit_actors),
                     imp->n_implicit_actors);
  if (imp->n_unknown_channels > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u link has a channel that is not direct, indirect or absent (“%s”): it is direct",
                                  "%u links have a channel that is not direct, indirect or absent (such as “%s”): they are direct",
                                  imp->n_unknown_channels),
                     imp->n_unknown_channels, imp->unknown_channel_example);
  if (!imp->channel_note_done && n_links > 0)
    {
      if (imp->n_links_channel_given == 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "No channel kind in the file: the link is direct",
                                      "No channel kind in the file: all %u links are direct",
                                      n_links),
                         n_links);
      else if (imp->n_links_channel_default > 0)
        _cm_import_note (imp,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%u link of %u has no channel kind in the file: it is direct",
                                      "%u links of %u have no channel kind in the file: they are direct",
                                      imp->n_links_channel_default),
                         imp->n_links_channel_default, n_links);
    }
  if (imp->n_duplicate_link_ids > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u link had an id already taken; it was given a new one",
                                  "%u links had ids already taken; they were given new ones",
                                  imp->n_duplicate_link_ids),
                     imp->n_duplicate_link_ids);
  if (imp->actors->len == 0)
    _cm_import_note (imp, "%s", _("The file holds no actors: the map is empty"));

  dataset = cm_dataset_new ();
  if (imp->title != NULL && *imp->title != '\0')
    cm_dataset_set_title (dataset, imp->title);
  if (imp->description != NULL && *imp->description != '\0')
    cm_dataset_set_description (dataset, imp->description);

  for (guint i = 0; i < imp->sources->len; i++)
    cm_dataset_add_source (dataset, g_ptr_array_index (imp->sources, i));

  if (!cm_dataset_add_actors (dataset, (CmActor **) imp->actors->pdata, imp->actors->len)
      || !cm_dataset_add_links (dataset, (CmLink **) imp->links->pdata, imp->links->len))
    {
      /* The builder keeps ids unique; this would be a bug here. */
      g_critical ("imported ids are not unique");
      _cm_import_fail (imp, error, CM_DATASET_ERROR_INVALID, NULL, 0, 0,
                       _("The file could not be turned into a map (duplicate ids)"));
      return NULL;
    }

  return g_steal_pointer (&dataset);
}

/* ---- XML over GMarkup -------------------------------------------------------- */

const char *
_cm_xml_local_name (const char *qualified)
{
  const char *colon = strrchr (qualified, ':');

  /* Real files put viz elements under wrong namespace URIs, so elements
   * are matched by local name, never by namespace. */
  return colon != NULL ? colon + 1 : qualified;
}

const char *
_cm_xml_attr (const char **names,
              const char **values,
              const char  *local_name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (_cm_xml_local_name (names[i]), local_name) == 0)
      return values[i];
  return NULL;
}

static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

static char *
declared_encoding (const char *data,
                   gsize       length)
{
  gsize n = MIN (length, 256);
  g_autofree char *head = g_strndup (data, n);
  const char *end, *enc;
  char quote;

  if (!g_str_has_prefix (head, "<?xml"))
    return NULL;
  end = strstr (head, "?>");
  if (end == NULL)
    return NULL;
  enc = strstr (head, "encoding");
  if (enc == NULL || enc > end)
    return NULL;
  enc += strlen ("encoding");
  while (*enc == ' ' || *enc == '=')
    enc++;
  quote = *enc;
  if (quote != '"' && quote != '\'')
    return NULL;
  enc++;
  end = strchr (enc, quote);
  if (end == NULL)
    return NULL;
  return g_strndup (enc, end - enc);
}

const char *
_cm_xml_prepare (CmImport    *imp,
                 const char  *data,
                 gsize       *length,
                 char       **converted,
                 GError     **error)
{
  g_autofree char *encoding = NULL;
  const char *end;
  gsize len = *length;

  *converted = NULL;

  /* UTF-16 with a BOM: convert, then carry on as UTF-8.  The converted
   * length goes to its own variable: g_convert() sets it also when it
   * fails, half way, and the text is then read as it is. */
  {
    gsize converted_len = 0;

    if (len >= 2 && ((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE))
      *converted = g_convert (data + 2, len - 2, "UTF-8", "UTF-16LE", NULL, &converted_len, NULL);
    else if (len >= 2 && ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF))
      *converted = g_convert (data + 2, len - 2, "UTF-8", "UTF-16BE", NULL, &converted_len, NULL);
    if (*converted != NULL)
      {
        data = *converted;
        len = converted_len;
      }
    else
      data = _cm_import_skip_bom (data, &len);
  }

  if (len == 0 || strspn (data, " \t\r\n") >= len)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }

  encoding = declared_encoding (data, len);
  if (*converted == NULL && encoding != NULL
      && g_ascii_strcasecmp (encoding, "UTF-8") != 0 && g_ascii_strcasecmp (encoding, "UTF8") != 0
      && g_ascii_strcasecmp (encoding, "US-ASCII") != 0 && g_ascii_strcasecmp (encoding, "ASCII") != 0)
    {
      g_autoptr(GError) local_error = NULL;
      gsize out_len = 0;

      *converted = g_convert (data, len, "UTF-8", encoding, NULL, &out_len, &local_error);
      if (*converted == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The file declares the encoding “%s”, which cannot be read: %s"),
                             encoding, local_error->message);

          _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, message);
          return NULL;
        }
      data = *converted;
      len = out_len;
    }

  if (!g_utf8_validate_len (data, len, &end))
    {
      guint line = line_of_offset (data, end - data);
      g_autofree char *path = g_strdup_printf (_("line %u"), line);
      const char *message = (*end == '\0')
        ? _("The file holds a NUL byte: it is binary, not XML")
        : _("The file is not valid UTF-8, and its XML declaration names no other encoding");

      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, path, line, 0, message);
      return NULL;
    }

  *length = len;
  return data;
}

static const char *
strip_markup_error_prefix (const char *message)
{
  const char *colon = strstr (message, ": ");

  /* GMarkup says "Error on line 5 char 3: …"; the position is ours to
   * give, in the form the rest of the app uses. */
  if (colon != NULL && colon - message < 48)
    {
      for (const char *p = message; p < colon; p++)
        if (g_ascii_isdigit (*p))
          return colon + 2;
    }
  return message;
}

gboolean
_cm_xml_parse (CmImport            *imp,
               const GMarkupParser *parser,
               gpointer             user_data,
               const char          *data,
               gsize                length,
               GError             **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  const gsize chunk = 1024 * 1024;
  gsize offset = 0;
  gboolean ok = TRUE;

  context = g_markup_parse_context_new (parser, G_MARKUP_TREAT_CDATA_AS_TEXT, user_data, NULL);

  /* In chunks, so a large file can be cancelled. */
  while (ok && offset < length)
    {
      gsize n = MIN (chunk, length - offset);

      if (_cm_import_cancelled (imp, error))
        return FALSE;
      ok = g_markup_parse_context_parse (context, data + offset, n, &local_error);
      offset += n;
    }
  if (ok)
    ok = g_markup_parse_context_end_parse (context, &local_error);

  if (ok)
    return TRUE;

  if (local_error->domain == G_MARKUP_ERROR)
    {
      int line = 0, column = 0;
      g_autofree char *path = NULL;

      g_markup_parse_context_get_position (context, &line, &column);
      path = g_strdup_printf (_("line %d"), line);
      /* Not XML: what was found before the break says little. */
      g_ptr_array_set_size (imp->problems, 0);
      imp->n_problems_total = 0;
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, path, line, column,
                       strip_markup_error_prefix (local_error->message));
      return FALSE;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
