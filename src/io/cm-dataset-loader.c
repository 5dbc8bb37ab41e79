/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-dataset-io-private.h"

/*
 * Reading a dataset: bytes → cm_json_parse() → checks of every rule in
 * FORMAT.md → the model.
 *
 * The checks run over the whole DOM before any model object is built, and
 * collect every problem rather than stopping at the first: a user fixing a
 * file by hand wants the full list.  Each check is O(1) per value (ids are
 * looked up in hash tables keyed with the seeded cm_str_hash(), the group
 * cycle check visits every actor once), so a file with hundreds of
 * thousands of actors is checked in linear time.
 */

/* A value named in a message is shortened to this many characters. */
#define MAX_SHOWN_CHARS 60
/* A group cycle names at most this many actors. */
#define MAX_CYCLE_SHOWN 8

#define NO_ACTOR G_MAXUINT

/* ---- Paths ------------------------------------------------------------- */

/* A JSON path, built on the stack while walking the DOM and turned into
 * text ("$.links[3].target") only when a problem is reported: most values
 * have none, and a million allocated strings would cost more than the
 * checks themselves.  A NULL Path is the root, "$". */
typedef struct _Path Path;
struct _Path
{
  const Path *parent;
  const char *key;     /* a member name, or NULL for an array element */
  guint       index;
};

#define PATH_KEY(p, k)   (&(const Path) { (p), (k), 0 })
#define PATH_INDEX(p, i) (&(const Path) { (p), NULL, (i) })

/* Appends @s (valid UTF-8, as the parser guarantees) escaped as inside a
 * JSON string, and shortened to MAX_SHOWN_CHARS characters with an
 * ellipsis. */
static void
append_shown (GString    *out,
              const char *s)
{
  const char *p = s;
  guint n_chars = 0;
  gboolean shorten;

  while (*p != '\0' && n_chars <= MAX_SHOWN_CHARS)
    {
      p = g_utf8_next_char (p);
      n_chars++;
    }
  shorten = n_chars > MAX_SHOWN_CHARS;

  n_chars = 0;
  for (p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (shorten && n_chars == MAX_SHOWN_CHARS - 1)
        {
          g_string_append (out, "…");
          break;
        }
      n_chars++;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (cm_problem_char_needs_escape (c))
            g_string_append_printf (out, "\\u%04X", c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

/* "\"text\"", shortened and escaped for a message. */
static char *
quote_string (const char *s)
{
  GString *out = g_string_new ("\"");

  append_shown (out, s);
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static gboolean
is_identifier (const char *key)
{
  if (!g_ascii_isalpha (*key) && *key != '_' && *key != '$')
    return FALSE;
  for (const char *p = key + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '$')
      return FALSE;
  return TRUE;
}

static void
append_path (GString    *out,
             const Path *path)
{
  if (path == NULL)
    {
      g_string_append_c (out, '$');
      return;
    }

  append_path (out, path->parent);
  if (path->key == NULL)
    g_string_append_printf (out, "[%u]", path->index);
  else if (is_identifier (path->key))
    g_string_append_printf (out, ".%s", path->key);
  else
    {
      g_string_append (out, "[\"");
      append_shown (out, path->key);
      g_string_append (out, "\"]");
    }
}

static char *
path_to_string (const Path *path)
{
  GString *out = g_string_new (NULL);

  append_path (out, path);
  return g_string_free (out, FALSE);
}

/* ---- Problems ---------------------------------------------------------- */

typedef struct
{
  CmProblem *problem;
  guint      seq;
} Pending;

typedef struct
{
  GArray     *pending;   /* of Pending */
  guint       n_total;   /* found, kept or not; saturates */
  GHashTable *source_ids;   /* id → index + 1; keys borrowed from the DOM */
  GHashTable *actor_ids;
  GHashTable *link_ids;
  guint      *group_parent; /* actor index → index of its group, or NO_ACTOR */
  guint       n_actors;
  /* FALSE when "actors" / "sources" is missing or not an array: every
   * reference would then be reported as dangling, burying the one problem
   * that matters under a hundred that follow from it. */
  gboolean    have_actors;
  gboolean    have_sources;
} Loader;

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *pa = a, *pb = b;

  if (pa->problem->line != pb->problem->line)
    return pa->problem->line < pb->problem->line ? -1 : 1;
  if (pa->problem->column != pb->problem->column)
    return pa->problem->column < pb->problem->column ? -1 : 1;
  return pa->seq < pb->seq ? -1 : (pa->seq > pb->seq);
}

/* Problems are found in passes (ids first, then references), so they are
 * sorted by position to come out in file order.  Only the first
 * CM_DATASET_MAX_PROBLEMS are kept: the array is trimmed whenever it holds
 * twice that many, which keeps a file with a million broken links from
 * taking a million strings' worth of memory. */
static void
trim_problems (Loader *self)
{
  g_array_sort (self->pending, compare_pending);
  for (guint i = CM_DATASET_MAX_PROBLEMS; i < self->pending->len; i++)
    cm_problem_free (g_array_index (self->pending, Pending, i).problem);
  if (self->pending->len > CM_DATASET_MAX_PROBLEMS)
    g_array_set_size (self->pending, CM_DATASET_MAX_PROBLEMS);
}

static void add_problem (Loader            *self,
                         const Path        *path,
                         const CmJsonValue *where,
                         const char        *format,
                         ...) G_GNUC_PRINTF (4, 5);

static void
add_problem (Loader            *self,
             const Path        *path,
             const CmJsonValue *where,
             const char        *format,
             ...)
{
  Pending pending;
  guint line = where != NULL ? cm_json_value_get_line (where) : 0;
  guint column = where != NULL ? cm_json_value_get_column (where) : 0;
  va_list args;

  if (self->n_total < G_MAXUINT)
    self->n_total++;

  if (self->pending->len >= 2 * CM_DATASET_MAX_PROBLEMS)
    trim_problems (self);

  /* Once the array is full, a problem after the last one kept cannot make
   * it into the report: skip formatting it. */
  if (self->pending->len >= CM_DATASET_MAX_PROBLEMS)
    {
      const CmProblem *last = g_array_index (self->pending, Pending,
                                             CM_DATASET_MAX_PROBLEMS - 1).problem;

      if (line > last->line || (line == last->line && column >= last->column))
        return;
    }

  va_start (args, format);
  pending.problem = _cm_problem_new_take (NULL, line, column, g_strdup_vprintf (format, args));
  va_end (args);
  pending.problem->path = path_to_string (path);
  pending.seq = self->n_total;
  g_array_append_val (self->pending, pending);
}

static const char *
describe_value (const CmJsonValue *value)
{
  switch (cm_json_value_get_value_type (value))
    {
    case CM_JSON_NULL:
      return "null";
    case CM_JSON_BOOLEAN:
      return cm_json_value_get_boolean (value) ? "true" : "false";
    case CM_JSON_NUMBER:
      return _("a number");
    case CM_JSON_STRING:
      return _("a string");
    case CM_JSON_ARRAY:
      return _("an array");
    case CM_JSON_OBJECT:
      return _("an object");
    default:
      g_assert_not_reached ();
    }
}

/* A string value quoted, a number as written, anything else by its type:
 * what a message names after "not". */
static char *
show_value (const CmJsonValue *value)
{
  GString *out;

  switch (cm_json_value_get_value_type (value))
    {
    case CM_JSON_STRING:
      return quote_string (cm_json_value_get_string (value));
    case CM_JSON_NUMBER:
      out = g_string_new (NULL);
      append_shown (out, cm_json_value_get_number_text (value));
      return g_string_free (out, FALSE);
    default:
      return g_strdup (describe_value (value));
    }
}

/* ---- Typed members ----------------------------------------------------- */

static inline gboolean
is_type (const CmJsonValue *value,
         CmJsonType         type)
{
  return cm_json_value_get_value_type (value) == type;
}

/* Checks the type of @object's member @key when it is there; returns the
 * member only when it has the right type. */
static const CmJsonValue *
get_typed (Loader            *self,
           const Path        *path,
           const CmJsonValue *object,
           const char        *key,
           CmJsonType         type)
{
  const CmJsonValue *value = cm_json_object_lookup (object, key);

  if (value == NULL || is_type (value, type))
    return value;

  switch (type)
    {
    case CM_JSON_STRING:
      add_problem (self, PATH_KEY (path, key), value, _("must be a string, not %s"),
                   describe_value (value));
      break;
    case CM_JSON_NUMBER:
      add_problem (self, PATH_KEY (path, key), value, _("must be a number, not %s"),
                   describe_value (value));
      break;
    case CM_JSON_BOOLEAN:
      add_problem (self, PATH_KEY (path, key), value, _("must be true or false"));
      break;
    case CM_JSON_ARRAY:
      add_problem (self, PATH_KEY (path, key), value, _("must be an array, not %s"),
                   describe_value (value));
      break;
    case CM_JSON_OBJECT:
    case CM_JSON_NULL:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static const char *
get_string (Loader            *self,
            const Path        *path,
            const CmJsonValue *object,
            const char        *key)
{
  const CmJsonValue *value = get_typed (self, path, object, key, CM_JSON_STRING);

  return value != NULL ? cm_json_value_get_string (value) : NULL;
}

/* An id: a non-empty string.  @missing explains why it is required, or is
 * NULL for an optional id. */
static const CmJsonValue *
get_id (Loader            *self,
        const Path        *path,
        const CmJsonValue *object,
        const char        *missing)
{
  const CmJsonValue *value;

  if (cm_json_object_lookup (object, "id") == NULL)
    {
      if (missing != NULL)
        add_problem (self, PATH_KEY (path, "id"), object, "%s", missing);
      return NULL;
    }

  value = get_typed (self, path, object, "id", CM_JSON_STRING);
  if (value != NULL && cm_json_value_get_string_length (value) == 0)
    {
      add_problem (self, PATH_KEY (path, "id"), value, _("must not be empty"));
      return NULL;
    }
  return value;
}

/* Registers @id_value in @ids unless it is taken; @array_path is the
 * array ("$.actors") so the message can point at the first use. */
static void
register_id (Loader            *self,
             GHashTable        *ids,
             const Path        *path,
             const Path        *array_path,
             const CmJsonValue *id_value,
             guint              index)
{
  const char *id = cm_json_value_get_string (id_value);
  gpointer first;

  if (g_hash_table_lookup_extended (ids, id, NULL, &first))
    {
      g_autofree char *shown = quote_string (id);
      g_autofree char *first_path =
        path_to_string (PATH_INDEX (array_path, GPOINTER_TO_UINT (first) - 1));

      add_problem (self, PATH_KEY (path, "id"), id_value,
                   _("the id %s is already used by %s"), shown, first_path);
      return;
    }
  g_hash_table_insert (ids, (gpointer) id, GUINT_TO_POINTER (index + 1));
}

static void
check_date (Loader            *self,
            const Path        *path,
            const CmJsonValue *value)
{
  const char *date = cm_json_value_get_string (value);

  if (!cm_date_is_valid (date))
    {
      g_autofree char *shown = quote_string (date);

      add_problem (self, path, value,
                   _("%s is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"), shown);
    }
}

static gboolean
check_actor_ref (Loader            *self,
                 const Path        *path,
                 const CmJsonValue *value)
{
  const char *id = cm_json_value_get_string (value);

  if (self->have_actors && !g_hash_table_contains (self->actor_ids, id))
    {
      g_autofree char *shown = quote_string (id);

      add_problem (self, path, value, _("no actor has the id %s"), shown);
      return FALSE;
    }
  return TRUE;
}

/* ---- Quotes ------------------------------------------------------------ */

static void
check_quote (Loader            *self,
             const Path        *path,
             const CmJsonValue *quote)
{
  const CmJsonValue *source, *date;

  if (!is_type (quote, CM_JSON_OBJECT))
    {
      add_problem (self, path, quote, _("must be an object, not %s"), describe_value (quote));
      return;
    }

  /* Required, but may be empty, as names may: the editor can make such a
   * quote, and a file the app saved must always load again. */
  if (cm_json_object_lookup (quote, "text") == NULL)
    add_problem (self, PATH_KEY (path, "text"), quote,
                 _("is missing (every quote needs its words)"));
  get_typed (self, path, quote, "text", CM_JSON_STRING);

  /* An actor id or a free name: any string. */
  get_string (self, path, quote, "speaker");

  source = get_typed (self, path, quote, "source", CM_JSON_STRING);
  if (source != NULL && self->have_sources &&
      !g_hash_table_contains (self->source_ids, cm_json_value_get_string (source)))
    {
      g_autofree char *shown = quote_string (cm_json_value_get_string (source));

      add_problem (self, PATH_KEY (path, "source"), source, _("no source has the id %s"), shown);
    }

  date = get_typed (self, path, quote, "date", CM_JSON_STRING);
  if (date != NULL)
    check_date (self, PATH_KEY (path, "date"), date);

  /* Any string: only http(s) URLs are ever opened, and that is the UI's
   * check, made when the user asks. */
  get_string (self, path, quote, "url");
}

static void
check_quotes (Loader            *self,
              const Path        *path,
              const CmJsonValue *object)
{
  const CmJsonValue *quotes = get_typed (self, path, object, "quotes", CM_JSON_ARRAY);
  const Path *quotes_path = PATH_KEY (path, "quotes");

  for (guint i = 0; quotes != NULL && i < cm_json_array_get_length (quotes); i++)
    check_quote (self, PATH_INDEX (quotes_path, i), cm_json_array_get (quotes, i));
}

/* ---- Sources ----------------------------------------------------------- */

static void
check_sources (Loader            *self,
               const Path        *array_path,
               const CmJsonValue *sources)
{
  for (guint i = 0; i < cm_json_array_get_length (sources); i++)
    {
      const CmJsonValue *source = cm_json_array_get (sources, i);
      const Path *path = PATH_INDEX (array_path, i);
      const CmJsonValue *id, *date;

      if (!is_type (source, CM_JSON_OBJECT))
        {
          add_problem (self, path, source, _("must be an object, not %s"), describe_value (source));
          continue;
        }

      id = get_id (self, path, source, _("is missing (every source needs an id for quotes to refer to)"));
      if (id != NULL)
        register_id (self, self->source_ids, path, array_path, id, i);

      get_string (self, path, source, "title");
      get_string (self, path, source, "publisher");
      date = get_typed (self, path, source, "date", CM_JSON_STRING);
      if (date != NULL)
        check_date (self, PATH_KEY (path, "date"), date);
      get_string (self, path, source, "url");
      get_string (self, path, source, "text");
    }
}

/* ---- Actors ------------------------------------------------------------ */

static void
register_actors (Loader            *self,
                 const Path        *array_path,
                 const CmJsonValue *actors)
{
  for (guint i = 0; i < cm_json_array_get_length (actors); i++)
    {
      const CmJsonValue *actor = cm_json_array_get (actors, i);
      const Path *path = PATH_INDEX (array_path, i);
      const CmJsonValue *id;

      if (!is_type (actor, CM_JSON_OBJECT))
        {
          add_problem (self, path, actor, _("must be an object, not %s"), describe_value (actor));
          continue;
        }

      id = get_id (self, path, actor, _("is missing (every actor needs an id for links to refer to)"));
      if (id != NULL)
        register_id (self, self->actor_ids, path, array_path, id, i);
    }
}

static void
check_actor (Loader            *self,
             const Path        *path,
             const CmJsonValue *actor,
             guint              index)
{
  const CmJsonValue *group, *id;

  if (cm_json_object_lookup (actor, "name") == NULL)
    add_problem (self, PATH_KEY (path, "name"), actor,
                 _("is missing (every actor needs a name to show)"));
  get_string (self, path, actor, "name");
  /* An unknown kind is no error: it loads as "other" and is kept. */
  get_string (self, path, actor, "kind");
  get_string (self, path, actor, "role");

  group = get_typed (self, path, actor, "group", CM_JSON_STRING);
  id = cm_json_object_lookup (actor, "id");
  if (group != NULL)
    {
      const char *group_id = cm_json_value_get_string (group);

      if (id != NULL && is_type (id, CM_JSON_STRING) &&
          strcmp (cm_json_value_get_string (id), group_id) == 0)
        add_problem (self, PATH_KEY (path, "group"), group, _("an actor cannot belong to itself"));
      else if (check_actor_ref (self, PATH_KEY (path, "group"), group))
        self->group_parent[index] =
          GPOINTER_TO_UINT (g_hash_table_lookup (self->actor_ids, group_id)) - 1;
    }

  /* Finite: the parser refuses numbers that overflow a double. */
  get_typed (self, path, actor, "x", CM_JSON_NUMBER);
  get_typed (self, path, actor, "y", CM_JSON_NUMBER);
  if (cm_json_object_lookup (actor, "x") != NULL && cm_json_object_lookup (actor, "y") == NULL)
    add_problem (self, path, actor, _("has \"x\" but no \"y\" (give both or neither)"));
  else if (cm_json_object_lookup (actor, "y") != NULL && cm_json_object_lookup (actor, "x") == NULL)
    add_problem (self, path, actor, _("has \"y\" but no \"x\" (give both or neither)"));

  get_typed (self, path, actor, "pinned", CM_JSON_BOOLEAN);
  get_string (self, path, actor, "notes");
  check_quotes (self, path, actor);
}

static const char *
actor_id_at (const CmJsonValue *actors,
             guint              index)
{
  return cm_json_value_get_string (cm_json_object_lookup (cm_json_array_get (actors, index), "id"));
}

/* Groups point from an actor to at most one other: a functional graph,
 * where every walk ends at an actor without a group or runs into a cycle.
 * Each actor is walked over once (state: unvisited, on the current walk,
 * done), so this is linear however long the chains.  A cycle is reported
 * once, at its member that comes first in the file, and named from there. */
static void
check_group_cycles (Loader            *self,
                    const Path        *array_path,
                    const CmJsonValue *actors)
{
  g_autofree guint8 *state = g_new0 (guint8, self->n_actors);
  g_autoptr(GArray) walk = g_array_new (FALSE, FALSE, sizeof (guint));
  enum { UNVISITED, ON_WALK, DONE };

  for (guint start = 0; start < self->n_actors; start++)
    {
      guint a = start;

      g_array_set_size (walk, 0);
      while (a != NO_ACTOR && state[a] == UNVISITED)
        {
          state[a] = ON_WALK;
          g_array_append_val (walk, a);
          a = self->group_parent[a];
        }

      if (a != NO_ACTOR && state[a] == ON_WALK)
        {
          guint first = 0, lowest = a, member, n;
          const CmJsonValue *group;
          GString *cycle;

          /* The cycle is the tail of the walk from @a on. */
          while (g_array_index (walk, guint, first) != a)
            first++;
          n = walk->len - first;
          for (guint i = first; i < walk->len; i++)
            lowest = MIN (lowest, g_array_index (walk, guint, i));

          cycle = g_string_new (NULL);
          member = lowest;
          for (guint i = 0; i < MIN (n, MAX_CYCLE_SHOWN); i++)
            {
              append_shown (cycle, actor_id_at (actors, member));
              g_string_append (cycle, " → ");
              member = self->group_parent[member];
            }
          if (n > MAX_CYCLE_SHOWN)
            g_string_append (cycle, "… → ");
          append_shown (cycle, actor_id_at (actors, lowest));

          group = cm_json_object_lookup (cm_json_array_get (actors, lowest), "group");
          add_problem (self, PATH_KEY (PATH_INDEX (array_path, lowest), "group"), group,
                       _("groups form a cycle: %s"), cycle->str);
          g_string_free (cycle, TRUE);
        }

      for (guint i = 0; i < walk->len; i++)
        state[g_array_index (walk, guint, i)] = DONE;
    }
}

/* ---- Links ------------------------------------------------------------- */

static void
register_links (Loader            *self,
                const Path        *array_path,
                const CmJsonValue *links)
{
  for (guint i = 0; i < cm_json_array_get_length (links); i++)
    {
      const CmJsonValue *link = cm_json_array_get (links, i);
      const Path *path = PATH_INDEX (array_path, i);
      const CmJsonValue *id;

      if (!is_type (link, CM_JSON_OBJECT))
        {
          add_problem (self, path, link, _("must be an object, not %s"), describe_value (link));
          continue;
        }

      /* Optional: one is generated when the file has none. */
      id = get_id (self, path, link, NULL);
      if (id != NULL)
        register_id (self, self->link_ids, path, array_path, id, i);
    }
}

static void
check_via (Loader            *self,
           const Path        *path,
           const CmJsonValue *link,
           const char        *source,
           const char        *target,
           gboolean           indirect)
{
  const CmJsonValue *via = get_typed (self, path, link, "via", CM_JSON_ARRAY);
  const Path *via_path = PATH_KEY (path, "via");
  g_autoptr(GHashTable) seen = NULL;
  guint n;

  if (via == NULL)
    return;

  n = cm_json_array_get_length (via);
  if (n > 0 && !indirect)
    add_problem (self, via_path, via, _("only an indirect channel can have intermediaries"));

  seen = cm_str_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      const CmJsonValue *entry = cm_json_array_get (via, i);
      const Path *entry_path = PATH_INDEX (via_path, i);
      const char *id;

      if (!is_type (entry, CM_JSON_STRING))
        {
          add_problem (self, entry_path, entry, _("must be an actor id (a string), not %s"),
                       describe_value (entry));
          continue;
        }

      id = cm_json_value_get_string (entry);
      if (g_strcmp0 (id, source) == 0 || g_strcmp0 (id, target) == 0)
        {
          g_autofree char *shown = quote_string (id);

          add_problem (self, entry_path, entry,
                       _("%s is an end of this link, not an intermediary"), shown);
        }
      else if (!g_hash_table_add (seen, (gpointer) id))
        {
          g_autofree char *shown = quote_string (id);

          add_problem (self, entry_path, entry, _("%s is already listed as an intermediary"), shown);
        }
      else
        check_actor_ref (self, entry_path, entry);
    }
}

static const CmJsonValue *
get_date_or_null (Loader            *self,
                  const Path        *path,
                  const CmJsonValue *link,
                  const char        *key)
{
  const CmJsonValue *value = cm_json_object_lookup (link, key);

  if (value == NULL || is_type (value, CM_JSON_NULL))
    return NULL;
  if (!is_type (value, CM_JSON_STRING))
    {
      add_problem (self, PATH_KEY (path, key), value, _("must be a date (a string) or null, not %s"),
                   describe_value (value));
      return NULL;
    }
  if (!cm_date_is_valid (cm_json_value_get_string (value)))
    {
      check_date (self, PATH_KEY (path, key), value);
      return NULL;
    }
  return value;
}

static void
check_link (Loader            *self,
            const Path        *path,
            const CmJsonValue *link)
{
  static const char missing_end[] = N_("is missing (every link joins a source actor to a target actor)");
  const CmJsonValue *source, *target, *channel, *from, *to;
  const char *source_id = NULL, *target_id = NULL;
  CmChannel kind = CM_CHANNEL_DIRECT;
  gboolean channel_ok = FALSE;

  if (cm_json_object_lookup (link, "source") == NULL)
    add_problem (self, PATH_KEY (path, "source"), link, "%s", _(missing_end));
  if (cm_json_object_lookup (link, "target") == NULL)
    add_problem (self, PATH_KEY (path, "target"), link, "%s", _(missing_end));
  source = get_typed (self, path, link, "source", CM_JSON_STRING);
  target = get_typed (self, path, link, "target", CM_JSON_STRING);
  if (source != NULL)
    source_id = cm_json_value_get_string (source);
  if (target != NULL)
    target_id = cm_json_value_get_string (target);

  if (source_id != NULL && target_id != NULL && strcmp (source_id, target_id) == 0)
    {
      g_autofree char *shown = quote_string (source_id);

      add_problem (self, path, link, _("source and target are the same actor %s"), shown);
      check_actor_ref (self, PATH_KEY (path, "source"), source);
    }
  else
    {
      if (source != NULL)
        check_actor_ref (self, PATH_KEY (path, "source"), source);
      if (target != NULL)
        check_actor_ref (self, PATH_KEY (path, "target"), target);
    }

  channel = cm_json_object_lookup (link, "channel");
  if (channel == NULL)
    add_problem (self, PATH_KEY (path, "channel"), link,
                 _("is missing (give \"direct\", \"indirect\" or \"absent\")"));
  else if (is_type (channel, CM_JSON_STRING) &&
           cm_channel_from_string (cm_json_value_get_string (channel), &kind))
    channel_ok = TRUE;
  else
    {
      g_autofree char *shown = show_value (channel);

      add_problem (self, PATH_KEY (path, "channel"), channel,
                   _("must be \"direct\", \"indirect\" or \"absent\", not %s"), shown);
    }

  get_typed (self, path, link, "directed", CM_JSON_BOOLEAN);
  get_string (self, path, link, "topic");
  /* The rule that only indirect channels have intermediaries is checked
   * only when the channel itself is right, so a typo in "channel" gives one
   * problem, not two. */
  check_via (self, path, link, source_id, target_id, !channel_ok || kind == CM_CHANNEL_INDIRECT);
  get_string (self, path, link, "mechanism");

  from = get_date_or_null (self, path, link, "from");
  to = get_date_or_null (self, path, link, "to");
  if (from != NULL && to != NULL)
    {
      const char *f = cm_json_value_get_string (from);
      const char *t = cm_json_value_get_string (to);

      /* Partial dates are periods: "2022" and "2022-03" overlap, so only
       * the digits both give are compared. */
      if (strncmp (t, f, MIN (strlen (f), strlen (t))) < 0)
        {
          g_autofree char *shown_to = quote_string (t);
          g_autofree char *shown_from = quote_string (f);

          add_problem (self, PATH_KEY (path, "to"), to,
                       _("the channel cannot end (%s) before it starts (%s)"),
                       shown_to, shown_from);
        }
    }

  check_quotes (self, path, link);
}

/* ---- Building the model ------------------------------------------------ */

static void
attach_json (gpointer           object,
             const CmJsonValue *json)
{
  g_object_set_qdata_full (G_OBJECT (object), _cm_dataset_io_json_quark (),
                           cm_json_value_ref ((CmJsonValue *) json),
                           (GDestroyNotify) cm_json_value_unref);
}

/* The string member @key of a validated object, or NULL. */
static const char *
member_string (const CmJsonValue *object,
               const char        *key)
{
  const CmJsonValue *value = cm_json_object_lookup (object, key);

  return value != NULL && is_type (value, CM_JSON_STRING) ? cm_json_value_get_string (value) : NULL;
}

static CmQuote *
build_quote (const CmJsonValue *json)
{
  CmQuote *quote = cm_quote_new (member_string (json, "text"));
  const char *value;

  if ((value = member_string (json, "speaker")) != NULL)
    cm_quote_set_speaker (quote, value);
  if ((value = member_string (json, "source")) != NULL)
    cm_quote_set_source (quote, value);
  if ((value = member_string (json, "date")) != NULL)
    cm_quote_set_date (quote, value);
  if ((value = member_string (json, "url")) != NULL)
    cm_quote_set_url (quote, value);
  attach_json (quote, json);
  return quote;
}

static void
build_quotes (const CmJsonValue *json,
              gpointer           owner,
              void             (*add) (gpointer owner, CmQuote *quote))
{
  const CmJsonValue *quotes = cm_json_object_lookup (json, "quotes");

  for (guint i = 0; quotes != NULL && i < cm_json_array_get_length (quotes); i++)
    {
      g_autoptr(CmQuote) quote = build_quote (cm_json_array_get (quotes, i));

      add (owner, quote);
    }
}

static CmSource *
build_source (const CmJsonValue *json)
{
  CmSource *source = cm_source_new (member_string (json, "id"));
  const char *value;

  if ((value = member_string (json, "title")) != NULL)
    cm_source_set_title (source, value);
  if ((value = member_string (json, "publisher")) != NULL)
    cm_source_set_publisher (source, value);
  if ((value = member_string (json, "date")) != NULL)
    cm_source_set_date (source, value);
  if ((value = member_string (json, "url")) != NULL)
    cm_source_set_url (source, value);
  if ((value = member_string (json, "text")) != NULL)
    cm_source_set_text (source, value);
  attach_json (source, json);
  return source;
}

static CmActor *
build_actor (const CmJsonValue *json)
{
  CmActor *actor = cm_actor_new (member_string (json, "id"), member_string (json, "name"));
  const CmJsonValue *x, *y, *pinned;
  const char *value;

  if ((value = member_string (json, "kind")) != NULL)
    cm_actor_set_kind_name (actor, value);
  if ((value = member_string (json, "role")) != NULL)
    cm_actor_set_role (actor, value);
  if ((value = member_string (json, "group")) != NULL)
    cm_actor_set_group (actor, value);
  x = cm_json_object_lookup (json, "x");
  y = cm_json_object_lookup (json, "y");
  if (x != NULL && y != NULL)
    cm_actor_set_position (actor, cm_json_value_get_number (x), cm_json_value_get_number (y));
  if ((pinned = cm_json_object_lookup (json, "pinned")) != NULL)
    cm_actor_set_pinned (actor, cm_json_value_get_boolean (pinned));
  if ((value = member_string (json, "notes")) != NULL)
    cm_actor_set_notes (actor, value);
  build_quotes (json, actor, (void (*) (gpointer, CmQuote *)) cm_actor_add_quote);
  attach_json (actor, json);
  return actor;
}

/* Ids for links that have none: "SOURCE-TARGET", then "SOURCE-TARGET-2",
 * ... as cm_dataset_make_link_id() makes them.  That function probes from
 * 2 up each time, which is quadratic when a file has many id-less links
 * between the same two actors; here the next suffix to try is remembered
 * per base, and every id in the file is known before any is generated. */
typedef struct
{
  GHashTable *used;         /* borrowed ids: the file's, and generated ones */
  GHashTable *next_suffix;  /* base (owned) → next suffix to try */
  GPtrArray  *generated;    /* owns the generated ids */
} LinkIds;

static const char *
generate_link_id (LinkIds    *ids,
                  const char *source,
                  const char *target)
{
  char *base = g_strdup_printf ("%s-%s", source, target);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ids->next_suffix, base));
  char *candidate = NULL;

  if (n == 0)
    {
      n = 2;
      if (!g_hash_table_contains (ids->used, base))
        candidate = g_strdup (base);
    }
  while (candidate == NULL)
    {
      candidate = g_strdup_printf ("%s-%u", base, n++);
      if (g_hash_table_contains (ids->used, candidate))
        g_clear_pointer (&candidate, g_free);
    }

  g_hash_table_replace (ids->next_suffix, base, GUINT_TO_POINTER (n));
  g_hash_table_add (ids->used, candidate);
  g_ptr_array_add (ids->generated, candidate);
  return candidate;
}

static CmLink *
build_link (const CmJsonValue *json,
            LinkIds           *ids)
{
  const char *source = member_string (json, "source");
  const char *target = member_string (json, "target");
  const char *id = member_string (json, "id");
  const CmJsonValue *via, *directed, *to;
  const char *value;
  CmChannel channel;
  CmLink *link;

  if (!cm_channel_from_string (member_string (json, "channel"), &channel))
    g_assert_not_reached ();
  if (id == NULL)
    id = generate_link_id (ids, source, target);

  link = cm_link_new (id, source, target, channel);
  if ((directed = cm_json_object_lookup (json, "directed")) != NULL)
    cm_link_set_directed (link, cm_json_value_get_boolean (directed));
  if ((value = member_string (json, "topic")) != NULL)
    cm_link_set_topic (link, value);
  if ((via = cm_json_object_lookup (json, "via")) != NULL)
    {
      guint n = cm_json_array_get_length (via);
      g_autofree const char **strv = g_new (const char *, n + 1);

      /* An empty array stays an empty vector, so it is written back. */
      for (guint i = 0; i < n; i++)
        strv[i] = cm_json_value_get_string (cm_json_array_get (via, i));
      strv[n] = NULL;
      cm_link_set_via (link, strv);
    }
  if ((value = member_string (json, "mechanism")) != NULL)
    cm_link_set_mechanism (link, value);
  if ((value = member_string (json, "from")) != NULL)
    cm_link_set_from (link, value);
  to = cm_json_object_lookup (json, "to");
  if (to != NULL && is_type (to, CM_JSON_NULL))
    cm_link_set_ongoing (link, TRUE);
  else if (to != NULL)
    cm_link_set_to (link, cm_json_value_get_string (to));
  build_quotes (json, link, (void (*) (gpointer, CmQuote *)) cm_link_add_quote);
  attach_json (link, json);
  return link;
}

static CmDataset *
build_dataset (Loader            *self,
               const CmJsonValue *root,
               const CmJsonValue *sources,
               const CmJsonValue *actors,
               const CmJsonValue *links)
{
  g_autoptr(CmDataset) dataset = cm_dataset_new ();
  g_autoptr(GPtrArray) objects = NULL;
  const char *value;
  guint n;

  if ((value = member_string (root, "title")) != NULL)
    cm_dataset_set_title (dataset, value);
  if ((value = member_string (root, "description")) != NULL)
    cm_dataset_set_description (dataset, value);

  for (guint i = 0; sources != NULL && i < cm_json_array_get_length (sources); i++)
    {
      g_autoptr(CmSource) source = build_source (cm_json_array_get (sources, i));

      if (!cm_dataset_add_source (dataset, source))
        g_assert_not_reached ();
    }

  n = cm_json_array_get_length (actors);
  objects = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, build_actor (cm_json_array_get (actors, i)));
  if (!cm_dataset_add_actors (dataset, (CmActor **) objects->pdata, objects->len))
    g_assert_not_reached ();
  g_clear_pointer (&objects, g_ptr_array_unref);

  if (links != NULL)
    {
      LinkIds ids = {
        .used = self->link_ids,
        .next_suffix = cm_str_hash_table_new (g_free, NULL),
        .generated = g_ptr_array_new_with_free_func (g_free),
      };

      n = cm_json_array_get_length (links);
      objects = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (objects, build_link (cm_json_array_get (links, i), &ids));
      if (!cm_dataset_add_links (dataset, (CmLink **) objects->pdata, objects->len))
        g_assert_not_reached ();

      /* self->link_ids borrows the generated ids: empty it before they go. */
      g_hash_table_remove_all (self->link_ids);
      g_hash_table_unref (ids.next_suffix);
      g_ptr_array_unref (ids.generated);
    }

  attach_json (dataset, root);
  return g_steal_pointer (&dataset);
}

/* ---- Top level --------------------------------------------------------- */

static void
loader_init (Loader *self)
{
  memset (self, 0, sizeof *self);
  self->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  self->source_ids = cm_str_hash_table_new (NULL, NULL);
  self->actor_ids = cm_str_hash_table_new (NULL, NULL);
  self->link_ids = cm_str_hash_table_new (NULL, NULL);
}

static void
loader_clear (Loader *self)
{
  for (guint i = 0; i < self->pending->len; i++)
    cm_problem_free (g_array_index (self->pending, Pending, i).problem);
  g_array_unref (self->pending);
  g_hash_table_unref (self->source_ids);
  g_hash_table_unref (self->actor_ids);
  g_hash_table_unref (self->link_ids);
  g_free (self->group_parent);
}

/* Moves the problems found into a new array, in file order, with one more
 * saying how many were left out. */
static GPtrArray *
loader_take_problems (Loader *self)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);

  trim_problems (self);
  for (guint i = 0; i < self->pending->len; i++)
    g_ptr_array_add (problems, g_array_index (self->pending, Pending, i).problem);
  g_array_set_size (self->pending, 0);

  if (self->n_total > problems->len)
    {
      guint more = self->n_total - problems->len;

      /* Named "$", the file as a whole, like every other line: --check
       * prints each problem as "FILE: PATH: message" or "FILE: L:C:
       * message", and tools that read its output rely on that. */
      g_ptr_array_add (problems,
                       _cm_problem_new_more ("$", more,
                                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                           "… and %u more problem",
                                                                           "… and %u more problems",
                                                                           more),
                                                              more)));
    }
  return problems;
}

/* Fails with a single problem about the file as a whole. */
static void
fail_single (GPtrArray         *problems,
             GError           **error,
             CmDatasetError     code,
             const char        *path,
             const CmJsonValue *where,
             char              *message)
{
  CmProblem *problem = _cm_problem_new_take (path,
                                             where != NULL ? cm_json_value_get_line (where) : 0,
                                             where != NULL ? cm_json_value_get_column (where) : 0,
                                             message);
  g_autofree char *text = cm_problem_to_string (problem);

  g_ptr_array_add (problems, problem);
  g_set_error_literal (error, CM_DATASET_ERROR, code, text);
}

static gboolean
check_root (const CmJsonValue  *root,
            GPtrArray          *problems,
            GError            **error)
{
  const CmJsonValue *format, *version;

  if (!is_type (root, CM_JSON_OBJECT))
    {
      fail_single (problems, error, CM_DATASET_ERROR_NOT_DATASET, "$", root,
                   g_strdup_printf (_("not a Channel Map dataset: the file holds %s, not an object"),
                                    describe_value (root)));
      return FALSE;
    }

  format = cm_json_object_lookup (root, "format");
  if (format == NULL)
    {
      fail_single (problems, error, CM_DATASET_ERROR_NOT_DATASET, "$", root,
                   g_strdup (_("not a Channel Map dataset: \"format\" is missing "
                               "(a dataset starts with \"format\": \"channel-map\")")));
      return FALSE;
    }
  if (!is_type (format, CM_JSON_STRING) ||
      strcmp (cm_json_value_get_string (format), "channel-map") != 0)
    {
      g_autofree char *shown = show_value (format);

      fail_single (problems, error, CM_DATASET_ERROR_NOT_DATASET, "$.format", format,
                   g_strdup_printf (_("not a Channel Map dataset: \"format\" is %s, not \"channel-map\""),
                                    shown));
      return FALSE;
    }

  /* A newer version is refused before anything else is checked: its rules
   * may differ, and a list of "problems" would only mislead.  A version that
   * is not a positive integer is an ordinary problem, reported with the
   * rest by the caller. */
  version = cm_json_object_lookup (root, "version");
  if (version != NULL && cm_json_value_is_integer (version) && cm_json_value_get_number (version) > 1)
    {
      double number = cm_json_value_get_number (version);
      g_autofree char *shown = number < 1e15 ? g_strdup_printf ("%.0f", number) : show_value (version);

      fail_single (problems, error, CM_DATASET_ERROR_NEWER_VERSION, "$.version", version,
                   g_strdup_printf (_("made by a newer Channel Map: version %s, this one reads 1"),
                                    shown));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_counts (const CmJsonValue  *actors,
              const CmJsonValue  *links,
              GPtrArray          *problems,
              GError            **error)
{
  if (actors != NULL && cm_json_array_get_length (actors) > CM_DATASET_MAX_ACTORS)
    {
      fail_single (problems, error, CM_DATASET_ERROR_LIMIT, "$.actors", actors,
                   g_strdup_printf (_("too many actors: %u (this version reads at most %u)"),
                                    cm_json_array_get_length (actors), CM_DATASET_MAX_ACTORS));
      return FALSE;
    }
  if (links != NULL && cm_json_array_get_length (links) > CM_DATASET_MAX_LINKS)
    {
      fail_single (problems, error, CM_DATASET_ERROR_LIMIT, "$.links", links,
                   g_strdup_printf (_("too many links: %u (this version reads at most %u)"),
                                    cm_json_array_get_length (links), CM_DATASET_MAX_LINKS));
      return FALSE;
    }
  return TRUE;
}

static void
check_version (Loader            *self,
               const CmJsonValue *root)
{
  const CmJsonValue *version = cm_json_object_lookup (root, "version");
  g_autofree char *shown = NULL;

  if (version == NULL)
    {
      add_problem (self, PATH_KEY (NULL, "version"), root,
                   _("is missing (a dataset says \"version\": 1)"));
      return;
    }
  if (cm_json_value_is_integer (version) && cm_json_value_get_number (version) >= 1)
    return;

  shown = show_value (version);
  add_problem (self, PATH_KEY (NULL, "version"), version, _("must be a positive integer, not %s"), shown);
}

static gboolean
load_json (const CmJsonValue  *root,
           GCancellable       *cancellable,
           GPtrArray          *problems,
           CmDataset         **out_dataset,
           GError            **error)
{
  const CmJsonValue *sources, *actors, *links;
  Loader self;
  guint n_problems;

  if (!check_root (root, problems, error))
    return FALSE;

  loader_init (&self);

  check_version (&self, root);
  get_string (&self, NULL, root, "title");
  get_string (&self, NULL, root, "description");
  sources = get_typed (&self, NULL, root, "sources", CM_JSON_ARRAY);
  if (cm_json_object_lookup (root, "actors") == NULL)
    add_problem (&self, PATH_KEY (NULL, "actors"), root,
                 _("is missing (a dataset needs an \"actors\" array, which may be empty)"));
  actors = get_typed (&self, NULL, root, "actors", CM_JSON_ARRAY);
  links = get_typed (&self, NULL, root, "links", CM_JSON_ARRAY);
  self.have_actors = actors != NULL;
  /* No "sources" at all is fine, and then every quote source dangles. */
  self.have_sources = sources != NULL || cm_json_object_lookup (root, "sources") == NULL;

  /* Before anything is allocated per actor or link. */
  if (!check_counts (actors, links, problems, error))
    {
      loader_clear (&self);
      return FALSE;
    }

  if (sources != NULL)
    check_sources (&self, PATH_KEY (NULL, "sources"), sources);

  if (actors != NULL)
    {
      const Path *array_path = PATH_KEY (NULL, "actors");

      self.n_actors = cm_json_array_get_length (actors);
      self.group_parent = g_new (guint, self.n_actors);
      for (guint i = 0; i < self.n_actors; i++)
        self.group_parent[i] = NO_ACTOR;

      register_actors (&self, array_path, actors);
      for (guint i = 0; i < self.n_actors; i++)
        {
          const CmJsonValue *actor = cm_json_array_get (actors, i);

          if (is_type (actor, CM_JSON_OBJECT))
            check_actor (&self, PATH_INDEX (array_path, i), actor, i);
        }
      check_group_cycles (&self, array_path, actors);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      loader_clear (&self);
      return FALSE;
    }

  if (links != NULL)
    {
      const Path *array_path = PATH_KEY (NULL, "links");

      register_links (&self, array_path, links);
      for (guint i = 0; i < cm_json_array_get_length (links); i++)
        {
          const CmJsonValue *link = cm_json_array_get (links, i);

          if (is_type (link, CM_JSON_OBJECT))
            check_link (&self, PATH_INDEX (array_path, i), link);
        }
    }

  if (self.n_total > 0)
    {
      g_autoptr(GPtrArray) found = loader_take_problems (&self);

      n_problems = self.n_total;
      if (n_problems == 1)
        {
          g_autofree char *text = cm_problem_to_string (g_ptr_array_index (found, 0));

          g_set_error_literal (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID, text);
        }
      else
        g_set_error (error, CM_DATASET_ERROR, CM_DATASET_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE, "%u problem in the dataset",
                                  "%u problems in the dataset", n_problems),
                     n_problems);
      g_ptr_array_extend_and_steal (problems, g_steal_pointer (&found));
      loader_clear (&self);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      loader_clear (&self);
      return FALSE;
    }

  g_assert (actors != NULL);
  *out_dataset = build_dataset (&self, root, sources, actors, links);
  loader_clear (&self);
  return TRUE;
}

static CmDataset *
load_from_data (const char    *data,
                gsize          length,
                GCancellable  *cancellable,
                GPtrArray     *problems,
                GError       **error)
{
  CmJsonLimits limits = {
    .max_input_size = CM_DATASET_MAX_FILE_SIZE,
    .max_depth = CM_DATASET_MAX_DEPTH,
    .max_members = CM_DATASET_MAX_MEMBERS,
    .max_string_length = CM_DATASET_MAX_STRING_LENGTH,
  };
  g_autoptr(CmJsonValue) root = NULL;
  g_autoptr(GError) json_error = NULL;
  CmDataset *dataset = NULL;
  guint line, column;

  root = cm_json_parse (data, length, &limits, &line, &column, &json_error);
  if (root == NULL)
    {
      CmDatasetError code = CM_DATASET_ERROR_SYNTAX;

      if (g_error_matches (json_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_DEEP) ||
          g_error_matches (json_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_MANY_MEMBERS) ||
          g_error_matches (json_error, CM_JSON_ERROR, CM_JSON_ERROR_STRING_TOO_LONG) ||
          g_error_matches (json_error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_LARGE))
        code = CM_DATASET_ERROR_LIMIT;

      g_ptr_array_add (problems, _cm_problem_new_take (NULL, line, column,
                                                       g_strdup (json_error->message)));
      g_set_error_literal (error, CM_DATASET_ERROR, code, json_error->message);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!load_json (root, cancellable, problems, &dataset, error))
    return NULL;
  return dataset;
}

CmDataset *
cm_dataset_load_from_data (const char  *data,
                           gsize        length,
                           GPtrArray  **problems,
                           GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  CmDataset *dataset;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);
  dataset = load_from_data (data != NULL ? data : "", length, NULL, found, error);
  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return dataset;
}

static void
fail_io (GPtrArray   *problems,
         GError     **error,
         GError      *io_error)
{
  if (!g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_ptr_array_add (problems, _cm_problem_new_take (NULL, 0, 0, g_strdup (io_error->message)));
      g_set_error_literal (error, CM_DATASET_ERROR, CM_DATASET_ERROR_IO, io_error->message);
      g_error_free (io_error);
    }
  else
    g_propagate_error (error, io_error);
}

/* Reads the whole file, refusing it from its size alone when it is over
 * the limit (a 2 GB file is refused at once, not after reading it), and
 * stopping at the limit if it grows while being read. */
static GBytes *
read_file (GFile         *file,
           GCancellable  *cancellable,
           GPtrArray     *problems,
           GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *name = NULL;
  GError *io_error = NULL;
  goffset size;
  gsize capacity, length = 0;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &io_error);
  if (info == NULL)
    {
      fail_io (problems, error, io_error);
      return NULL;
    }

  name = g_strdup (g_file_info_get_display_name (info));
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      fail_io (problems, error,
               g_error_new (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                            _("Could not read “%s”: it is a folder"), name));
      return NULL;
    }

  size = g_file_info_get_size (info);
  if (size > CM_DATASET_MAX_FILE_SIZE)
    {
      /* In MiB, as the limit is documented; g_format_size() would round
       * 256.4 MiB to "269 MB", which reads as a different number. */
      fail_single (problems, error, CM_DATASET_ERROR_LIMIT, NULL, NULL,
                   g_strdup_printf (_("the file is too large: %.1f MiB (this version reads at most %d MiB)"),
                                    size / (1024.0 * 1024.0), CM_DATASET_MAX_FILE_SIZE / (1024 * 1024)));
      return NULL;
    }

  stream = g_file_read (file, cancellable, &io_error);
  if (stream == NULL)
    {
      fail_io (problems, error, io_error);
      return NULL;
    }

  /* The size is a hint (the file may change, or be a pipe reporting 0):
   * read until the end, growing the buffer, but never past the limit + 1
   * byte, which is enough for the parser to refuse it. */
  capacity = MAX ((gsize) size, 4096) + 1;
  buffer = g_malloc (capacity);
  for (;;)
    {
      gsize chunk = MIN (capacity - length, (gsize) 4 * 1024 * 1024);
      gsize n_read = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer + length, chunk,
                                    &n_read, cancellable, &io_error))
        {
          fail_io (problems, error, io_error);
          return NULL;
        }
      length += n_read;
      if (n_read < chunk)
        break;
      if (length > CM_DATASET_MAX_FILE_SIZE)
        break;
      if (length == capacity)
        {
          capacity = MIN (capacity * 2, (gsize) CM_DATASET_MAX_FILE_SIZE + 1);
          buffer = g_realloc (buffer, capacity);
        }
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}

CmDataset *
cm_dataset_load_from_file (GFile         *file,
                           GCancellable  *cancellable,
                           GPtrArray    **problems,
                           GError       **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CmDataset *dataset = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_problem_free);
  bytes = read_file (file, cancellable, found, error);
  if (bytes != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      dataset = load_from_data (data != NULL ? data : "", length, cancellable, found, error);
    }

  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return dataset;
}
