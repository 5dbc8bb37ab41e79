/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include <string.h>

#include "cm-model-types.h"

static const char * const actor_kind_names[CM_N_ACTOR_KINDS] = {
  [CM_ACTOR_KIND_OTHER] = "other",
  [CM_ACTOR_KIND_PERSON] = "person",
  [CM_ACTOR_KIND_STATE] = "state",
  [CM_ACTOR_KIND_ORGANIZATION] = "organization",
  [CM_ACTOR_KIND_MEDIA] = "media",
};

static const char * const channel_names[CM_N_CHANNELS] = {
  [CM_CHANNEL_DIRECT] = "direct",
  [CM_CHANNEL_INDIRECT] = "indirect",
  [CM_CHANNEL_ABSENT] = "absent",
};

const char *
cm_actor_kind_to_string (CmActorKind kind)
{
  g_return_val_if_fail (kind < CM_N_ACTOR_KINDS, "other");
  return actor_kind_names[kind];
}

gboolean
cm_actor_kind_from_string (const char  *string,
                           CmActorKind *kind)
{
  for (guint i = 0; string != NULL && i < CM_N_ACTOR_KINDS; i++)
    if (strcmp (string, actor_kind_names[i]) == 0)
      {
        *kind = (CmActorKind) i;
        return TRUE;
      }
  *kind = CM_ACTOR_KIND_OTHER;
  return FALSE;
}

const char *
cm_channel_to_string (CmChannel channel)
{
  g_return_val_if_fail (channel < CM_N_CHANNELS, "direct");
  return channel_names[channel];
}

gboolean
cm_channel_from_string (const char *string,
                        CmChannel  *channel)
{
  for (guint i = 0; string != NULL && i < CM_N_CHANNELS; i++)
    if (strcmp (string, channel_names[i]) == 0)
      {
        *channel = (CmChannel) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_digits (const char *s,
              guint       n,
              guint      *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      *value = *value * 10 + (guint) (s[i] - '0');
    }
  return TRUE;
}

/* YYYY, YYYY-MM or YYYY-MM-DD, with a month and a day that exist. */
gboolean
cm_date_is_valid (const char *date)
{
  guint year, month, day;
  gsize len;

  if (date == NULL)
    return FALSE;

  len = strlen (date);
  if (len != 4 && len != 7 && len != 10)
    return FALSE;
  if (!parse_digits (date, 4, &year))
    return FALSE;
  if (len == 4)
    return TRUE;
  if (date[4] != '-' || !parse_digits (date + 5, 2, &month) || month < 1 || month > 12)
    return FALSE;
  if (len == 7)
    return TRUE;
  if (date[7] != '-' || !parse_digits (date + 8, 2, &day) || day < 1)
    return FALSE;
  /* GLib's calendar needs year >= 1; year 0000 is valid ISO 8601 (1 BC) and
   * is a leap year in the proleptic Gregorian calendar. */
  if (year == 0)
    return day <= (month == 2 ? 29 : g_date_get_days_in_month ((GDateMonth) month, 2000));
  return day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

/* ---- A seeded string hash --------------------------------------------------
 *
 * Ids and object keys come from untrusted files.  GLib's g_str_hash() is a
 * fixed function, so a file can be crafted whose keys all collide, turning
 * every hash table insertion into a linear scan (measured: a 2.4 MB file of
 * colliding keys keeps json-glib busy for minutes).  SipHash-1-3 with a key
 * drawn once per process makes collisions unpredictable.
 */

static guint64 siphash_k0, siphash_k1;

static inline guint64
rotl64 (guint64 x,
        int     b)
{
  return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                      \
  G_STMT_START {                                                      \
    v0 += v1; v1 = rotl64 (v1, 13); v1 ^= v0; v0 = rotl64 (v0, 32);   \
    v2 += v3; v3 = rotl64 (v3, 16); v3 ^= v2;                         \
    v0 += v3; v3 = rotl64 (v3, 21); v3 ^= v0;                         \
    v2 += v1; v1 = rotl64 (v1, 17); v1 ^= v2; v2 = rotl64 (v2, 32);   \
  } G_STMT_END

static guint64
siphash13 (const guint8 *in,
           gsize         len)
{
  guint64 v0 = 0x736f6d6570736575ULL ^ siphash_k0;
  guint64 v1 = 0x646f72616e646f6dULL ^ siphash_k1;
  guint64 v2 = 0x6c7967656e657261ULL ^ siphash_k0;
  guint64 v3 = 0x7465646279746573ULL ^ siphash_k1;
  guint64 b = ((guint64) len) << 56;
  gsize full = len & ~(gsize) 7;

  for (gsize i = 0; i < full; i += 8)
    {
      guint64 m;
      memcpy (&m, in + i, 8);
      m = GUINT64_FROM_LE (m);
      v3 ^= m;
      SIPROUND;
      v0 ^= m;
    }
  for (gsize i = 0; i < (len & 7); i++)
    b |= ((guint64) in[full + i]) << (8 * i);
  v3 ^= b;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

static void
ensure_siphash_key (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      siphash_k0 = ((guint64) g_random_int () << 32) | g_random_int ();
      siphash_k1 = ((guint64) g_random_int () << 32) | g_random_int ();
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * cm_str_hash:
 * @key: a nul-terminated string
 *
 * A drop-in replacement for g_str_hash() that resists crafted collisions.
 */
guint
cm_str_hash (gconstpointer key)
{
  const char *s = key;
  guint64 h;

  ensure_siphash_key ();
  h = siphash13 ((const guint8 *) s, strlen (s));
  return (guint) (h ^ (h >> 32));
}

GHashTable *
cm_str_hash_table_new (GDestroyNotify key_destroy,
                       GDestroyNotify value_destroy)
{
  return g_hash_table_new_full (cm_str_hash, g_str_equal, key_destroy, value_destroy);
}
