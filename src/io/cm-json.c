/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-json.h"
#include "cm-model-types.h"

/*
 * Design notes
 *
 * - The parser is a single loop with an explicit stack of open containers,
 *   not a recursive descent: the depth limit protects the model, but nothing
 *   here depends on it to protect the C stack.  Freeing and writing are
 *   iterative for the same reason, so values built in code may nest deeper
 *   than any limit.
 *
 * - Loading is bound by memory allocation, not by scanning, so the DOM is
 *   kept small: each value type has its own struct behind a common header,
 *   scalars carry their text inline (one allocation per string or number;
 *   a string without escapes is copied from the input with one memcpy),
 *   children are gathered on the parser's scratch stack and moved into an
 *   array of the exact size when their container closes, and object keys
 *   are refcounted and shared between objects of the same parse, since a
 *   dataset repeats the same few keys thousands of times.
 *
 * - Columns are counted in characters without rescanning the line: while
 *   scanning strings the parser counts the bytes of multi-byte characters
 *   on the current line (line_extra); outside strings only ASCII is valid.
 *
 * - Objects keep members in an array (file order).  Objects with more than
 *   INDEX_THRESHOLD members get an open-addressing index keyed by
 *   cm_str_hash(), a SipHash with a per-process random key, so that crafted
 *   colliding keys cannot make duplicate detection or lookup quadratic.
 *   Each key stores its hash, so it is computed once per distinct key.
 */

#define INDEX_THRESHOLD 8

G_DEFINE_QUARK (cm-json-error-quark, cm_json_error)

/* An object key: immutable, refcounted, shared between objects. */
typedef struct
{
  gint    ref_count;
  guint32 len;
  guint32 hash;            /* cm_str_hash (str) */
  char    str[];
} Key;

typedef struct
{
  Key         *key;
  CmJsonValue *value;
  guint        key_line;   /* where the key was read, for duplicate messages; 0 if set in code */
} Member;

typedef struct
{
  guint32 hash;
  guint32 index1;          /* member index + 1; 0 marks an empty slot */
} IndexSlot;

typedef struct
{
  guint32   mask;
  IndexSlot slots[];
} ObjectIndex;

/* The header every value starts with; null values are only this. */
struct _CmJsonValue
{
  gint   ref_count;
  guint8 type;
  guint8 is_integer;
  guint  line;
  guint  column;
};

typedef struct
{
  CmJsonValue header;
  gboolean    value;
} BooleanValue;

typedef struct
{
  CmJsonValue header;
  double      value;
  gsize       len;
  char        text[];
} NumberValue;

typedef struct
{
  CmJsonValue header;
  gsize       len;
  char        text[];
} StringValue;

typedef struct
{
  CmJsonValue   header;
  CmJsonValue **items;
  guint         len;
  guint         alloc;
} ArrayValue;

typedef struct
{
  CmJsonValue  header;
  Member      *members;
  guint        len;
  guint        alloc;
  ObjectIndex *index;      /* NULL while len <= INDEX_THRESHOLD */
} ObjectValue;

#define BOOLEAN(v) ((BooleanValue *) (v))
#define NUMBER(v)  ((NumberValue *) (v))
#define STRING(v)  ((StringValue *) (v))
#define ARRAY(v)   ((ArrayValue *) (v))
#define OBJECT(v)  ((ObjectValue *) (v))

G_DEFINE_BOXED_TYPE (CmJsonValue, cm_json_value, cm_json_value_ref, cm_json_value_unref)

/* ---- Limits ------------------------------------------------------------ */

void
cm_json_limits_init_default (CmJsonLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_input_size = CM_JSON_DEFAULT_MAX_INPUT_SIZE;
  limits->max_depth = CM_JSON_DEFAULT_MAX_DEPTH;
  limits->max_members = CM_JSON_DEFAULT_MAX_MEMBERS;
  limits->max_string_length = CM_JSON_DEFAULT_MAX_STRING_LENGTH;
}

/* ---- Keys -------------------------------------------------------------- */

static Key *
key_new (const char *str,
         gsize       len)
{
  Key *key = g_malloc (sizeof (Key) + len + 1);

  key->ref_count = 1;
  key->len = (guint32) len;
  memcpy (key->str, str, len);
  key->str[len] = '\0';
  key->hash = cm_str_hash (key->str);
  return key;
}

static inline Key *
key_ref (Key *key)
{
  g_atomic_int_inc (&key->ref_count);
  return key;
}

static inline void
key_unref (Key *key)
{
  if (g_atomic_int_dec_and_test (&key->ref_count))
    g_free (key);
}

/* ---- Values ------------------------------------------------------------ */

static inline CmJsonValue *
value_alloc (CmJsonType type,
             gsize      size)
{
  CmJsonValue *v = g_malloc (size);

  v->ref_count = 1;
  v->type = type;
  v->is_integer = FALSE;
  v->line = 0;
  v->column = 0;
  return v;
}

static inline gboolean
is_container (const CmJsonValue *v)
{
  return v->type == CM_JSON_ARRAY || v->type == CM_JSON_OBJECT;
}

static inline guint
container_length (const CmJsonValue *v)
{
  return v->type == CM_JSON_ARRAY ? ARRAY (v)->len : OBJECT (v)->len;
}

CmJsonValue *
cm_json_value_ref (CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->ref_count > 0, NULL);

  g_atomic_int_inc (&value->ref_count);
  return value;
}

/* Releases one reference to @child of a container being freed; a container
 * whose count drops to zero goes on @stack instead of being freed here, so
 * that freeing never recurses. */
static inline void
release_child (CmJsonValue  *child,
               GPtrArray   **stack)
{
  if (!g_atomic_int_dec_and_test (&child->ref_count))
    return;
  if (!is_container (child))
    {
      g_free (child);
      return;
    }
  if (*stack == NULL)
    *stack = g_ptr_array_new ();
  g_ptr_array_add (*stack, child);
}

void
cm_json_value_unref (CmJsonValue *value)
{
  GPtrArray *stack = NULL;
  CmJsonValue *v;

  g_return_if_fail (value != NULL);
  g_return_if_fail (value->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&value->ref_count))
    return;

  v = value;
  for (;;)
    {
      if (v->type == CM_JSON_ARRAY)
        {
          ArrayValue *array = ARRAY (v);

          for (guint i = 0; i < array->len; i++)
            release_child (array->items[i], &stack);
          g_free (array->items);
        }
      else if (v->type == CM_JSON_OBJECT)
        {
          ObjectValue *object = OBJECT (v);

          for (guint i = 0; i < object->len; i++)
            {
              key_unref (object->members[i].key);
              release_child (object->members[i].value, &stack);
            }
          g_free (object->members);
          g_free (object->index);
        }
      g_free (v);

      if (stack == NULL || stack->len == 0)
        break;
      v = g_ptr_array_steal_index_fast (stack, stack->len - 1);
    }

  if (stack != NULL)
    g_ptr_array_unref (stack);
}

const char *
cm_json_type_get_name (CmJsonType type)
{
  static const char * const names[] = {
    [CM_JSON_NULL] = "null",
    [CM_JSON_BOOLEAN] = "boolean",
    [CM_JSON_NUMBER] = "number",
    [CM_JSON_STRING] = "string",
    [CM_JSON_ARRAY] = "array",
    [CM_JSON_OBJECT] = "object",
  };

  g_return_val_if_fail ((guint) type <= CM_JSON_OBJECT, "unknown");
  return names[type];
}

CmJsonType
cm_json_value_get_value_type (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, CM_JSON_NULL);
  return value->type;
}

guint
cm_json_value_get_line (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, 0);
  return value->line;
}

guint
cm_json_value_get_column (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, 0);
  return value->column;
}

CmJsonValue *
cm_json_value_new_null (void)
{
  return value_alloc (CM_JSON_NULL, sizeof (CmJsonValue));
}

CmJsonValue *
cm_json_value_new_boolean (gboolean value)
{
  CmJsonValue *v = value_alloc (CM_JSON_BOOLEAN, sizeof (BooleanValue));

  BOOLEAN (v)->value = value ? TRUE : FALSE;
  return v;
}

/* The shortest text that reads back as @value.  Integral values that a
 * double holds exactly are written as plain integers, the way people write
 * them; everything else goes through %.Ng with increasing N. */
static gsize
format_double (double value,
               char   buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  char tmp[G_ASCII_DTOSTR_BUF_SIZE];
  char *e;
  gsize n;

  if (value == floor (value) && fabs (value) <= 9007199254740992.0)
    {
      g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.0f", value);
      return strlen (buf);
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (tmp, sizeof tmp, format, value);
      if (g_ascii_strtod (tmp, NULL) == value)
        break;
    }

  /* %g writes exponents as "e+17" or "e-08"; both are valid JSON, but
   * "e17" and "e-8" are what a person would write. */
  e = strchr (tmp, 'e');
  if (e == NULL)
    {
      n = g_strlcpy (buf, tmp, G_ASCII_DTOSTR_BUF_SIZE);
    }
  else
    {
      const char *digits = e + 1;
      gboolean negative = FALSE;
      char *out;

      if (*digits == '+' || *digits == '-')
        negative = *digits++ == '-';
      while (digits[0] == '0' && digits[1] != '\0')
        digits++;

      n = (gsize) (e - tmp);
      memcpy (buf, tmp, n);
      out = buf + n;
      *out++ = 'e';
      if (negative)
        *out++ = '-';
      n = g_strlcpy (out, digits, G_ASCII_DTOSTR_BUF_SIZE - (gsize) (out - buf));
      n += (gsize) (out - buf);
    }
  return n;
}

static CmJsonValue *
new_number_text (const char *text,
                 gsize       len)
{
  CmJsonValue *v = value_alloc (CM_JSON_NUMBER, sizeof (NumberValue) + len + 1);

  NUMBER (v)->len = len;
  memcpy (NUMBER (v)->text, text, len);
  NUMBER (v)->text[len] = '\0';
  return v;
}

CmJsonValue *
cm_json_value_new_number (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  CmJsonValue *v;

  g_return_val_if_fail (isfinite (value), NULL);

  v = new_number_text (text, format_double (value, text));
  NUMBER (v)->value = value;
  v->is_integer = value == floor (value);
  return v;
}

static CmJsonValue *
new_string_len (const char *str,
                gsize       len)
{
  CmJsonValue *v = value_alloc (CM_JSON_STRING, sizeof (StringValue) + len + 1);

  STRING (v)->len = len;
  memcpy (STRING (v)->text, str, len);
  STRING (v)->text[len] = '\0';
  return v;
}

CmJsonValue *
cm_json_value_new_string (const char *utf8)
{
  g_return_val_if_fail (utf8 != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (utf8, -1, NULL), NULL);

  return new_string_len (utf8, strlen (utf8));
}

CmJsonValue *
cm_json_value_new_array (void)
{
  CmJsonValue *v = value_alloc (CM_JSON_ARRAY, sizeof (ArrayValue));

  ARRAY (v)->items = NULL;
  ARRAY (v)->len = 0;
  ARRAY (v)->alloc = 0;
  return v;
}

CmJsonValue *
cm_json_value_new_object (void)
{
  CmJsonValue *v = value_alloc (CM_JSON_OBJECT, sizeof (ObjectValue));

  OBJECT (v)->members = NULL;
  OBJECT (v)->len = 0;
  OBJECT (v)->alloc = 0;
  OBJECT (v)->index = NULL;
  return v;
}

gboolean
cm_json_value_get_boolean (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (value->type == CM_JSON_BOOLEAN, FALSE);
  return BOOLEAN (value)->value;
}

double
cm_json_value_get_number (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, 0.0);
  g_return_val_if_fail (value->type == CM_JSON_NUMBER, 0.0);
  return NUMBER (value)->value;
}

const char *
cm_json_value_get_number_text (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->type == CM_JSON_NUMBER, NULL);
  return NUMBER (value)->text;
}

/* For parsed numbers this is decided on the exact decimal text, not on the
 * rounded double: 1.000000000000000005 and 1e-400 are not integers even
 * though they read as 1.0 and 0.0. */
gboolean
cm_json_value_is_integer (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);
  return value->type == CM_JSON_NUMBER && value->is_integer;
}

const char *
cm_json_value_get_string (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->type == CM_JSON_STRING, NULL);
  return STRING (value)->text;
}

gsize
cm_json_value_get_string_length (const CmJsonValue *value)
{
  g_return_val_if_fail (value != NULL, 0);
  g_return_val_if_fail (value->type == CM_JSON_STRING, 0);
  return STRING (value)->len;
}

/* ---- Arrays ------------------------------------------------------------ */

guint
cm_json_array_get_length (const CmJsonValue *array)
{
  g_return_val_if_fail (array != NULL, 0);
  g_return_val_if_fail (array->type == CM_JSON_ARRAY, 0);
  return ARRAY (array)->len;
}

CmJsonValue *
cm_json_array_get (const CmJsonValue *array,
                   guint              index)
{
  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (array->type == CM_JSON_ARRAY, NULL);
  g_return_val_if_fail (index < ARRAY (array)->len, NULL);
  return ARRAY (array)->items[index];
}

void
cm_json_array_append (CmJsonValue *array,
                      CmJsonValue *take)
{
  ArrayValue *a;

  g_return_if_fail (array != NULL);
  g_return_if_fail (array->type == CM_JSON_ARRAY);
  g_return_if_fail (take != NULL);
  /* A value inside itself would never be freed and never finish writing;
   * only the direct case is cheap to catch. */
  g_return_if_fail (take != array);

  a = ARRAY (array);
  if (a->len == a->alloc)
    {
      g_return_if_fail (a->alloc < G_MAXUINT / 2);
      a->alloc = MAX (4, a->alloc * 2);
      a->items = g_renew (CmJsonValue *, a->items, a->alloc);
    }
  a->items[a->len++] = take;
}

/* ---- Objects ----------------------------------------------------------- */

static void
index_insert (ObjectIndex *index,
              guint32      hash,
              guint        member)
{
  guint32 i = hash & index->mask;

  while (index->slots[i].index1 != 0)
    i = (i + 1) & index->mask;
  index->slots[i].hash = hash;
  index->slots[i].index1 = member + 1;
}

/* (Re)builds the index of @members with room for @capacity_for members at
 * a load factor of at most one half; no index for small objects. */
static void
index_rebuild (ObjectIndex  **index,
               const Member  *members,
               guint          len,
               guint          capacity_for)
{
  guint32 size = 16;

  g_clear_pointer (index, g_free);
  if (len <= INDEX_THRESHOLD)
    return;

  while (size < (guint64) capacity_for * 2)
    size *= 2;
  *index = g_malloc0 (sizeof (ObjectIndex) + size * sizeof (IndexSlot));
  (*index)->mask = size - 1;
  for (guint i = 0; i < len; i++)
    index_insert (*index, members[i].key->hash, i);
}

/* Updates the index after members[len - 1] was appended. */
static inline void
index_appended (ObjectIndex  **index,
                const Member  *members,
                guint          len)
{
  if (len <= INDEX_THRESHOLD)
    return;
  if (*index != NULL && (guint64) len * 2 <= (guint64) (*index)->mask + 1)
    index_insert (*index, members[len - 1].key->hash, len - 1);
  else if (*index == NULL)
    index_rebuild (index, members, len, len);    /* most objects stop growing soon */
  else
    index_rebuild (index, members, len, len * 2);
}

/* Returns the index of the member named @key among @members, or -1.
 * @hash is only used when there is an index. */
static gssize
members_find (const Member      *members,
              guint              len,
              const ObjectIndex *index,
              const char        *key,
              gsize              key_len,
              guint32            hash)
{
  if (index == NULL)
    {
      for (guint i = 0; i < len; i++)
        {
          const Key *k = members[i].key;

          if (k->len == key_len && memcmp (k->str, key, key_len) == 0)
            return i;
        }
      return -1;
    }

  for (guint32 i = hash & index->mask; index->slots[i].index1 != 0; i = (i + 1) & index->mask)
    {
      const Key *k;

      if (index->slots[i].hash != hash)
        continue;
      k = members[index->slots[i].index1 - 1].key;
      if (k->len == key_len && memcmp (k->str, key, key_len) == 0)
        return index->slots[i].index1 - 1;
    }
  return -1;
}

static gssize
object_find (const ObjectValue *object,
             const char        *key)
{
  return members_find (object->members, object->len, object->index, key, strlen (key),
                       object->index != NULL ? cm_str_hash (key) : 0);
}

guint
cm_json_object_get_size (const CmJsonValue *object)
{
  g_return_val_if_fail (object != NULL, 0);
  g_return_val_if_fail (object->type == CM_JSON_OBJECT, 0);
  return OBJECT (object)->len;
}

const char *
cm_json_object_get_key (const CmJsonValue *object,
                        guint              index)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (object->type == CM_JSON_OBJECT, NULL);
  g_return_val_if_fail (index < OBJECT (object)->len, NULL);
  return OBJECT (object)->members[index].key->str;
}

CmJsonValue *
cm_json_object_get_value (const CmJsonValue *object,
                          guint              index)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (object->type == CM_JSON_OBJECT, NULL);
  g_return_val_if_fail (index < OBJECT (object)->len, NULL);
  return OBJECT (object)->members[index].value;
}

CmJsonValue *
cm_json_object_lookup (const CmJsonValue *object,
                       const char        *key)
{
  gssize i;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (object->type == CM_JSON_OBJECT, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  i = object_find (OBJECT (object), key);
  return i >= 0 ? OBJECT (object)->members[i].value : NULL;
}

void
cm_json_object_set (CmJsonValue *object,
                    const char  *key,
                    CmJsonValue *take)
{
  ObjectValue *o;
  Member *m;
  gsize key_len;
  gssize i;

  g_return_if_fail (object != NULL);
  g_return_if_fail (object->type == CM_JSON_OBJECT);
  g_return_if_fail (key != NULL);
  g_return_if_fail (take != NULL);
  g_return_if_fail (take != object);
  key_len = strlen (key);
  g_return_if_fail (key_len <= G_MAXUINT32);
  g_return_if_fail (g_utf8_validate (key, key_len, NULL));

  o = OBJECT (object);
  i = object_find (o, key);
  if (i >= 0)
    {
      CmJsonValue *old = o->members[i].value;

      o->members[i].value = take;
      cm_json_value_unref (old);
      return;
    }

  if (o->len == o->alloc)
    {
      g_return_if_fail (o->alloc < G_MAXUINT / 2);
      o->alloc = MAX (4, o->alloc * 2);
      o->members = g_renew (Member, o->members, o->alloc);
    }
  m = &o->members[o->len++];
  m->key = key_new (key, key_len);
  m->value = take;
  m->key_line = 0;
  index_appended (&o->index, o->members, o->len);
}

gboolean
cm_json_object_remove (CmJsonValue *object,
                       const char  *key)
{
  ObjectValue *o;
  Member removed;
  gssize i;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (object->type == CM_JSON_OBJECT, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  o = OBJECT (object);
  i = object_find (o, key);
  if (i < 0)
    return FALSE;

  removed = o->members[i];
  memmove (&o->members[i], &o->members[i + 1], (o->len - (gsize) i - 1) * sizeof (Member));
  o->len--;
  /* Indices after @i shifted; removal is O(n) anyway because of the move. */
  index_rebuild (&o->index, o->members, o->len, o->len + 1);

  key_unref (removed.key);
  cm_json_value_unref (removed.value);
  return TRUE;
}

/* ---- Parser ------------------------------------------------------------ */

#define KEY_CACHE_SIZE 256

typedef struct
{
  CmJsonValue *container;
  gsize        base;            /* where its children start on the scratch stack */
} Frame;

typedef struct
{
  const guchar *end;
  const guchar *line_start;
  gsize         line_extra;     /* bytes of multi-byte characters on this line beyond the first of each */
  guint         line;

  CmJsonLimits  limits;

  /* Unescaped strings are built here and then copied once. */
  char         *buf;
  gsize         buf_len;
  gsize         buf_alloc;

  /* Values read but not yet in a closed container, with their keys when
   * they are object members; each open container is followed by its
   * children.  This owns everything read so far. */
  Member       *scratch;
  gsize         scratch_len;
  gsize         scratch_alloc;

  /* Open containers, innermost last. */
  Frame        *frames;
  guint         depth;
  guint         frames_alloc;

  /* Recently read keys, to share them between objects. */
  Key          *key_cache[KEY_CACHE_SIZE];

  gboolean      failed;
  guint         error_line;
  guint         error_column;
  GError      **error;
} Parser;

/* Bytes that may appear in a string as they are: printable ASCII except
 * '"' and '\\'.  Everything else needs a closer look. */
static const guint8 plain_string_byte[256] = {
  [0x20] = 1, [0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

static inline guint
column_at (const Parser *ps,
           const guchar *p)
{
  return (guint) ((gsize) (p - ps->line_start) - ps->line_extra + 1);
}

static void parser_fail_at (Parser     *ps,
                            guint       line,
                            guint       column,
                            CmJsonError code,
                            const char *format,
                            ...) G_GNUC_PRINTF (5, 6);

static void
parser_fail_at (Parser     *ps,
                guint       line,
                guint       column,
                CmJsonError code,
                const char *format,
                ...)
{
  g_autofree char *sentence = NULL;
  va_list args;

  if (ps->failed)
    return;
  ps->failed = TRUE;

  va_start (args, format);
  sentence = g_strdup_vprintf (format, args);
  va_end (args);

  ps->error_line = line;
  ps->error_column = column;
  g_set_error (ps->error, CM_JSON_ERROR, code, "%u:%u: %s", line, column, sentence);
}

#define parser_fail(ps, p, code, ...) \
  parser_fail_at ((ps), (ps)->line, column_at ((ps), (p)), (code), __VA_ARGS__)

/* Length of the valid UTF-8 sequence at @p (2 to 4), or 0 if it is not one:
 * no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF. */
static inline guint
utf8_sequence_length (const guchar *p,
                      const guchar *end,
                      gunichar     *out)
{
  gsize avail = (gsize) (end - p);
  guchar c = p[0];
  gunichar ch;

#define CONT(i) (avail > (i) && (p[i] & 0xc0) == 0x80)
  if (c >= 0xc2 && c <= 0xdf)
    {
      if (!CONT (1))
        return 0;
      ch = ((gunichar) (c & 0x1f) << 6) | (p[1] & 0x3f);
      if (out)
        *out = ch;
      return 2;
    }
  if (c >= 0xe0 && c <= 0xef)
    {
      if (!CONT (1) || !CONT (2))
        return 0;
      ch = ((gunichar) (c & 0x0f) << 12) | ((gunichar) (p[1] & 0x3f) << 6) | (p[2] & 0x3f);
      if (ch < 0x800 || (ch >= 0xd800 && ch <= 0xdfff))
        return 0;
      if (out)
        *out = ch;
      return 3;
    }
  if (c >= 0xf0 && c <= 0xf4)
    {
      if (!CONT (1) || !CONT (2) || !CONT (3))
        return 0;
      ch = ((gunichar) (c & 0x07) << 18) | ((gunichar) (p[1] & 0x3f) << 12) |
           ((gunichar) (p[2] & 0x3f) << 6) | (p[3] & 0x3f);
      if (ch < 0x10000 || ch > 0x10ffff)
        return 0;
      if (out)
        *out = ch;
      return 4;
    }
#undef CONT
  return 0;
}

/* Describes the character at @p for a message without ever copying a
 * control character or invalid UTF-8 into it: 'x' for printable ASCII,
 * U+XXXX for other characters, "byte 0xNN" for bytes that are not UTF-8. */
static const char *
describe_char (const Parser *ps,
               const guchar *p,
               char          buf[32])
{
  gunichar ch;

  if (p >= ps->end)
    return _("the end of the file");
  if (*p >= 0x20 && *p < 0x7f)
    g_snprintf (buf, 32, "'%c'", *p);
  else if (*p < 0x80)
    g_snprintf (buf, 32, "U+%04X", *p);
  else if (utf8_sequence_length (p, ps->end, &ch) > 0)
    g_snprintf (buf, 32, "U+%04X", ch);
  else
    g_snprintf (buf, 32, _("byte 0x%02X"), *p);
  return buf;
}

/* A word such as "tru" or "NaN", ASCII letters and digits only, for
 * messages; *@len receives its length in the input. */
static char *
read_word (const Parser *ps,
           const guchar *p,
           gsize        *len)
{
  const guchar *q = p;
  GString *word;

  while (q < ps->end && (g_ascii_isalnum (*q) || *q == '_'))
    q++;
  *len = (gsize) (q - p);
  word = g_string_new_len ((const char *) p, MIN (*len, 24));
  if (*len > 24)
    g_string_append (word, "…");
  return g_string_free (word, FALSE);
}

/* Formats a limit in bytes the way the documentation writes it. */
static char *
format_byte_limit (gsize bytes)
{
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return g_strdup_printf (_("%lu MiB"), (gulong) (bytes / (1024 * 1024)));
  if (bytes >= 1024 && bytes % 1024 == 0)
    return g_strdup_printf (_("%lu KiB"), (gulong) (bytes / 1024));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu byte", "%lu bytes", (gulong) bytes),
                          (gulong) bytes);
}

/* A key as it may appear in a message: JSON-escaped where it holds control
 * characters (C0, DEL and C1), and shortened when long. */
static char *
format_key_for_message (const char *key,
                        gsize       key_len)
{
  GString *out = g_string_new (NULL);
  const char *p = key;
  const char *end = key + key_len;
  guint chars = 0;

  while (p < end)
    {
      gunichar ch = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (chars++ == 40)
        {
          g_string_append (out, "…");
          break;
        }
      if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f))
        g_string_append_printf (out, "\\u%04x", ch);
      else if (ch == '"' || ch == '\\')
        g_string_append_printf (out, "\\%c", (char) ch);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  return g_string_free (out, FALSE);
}

/* The mistakes people make most often get their own sentence wherever
 * something else was expected.  Returns TRUE if it reported one. */
static gboolean
report_common_mistake (Parser       *ps,
                       const guchar *p)
{
  char buf[32];

  if (p >= ps->end)
    return FALSE;

  switch (*p)
    {
    case '/':
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("comments are not allowed in JSON"));
      return TRUE;
    case '\'':
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                   _("strings must be in double quotes, not single quotes"));
      return TRUE;
    default:
      break;
    }

  if (*p >= 0x80 && utf8_sequence_length (p, ps->end, NULL) == 0)
    {
      parser_fail (ps, p, CM_JSON_ERROR_ENCODING,
                   _("the text is not valid UTF-8 (%s)"), describe_char (ps, p, buf));
      return TRUE;
    }
  return FALSE;
}

static void
report_unexpected_value (Parser       *ps,
                         const guchar *p)
{
  char buf[32];

  if (report_common_mistake (ps, p))
    return;

  if (p >= ps->end)
    {
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("the file ends where a value was expected"));
    }
  else if (*p == '+')
    {
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("a number cannot start with '+'"));
    }
  else if (*p == '.')
    {
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("a number must have a digit before the decimal point"));
    }
  else if (g_ascii_isalpha (*p) || *p == '_')
    {
      gsize len;
      g_autofree char *word = read_word (ps, p, &len);

      if (g_str_equal (word, "NaN") || g_str_equal (word, "Infinity"))
        parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("NaN and Infinity are not allowed in JSON"));
      else
        parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                     _("unknown word \"%s\": only true, false and null may be written without quotes"),
                     word);
    }
  else
    {
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("expected a value, found %s"),
                   describe_char (ps, p, buf));
    }
}

static inline const guchar *
skip_whitespace (Parser       *ps,
                 const guchar *p)
{
  const guchar *end = ps->end;

  while (p < end)
    {
      switch (*p)
        {
        case ' ':
        case '\t':
          p++;
          break;
        case '\n':
          p++;
          ps->line++;
          ps->line_start = p;
          ps->line_extra = 0;
          break;
        case '\r':
          /* CR LF counts once (at the LF); a lone CR ends a line too, as
           * it does in editors. */
          p++;
          if (p < end && *p == '\n')
            break;
          ps->line++;
          ps->line_start = p;
          ps->line_extra = 0;
          break;
        default:
          return p;
        }
    }
  return p;
}

static inline void
buf_append (Parser     *ps,
            const void *data,
            gsize       len)
{
  if (len == 0)
    return;
  if (ps->buf_alloc - ps->buf_len < len)
    {
      gsize alloc = MAX (64, ps->buf_alloc);

      while (alloc - ps->buf_len < len)
        alloc *= 2;
      ps->buf = g_realloc (ps->buf, alloc);
      ps->buf_alloc = alloc;
    }
  memcpy (ps->buf + ps->buf_len, data, len);
  ps->buf_len += len;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits after "\u" at @p (which points at the
 * backslash).  Returns FALSE, with an error, if they are not there. */
static gboolean
read_u_escape (Parser       *ps,
               const guchar *p,
               gunichar     *unit)
{
  gunichar value = 0;

  for (int i = 2; i < 6; i++)
    {
      int h = p + i < ps->end ? hex_value (p[i]) : -1;

      if (h < 0)
        {
          if (p + i >= ps->end)
            parser_fail (ps, p + i, CM_JSON_ERROR_SYNTAX,
                         _("the file ends inside a \\u escape sequence"));
          else
            parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                         _("\\u must be followed by four hexadecimal digits"));
          return FALSE;
        }
      value = (value << 4) | (gunichar) h;
    }
  *unit = value;
  return TRUE;
}

/* Decodes the escape sequence at @p (a backslash) into the scratch buffer
 * and returns the position after it, or NULL on error. */
static const guchar *
read_escape (Parser       *ps,
             const guchar *p)
{
  static const char simple[256] = {
    ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
    ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
  };
  gunichar unit, ch;
  char utf8[6];
  char buf[32];

  if (p + 1 >= ps->end)
    {
      parser_fail (ps, p + 1, CM_JSON_ERROR_SYNTAX, _("the file ends inside a string"));
      return NULL;
    }

  if (simple[p[1]] != 0)
    {
      buf_append (ps, &simple[p[1]], 1);
      return p + 2;
    }

  if (p[1] != 'u')
    {
      parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                   _("invalid escape sequence: a backslash followed by %s"),
                   describe_char (ps, p + 1, buf));
      return NULL;
    }

  if (!read_u_escape (ps, p, &unit))
    return NULL;

  if (unit == 0)
    {
      /* C strings, GTK labels and most tools would cut the text here. */
      parser_fail (ps, p, CM_JSON_ERROR_ENCODING, _("an escaped NUL (\\u0000) is not allowed"));
      return NULL;
    }

  if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      parser_fail (ps, p, CM_JSON_ERROR_ENCODING,
                   _("a lone UTF-16 surrogate \\u%04X cannot be kept"), unit);
      return NULL;
    }

  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      gunichar low;

      if (p + 7 < ps->end && p[6] == '\\' && p[7] == 'u')
        {
          if (!read_u_escape (ps, p + 6, &low))
            return NULL;
        }
      else
        low = 0;

      if (low < 0xdc00 || low > 0xdfff)
        {
          parser_fail (ps, p, CM_JSON_ERROR_ENCODING,
                       _("a lone UTF-16 surrogate \\u%04X cannot be kept"), unit);
          return NULL;
        }
      ch = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      buf_append (ps, utf8, (gsize) g_unichar_to_utf8 (ch, utf8));
      return p + 12;
    }

  buf_append (ps, utf8, (gsize) g_unichar_to_utf8 (unit, utf8));
  return p + 6;
}

/* Scans the string whose opening quote is at @quote (at @column of the
 * current line).
 * On success returns the position after the closing quote and points
 * *@out at the unescaped bytes, either in the input or in the scratch
 * buffer, valid until the next string is scanned. */
static const guchar *
scan_string (Parser       *ps,
             const guchar *quote,
             guint         column,
             const char  **out,
             gsize        *out_len)
{
  const guchar *end = ps->end;
  const guchar *p = quote + 1;
  const guchar *run = p;
  gboolean escaped = FALSE;
  gsize len;
  char buf[32];

  for (;;)
    {
      guint n;

      /* The hot loop: plain ASCII, unrolled a little. */
      while (end - p >= 4 && plain_string_byte[p[0]] && plain_string_byte[p[1]] &&
             plain_string_byte[p[2]] && plain_string_byte[p[3]])
        p += 4;
      while (p < end && plain_string_byte[*p])
        p++;

      if (p >= end)
        {
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                       _("the file ends inside a string that starts at line %u, column %u"),
                       ps->line, column);
          return NULL;
        }

      if (*p == '"')
        break;

      if (*p == '\\')
        {
          if (!escaped)
            ps->buf_len = 0;
          escaped = TRUE;
          buf_append (ps, run, (gsize) (p - run));
          p = read_escape (ps, p);
          if (p == NULL)
            return NULL;
          run = p;
          continue;
        }

      if (*p < 0x20)
        {
          static const char * const names[0x20] = {
            ['\t'] = "\\t", ['\n'] = "\\n", ['\r'] = "\\r", ['\b'] = "\\b", ['\f'] = "\\f",
          };

          if (*p == '\n' || *p == '\r')
            parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                         _("a string cannot contain a line break; write it as %s"), names[*p]);
          else if (names[*p] != NULL)
            parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                         _("a string cannot contain the control character U+%04X; write it as %s"),
                         *p, names[*p]);
          else
            parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                         _("a string cannot contain the control character U+%04X; write it as \\u%04x"),
                         *p, *p);
          return NULL;
        }

      n = utf8_sequence_length (p, end, NULL);
      if (n == 0)
        {
          parser_fail (ps, p, CM_JSON_ERROR_ENCODING,
                       _("the text is not valid UTF-8 (%s)"), describe_char (ps, p, buf));
          return NULL;
        }
      ps->line_extra += n - 1;
      p += n;
    }

  if (escaped)
    {
      buf_append (ps, run, (gsize) (p - run));
      *out = ps->buf;
      len = ps->buf_len;
    }
  else
    {
      *out = (const char *) quote + 1;
      len = (gsize) (p - quote - 1);
    }

  if (len > ps->limits.max_string_length || len > G_MAXUINT32)
    {
      g_autofree char *limit = format_byte_limit (ps->limits.max_string_length);

      parser_fail_at (ps, ps->line, column, CM_JSON_ERROR_STRING_TOO_LONG,
                      _("a string longer than %s"), limit);
      return NULL;
    }

  *out_len = len;
  return p + 1;
}

static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Scans the number at @start and returns its value, or NULL on error. */
static CmJsonValue *
scan_number (Parser        *ps,
             const guchar  *start,
             const guchar **after)
{
  const guchar *end = ps->end;
  const guchar *p = start;
  gboolean negative = FALSE;
  gboolean any_nonzero = FALSE;
  gboolean mantissa_exact = TRUE;
  guint64 mantissa = 0;
  guint significant = 0;
  gint64 fraction_digits = 0;
  gint64 trailing_zeros = 0;
  gint64 exponent = 0;
  gint64 scale;
  CmJsonValue *v;
  double value;
  char buf[32];

#define TAKE_DIGIT(d)                                              \
  G_STMT_START {                                                   \
    guint digit_ = (d);                                            \
    if (digit_ == 0)                                               \
      trailing_zeros++;                                            \
    else                                                           \
      {                                                            \
        trailing_zeros = 0;                                        \
        any_nonzero = TRUE;                                        \
      }                                                            \
    if (mantissa != 0 || digit_ != 0)                              \
      {                                                            \
        if (significant < 19)                                      \
          {                                                        \
            mantissa = mantissa * 10 + digit_;                     \
            significant++;                                         \
          }                                                        \
        else                                                       \
          mantissa_exact = FALSE;                                  \
      }                                                            \
  } G_STMT_END

  if (*p == '-')
    {
      negative = TRUE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          gsize word_len;
          g_autofree char *word = p < end ? read_word (ps, p, &word_len) : NULL;

          if (word != NULL && g_str_equal (word, "Infinity"))
            parser_fail (ps, start, CM_JSON_ERROR_SYNTAX, _("NaN and Infinity are not allowed in JSON"));
          else
            parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("expected a digit after '-', found %s"),
                         describe_char (ps, p, buf));
          return NULL;
        }
    }

  if (*p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        {
          parser_fail (ps, p - 1, CM_JSON_ERROR_SYNTAX, _("a number cannot start with a leading zero"));
          return NULL;
        }
      if (p < end && (*p == 'x' || *p == 'X'))
        {
          parser_fail (ps, p - 1, CM_JSON_ERROR_SYNTAX, _("hexadecimal numbers are not allowed in JSON"));
          return NULL;
        }
      trailing_zeros = 1;
    }
  else
    {
      while (p < end && g_ascii_isdigit (*p))
        {
          TAKE_DIGIT ((guint) (*p - '0'));
          p++;
        }
    }

  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                       _("expected a digit after the decimal point, found %s"),
                       describe_char (ps, p, buf));
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        {
          TAKE_DIGIT ((guint) (*p - '0'));
          fraction_digits++;
          p++;
        }
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exponent_negative = FALSE;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        exponent_negative = *p++ == '-';
      if (p >= end || !g_ascii_isdigit (*p))
        {
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                       _("expected a digit in the exponent, found %s"),
                       describe_char (ps, p, buf));
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        {
          /* Saturate: anything this large is over- or underflow anyway. */
          if (exponent < 1000000000)
            exponent = exponent * 10 + (*p - '0');
          p++;
        }
      if (exponent_negative)
        exponent = -exponent;
    }
#undef TAKE_DIGIT

  v = new_number_text ((const char *) start, (gsize) (p - start));

  /* Exact decimal integrality: the digits without trailing zeros, shifted
   * by the exponent, must leave nothing after the decimal point. */
  v->is_integer = !any_nonzero || exponent - fraction_digits + trailing_zeros >= 0;

  /* Clinger's fast path: a mantissa that a double holds exactly, scaled by
   * an exact power of ten, is correctly rounded by one multiplication or
   * division.  Everything else goes to strtod, which rounds correctly. */
  scale = exponent - fraction_digits;
  if (mantissa == 0)
    value = negative ? -0.0 : 0.0;
  else if (mantissa_exact && mantissa <= (G_GUINT64_CONSTANT (1) << 53) &&
           scale >= -22 && scale <= 22)
    {
      value = scale >= 0 ? (double) mantissa * powers_of_ten[scale]
                         : (double) mantissa / powers_of_ten[-scale];
      if (negative)
        value = -value;
    }
  else
    value = g_ascii_strtod (NUMBER (v)->text, NULL);

  if (!isfinite (value))
    {
      g_autofree char *shown = NUMBER (v)->len > 32
                               ? g_strdup_printf ("%.32s…", NUMBER (v)->text)
                               : g_strdup (NUMBER (v)->text);

      parser_fail (ps, start, CM_JSON_ERROR_NUMBER_RANGE,
                   _("the number %s is out of range (beyond ±1.8e308)"), shown);
      g_free (v);
      return NULL;
    }

  NUMBER (v)->value = value;
  *after = p;
  return v;
}

/* Scans true, false or null at @p. */
static CmJsonValue *
scan_literal (Parser        *ps,
              const guchar  *p,
              const guchar **after)
{
  gsize avail = (gsize) (ps->end - p);
  CmJsonValue *v = NULL;
  gsize len = 0;

  if (avail >= 4 && memcmp (p, "true", 4) == 0)
    {
      v = cm_json_value_new_boolean (TRUE);
      len = 4;
    }
  else if (avail >= 5 && memcmp (p, "false", 5) == 0)
    {
      v = cm_json_value_new_boolean (FALSE);
      len = 5;
    }
  else if (avail >= 4 && memcmp (p, "null", 4) == 0)
    {
      v = cm_json_value_new_null ();
      len = 4;
    }

  /* "trueish" is one unknown word, not true followed by junk. */
  if (v == NULL || (len < avail && (g_ascii_isalnum (p[len]) || p[len] == '_')))
    {
      g_clear_pointer (&v, g_free);
      report_unexpected_value (ps, p);
      return NULL;
    }

  *after = p + len;
  return v;
}

/* Returns the key @str, shared with earlier objects when it is in the
 * cache.  The cache hash needs no key: hostile keys can only make it miss. */
static Key *
intern_key (Parser     *ps,
            const char *str,
            gsize       len)
{
  guint32 h = 2166136261u;
  Key **slot;
  Key *key;

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) str[i]) * 16777619u;
  slot = &ps->key_cache[(h ^ (h >> 16)) & (KEY_CACHE_SIZE - 1)];

  if (*slot != NULL && (*slot)->len == len && memcmp ((*slot)->str, str, len) == 0)
    return key_ref (*slot);

  key = key_new (str, len);
  if (*slot != NULL)
    key_unref (*slot);
  *slot = key_ref (key);
  return key;
}

/* Puts @value (and @key, for object members) on the scratch stack, which
 * takes both. */
static inline gboolean
scratch_push (Parser       *ps,
              const guchar *p,
              Key          *key,
              guint         key_line,
              CmJsonValue  *value)
{
  Member *m;

  if (G_UNLIKELY (ps->scratch_len == ps->scratch_alloc))
    {
      /* Member counts are guint; only a caller that raised max_input_size
       * to several GiB could get here. */
      if (ps->scratch_alloc >= G_MAXUINT / 2)
        {
          if (key != NULL)
            key_unref (key);
          cm_json_value_unref (value);
          parser_fail (ps, p, CM_JSON_ERROR_TOO_LARGE, _("the file holds too many values"));
          return FALSE;
        }
      ps->scratch_alloc = MAX (64, ps->scratch_alloc * 2);
      ps->scratch = g_renew (Member, ps->scratch, ps->scratch_alloc);
    }
  m = &ps->scratch[ps->scratch_len++];
  m->key = key;
  m->value = value;
  m->key_line = key_line;
  return TRUE;
}

/* Moves the children of the innermost open container from the scratch
 * stack into an array of their exact number, and closes it. */
static void
close_container (Parser *ps)
{
  Frame *f = &ps->frames[--ps->depth];
  guint n = (guint) (ps->scratch_len - f->base);
  const Member *children = ps->scratch + f->base;

  if (f->container->type == CM_JSON_ARRAY)
    {
      ArrayValue *array = ARRAY (f->container);

      if (n > 0)
        {
          array->items = g_new (CmJsonValue *, n);
          for (guint i = 0; i < n; i++)
            array->items[i] = children[i].value;
        }
      array->len = array->alloc = n;
    }
  else
    {
      ObjectValue *object = OBJECT (f->container);

      /* The index, if any, was built while the members were read. */
      if (n > 0)
        object->members = g_memdup2 (children, n * sizeof (Member));
      object->len = object->alloc = n;
    }
  ps->scratch_len = f->base;
}

static CmJsonValue *
parse_document (Parser       *ps,
                const guchar *p)
{
  const guchar *end = ps->end;
  CmJsonValue *v;
  CmJsonValue *root;
  /* The key read for the member whose value comes next. */
  Key *key = NULL;
  guint key_line = 0;
  char buf[32];

value:
  {
    guint line = ps->line;
    guint column = column_at (ps, p);

    if (p >= end)
      {
        report_unexpected_value (ps, p);
        goto fail;
      }

    switch (*p)
      {
      case '[':
        if (ps->depth >= ps->limits.max_depth)
          goto too_deep;
        v = cm_json_value_new_array ();
        break;

      case '{':
        if (ps->depth >= ps->limits.max_depth)
          goto too_deep;
        v = cm_json_value_new_object ();
        break;

      case '"':
        {
          const char *s;
          gsize s_len;

          p = scan_string (ps, p, column, &s, &s_len);
          if (p == NULL)
            goto fail;
          v = new_string_len (s, s_len);
        }
        break;

      case '-':
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        v = scan_number (ps, p, &p);
        if (v == NULL)
          goto fail;
        break;

      default:
        v = scan_literal (ps, p, &p);
        if (v == NULL)
          goto fail;
        break;
      }

    v->line = line;
    v->column = column;

    if (!scratch_push (ps, p, key, key_line, v))
      {
        key = NULL;
        goto fail;
      }
    key = NULL;

    if (ps->depth > 0 && ps->frames[ps->depth - 1].container->type == CM_JSON_OBJECT)
      {
        const Frame *f = &ps->frames[ps->depth - 1];

        index_appended (&OBJECT (f->container)->index, ps->scratch + f->base,
                        (guint) (ps->scratch_len - f->base));
      }

    if (!is_container (v))
      goto after_value;

    if (ps->depth == ps->frames_alloc)
      {
        ps->frames_alloc = MAX (16, ps->frames_alloc * 2);
        ps->frames = g_renew (Frame, ps->frames, ps->frames_alloc);
      }
    ps->frames[ps->depth].container = v;
    ps->frames[ps->depth].base = ps->scratch_len;
    ps->depth++;

    p = skip_whitespace (ps, p + 1);
    if (v->type == CM_JSON_ARRAY)
      {
        if (p < end && *p == ']')
          {
            close_container (ps);
            p++;
            goto after_value;
          }
        goto value;
      }
    else
      {
        if (p < end && *p == '}')
          {
            close_container (ps);
            p++;
            goto after_value;
          }
        goto member;
      }
  }

member:
  {
    const Frame *f = &ps->frames[ps->depth - 1];
    guint n = (guint) (ps->scratch_len - f->base);
    guint column = column_at (ps, p);
    const char *s;
    gsize s_len;
    gssize found;

    if (p >= end || *p != '"')
      {
        if (report_common_mistake (ps, p))
          goto fail;
        if (p < end && (g_ascii_isalpha (*p) || *p == '_'))
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("object keys must be strings in double quotes"));
        else
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("expected a string as object key, found %s"),
                       describe_char (ps, p, buf));
        goto fail;
      }

    p = scan_string (ps, p, column, &s, &s_len);
    if (p == NULL)
      goto fail;
    key_line = ps->line;

    if (n >= ps->limits.max_members)
      {
        parser_fail_at (ps, key_line, column, CM_JSON_ERROR_TOO_MANY_MEMBERS,
                        _("an object with more than %u members"), ps->limits.max_members);
        goto fail;
      }

    key = intern_key (ps, s, s_len);
    found = members_find (ps->scratch + f->base, n, OBJECT (f->container)->index,
                          key->str, key->len, key->hash);
    if (found >= 0)
      {
        g_autofree char *shown = format_key_for_message (key->str, key->len);

        parser_fail_at (ps, key_line, column, CM_JSON_ERROR_DUPLICATE_KEY,
                        _("the key \"%s\" appears twice in the same object (first on line %u)"),
                        shown, ps->scratch[f->base + found].key_line);
        goto fail;
      }

    p = skip_whitespace (ps, p);
    if (p >= end || *p != ':')
      {
        if (!report_common_mistake (ps, p))
          parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("expected ':' after an object key, found %s"),
                       describe_char (ps, p, buf));
        goto fail;
      }
    p = skip_whitespace (ps, p + 1);
    goto value;
  }

after_value:
  p = skip_whitespace (ps, p);
  if (ps->depth == 0)
    goto done;

  if (ps->frames[ps->depth - 1].container->type == CM_JSON_ARRAY)
    {
      if (p < end && *p == ',')
        {
          p = skip_whitespace (ps, p + 1);
          if (p < end && *p == ']')
            {
              parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("a comma cannot come before ']'"));
              goto fail;
            }
          goto value;
        }
      if (p < end && *p == ']')
        {
          close_container (ps);
          p++;
          goto after_value;
        }
      if (!report_common_mistake (ps, p))
        parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                     _("expected ',' or ']' after an array element, found %s"),
                     describe_char (ps, p, buf));
      goto fail;
    }
  else
    {
      if (p < end && *p == ',')
        {
          p = skip_whitespace (ps, p + 1);
          if (p < end && *p == '}')
            {
              parser_fail (ps, p, CM_JSON_ERROR_SYNTAX, _("a comma cannot come before '}'"));
              goto fail;
            }
          goto member;
        }
      if (p < end && *p == '}')
        {
          close_container (ps);
          p++;
          goto after_value;
        }
      if (!report_common_mistake (ps, p))
        parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                     _("expected ',' or '}' after an object member, found %s"),
                     describe_char (ps, p, buf));
      goto fail;
    }

too_deep:
  parser_fail (ps, p, CM_JSON_ERROR_TOO_DEEP,
               _("nesting deeper than %u levels"), ps->limits.max_depth);
  goto fail;

done:
  if (p < end)
    {
      if (!report_common_mistake (ps, p))
        parser_fail (ps, p, CM_JSON_ERROR_SYNTAX,
                     _("only one JSON value is allowed, but %s follows it"),
                     describe_char (ps, p, buf));
      goto fail;
    }
  g_assert (ps->scratch_len == 1);
  root = ps->scratch[0].value;
  ps->scratch_len = 0;
  return root;

fail:
  /* Every value read so far is on the scratch stack exactly once: either
   * directly or inside a closed container that is. */
  if (key != NULL)
    key_unref (key);
  for (gsize i = 0; i < ps->scratch_len; i++)
    {
      if (ps->scratch[i].key != NULL)
        key_unref (ps->scratch[i].key);
      cm_json_value_unref (ps->scratch[i].value);
    }
  ps->scratch_len = 0;
  return NULL;
}

static inline gboolean
utf16_pattern (const guchar *d,
               gsize         length)
{
  if (length >= 2 && ((d[0] == 0xfe && d[1] == 0xff) || (d[0] == 0xff && d[1] == 0xfe)))
    return TRUE;
  if (length >= 4)
    {
      /* RFC 4627, section 3: the first two characters of a JSON text are
       * ASCII, so NULs in the first four bytes give the encoding away. */
      gboolean z0 = d[0] == 0, z1 = d[1] == 0, z2 = d[2] == 0, z3 = d[3] == 0;

      return (z0 && z1 && z2 && !z3) || (z0 && !z1 && z2 && !z3) ||
             (!z0 && z1 && z2 && z3) || (!z0 && z1 && !z2 && z3) ||
             (z0 && z1 && d[2] == 0xfe && d[3] == 0xff);
    }
  if (length == 2)
    return (d[0] == 0) != (d[1] == 0);
  return FALSE;
}

static CmJsonValue *
parse_input (Parser       *ps,
             const guchar *d,
             gsize         length)
{
  const guchar *p;

  if (length > ps->limits.max_input_size)
    {
      g_autofree char *limit = format_byte_limit (ps->limits.max_input_size);

      parser_fail_at (ps, 1, 1, CM_JSON_ERROR_TOO_LARGE, _("the file is larger than %s"), limit);
      return NULL;
    }

  if (utf16_pattern (d, length))
    {
      parser_fail_at (ps, 1, 1, CM_JSON_ERROR_ENCODING,
                      _("the file is in UTF-16 (or UTF-32); only UTF-8 can be read"));
      return NULL;
    }

  p = d;
  if (length >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
    {
      /* Editors do not show the BOM, so columns start after it. */
      p += 3;
      ps->line_start = p;
    }

  p = skip_whitespace (ps, p);
  if (p >= ps->end)
    {
      parser_fail (ps, p, CM_JSON_ERROR_EMPTY, _("the file is empty"));
      return NULL;
    }

  return parse_document (ps, p);
}

CmJsonValue *
cm_json_parse (const char         *data,
               gsize               length,
               const CmJsonLimits *limits,
               guint              *error_line,
               guint              *error_column,
               GError            **error)
{
  const guchar *d = (const guchar *) data;
  CmJsonValue *root;
  Parser ps = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cm_json_limits_init_default (&ps.limits);
  if (limits != NULL)
    {
      if (limits->max_input_size > 0)
        ps.limits.max_input_size = limits->max_input_size;
      if (limits->max_depth > 0)
        ps.limits.max_depth = limits->max_depth;
      if (limits->max_members > 0)
        ps.limits.max_members = limits->max_members;
      if (limits->max_string_length > 0)
        ps.limits.max_string_length = limits->max_string_length;
    }

  ps.error = error;
  ps.end = d + length;
  ps.line = 1;
  ps.line_start = d;

  root = parse_input (&ps, d, length);
  g_assert ((root != NULL) != ps.failed);

  g_free (ps.buf);
  g_free (ps.scratch);
  g_free (ps.frames);
  for (guint i = 0; i < KEY_CACHE_SIZE; i++)
    if (ps.key_cache[i] != NULL)
      key_unref (ps.key_cache[i]);

  if (error_line)
    *error_line = ps.error_line;
  if (error_column)
    *error_column = ps.error_column;
  return root;
}

/* ---- Writer ------------------------------------------------------------ */

typedef struct
{
  GString *out;
  gboolean pretty;
  gsize    line_start;       /* offset in out of the current line */
} Writer;

/* Bytes written as they are inside a string: everything but control
 * characters, '"' and '\\'.  DEL and UTF-8 pass through. */
static const guint8 needs_escape[256] = {
  [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

static void
write_string (GString    *out,
              const char *s,
              gsize       len)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) s;
  const guchar *end = p + len;
  const guchar *run = p;

  g_string_append_c (out, '"');
  for (; p < end; p++)
    {
      if (!needs_escape[*p])
        continue;

      g_string_append_len (out, (const char *) run, p - run);
      run = p + 1;
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          {
            char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf], 0 };

            g_string_append_len (out, esc, 6);
          }
          break;
        }
    }
  g_string_append_len (out, (const char *) run, p - run);
  g_string_append_c (out, '"');
}

static void
write_scalar (GString           *out,
              const CmJsonValue *v)
{
  switch ((CmJsonType) v->type)
    {
    case CM_JSON_NULL:
      g_string_append_len (out, "null", 4);
      break;
    case CM_JSON_BOOLEAN:
      if (BOOLEAN (v)->value)
        g_string_append_len (out, "true", 4);
      else
        g_string_append_len (out, "false", 5);
      break;
    case CM_JSON_NUMBER:
      g_string_append_len (out, NUMBER (v)->text, NUMBER (v)->len);
      break;
    case CM_JSON_STRING:
      write_string (out, STRING (v)->text, STRING (v)->len);
      break;
    case CM_JSON_ARRAY:
    case CM_JSON_OBJECT:
    default:
      g_assert_not_reached ();
    }
}

static void
write_newline (Writer *w,
               guint   depth)
{
  g_string_append_c (w->out, '\n');
  w->line_start = w->out->len;
  for (guint i = 0; i < depth; i++)
    g_string_append_len (w->out, "  ", 2);
}

static gsize
count_chars (const char *s,
             gsize       len)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    n += ((guchar) s[i] & 0xc0) != 0x80;
  return n;
}

/* In pretty mode a short array of scalars goes on one line, the way
 * coordinates or tags are written by hand.  Returns FALSE, leaving the
 * output untouched, if the array does not qualify or the line would pass
 * 80 columns (counting a comma after it). */
static gboolean
try_write_inline_array (Writer            *w,
                        const CmJsonValue *array,
                        gboolean           comma_follows)
{
  gsize mark = w->out->len;

  for (guint i = 0; i < ARRAY (array)->len; i++)
    if (is_container (ARRAY (array)->items[i]))
      return FALSE;

  g_string_append_c (w->out, '[');
  for (guint i = 0; i < ARRAY (array)->len; i++)
    {
      if (i > 0)
        g_string_append_len (w->out, ", ", 2);
      write_scalar (w->out, ARRAY (array)->items[i]);
      if (w->out->len - w->line_start > 4 * 80)
        break;    /* long enough to know it will not fit */
    }
  g_string_append_c (w->out, ']');

  if (count_chars (w->out->str + w->line_start, w->out->len - w->line_start) +
      (comma_follows ? 1 : 0) > 80)
    {
      g_string_truncate (w->out, mark);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const CmJsonValue *container;
  guint              next;
} WriteFrame;

char *
cm_json_write (const CmJsonValue *value,
               gboolean           pretty,
               gsize             *length)
{
  g_autoptr(GArray) stack = NULL;
  Writer w = { NULL, pretty, 0 };
  const CmJsonValue *v = value;

  g_return_val_if_fail (value != NULL, NULL);

  w.out = g_string_sized_new (256);
  stack = g_array_new (FALSE, FALSE, sizeof (WriteFrame));

  /* Iterative, like freeing: values built in code may nest arbitrarily. */
  for (;;)
    {
      /* Open @v. */
      if (!is_container (v))
        {
          write_scalar (w.out, v);
        }
      else if (v->type == CM_JSON_ARRAY && ARRAY (v)->len == 0)
        {
          g_string_append_len (w.out, "[]", 2);
        }
      else if (v->type == CM_JSON_OBJECT && OBJECT (v)->len == 0)
        {
          g_string_append_len (w.out, "{}", 2);
        }
      else
        {
          gboolean comma_follows = FALSE;

          if (stack->len > 0)
            {
              const WriteFrame *parent = &g_array_index (stack, WriteFrame, stack->len - 1);
              comma_follows = parent->next < container_length (parent->container);
            }

          if (!(pretty && v->type == CM_JSON_ARRAY && try_write_inline_array (&w, v, comma_follows)))
            {
              WriteFrame frame = { v, 0 };

              g_string_append_c (w.out, v->type == CM_JSON_ARRAY ? '[' : '{');
              g_array_append_val (stack, frame);
            }
        }

      /* Find the next value to open, closing finished containers. */
      v = NULL;
      while (stack->len > 0)
        {
          WriteFrame *top = &g_array_index (stack, WriteFrame, stack->len - 1);
          const CmJsonValue *c = top->container;
          guint len = container_length (c);

          if (top->next < len)
            {
              guint i = top->next++;

              if (i > 0)
                g_string_append_c (w.out, ',');
              if (pretty)
                write_newline (&w, stack->len);
              if (c->type == CM_JSON_ARRAY)
                {
                  v = ARRAY (c)->items[i];
                }
              else
                {
                  const Member *m = &OBJECT (c)->members[i];

                  write_string (w.out, m->key->str, m->key->len);
                  if (pretty)
                    g_string_append_len (w.out, ": ", 2);
                  else
                    g_string_append_c (w.out, ':');
                  v = m->value;
                }
              break;
            }

          g_array_set_size (stack, stack->len - 1);
          if (pretty)
            write_newline (&w, stack->len);
          g_string_append_c (w.out, c->type == CM_JSON_ARRAY ? ']' : '}');
        }

      if (v == NULL)
        break;
    }

  g_string_append_c (w.out, '\n');
  if (length)
    *length = w.out->len;
  return g_string_free (w.out, FALSE);
}
