/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include <string.h>

#include "cm-atomic-file.h"
#include "cm-dataset-io-private.h"

/*
 * Writing a dataset: model → CmJsonValue → text.
 *
 * Each object is written starting from the JSON object it was loaded from
 * (see _cm_dataset_io_get_json()): its known keys get the model's current
 * values in place, its unknown keys are kept as they were, where they were,
 * and known keys it lacked are placed where FORMAT.md's order puts them.
 * So a file written by a newer version or by another tool loses nothing,
 * and a file kept under version control shows only the lines that changed.
 * Objects made in the app have no original and are written in FORMAT.md's
 * order.  The original DOM is never modified: unchanged values are shared
 * (by reference) between it and the tree being written.
 */

/* The known keys of each object, in FORMAT.md's order. */
static const char * const dataset_keys[] = {
  "format", "version", "title", "description", "sources", "actors", "links",
};
enum { D_FORMAT, D_VERSION, D_TITLE, D_DESCRIPTION, D_SOURCES, D_ACTORS, D_LINKS };

static const char * const source_keys[] = {
  "id", "title", "publisher", "date", "url", "text",
};
enum { S_ID, S_TITLE, S_PUBLISHER, S_DATE, S_URL, S_TEXT };

static const char * const actor_keys[] = {
  "id", "name", "kind", "role", "group", "x", "y", "pinned", "notes", "quotes",
};
enum { A_ID, A_NAME, A_KIND, A_ROLE, A_GROUP, A_X, A_Y, A_PINNED, A_NOTES, A_QUOTES };

static const char * const link_keys[] = {
  "id", "source", "target", "channel", "directed", "topic", "via", "mechanism", "from", "to", "quotes",
};
enum { L_ID, L_SOURCE, L_TARGET, L_CHANNEL, L_DIRECTED, L_TOPIC, L_VIA, L_MECHANISM, L_FROM, L_TO, L_QUOTES };

static const char * const quote_keys[] = {
  "text", "speaker", "source", "date", "url",
};
enum { Q_TEXT, Q_SPEAKER, Q_SOURCE, Q_DATE, Q_URL };

#define MAX_KNOWN_KEYS 16

/* The value to write for known key number @key of @object, given the value
 * the original object had (@old, NULL when it had none); NULL to omit it. */
typedef CmJsonValue *(*MemberFunc) (gpointer           object,
                                    guint              key,
                                    const CmJsonValue *old);

/* ---- Values ------------------------------------------------------------ */

static inline gboolean
is_type (const CmJsonValue *value,
         CmJsonType         type)
{
  return value != NULL && cm_json_value_get_value_type (value) == type;
}

static inline CmJsonValue *
ref_value (const CmJsonValue *value)
{
  return cm_json_value_ref ((CmJsonValue *) value);
}

/* Optional strings: NULL omits the key. */
static CmJsonValue *
string_value (const char        *string,
              const CmJsonValue *old)
{
  if (string == NULL)
    return NULL;
  if (is_type (old, CM_JSON_STRING) && strcmp (cm_json_value_get_string (old), string) == 0)
    return ref_value (old);
  return cm_json_value_new_string (string);
}

/* Required strings: written even when the model has none, as "", so the
 * file says what is missing rather than losing the key. */
static CmJsonValue *
required_string_value (const char        *string,
                       const CmJsonValue *old)
{
  return string_value (string != NULL ? string : "", old);
}

/* The original lexeme ("1.50", "1E5", "-0") is kept while the value is
 * the same double; a changed value is written by cm_json's shortest form. */
static CmJsonValue *
number_value (double             number,
              const CmJsonValue *old)
{
  if (is_type (old, CM_JSON_NUMBER) && cm_json_value_get_number (old) == number)
    return ref_value (old);
  return cm_json_value_new_number (number);
}

/* An optional boolean that defaults to false: written when true, or when
 * the file had it. */
static CmJsonValue *
boolean_value (gboolean           boolean,
               const CmJsonValue *old)
{
  if (is_type (old, CM_JSON_BOOLEAN) && cm_json_value_get_boolean (old) == boolean)
    return ref_value (old);
  if (old != NULL || boolean)
    return cm_json_value_new_boolean (boolean);
  return NULL;
}

/* ---- Objects ----------------------------------------------------------- */

typedef struct
{
  const char  *key;
  CmJsonValue *value;
  int          rank;    /* index in the known keys, or -1 */
} Entry;

static int
find_rank (const char * const *keys,
           guint               n_keys,
           const char         *key)
{
  for (guint i = 0; i < n_keys; i++)
    if (strcmp (keys[i], key) == 0)
      return (int) i;
  return -1;
}

/* Where a known key the original lacked goes: right after the last known
 * key that comes before it in FORMAT.md's order, else right before the
 * first that comes after it, else at the end.  An id generated on load so
 * lands first, and x/y after "group", wherever the file put its keys. */
static guint
insertion_point (GArray *entries,
                 int     rank)
{
  int after = -1;

  for (guint i = 0; i < entries->len; i++)
    {
      int r = g_array_index (entries, Entry, i).rank;

      if (r >= 0 && r < rank)
        after = (int) i;
    }
  if (after >= 0)
    return (guint) after + 1;

  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, Entry, i).rank > rank)
      return i;
  return entries->len;
}

static CmJsonValue *
build_object (gpointer            object,
              const CmJsonValue  *original,
              const char * const *keys,
              guint               n_keys,
              MemberFunc          func)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gboolean present[MAX_KNOWN_KEYS] = { FALSE, };
  CmJsonValue *result;

  g_assert (n_keys <= MAX_KNOWN_KEYS);

  if (is_type (original, CM_JSON_OBJECT))
    {
      guint size = cm_json_object_get_size (original);

      for (guint i = 0; i < size; i++)
        {
          Entry entry = {
            .key = cm_json_object_get_key (original, i),
            .rank = find_rank (keys, n_keys, cm_json_object_get_key (original, i)),
          };
          const CmJsonValue *old = cm_json_object_get_value (original, i);

          if (entry.rank < 0)
            entry.value = ref_value (old);
          else
            {
              present[entry.rank] = TRUE;
              entry.value = func (object, (guint) entry.rank, old);
            }
          if (entry.value != NULL)
            g_array_append_val (entries, entry);
        }
    }

  for (guint rank = 0; rank < n_keys; rank++)
    {
      Entry entry = { .key = keys[rank], .rank = (int) rank };

      if (present[rank])
        continue;
      entry.value = func (object, rank, NULL);
      if (entry.value != NULL)
        g_array_insert_val (entries, insertion_point (entries, (int) rank), entry);
    }

  result = cm_json_value_new_object ();
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      cm_json_object_set (result, entry->key, entry->value);
    }
  return result;
}

static CmJsonValue *
build_item (gpointer            object,
            const char * const *keys,
            guint               n_keys,
            MemberFunc          func)
{
  return build_object (object, _cm_dataset_io_get_json (object), keys, n_keys, func);
}

/* An array of the items of @list, each built by @func; NULL (omitted) when
 * the list is empty and the file had no such array. */
static CmJsonValue *
list_value (GListModel         *list,
            const CmJsonValue  *old,
            gboolean            always,
            const char * const *keys,
            guint               n_keys,
            MemberFunc          func)
{
  guint n = g_list_model_get_n_items (list);
  CmJsonValue *array;

  if (n == 0 && old == NULL && !always)
    return NULL;

  array = cm_json_value_new_array ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      cm_json_array_append (array, build_item (item, keys, n_keys, func));
    }
  return array;
}

/* ---- Members ----------------------------------------------------------- */

static CmJsonValue *
quote_member (gpointer           object,
              guint              key,
              const CmJsonValue *old)
{
  CmQuote *quote = object;

  switch (key)
    {
    case Q_TEXT:
      return required_string_value (cm_quote_get_text (quote), old);
    case Q_SPEAKER:
      return string_value (cm_quote_get_speaker (quote), old);
    case Q_SOURCE:
      return string_value (cm_quote_get_source (quote), old);
    case Q_DATE:
      return string_value (cm_quote_get_date (quote), old);
    case Q_URL:
      return string_value (cm_quote_get_url (quote), old);
    default:
      g_assert_not_reached ();
    }
}

static CmJsonValue *
quotes_value (GListModel        *quotes,
              const CmJsonValue *old)
{
  return list_value (quotes, old, FALSE, quote_keys, G_N_ELEMENTS (quote_keys), quote_member);
}

static CmJsonValue *
source_member (gpointer           object,
               guint              key,
               const CmJsonValue *old)
{
  CmSource *source = object;

  switch (key)
    {
    case S_ID:
      return required_string_value (cm_source_get_id (source), old);
    case S_TITLE:
      return string_value (cm_source_get_title (source), old);
    case S_PUBLISHER:
      return string_value (cm_source_get_publisher (source), old);
    case S_DATE:
      return string_value (cm_source_get_date (source), old);
    case S_URL:
      return string_value (cm_source_get_url (source), old);
    case S_TEXT:
      return string_value (cm_source_get_text (source), old);
    default:
      g_assert_not_reached ();
    }
}

static CmJsonValue *
actor_member (gpointer           object,
              guint              key,
              const CmJsonValue *old)
{
  CmActor *actor = object;

  switch (key)
    {
    case A_ID:
      return required_string_value (cm_actor_get_id (actor), old);
    case A_NAME:
      return required_string_value (cm_actor_get_name (actor), old);
    case A_KIND:
      /* The word as written, so an unknown kind ("ngo") survives. */
      return string_value (cm_actor_get_kind_name (actor), old);
    case A_ROLE:
      return string_value (cm_actor_get_role (actor), old);
    case A_GROUP:
      return string_value (cm_actor_get_group (actor), old);
    case A_X:
      return cm_actor_has_position (actor) ? number_value (cm_actor_get_x (actor), old) : NULL;
    case A_Y:
      return cm_actor_has_position (actor) ? number_value (cm_actor_get_y (actor), old) : NULL;
    case A_PINNED:
      return boolean_value (cm_actor_get_pinned (actor), old);
    case A_NOTES:
      return string_value (cm_actor_get_notes (actor), old);
    case A_QUOTES:
      return quotes_value (cm_actor_get_quotes (actor), old);
    default:
      g_assert_not_reached ();
    }
}

static CmJsonValue *
via_value (const char * const *via,
           const CmJsonValue  *old)
{
  CmJsonValue *array;

  /* NULL: no intermediaries.  An empty vector comes from "via": [] in the
   * file and is written back as such. */
  if (via == NULL)
    return NULL;

  array = cm_json_value_new_array ();
  for (guint i = 0; via[i] != NULL; i++)
    {
      const CmJsonValue *old_entry = NULL;

      if (is_type (old, CM_JSON_ARRAY) && i < cm_json_array_get_length (old))
        old_entry = cm_json_array_get (old, i);
      cm_json_array_append (array, string_value (via[i], old_entry));
    }
  return array;
}

static CmJsonValue *
link_member (gpointer           object,
             guint              key,
             const CmJsonValue *old)
{
  CmLink *link = object;

  switch (key)
    {
    case L_ID:
      return required_string_value (cm_link_get_id (link), old);
    case L_SOURCE:
      return required_string_value (cm_link_get_source (link), old);
    case L_TARGET:
      return required_string_value (cm_link_get_target (link), old);
    case L_CHANNEL:
      return string_value (cm_channel_to_string (cm_link_get_channel (link)), old);
    case L_DIRECTED:
      return boolean_value (cm_link_get_directed (link), old);
    case L_TOPIC:
      return string_value (cm_link_get_topic (link), old);
    case L_VIA:
      return via_value (cm_link_get_via (link), old);
    case L_MECHANISM:
      return string_value (cm_link_get_mechanism (link), old);
    case L_FROM:
      /* "from": null means no start date, as an absent key does; keep
       * the file's way of saying it. */
      if (cm_link_get_from (link) == NULL && is_type (old, CM_JSON_NULL))
        return ref_value (old);
      return string_value (cm_link_get_from (link), old);
    case L_TO:
      /* "to": null is meaningful: the channel still holds. */
      if (cm_link_get_to (link) != NULL)
        return string_value (cm_link_get_to (link), old);
      if (cm_link_get_ongoing (link))
        return is_type (old, CM_JSON_NULL) ? ref_value (old) : cm_json_value_new_null ();
      return NULL;
    case L_QUOTES:
      return quotes_value (cm_link_get_quotes (link), old);
    default:
      g_assert_not_reached ();
    }
}

static CmJsonValue *
dataset_member (gpointer           object,
                guint              key,
                const CmJsonValue *old)
{
  CmDataset *dataset = object;

  switch (key)
    {
    case D_FORMAT:
      return string_value ("channel-map", old);
    case D_VERSION:
      /* This version writes version 1 files, whatever the file said. */
      return number_value (1, old);
    case D_TITLE:
      return string_value (cm_dataset_get_title (dataset), old);
    case D_DESCRIPTION:
      return string_value (cm_dataset_get_description (dataset), old);
    case D_SOURCES:
      return list_value (cm_dataset_get_sources (dataset), old, FALSE,
                         source_keys, G_N_ELEMENTS (source_keys), source_member);
    case D_ACTORS:
      return list_value (cm_dataset_get_actors (dataset), old, TRUE,
                         actor_keys, G_N_ELEMENTS (actor_keys), actor_member);
    case D_LINKS:
      return list_value (cm_dataset_get_links (dataset), old, FALSE,
                         link_keys, G_N_ELEMENTS (link_keys), link_member);
    default:
      g_assert_not_reached ();
    }
}

/* ---- Public API -------------------------------------------------------- */

char *
cm_dataset_save_to_data (CmDataset *dataset,
                         gsize     *length)
{
  g_autoptr(CmJsonValue) root = NULL;

  g_return_val_if_fail (CM_IS_DATASET (dataset), NULL);

  root = build_item (dataset, dataset_keys, G_N_ELEMENTS (dataset_keys), dataset_member);
  return cm_json_write (root, TRUE, length);
}

gboolean
cm_dataset_save_to_file (CmDataset     *dataset,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (CM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = cm_dataset_save_to_data (dataset, &length);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return cm_atomic_file_write (file, data, length, cancellable, error);
}
