/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-import-private.h"
#include "cm-cameo-table.h"

/*
 * GDELT 2.0 event tables: the events CSV with a header (as gdeltPyR saves
 * it, with an extra CAMEOCodeDescription column) or a raw tab-separated
 * export without one (61 columns in GDELT's order).
 *
 * Each event is a dyad Actor1 → Actor2 with a CAMEO code.  Events become
 * quotes, aggregated into one undirected link per pair of actors and
 * channel kind, by the mapping of cameo-codebook/CHANNELS.md:
 *
 *   direct    040–046 (consult, phone, visit, host, meet, mediate, negotiate)
 *   indirect  01x statements, 02x appeals, 036, 051–053, and verbal
 *             conflict 10x–13x except 125: reported statements, not proof
 *             that the two spoke — the link's mechanism says so
 *   absent    160, 161, 164, 165, 166 (reduce or break relations, halt
 *             talks or mediation, expel) and 125 (refuse to meet)
 *
 * Other events (material cooperation, aid, force, ...) say nothing about
 * communication and are left out, counted in a note.  A meeting coded twice
 * (042 A→B and 043 B→A) lands on the same undirected link.  Actors are
 * identified by their CAMEO actor code (SAU, SAUGOV), whatever spelling of
 * the name an event uses; the most frequent spelling is the name.
 *
 * The text of a quote is the event's CAMEO name from the codebook compiled
 * into the app (cm-cameo-table.h), not the file's CAMEOCodeDescription
 * column: gdeltPyR fills that column from a table shifted by one code in
 * the 12x and 16x ranges.
 */

typedef enum
{
  KIND_OTHER = -1,
  KIND_DIRECT = CM_CHANNEL_DIRECT,
  KIND_INDIRECT = CM_CHANNEL_INDIRECT,
  KIND_ABSENT = CM_CHANNEL_ABSENT,
} EventKind;

/* GDELT 2.0 export columns, in order (events2.csv, the column dictionary). */
static const char *const gdelt_columns[] = {
  "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
  "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
  "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
  "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
  "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
  "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
  "NumMentions", "NumSources", "NumArticles", "AvgTone",
  "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
  "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
  "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
  "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
  "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
  "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
  "DATEADDED", "SOURCEURL",
};

enum
{
  COL_ID, COL_DATE, COL_A1_CODE, COL_A1_NAME, COL_A1_COUNTRY, COL_A1_TYPE,
  COL_A2_CODE, COL_A2_NAME, COL_A2_COUNTRY, COL_A2_TYPE, COL_EVENT, COL_ADDED, COL_URL,
  N_COLS
};

static const char *const wanted_columns[N_COLS] = {
  "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
  "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code", "EventCode", "DATEADDED", "SOURCEURL",
};

/* CAMEO actor type codes (GDELT's CAMEO.type.txt, the "type" or "role" of
 * Actor*Type*Code, and PTY and REL that GDELT still writes inside actor
 * codes): the kind of actor, and a role in words. */
static const struct { const char *code; CmActorKind kind; const char *role; } actor_types[] = {
  { "AGR", CM_ACTOR_KIND_OTHER, N_("agriculture") },
  { "AMN", CM_ACTOR_KIND_ORGANIZATION, N_("Amnesty International") },
  { "BUS", CM_ACTOR_KIND_ORGANIZATION, N_("business") },
  { "CRM", CM_ACTOR_KIND_OTHER, N_("criminals") },
  { "CVL", CM_ACTOR_KIND_OTHER, N_("civilians") },
  { "COP", CM_ACTOR_KIND_ORGANIZATION, N_("police") },
  { "DEV", CM_ACTOR_KIND_OTHER, N_("development") },
  { "EDU", CM_ACTOR_KIND_ORGANIZATION, N_("education") },
  { "ELI", CM_ACTOR_KIND_OTHER, N_("elites") },
  { "ENV", CM_ACTOR_KIND_ORGANIZATION, N_("environmental group") },
  { "GOV", CM_ACTOR_KIND_ORGANIZATION, N_("government") },
  { "GRP", CM_ACTOR_KIND_ORGANIZATION, N_("Greenpeace") },
  { "HLH", CM_ACTOR_KIND_ORGANIZATION, N_("health") },
  { "HRI", CM_ACTOR_KIND_ORGANIZATION, N_("human rights group") },
  { "IGO", CM_ACTOR_KIND_ORGANIZATION, N_("intergovernmental organization") },
  { "IMG", CM_ACTOR_KIND_ORGANIZATION, N_("international armed group") },
  { "INS", CM_ACTOR_KIND_ORGANIZATION, N_("insurgents") },
  { "INT", CM_ACTOR_KIND_OTHER, N_("international") },
  { "IRC", CM_ACTOR_KIND_ORGANIZATION, N_("Red Cross") },
  { "JUD", CM_ACTOR_KIND_ORGANIZATION, N_("judiciary") },
  { "LAB", CM_ACTOR_KIND_ORGANIZATION, N_("labour") },
  { "LEG", CM_ACTOR_KIND_ORGANIZATION, N_("legislature") },
  { "MED", CM_ACTOR_KIND_MEDIA, N_("media") },
  { "MIL", CM_ACTOR_KIND_ORGANIZATION, N_("military") },
  { "MNC", CM_ACTOR_KIND_ORGANIZATION, N_("multinational corporation") },
  { "MOD", CM_ACTOR_KIND_OTHER, N_("moderates") },
  { "NGO", CM_ACTOR_KIND_ORGANIZATION, N_("non-governmental organization") },
  { "NGM", CM_ACTOR_KIND_ORGANIZATION, N_("non-governmental movement") },
  { "OPP", CM_ACTOR_KIND_ORGANIZATION, N_("opposition") },
  { "PKO", CM_ACTOR_KIND_ORGANIZATION, N_("peacekeepers") },
  { "PTY", CM_ACTOR_KIND_ORGANIZATION, N_("political party") },
  { "RAD", CM_ACTOR_KIND_OTHER, N_("radicals") },
  { "REB", CM_ACTOR_KIND_ORGANIZATION, N_("rebels") },
  { "REF", CM_ACTOR_KIND_OTHER, N_("refugees") },
  { "REL", CM_ACTOR_KIND_ORGANIZATION, N_("religious group") },
  { "SEP", CM_ACTOR_KIND_ORGANIZATION, N_("separatists") },
  { "SET", CM_ACTOR_KIND_OTHER, N_("settlers") },
  { "SPY", CM_ACTOR_KIND_ORGANIZATION, N_("intelligence") },
  { "UAF", CM_ACTOR_KIND_ORGANIZATION, N_("armed forces") },
  { "UIS", CM_ACTOR_KIND_ORGANIZATION, N_("unidentified state actor") },
  { "UNO", CM_ACTOR_KIND_ORGANIZATION, N_("United Nations") },
};

static int
actor_type_index (const char *code,
                  gsize       length)
{
  for (guint t = 0; t < G_N_ELEMENTS (actor_types); t++)
    if (strlen (actor_types[t].code) == length && strncmp (code, actor_types[t].code, length) == 0)
      return (int) t;
  return -1;
}

static EventKind
classify (const char *code)
{
  gsize len = strlen (code);
  int base;

  if (len < 3 || strspn (code, "0123456789") != len)
    return KIND_OTHER;
  base = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');

  if (base >= 40 && base <= 46)
    return KIND_DIRECT;
  if (base == 125 || base == 160 || base == 161 || (base >= 164 && base <= 166))
    return KIND_ABSENT;
  if ((base >= 10 && base <= 29) || base == 36 || (base >= 51 && base <= 53)
      || (base >= 100 && base <= 139))
    return KIND_INDIRECT;
  return KIND_OTHER;
}

static int
compare_codes (const void *a,
               const void *b)
{
  return strcmp (((const CmCameoCode *) a)->code, ((const CmCameoCode *) b)->code);
}

static const char *
cameo_name (const char *code)
{
  CmCameoCode key = { code, NULL };
  const CmCameoCode *found = bsearch (&key, cm_cameo_codes, G_N_ELEMENTS (cm_cameo_codes),
                                      sizeof (CmCameoCode), compare_codes);

  return found != NULL ? found->name : NULL;
}

typedef struct
{
  char       *code;
  GHashTable *names;       /* spelling -> count */
  char       *country;
  char       *type;
  guint       order;
} ActorInfo;

static void
actor_info_free (ActorInfo *info)
{
  g_free (info->code);
  g_hash_table_unref (info->names);
  g_free (info->country);
  g_free (info->type);
  g_free (info);
}

typedef struct
{
  char *id;
  char *code;
  char *text;
  char *speaker;
  char *date;
  char *url;
} Event;

static void
event_free (Event *event)
{
  g_free (event->id);
  g_free (event->code);
  g_free (event->text);
  g_free (event->speaker);
  g_free (event->date);
  g_free (event->url);
  g_free (event);
}

typedef struct
{
  char      *source;
  char      *target;
  CmChannel  channel;
  GPtrArray *events;
} LinkAcc;

static void
link_acc_free (LinkAcc *acc)
{
  g_free (acc->source);
  g_free (acc->target);
  g_ptr_array_unref (acc->events);
  g_free (acc);
}

gboolean
_cm_gdelt_sniff (const char *data,
                 gsize       length)
{
  const char *nl;
  gsize n;
  g_autofree char *first = NULL;

  data = _cm_import_skip_bom (data, &length);
  n = MIN (length, 8192);
  nl = memchr (data, '\n', n);
  first = g_strndup (data, nl != NULL ? (gsize) (nl - data) : n);

  {
    g_autofree char *lower = g_ascii_strdown (first, -1);

    if (strstr (lower, "globaleventid") != NULL && strstr (lower, "actor1code") != NULL)
      return TRUE;
    /* The mentions table, so that opening it says what it is. */
    if (strstr (lower, "globaleventid") != NULL && strstr (lower, "mentionidentifier") != NULL)
      return TRUE;
  }

  /* A raw export: 61 tab-separated fields, an event id and an 8-digit date. */
  {
    g_auto(GStrv) fields = g_strsplit (first, "\t", -1);
    gsize id_len;

    if (g_strv_length (fields) != G_N_ELEMENTS (gdelt_columns))
      return FALSE;
    id_len = strlen (fields[0]);
    return id_len > 0 && strspn (fields[0], "0123456789") == id_len
           && strlen (fields[1]) == 8 && strspn (fields[1], "0123456789") == 8;
  }
}

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return NULL;
  if (g_str_has_prefix (host, "www."))
    host += 4;
  return g_strdup (host);
}

static const char *
most_frequent_name (ActorInfo *info)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *best = NULL;
  guint best_count = 0;

  g_hash_table_iter_init (&iter, info->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint count = GPOINTER_TO_UINT (value);

      /* ties: the alphabetically first, so the result does not depend on
       * the hash table's order */
      if (count > best_count || (count == best_count && best != NULL && strcmp (key, best) < 0))
        {
          best = key;
          best_count = count;
        }
    }
  return best;
}

static void
note_actor (GHashTable *actors,
            GPtrArray  *order,
            const char *code,
            const char *name,
            const char *country,
            const char *type)
{
  ActorInfo *info = g_hash_table_lookup (actors, code);

  if (info == NULL)
    {
      info = g_new0 (ActorInfo, 1);
      info->code = g_strdup (code);
      info->names = cm_str_hash_table_new (g_free, NULL);
      info->order = order->len;
      g_hash_table_insert (actors, info->code, info);
      g_ptr_array_add (order, info);
    }
  if (*name != '\0')
    {
      gpointer count = g_hash_table_lookup (info->names, name);

      g_hash_table_replace (info->names, g_strdup (name), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
    }
  if (info->country == NULL && *country != '\0')
    info->country = g_strdup (country);
  if (info->type == NULL && *type != '\0')
    info->type = g_strdup (type);
}

/* GDELT names an actor by its root ("KENYA" for KEN, KENCOP, KENHLH…;
 * "UNITED STATES" for fifteen codes): actors that share a name are told
 * apart by what their CAMEO codes add to the part they all share, three
 * letters at a time, in words — "KENYA (police)", "KENYA (health)",
 * "CANADA (government, military)" — the one with nothing more keeping the
 * plain name.  Three letters that are no type code are shown as they are,
 * and a name still shared after that gets the actor's code. */
static void
distinguish_names (CmImport *imp)
{
  g_autoptr(GHashTable) by_name = cm_str_hash_table_new (g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();   /* of by_name's values, in file order */
  guint n_renamed = 0;
  g_autofree char *example = NULL;

  for (guint pass = 0; pass < 2; pass++)
    {
      g_ptr_array_set_size (groups, 0);
      g_hash_table_remove_all (by_name);
      for (guint i = 0; i < imp->actors->len; i++)
        {
          CmActor *actor = g_ptr_array_index (imp->actors, i);
          GPtrArray *same = g_hash_table_lookup (by_name, cm_actor_get_name (actor));

          if (same == NULL)
            {
              same = g_ptr_array_new ();
              g_hash_table_insert (by_name, g_strdup (cm_actor_get_name (actor)), same);
              g_ptr_array_add (groups, same);
            }
          g_ptr_array_add (same, actor);
        }

      for (guint g = 0; g < groups->len; g++)
        {
          GPtrArray *same = g_ptr_array_index (groups, g);
          g_autofree char *key = NULL;
          gsize common = G_MAXSIZE;

          if (same->len < 2)
            continue;
          key = g_strdup (cm_actor_get_name (g_ptr_array_index (same, 0)));
          if (pass == 1)
            {
              /* still shared: the codes tell them apart */
              for (guint i = 0; i < same->len; i++)
                {
                  CmActor *actor = g_ptr_array_index (same, i);
                  /* TRANSLATORS: an actor's name and, in brackets, what tells
                   * it apart from others of the same name ("KENYA (police)") */
                  g_autofree char *name = g_strdup_printf (_("%s (%s)"), key, cm_actor_get_id (actor));

                  cm_actor_set_name (actor, name);
                }
              continue;
            }

          /* the leading three-letter parts all the codes share */
          for (guint i = 1; i < same->len; i++)
            {
              const char *a = cm_actor_get_id (g_ptr_array_index (same, 0));
              const char *b = cm_actor_get_id (g_ptr_array_index (same, i));
              gsize n = 0;

              while (a[n] != '\0' && a[n] == b[n])
                n++;
              common = MIN (common, n - n % 3);
            }
          for (guint i = 0; i < same->len; i++)
            {
              CmActor *actor = g_ptr_array_index (same, i);
              const char *code = cm_actor_get_id (actor);
              gsize length = strlen (code);
              g_autoptr(GString) words = g_string_new (NULL);

              for (gsize at = MIN (common, length); at < length; at += 3)
                {
                  gsize n = MIN (3, length - at);
                  int t = actor_type_index (code + at, n);

                  if (words->len > 0)
                    /* TRANSLATORS: between two roles of an actor, "government, military" */
                    g_string_append (words, _(", "));
                  if (t >= 0)
                    g_string_append (words, _(actor_types[t].role));
                  else
                    g_string_append_len (words, code + at, n);
                }
              if (words->len > 0)
                {
                  g_autofree char *name = g_strdup_printf (_("%s (%s)"), key, words->str);

                  cm_actor_set_name (actor, name);
                  n_renamed++;
                  if (example == NULL)
                    example = g_steal_pointer (&name);
                }
            }
        }
    }
  if (n_renamed > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u actor has the name of another: the roles in its CAMEO code were added to it (such as “%s”)",
                                  "%u actors have the names of others: the roles in their CAMEO codes were added to them (such as “%s”)",
                                  n_renamed),
                     n_renamed, example);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *ea = *(Event * const *) a;
  const Event *eb = *(Event * const *) b;
  int c = g_strcmp0 (ea->date, eb->date);

  return c != 0 ? c : g_strcmp0 (ea->id, eb->id);
}

CmDataset *
_cm_import_gdelt (CmImport    *imp,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(CmCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GHashTable) seen_events = cm_str_hash_table_new (g_free, NULL);
  g_autoptr(GHashTable) actors = cm_str_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) actor_order = g_ptr_array_new_with_free_func ((GDestroyNotify) actor_info_free);
  g_autoptr(GHashTable) links = cm_str_hash_table_new (g_free, NULL);
  g_autoptr(GPtrArray) link_order = g_ptr_array_new_with_free_func ((GDestroyNotify) link_acc_free);
  g_autoptr(GHashTable) sources_by_url = cm_str_hash_table_new (g_free, g_free);
  int cols[N_COLS];
  guint line = 0, n_rows = 0, n_events = 0, n_one_actor = 0, n_same_actor = 0;
  guint n_other = 0, n_duplicates = 0, n_kind[CM_N_CHANNELS] = { 0 };
  guint n_links_kind[CM_N_CHANNELS] = { 0 };
  gboolean header;
  gsize stripped_length = length;
  const char *stripped = _cm_import_skip_bom (data, &stripped_length);

  if (stripped_length == 0 || strspn (stripped, " \t\r\n") >= stripped_length)
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }
  if (memchr (stripped, '\0', stripped_length) != NULL || !g_utf8_validate_len (stripped, stripped_length, NULL))
    {
      /* GDELT writes UTF-8; anything else is not a GDELT file as written. */
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0,
                       _("The file is not valid UTF-8 text, as GDELT writes it"));
      return NULL;
    }

  reader = _cm_csv_reader_new (data, length, 0);
  if (!_cm_csv_reader_next (reader, fields, &line))
    {
      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, NULL, 0, 0, _("The file is empty"));
      return NULL;
    }

  /* Columns by name from the header, or GDELT's own order without one. */
  {
    g_autofree char *first = g_ascii_strdown (g_ptr_array_index (fields, 0), -1);

    header = strstr (first, "globaleventid") != NULL;
    if (header)
      {
        gboolean mentions = FALSE, has_actors = FALSE;

        for (guint i = 0; i < fields->len; i++)
          {
            const char *name = g_ptr_array_index (fields, i);

            mentions = mentions || g_ascii_strcasecmp (name, "MentionIdentifier") == 0;
            has_actors = has_actors || g_ascii_strcasecmp (name, "Actor1Code") == 0;
          }
        if (mentions && !has_actors)
          {
            _cm_import_fail (imp, error, CM_DATASET_ERROR_NOT_DATASET, NULL, 0, 0,
                             _("This is a GDELT mentions table: it lists the articles that mention events, "
                               "not who acted. Open the events table it belongs to"));
            return NULL;
          }
      }
  }
  for (guint c = 0; c < N_COLS; c++)
    {
      cols[c] = -1;
      if (header)
        {
          for (guint i = 0; i < fields->len; i++)
            if (g_ascii_strcasecmp (g_strstrip ((char *) g_ptr_array_index (fields, i)), wanted_columns[c]) == 0)
              {
                cols[c] = (int) i;
                break;
              }
        }
      else
        for (guint i = 0; i < G_N_ELEMENTS (gdelt_columns); i++)
          if (strcmp (gdelt_columns[i], wanted_columns[c]) == 0)
            cols[c] = (int) i;
    }
  for (guint c = 0; c < N_COLS; c++)
    if (cols[c] < 0 && c != COL_A1_COUNTRY && c != COL_A2_COUNTRY && c != COL_A1_TYPE
        && c != COL_A2_TYPE && c != COL_ADDED && c != COL_ID)
      {
        g_autofree char *message =
          g_strdup_printf (_("The GDELT table has no column “%s”"), wanted_columns[c]);

        _cm_import_fail (imp, error, CM_DATASET_ERROR_INVALID, _("row 1"), line, 0, message);
        return NULL;
      }

  /* Reads the header row again when there is none: it was the first event. */
  do
    {
#define FIELD(c) (cols[c] >= 0 && (guint) cols[c] < fields->len ? (const char *) g_ptr_array_index (fields, cols[c]) : "")
      const char *a1, *a2, *code, *url, *id;
      EventKind kind;
      g_autofree char *key = NULL;
      g_autofree char *date = NULL;
      LinkAcc *acc;
      Event *event;

      if (header && n_rows == 0)
        {
          n_rows++;
          continue;
        }
      n_rows++;
      if ((n_rows & 0x3FF) == 0 && _cm_import_cancelled (imp, error))
        return NULL;

      id = FIELD (COL_ID);
      if (*id != '\0')
        {
          if (g_hash_table_contains (seen_events, id))
            {
              n_duplicates++;
              continue;
            }
          g_hash_table_add (seen_events, g_strdup (id));
        }
      n_events++;

      a1 = g_strstrip ((char *) FIELD (COL_A1_CODE));
      a2 = g_strstrip ((char *) FIELD (COL_A2_CODE));
      code = g_strstrip ((char *) FIELD (COL_EVENT));
      if (*a1 == '\0' || *a2 == '\0')
        {
          n_one_actor++;
          continue;
        }
      if (strcmp (a1, a2) == 0)
        {
          n_same_actor++;
          continue;
        }
      kind = classify (code);
      if (kind == KIND_OTHER)
        {
          n_other++;
          continue;
        }
      n_kind[kind]++;

      note_actor (actors, actor_order, a1, g_strstrip ((char *) FIELD (COL_A1_NAME)),
                  FIELD (COL_A1_COUNTRY), FIELD (COL_A1_TYPE));
      note_actor (actors, actor_order, a2, g_strstrip ((char *) FIELD (COL_A2_NAME)),
                  FIELD (COL_A2_COUNTRY), FIELD (COL_A2_TYPE));

      /* One link per unordered pair and kind. */
      key = strcmp (a1, a2) < 0 ? g_strdup_printf ("%s\x1f%s\x1f%d", a1, a2, kind)
                                : g_strdup_printf ("%s\x1f%s\x1f%d", a2, a1, kind);
      acc = g_hash_table_lookup (links, key);
      if (acc == NULL)
        {
          acc = g_new0 (LinkAcc, 1);
          acc->source = g_strdup (a1);
          acc->target = g_strdup (a2);
          acc->channel = (CmChannel) kind;
          acc->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
          g_hash_table_insert (links, g_steal_pointer (&key), acc);
          g_ptr_array_add (link_order, acc);
        }

      event = g_new0 (Event, 1);
      event->id = g_strdup (id);
      event->code = g_strdup (code);
      {
        const char *name = cameo_name (code);
        const char *n1 = FIELD (COL_A1_NAME), *n2 = FIELD (COL_A2_NAME);
        g_autofree char *base = NULL;

        /* 4-digit codes the table lacks fall back to their 3-digit base */
        if (name == NULL && strlen (code) > 3)
          {
            base = g_strndup (code, 3);
            name = cameo_name (base);
          }
        event->text = g_strdup_printf (_("%s: %s → %s (CAMEO %s, as coded by GDELT from the article)"),
                                       name != NULL ? name : _("Event"),
                                       *n1 != '\0' ? n1 : a1, *n2 != '\0' ? n2 : a2, code);
      }
      event->speaker = g_strdup (a1);
      date = _cm_import_normalize_date (FIELD (COL_DATE));
      event->date = g_steal_pointer (&date);
      url = g_strstrip ((char *) FIELD (COL_URL));
      if (*url != '\0')
        {
          event->url = g_strdup (url);
          if (!g_hash_table_contains (sources_by_url, url))
            {
              g_autofree char *source_id = g_strdup_printf ("gdelt-source-%u", g_hash_table_size (sources_by_url) + 1);
              g_autofree char *host = url_host (url);
              g_autofree char *added_day = g_strndup (FIELD (COL_ADDED), 8);
              g_autofree char *added = _cm_import_normalize_date (added_day);
              CmSource *source = _cm_import_add_source (imp, source_id);

              if (source != NULL)
                {
                  cm_source_set_title (source, host != NULL ? host : url);
                  cm_source_set_publisher (source, host);
                  cm_source_set_url (source, url);
                  if (added != NULL)
                    cm_source_set_date (source, added);
                }
              g_hash_table_insert (sources_by_url, g_strdup (url), g_strdup (source_id));
            }
        }
      g_ptr_array_add (acc->events, event);
#undef FIELD
    }
  while (_cm_csv_reader_next (reader, fields, &line));

  if (_cm_csv_reader_had_unterminated_quote (reader))
    {
      g_autofree char *path = g_strdup_printf (_("row %u"), n_rows);

      _cm_import_fail (imp, error, CM_DATASET_ERROR_SYNTAX, path, line, 0,
                       _("A quoted field is never closed: a '\"' is missing"));
      return NULL;
    }

  /* Actors */
  for (guint i = 0; i < actor_order->len; i++)
    {
      ActorInfo *info = g_ptr_array_index (actor_order, i);
      const char *name = most_frequent_name (info);
      CmActor *actor = _cm_import_add_actor (imp, info->code, name);

      int t = -1;

      if (actor == NULL)
        break;
      if (info->type != NULL)
        t = actor_type_index (info->type, strlen (info->type));
      else
        {
          /* no type column (USAREL, USAPTY): the first type code inside
           * the actor code, after its first three letters */
          for (gsize at = 3; t < 0 && at + 3 <= strlen (info->code); at += 3)
            t = actor_type_index (info->code + at, 3);
        }
      if (t >= 0)
        {
          cm_actor_set_kind (actor, actor_types[t].kind);
          cm_actor_set_role (actor, _(actor_types[t].role));
        }
      else if (info->type == NULL && info->country != NULL && strcmp (info->country, info->code) == 0)
        cm_actor_set_kind (actor, CM_ACTOR_KIND_STATE);
      _cm_import_keep_string (actor, "cameo_code", info->code);
    }
  distinguish_names (imp);
  /* The government of a state belongs to the state, when both are here. */
  for (guint i = 0; i < actor_order->len; i++)
    {
      ActorInfo *info = g_ptr_array_index (actor_order, i);
      CmActor *actor = _cm_import_lookup_actor (imp, info->code);

      if (actor != NULL && info->country != NULL && strcmp (info->country, info->code) != 0
          && _cm_import_lookup_actor (imp, info->country) != NULL)
        cm_actor_set_group (actor, info->country);
    }

  /* Links, with their events as quotes, earliest first */
  for (guint i = 0; i < link_order->len && !imp->limit_reached; i++)
    {
      LinkAcc *acc = g_ptr_array_index (link_order, i);
      CmLink *link = _cm_import_add_link (imp, NULL, acc->source, acc->target, acc->channel, TRUE);
      const char *first_date = NULL, *last_date = NULL;

      if (link == NULL)
        continue;
      n_links_kind[acc->channel]++;
      if (acc->channel == CM_CHANNEL_INDIRECT)
        cm_link_set_mechanism (link, _("reported statements"));
      g_ptr_array_sort (acc->events, compare_events);
      for (guint e = 0; e < acc->events->len; e++)
        {
          Event *event = g_ptr_array_index (acc->events, e);
          g_autoptr(CmQuote) quote = cm_quote_new (event->text);

          cm_quote_set_speaker (quote, event->speaker);
          if (event->date != NULL)
            {
              cm_quote_set_date (quote, event->date);
              if (first_date == NULL)
                first_date = event->date;
              last_date = event->date;
            }
          if (event->url != NULL)
            {
              cm_quote_set_url (quote, event->url);
              cm_quote_set_source (quote, g_hash_table_lookup (sources_by_url, event->url));
            }
          cm_link_add_quote (link, quote);
        }
      if (first_date != NULL)
        cm_link_set_from (link, first_date);
      if (last_date != NULL)
        cm_link_set_to (link, last_date);
    }

  imp->channel_note_done = TRUE;
  _cm_import_note (imp,
                   _("%u events: %u between two actors (%u direct, %u indirect, %u absent) became evidence for %u links (%u direct, %u indirect, %u absent)"),
                   n_events, n_kind[0] + n_kind[1] + n_kind[2],
                   n_kind[CM_CHANNEL_DIRECT], n_kind[CM_CHANNEL_INDIRECT], n_kind[CM_CHANNEL_ABSENT],
                   imp->links->len,
                   n_links_kind[CM_CHANNEL_DIRECT], n_links_kind[CM_CHANNEL_INDIRECT],
                   n_links_kind[CM_CHANNEL_ABSENT]);
  _cm_import_note (imp, "%s",
                   _("Channel kinds follow the CAMEO codes: consultations, visits, meetings and negotiations (040–046) are direct; statements, appeals and verbal conflict are indirect; breaking relations, halting talks and refusing to meet are absent"));
  if (n_links_kind[CM_CHANNEL_INDIRECT] > 0)
    _cm_import_note (imp, "%s",
                     _("Indirect links are statements reported in the news, not proof that the two sides spoke"));
  if (n_other > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u event of another kind (cooperation, aid, coercion, force…) says nothing about communication and was left out",
                                  "%u events of other kinds (cooperation, aid, coercion, force…) say nothing about communication and were left out",
                                  n_other),
                     n_other);
  if (n_one_actor > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u event names fewer than two actors and was left out",
                                  "%u events name fewer than two actors and were left out",
                                  n_one_actor),
                     n_one_actor);
  if (n_same_actor > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u event has the same actor on both sides and was left out",
                                  "%u events have the same actor on both sides and were left out",
                                  n_same_actor),
                     n_same_actor);
  if (n_duplicates > 0)
    _cm_import_note (imp,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u event is listed twice: read once",
                                  "%u events are listed twice: read once",
                                  n_duplicates),
                     n_duplicates);

  if (imp->title == NULL)
    imp->title = g_strdup (_("GDELT events"));
  imp->description = g_strdup (_("Imported from GDELT event data. Each quote is an event coded by GDELT from a news article (the source); indirect links are reported statements, not proof of contact."));

  return _cm_import_finish (imp, error);
}
