/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#include "cm-json.h"

/* ---- Helpers ----------------------------------------------------------- */

static CmJsonValue *
parse_len (const char *text,
           gsize       len,
           GError    **error)
{
  return cm_json_parse (text, len, NULL, NULL, NULL, error);
}

static CmJsonValue *
parse (const char *text,
       GError    **error)
{
  return parse_len (text, strlen (text), error);
}

/* Parses @text, which must succeed. */
static CmJsonValue *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  CmJsonValue *v = parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (v);
  return v;
}

/* A message the user will read: valid UTF-8, no control characters. */
static void
assert_message_is_clean (const char *message)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      g_assert_false (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f));
    }
}

/* Checks the "LINE:COLUMN: sentence" form and that it agrees with the
 * positions returned separately. */
static void
assert_error_position (const GError *error,
                       guint         line,
                       guint         column)
{
  const char *p;
  char *end;
  guint64 l, c;

  g_assert_nonnull (error);
  /* Strictly DIGITS ':' DIGITS ': ' and then a sentence. */
  p = error->message;
  g_assert_true (g_ascii_isdigit (*p));
  l = g_ascii_strtoull (p, &end, 10);
  g_assert_true (*end == ':' && g_ascii_isdigit (end[1]));
  c = g_ascii_strtoull (end + 1, &end, 10);
  g_assert_true (end[0] == ':' && end[1] == ' ' && end[2] != '\0' && end[2] != ' ');
  g_assert_cmpuint (l, >=, 1);
  g_assert_cmpuint (c, >=, 1);
  assert_message_is_clean (error->message);
  if (line != 0)
    {
      g_assert_cmpuint (l, ==, line);
      g_assert_cmpuint (c, ==, column);
    }
}

/* Parses @text, which must fail with @code at @line:@column (0: any
 * position), with @fragment (nullable) in the message. */
static void
assert_refused_len (const char *text,
                    gsize       len,
                    CmJsonError code,
                    guint       line,
                    guint       column,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;
  guint error_line = 0, error_column = 0;
  CmJsonValue *v = cm_json_parse (text, len, NULL, &error_line, &error_column, &error);

  g_assert_null (v);
  g_assert_error (error, CM_JSON_ERROR, (gint) code);
  assert_error_position (error, line, column);
  g_assert_cmpuint (error_line, >=, 1);
  g_assert_cmpuint (error_column, >=, 1);
  if (line != 0)
    {
      g_assert_cmpuint (error_line, ==, line);
      g_assert_cmpuint (error_column, ==, column);
    }
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, fragment);
}

static void
assert_refused (const char *text,
                CmJsonError code,
                guint       line,
                guint       column,
                const char *fragment)
{
  assert_refused_len (text, strlen (text), code, line, column, fragment);
}

/* Structural equality; numbers compare as doubles (bit for bit, so -0 is
 * not 0) and, when @same_text, also by their text. */
static gboolean
json_equal (const CmJsonValue *a,
            const CmJsonValue *b,
            gboolean           same_text)
{
  CmJsonType type = cm_json_value_get_value_type (a);

  if (type != cm_json_value_get_value_type (b))
    return FALSE;

  switch (type)
    {
    case CM_JSON_NULL:
      return TRUE;
    case CM_JSON_BOOLEAN:
      return cm_json_value_get_boolean (a) == cm_json_value_get_boolean (b);
    case CM_JSON_NUMBER:
      {
        double x = cm_json_value_get_number (a), y = cm_json_value_get_number (b);

        if (memcmp (&x, &y, sizeof x) != 0)
          return FALSE;
        return !same_text || g_str_equal (cm_json_value_get_number_text (a),
                                          cm_json_value_get_number_text (b));
      }
    case CM_JSON_STRING:
      return cm_json_value_get_string_length (a) == cm_json_value_get_string_length (b) &&
             memcmp (cm_json_value_get_string (a), cm_json_value_get_string (b),
                     cm_json_value_get_string_length (a)) == 0;
    case CM_JSON_ARRAY:
      if (cm_json_array_get_length (a) != cm_json_array_get_length (b))
        return FALSE;
      for (guint i = 0; i < cm_json_array_get_length (a); i++)
        if (!json_equal (cm_json_array_get (a, i), cm_json_array_get (b, i), same_text))
          return FALSE;
      return TRUE;
    case CM_JSON_OBJECT:
      if (cm_json_object_get_size (a) != cm_json_object_get_size (b))
        return FALSE;
      for (guint i = 0; i < cm_json_object_get_size (a); i++)
        if (!g_str_equal (cm_json_object_get_key (a, i), cm_json_object_get_key (b, i)) ||
            !json_equal (cm_json_object_get_value (a, i), cm_json_object_get_value (b, i), same_text))
          return FALSE;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Every string and key is valid UTF-8 of the length it claims (so no NUL). */
static void
assert_strings_clean (const CmJsonValue *v)
{
  switch (cm_json_value_get_value_type (v))
    {
    case CM_JSON_STRING:
      g_assert_true (g_utf8_validate (cm_json_value_get_string (v),
                                      (gssize) cm_json_value_get_string_length (v), NULL));
      g_assert_cmpuint (strlen (cm_json_value_get_string (v)), ==,
                        cm_json_value_get_string_length (v));
      break;
    case CM_JSON_ARRAY:
      for (guint i = 0; i < cm_json_array_get_length (v); i++)
        assert_strings_clean (cm_json_array_get (v, i));
      break;
    case CM_JSON_OBJECT:
      for (guint i = 0; i < cm_json_object_get_size (v); i++)
        {
          g_assert_true (g_utf8_validate (cm_json_object_get_key (v, i), -1, NULL));
          assert_strings_clean (cm_json_object_get_value (v, i));
        }
      break;
    case CM_JSON_NULL:
    case CM_JSON_BOOLEAN:
    case CM_JSON_NUMBER:
    default:
      break;
    }
}

/* parse -> write -> parse gives the same tree, numbers with the same text,
 * in both styles; writing again gives the same bytes. */
static void
assert_round_trip (const CmJsonValue *v)
{
  for (int pretty = 0; pretty <= 1; pretty++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmJsonValue) again = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text2 = NULL;
      gsize len = 0, len2 = 0;

      text = cm_json_write (v, pretty, &len);
      g_assert_cmpuint (len, ==, strlen (text));
      g_assert_true (g_str_has_suffix (text, "\n"));
      g_assert_true (g_utf8_validate (text, (gssize) len, NULL));
      again = parse_len (text, len, &error);
      g_assert_no_error (error);
      g_assert_true (json_equal (v, again, TRUE));
      text2 = cm_json_write (again, pretty, &len2);
      g_assert_cmpstr (text, ==, text2);
    }
}

static char *
shared_dir (void)
{
  const char *dir = g_getenv ("CM_SHARED_DIR");
  const char *root = g_getenv ("CM_SOURCE_ROOT");

  if (dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_strdup (dir);
  if (root != NULL)
    {
      g_autofree char *fallback = g_build_filename (root, "..", "shared", NULL);

      if (g_file_test (fallback, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&fallback);
    }
  return NULL;
}

static char *
corpus_dir (const char *sub)
{
  g_autofree char *shared = shared_dir ();

  if (shared == NULL)
    return NULL;
  return g_build_filename (shared, "corpora", "jsontestsuite", sub, NULL);
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted names of the files in test_parsing/ that start with @prefix. */
static GPtrArray *
list_corpus (const char *sub,
             const char *prefix)
{
  g_autofree char *dir_path = corpus_dir (sub);
  g_autoptr(GDir) dir = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir_path == NULL || (dir = g_dir_open (dir_path, 0, NULL)) == NULL)
    return names;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  return names;
}

/* ---- The JSONTestSuite corpus ------------------------------------------ */

typedef struct
{
  CmJsonValue *value;
  GError      *error;
  guint        line;
  guint        column;
  gint64       usec;
} ParseResult;

static void
parse_file (const char  *path,
            ParseResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  gint64 start;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  memset (result, 0, sizeof *result);
  start = g_get_monotonic_time ();
  result->value = cm_json_parse (contents, len, NULL, &result->line, &result->column, &result->error);
  result->usec = g_get_monotonic_time () - start;

  /* Upstream allows 5 s; a strict parser has no business near even 1 s. */
  if (result->usec > G_USEC_PER_SEC)
    g_error ("%s took %" G_GINT64_FORMAT " us", path, result->usec);
  g_assert_true ((result->value == NULL) != (result->error == NULL));
  if (result->value != NULL)
    assert_strings_clean (result->value);
  else
    {
      g_assert_cmpuint (result->line, >=, 1);
      g_assert_cmpuint (result->column, >=, 1);
      assert_error_position (result->error, result->line, result->column);
    }
}

static void
clear_result (ParseResult *result)
{
  g_clear_pointer (&result->value, cm_json_value_unref);
  g_clear_error (&result->error);
}

static gboolean
require_corpus (GPtrArray *files,
                guint      expected)
{
  if (files->len == 0)
    {
      g_test_skip ("JSONTestSuite corpus not found (set CM_SHARED_DIR)");
      return FALSE;
    }
  g_assert_cmpuint (files->len, ==, expected);
  return TRUE;
}

/* The y_ files FORMAT.md refuses on purpose, and the only ones we refuse:
 * RFC 8259 only says object names SHOULD be unique, but tools disagree on
 * which duplicate wins; and an escaped NUL cannot be kept in a C string,
 * a GTK label or most tools, which would cut the text short. */
static const struct
{
  const char *name;
  CmJsonError code;
} accept_exceptions[] = {
  { "y_object_duplicated_key.json", CM_JSON_ERROR_DUPLICATE_KEY },
  { "y_object_duplicated_key_and_value.json", CM_JSON_ERROR_DUPLICATE_KEY },
  { "y_object_escaped_null_in_key.json", CM_JSON_ERROR_ENCODING },
  { "y_string_null_escape.json", CM_JSON_ERROR_ENCODING },
};

/* Returns the error code expected for @path, or -1 if it must parse. */
static int
accept_exception (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  for (guint i = 0; i < G_N_ELEMENTS (accept_exceptions); i++)
    if (g_str_equal (name, accept_exceptions[i].name))
      return (int) accept_exceptions[i].code;
  return -1;
}

static void
test_corpus_accept (void)
{
  g_autoptr(GPtrArray) files = list_corpus ("test_parsing", "y_");
  guint accepted = 0, exceptions = 0;
  gint64 slowest = 0;

  if (!require_corpus (files, 95))
    return;

  for (guint i = 0; i < files->len; i++)
    {
      int code = accept_exception (files->pdata[i]);
      ParseResult r;

      parse_file (files->pdata[i], &r);
      if (code >= 0)
        {
          g_assert_null (r.value);
          g_assert_error (r.error, CM_JSON_ERROR, code);
          g_test_message ("%s: refused by design: %s", (char *) files->pdata[i], r.error->message);
          exceptions++;
        }
      else
        {
          if (r.value == NULL)
            g_error ("%s refused: %s", (char *) files->pdata[i], r.error->message);
          assert_round_trip (r.value);
          accepted++;
        }
      slowest = MAX (slowest, r.usec);
      clear_result (&r);
    }
  g_assert_cmpuint (exceptions, ==, G_N_ELEMENTS (accept_exceptions));
  g_test_message ("y_: %u of %u accepted and round-tripped, %u refused by design "
                  "(duplicate keys, escaped NUL: FORMAT.md); slowest %" G_GINT64_FORMAT " us",
                  accepted, files->len, exceptions, slowest);
}

static void
test_corpus_refuse (void)
{
  g_autoptr(GPtrArray) files = list_corpus ("test_parsing", "n_");
  guint per_code[CM_JSON_ERROR_TOO_LARGE + 1] = { 0 };
  gint64 slowest = 0;

  if (!require_corpus (files, 188))
    return;

  for (guint i = 0; i < files->len; i++)
    {
      ParseResult r;

      parse_file (files->pdata[i], &r);
      if (r.value != NULL)
        g_error ("%s wrongly accepted", (char *) files->pdata[i]);
      g_assert_true (r.error->domain == CM_JSON_ERROR);
      per_code[r.error->code]++;
      slowest = MAX (slowest, r.usec);
      clear_result (&r);
    }
  g_test_message ("n_: %u of %u refused (syntax %u, empty %u, encoding %u, number range %u, "
                  "too deep %u); slowest %" G_GINT64_FORMAT " us",
                  files->len, files->len, per_code[CM_JSON_ERROR_SYNTAX],
                  per_code[CM_JSON_ERROR_EMPTY], per_code[CM_JSON_ERROR_ENCODING],
                  per_code[CM_JSON_ERROR_NUMBER_RANGE], per_code[CM_JSON_ERROR_TOO_DEEP], slowest);
}

/* What we decided for each implementation-defined case.  -1: accepted. */
static const struct
{
  const char *name;
  int         code;
} implementation_defined[] = {
  { "i_number_double_huge_neg_exp.json", -1 },           /* underflows to 0 */
  { "i_number_huge_exp.json", CM_JSON_ERROR_NUMBER_RANGE },
  { "i_number_neg_int_huge_exp.json", CM_JSON_ERROR_NUMBER_RANGE },
  { "i_number_pos_double_huge_exp.json", CM_JSON_ERROR_NUMBER_RANGE },
  { "i_number_real_neg_overflow.json", CM_JSON_ERROR_NUMBER_RANGE },
  { "i_number_real_pos_overflow.json", CM_JSON_ERROR_NUMBER_RANGE },
  { "i_number_real_underflow.json", -1 },
  { "i_number_too_big_neg_int.json", -1 },               /* nearest double */
  { "i_number_too_big_pos_int.json", -1 },
  { "i_number_very_big_negative_int.json", -1 },
  { "i_object_key_lone_2nd_surrogate.json", CM_JSON_ERROR_ENCODING },
  { "i_string_1st_surrogate_but_2nd_missing.json", CM_JSON_ERROR_ENCODING },
  { "i_string_1st_valid_surrogate_2nd_invalid.json", CM_JSON_ERROR_ENCODING },
  { "i_string_UTF-16LE_with_BOM.json", CM_JSON_ERROR_ENCODING },
  { "i_string_UTF-8_invalid_sequence.json", CM_JSON_ERROR_ENCODING },
  { "i_string_UTF8_surrogate_U+D800.json", CM_JSON_ERROR_ENCODING },
  { "i_string_incomplete_surrogate_and_escape_valid.json", CM_JSON_ERROR_ENCODING },
  { "i_string_incomplete_surrogate_pair.json", CM_JSON_ERROR_ENCODING },
  { "i_string_incomplete_surrogates_escape_valid.json", CM_JSON_ERROR_ENCODING },
  { "i_string_invalid_lonely_surrogate.json", CM_JSON_ERROR_ENCODING },
  { "i_string_invalid_surrogate.json", CM_JSON_ERROR_ENCODING },
  { "i_string_invalid_utf-8.json", CM_JSON_ERROR_ENCODING },
  { "i_string_inverted_surrogates_U+1D11E.json", CM_JSON_ERROR_ENCODING },
  { "i_string_iso_latin_1.json", CM_JSON_ERROR_ENCODING },
  { "i_string_lone_second_surrogate.json", CM_JSON_ERROR_ENCODING },
  { "i_string_lone_utf8_continuation_byte.json", CM_JSON_ERROR_ENCODING },
  { "i_string_not_in_unicode_range.json", CM_JSON_ERROR_ENCODING },
  { "i_string_overlong_sequence_2_bytes.json", CM_JSON_ERROR_ENCODING },
  { "i_string_overlong_sequence_6_bytes.json", CM_JSON_ERROR_ENCODING },
  { "i_string_overlong_sequence_6_bytes_null.json", CM_JSON_ERROR_ENCODING },
  { "i_string_truncated-utf-8.json", CM_JSON_ERROR_ENCODING },
  { "i_string_utf16BE_no_BOM.json", CM_JSON_ERROR_ENCODING },
  { "i_string_utf16LE_no_BOM.json", CM_JSON_ERROR_ENCODING },
  { "i_structure_500_nested_arrays.json", CM_JSON_ERROR_TOO_DEEP },  /* limit 128 */
  { "i_structure_UTF-8_BOM_empty_object.json", -1 },
};

static void
test_corpus_implementation_defined (void)
{
  g_autoptr(GPtrArray) files = list_corpus ("test_parsing", "i_");
  guint accepted = 0, refused = 0;

  if (!require_corpus (files, 35))
    return;

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_path_get_basename (files->pdata[i]);
      int expected = -2;
      ParseResult r;

      parse_file (files->pdata[i], &r);
      for (guint j = 0; j < G_N_ELEMENTS (implementation_defined); j++)
        if (g_str_equal (name, implementation_defined[j].name))
          expected = implementation_defined[j].code;

      if (r.value != NULL)
        accepted++;
      else
        refused++;
      g_test_message ("%s: %s", name, r.value != NULL ? "accepted" : r.error->message);

      if (expected == -1 && r.value == NULL)
        g_error ("%s: expected to be accepted, got %s", name, r.error->message);
      if (expected >= 0)
        {
          if (r.value != NULL)
            g_error ("%s: expected to be refused", name);
          g_assert_error (r.error, CM_JSON_ERROR, expected);
        }
      clear_result (&r);
    }
  g_test_message ("i_: %u accepted, %u refused, no crash", accepted, refused);
}

/* ---- test_transform: what we do where parsers disagree ------------------ */

static CmJsonValue *
parse_transform (const char *name,
                 GError    **error)
{
  g_autofree char *dir = corpus_dir ("test_transform");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, name, NULL);
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return cm_json_parse (contents, len, NULL, NULL, NULL, error);
}

static gboolean
transform_available (void)
{
  g_autofree char *dir = corpus_dir ("test_transform");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("JSONTestSuite corpus not found (set CM_SHARED_DIR)");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *file;
  const char *text;     /* the number's text, kept as written */
  double      value;    /* the double it reads as */
  gboolean    integer;
  const char *what;
} NumberTransform;

static const NumberTransform number_transforms[] = {
  { "number_-9223372036854775808.json", "-9223372036854775808", -9223372036854775808.0, TRUE,
    "INT64_MIN is exact as a double" },
  { "number_-9223372036854775809.json", "-9223372036854775809", -9223372036854775808.0, TRUE,
    "beyond int64: the nearest double, no wrap-around" },
  { "number_1.0.json", "1.0", 1.0, TRUE, "1.0 is an integer and is written back as 1.0" },
  { "number_1.000000000000000005.json", "1.000000000000000005", 1.0, FALSE,
    "reads as 1.0 but is not an integer (decided on the exact text)" },
  { "number_1000000000000000.json", "1000000000000000", 1e15, TRUE, "exact" },
  { "number_10000000000000000999.json", "10000000000000000999", 10000000000000000999.0, TRUE,
    "beyond uint64: the nearest double, no wrap-around" },
  { "number_1e-999.json", "1E-999", 0.0, FALSE, "underflow is accepted and reads as 0" },
  { "number_1e6.json", "1E6", 1e6, TRUE, "exponent form is an integer" },
  { "number_9223372036854775807.json", "9223372036854775807", 9223372036854775808.0, TRUE,
    "INT64_MAX rounds to 2^63" },
  { "number_9223372036854775808.json", "9223372036854775808", 9223372036854775808.0, TRUE,
    "2^63 is exact" },
};

static void
test_transform_number (gconstpointer data)
{
  const NumberTransform *t = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) root = NULL;
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  CmJsonValue *n;

  if (!transform_available ())
    return;
  root = parse_transform (t->file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  n = cm_json_array_get (root, 0);
  g_assert_cmpstr (cm_json_value_get_number_text (n), ==, t->text);
  g_assert_cmpfloat (cm_json_value_get_number (n), ==, t->value);
  g_assert_cmpint (cm_json_value_is_integer (n), ==, t->integer);
  written = cm_json_write (root, FALSE, NULL);
  expected = g_strdup_printf ("[%s]\n", t->text);
  g_assert_cmpstr (written, ==, expected);
  g_test_message ("%s: %s", t->file, t->what);
}

static void
test_transform_keys_not_normalized (void)
{
  const char *files[] = { "object_key_nfc_nfd.json", "object_key_nfd_nfc.json" };

  if (!transform_available ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmJsonValue) root = parse_transform (files[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (cm_json_object_get_size (root), ==, 2);
      g_assert_cmpstr (cm_json_value_get_string (cm_json_object_lookup (root, "\xc3\xa9")), ==, "NFC");
      g_assert_cmpstr (cm_json_value_get_string (cm_json_object_lookup (root, "e\xcc\x81")), ==, "NFD");
    }
  g_test_message ("NFC and NFD spellings of a key are different keys, kept in file order, "
                  "never normalized");
}

static void
test_transform_duplicate_keys (void)
{
  const char *files[] = {
    "object_same_key_different_values.json",
    "object_same_key_same_value.json",
    "object_same_key_unclear_values.json",
  };

  if (!transform_available ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmJsonValue) root = parse_transform (files[i], &error);

      g_assert_null (root);
      g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_DUPLICATE_KEY);
      g_assert_nonnull (strstr (error->message, "\"a\""));
    }
  g_test_message ("a key twice in one object is refused, even with the same value: "
                  "tools disagree on which one wins");
}

static void
test_transform_invalid_code_points (void)
{
  const char *escaped[] = {
    "string_1_escaped_invalid_codepoint.json",
    "string_2_escaped_invalid_codepoints.json",
    "string_3_escaped_invalid_codepoints.json",
  };
  const char *raw[] = {
    "string_1_invalid_codepoint.json",
    "string_2_invalid_codepoints.json",
    "string_3_invalid_codepoints.json",
  };

  if (!transform_available ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (escaped); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmJsonValue) root = parse_transform (escaped[i], &error);

      g_assert_null (root);
      g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_ENCODING);
      g_assert_cmpstr (error->message, ==, "1:3: a lone UTF-16 surrogate \\uD800 cannot be kept");
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmJsonValue) root = parse_transform (raw[i], &error);

      g_assert_null (root);
      g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_ENCODING);
      assert_error_position (error, 1, 3);
    }
  g_test_message ("lone surrogates, escaped or encoded in UTF-8, are refused: they cannot be "
                  "kept in valid UTF-8");
}

static void
test_transform_escaped_nul (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) root = NULL;

  if (!transform_available ())
    return;
  root = parse_transform ("string_with_escaped_NULL.json", &error);
  g_assert_null (root);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "1:4: an escaped NUL (\\u0000) is not allowed");
  g_test_message ("\\u0000 is refused rather than cutting the string short");
}

/* ---- The traps, one each ----------------------------------------------- */

static void
test_trap_comments (void)
{
  assert_refused ("/* c */ {}", CM_JSON_ERROR_SYNTAX, 1, 1, "comments");
  assert_refused ("{} // c", CM_JSON_ERROR_SYNTAX, 1, 4, "comments");
  assert_refused ("[1, /* two */ 2]", CM_JSON_ERROR_SYNTAX, 1, 5, "comments");
  assert_refused ("[1 # c\n]", CM_JSON_ERROR_SYNTAX, 1, 4, NULL);
}

static void
test_trap_single_quotes (void)
{
  assert_refused ("['a']", CM_JSON_ERROR_SYNTAX, 1, 2, "double quotes");
  assert_refused ("{'a': 1}", CM_JSON_ERROR_SYNTAX, 1, 2, "double quotes");
  assert_refused ("{a: 1}", CM_JSON_ERROR_SYNTAX, 1, 2, "double quotes");
}

static void
test_trap_leading_zero (void)
{
  assert_refused ("[012]", CM_JSON_ERROR_SYNTAX, 1, 2, "leading zero");
  assert_refused ("[-012]", CM_JSON_ERROR_SYNTAX, 1, 3, "leading zero");
  assert_refused ("[00]", CM_JSON_ERROR_SYNTAX, 1, 2, "leading zero");
}

static void
test_trap_hex (void)
{
  assert_refused ("[0x42]", CM_JSON_ERROR_SYNTAX, 1, 2, "hexadecimal");
  assert_refused ("[0X42]", CM_JSON_ERROR_SYNTAX, 1, 2, "hexadecimal");
}

static void
test_trap_number_forms (void)
{
  assert_refused ("[+1]", CM_JSON_ERROR_SYNTAX, 1, 2, "'+'");
  assert_refused ("[.5]", CM_JSON_ERROR_SYNTAX, 1, 2, "decimal point");
  assert_refused ("[1.]", CM_JSON_ERROR_SYNTAX, 1, 4, "decimal point");
  assert_refused ("[1.e5]", CM_JSON_ERROR_SYNTAX, 1, 4, "decimal point");
  assert_refused ("[1e]", CM_JSON_ERROR_SYNTAX, 1, 4, "exponent");
  assert_refused ("[1e+]", CM_JSON_ERROR_SYNTAX, 1, 5, "exponent");
  assert_refused ("[-]", CM_JSON_ERROR_SYNTAX, 1, 3, "'-'");
  assert_refused ("[NaN]", CM_JSON_ERROR_SYNTAX, 1, 2, "NaN and Infinity");
  assert_refused ("[Infinity]", CM_JSON_ERROR_SYNTAX, 1, 2, "NaN and Infinity");
  assert_refused ("[-Infinity]", CM_JSON_ERROR_SYNTAX, 1, 2, "NaN and Infinity");
  assert_refused ("[1 2]", CM_JSON_ERROR_SYNTAX, 1, 4, "expected ',' or ']'");
}

static void
test_trap_raw_control_characters (void)
{
  assert_refused ("[\"a\tb\"]", CM_JSON_ERROR_SYNTAX, 1, 4, "\\t");
  assert_refused ("[\"a\nb\"]", CM_JSON_ERROR_SYNTAX, 1, 4, "line break");
  assert_refused ("[\"a\x01" "b\"]", CM_JSON_ERROR_SYNTAX, 1, 4, "U+0001");
  assert_refused_len ("[\"a\0b\"]", 7, CM_JSON_ERROR_SYNTAX, 1, 4, "U+0000");
}

static void
test_trap_unknown_escape (void)
{
  assert_refused ("[\"\\a\"]", CM_JSON_ERROR_SYNTAX, 1, 3, "'a'");
  assert_refused ("[\"\\x41\"]", CM_JSON_ERROR_SYNTAX, 1, 3, "escape");
  assert_refused ("[\"\\'\"]", CM_JSON_ERROR_SYNTAX, 1, 3, "escape");
  assert_refused ("[\"\\u12\"]", CM_JSON_ERROR_SYNTAX, 1, 3, "four hexadecimal digits");
  assert_refused ("[\"\\\xc3\xa9\"]", CM_JSON_ERROR_SYNTAX, 1, 3, "U+00E9");
}

static void
test_trap_empty (void)
{
  assert_refused_len ("", 0, CM_JSON_ERROR_EMPTY, 1, 1, "the file is empty");
  assert_refused_len (NULL, 0, CM_JSON_ERROR_EMPTY, 1, 1, "the file is empty");
}

static void
test_trap_whitespace_only (void)
{
  assert_refused (" \t\r\n  \n", CM_JSON_ERROR_EMPTY, 3, 1, "the file is empty");
}

static void
test_trap_bom_only (void)
{
  g_autoptr(CmJsonValue) v = NULL;

  assert_refused ("\xef\xbb\xbf", CM_JSON_ERROR_EMPTY, 1, 1, "the file is empty");
  assert_refused ("\xef\xbb\xbf  ", CM_JSON_ERROR_EMPTY, 1, 3, "the file is empty");
  /* A BOM before a document is fine, and columns start after it. */
  v = parse_ok ("\xef\xbb\xbf {}");
  g_assert_cmpuint (cm_json_value_get_column (v), ==, 2);
  /* Only one BOM. */
  assert_refused ("\xef\xbb\xbf\xef\xbb\xbf{}", CM_JSON_ERROR_SYNTAX, 1, 1, "U+FEFF");
}

static void
test_trap_second_document (void)
{
  assert_refused ("[] []", CM_JSON_ERROR_SYNTAX, 1, 4, "only one JSON value");
  assert_refused ("{}\n{}", CM_JSON_ERROR_SYNTAX, 2, 1, "only one JSON value");
  assert_refused ("1 2", CM_JSON_ERROR_SYNTAX, 1, 3, NULL);
  assert_refused ("{}}", CM_JSON_ERROR_SYNTAX, 1, 3, NULL);
}

static char *
repeat (const char *unit,
        guint       times,
        const char *tail)
{
  GString *s = g_string_sized_new (strlen (unit) * times + 16);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  if (tail)
    g_string_append (s, tail);
  return g_string_free (s, FALSE);
}

static void
test_trap_deep_arrays (void)
{
  g_autofree char *deep = repeat ("[", 100000, NULL);
  g_autofree char *closed = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *over = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(CmJsonValue) v = NULL;

  assert_refused (deep, CM_JSON_ERROR_TOO_DEEP, 1, 129, "nesting deeper than 128 levels");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Exactly at the limit is fine; one more is not. */
  limit = repeat ("[", 128, NULL);
  closed = repeat ("]", 128, NULL);
  {
    g_autofree char *doc = g_strconcat (limit, closed, NULL);

    v = parse_ok (doc);
  }
  over = g_strconcat ("[", limit, closed, "]", NULL);
  assert_refused (over, CM_JSON_ERROR_TOO_DEEP, 1, 129, NULL);
}

static void
test_trap_deep_objects (void)
{
  g_autofree char *deep = repeat ("{\"a\":", 100000, NULL);

  assert_refused (deep, CM_JSON_ERROR_TOO_DEEP, 1, 1 + 5 * 128, "nesting deeper than 128 levels");
}

static void
test_trap_deep_custom_limit (void)
{
  CmJsonLimits limits = { .max_depth = 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) ok = cm_json_parse ("[[[1]]]", 7, &limits, NULL, NULL, &error);
  g_autoptr(CmJsonValue) bad = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  bad = cm_json_parse ("[[[[1]]]]", 9, &limits, NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "1:4: nesting deeper than 3 levels");
}

/* Keys that all collide under GLib's g_str_hash (h * 33 + c): the blocks
 * "aX" and "b7" hash alike, so any sequence of them does too. */
static char *
colliding_key (guint n)
{
  GString *s = g_string_new (NULL);

  for (int bit = 13; bit >= 0; bit--)
    g_string_append (s, (n >> bit) & 1 ? "b7" : "aX");
  return g_string_free (s, FALSE);
}

static char *
object_with_members (guint count)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *key = colliding_key (i);

      g_string_append_printf (s, "%s\"%s\": %u", i ? ",\n" : "", key, i);
    }
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

static void
test_trap_colliding_keys (void)
{
  g_autofree char *doc = object_with_members (9999);
  g_autofree char *k0 = colliding_key (0);
  g_autofree char *k1 = colliding_key (1);
  g_autoptr(CmJsonValue) v = NULL;
  gint64 start;

  g_assert_cmpuint (g_str_hash (k0), ==, g_str_hash (k1));

  start = g_get_monotonic_time ();
  v = parse_ok (doc);
  for (guint i = 0; i < 9999; i++)
    {
      g_autofree char *key = colliding_key (i);
      CmJsonValue *member = cm_json_object_lookup (v, key);

      g_assert_nonnull (member);
      g_assert_cmpfloat (cm_json_value_get_number (member), ==, i);
    }
  g_assert_cmpuint (cm_json_object_get_size (v), ==, 9999);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_test_message ("9999 colliding keys parsed and looked up in %" G_GINT64_FORMAT " us",
                  g_get_monotonic_time () - start);
}

static void
test_trap_too_many_members (void)
{
  g_autofree char *ok_doc = object_with_members (10000);
  g_autofree char *bad_doc = object_with_members (10001);
  g_autoptr(CmJsonValue) v = parse_ok (ok_doc);

  g_assert_cmpuint (cm_json_object_get_size (v), ==, 10000);
  /* The 10 001st key is on line 10 001. */
  assert_refused (bad_doc, CM_JSON_ERROR_TOO_MANY_MEMBERS, 10001, 1,
                  "an object with more than 10000 members");
}

static void
test_trap_escaped_nul (void)
{
  assert_refused ("[\"russia\\u0000x\"]", CM_JSON_ERROR_ENCODING, 1, 9,
                  "an escaped NUL (\\u0000) is not allowed");
  assert_refused ("{\"a\\u0000\": 1}", CM_JSON_ERROR_ENCODING, 1, 4, "escaped NUL");
}

static void
test_trap_lone_surrogates (void)
{
  g_autoptr(CmJsonValue) pair = NULL;

  assert_refused ("[\"\\uD800\"]", CM_JSON_ERROR_ENCODING, 1, 3,
                  "a lone UTF-16 surrogate \\uD800 cannot be kept");
  assert_refused ("[\"\\udc00\"]", CM_JSON_ERROR_ENCODING, 1, 3, "\\uDC00");
  assert_refused ("[\"\\uD800x\"]", CM_JSON_ERROR_ENCODING, 1, 3, "\\uD800");
  assert_refused ("[\"\\uD800\\u0041\"]", CM_JSON_ERROR_ENCODING, 1, 3, "\\uD800");
  assert_refused ("[\"\\uD800\\uD800\"]", CM_JSON_ERROR_ENCODING, 1, 3, "\\uD800");
  assert_refused ("[\"ab\\uDE00\\uD83D\"]", CM_JSON_ERROR_ENCODING, 1, 5, "\\uDE00");
  assert_refused ("[\"\\uD83D\"", CM_JSON_ERROR_ENCODING, 1, 3, "\\uD83D");

  pair = parse_ok ("[\"\\uD83D\\uDE00 \\u00e9\\u20AC\"]");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_array_get (pair, 0)), ==,
                   "\xf0\x9f\x98\x80 \xc3\xa9\xe2\x82\xac");
}

static void
test_trap_invalid_utf8 (void)
{
  assert_refused ("[\"\xc0\xaf\"]", CM_JSON_ERROR_ENCODING, 1, 3, "byte 0xC0");      /* overlong */
  assert_refused ("[\"\xe0\x80\xaf\"]", CM_JSON_ERROR_ENCODING, 1, 3, "byte 0xE0");  /* overlong */
  assert_refused ("[\"\xed\xa0\x80\"]", CM_JSON_ERROR_ENCODING, 1, 3, NULL);         /* surrogate */
  assert_refused ("[\"\xf4\x90\x80\x80\"]", CM_JSON_ERROR_ENCODING, 1, 3, NULL);     /* > U+10FFFF */
  assert_refused ("[\"\x80\"]", CM_JSON_ERROR_ENCODING, 1, 3, "byte 0x80");
  assert_refused ("[\"\xe2\x82\"", CM_JSON_ERROR_ENCODING, 1, 3, NULL);              /* truncated */
  assert_refused ("[\xff]", CM_JSON_ERROR_ENCODING, 1, 2, "byte 0xFF");
  assert_refused ("[1]\xff", CM_JSON_ERROR_ENCODING, 1, 4, "byte 0xFF");
}

static void
test_trap_utf16 (void)
{
  assert_refused_len ("\xff\xfe[\0]\0", 6, CM_JSON_ERROR_ENCODING, 1, 1, "UTF-16");
  assert_refused_len ("\xfe\xff\0[\0]", 6, CM_JSON_ERROR_ENCODING, 1, 1, "UTF-16");
  assert_refused_len ("[\0]\0", 4, CM_JSON_ERROR_ENCODING, 1, 1, "UTF-16");
  assert_refused_len ("\0[\0]", 4, CM_JSON_ERROR_ENCODING, 1, 1, "UTF-16");
  assert_refused_len ("1\0", 2, CM_JSON_ERROR_ENCODING, 1, 1, "UTF-16");
  /* A NUL that is not UTF-16 is just a bad character. */
  assert_refused_len ("[\0]", 3, CM_JSON_ERROR_SYNTAX, 1, 2, "U+0000");
}

static void
test_trap_number_overflow (void)
{
  g_autoptr(CmJsonValue) tiny = NULL;

  assert_refused ("[1e400]", CM_JSON_ERROR_NUMBER_RANGE, 1, 2, "1e400");
  assert_refused ("[-1e400]", CM_JSON_ERROR_NUMBER_RANGE, 1, 2, "-1e400");
  assert_refused ("{\"x\": 1.8e308}", CM_JSON_ERROR_NUMBER_RANGE, 1, 7, NULL);

  tiny = parse_ok ("[1e-400, -1e-400, 5e-324, 1.7976931348623157e308]");
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (tiny, 0)), ==, 0.0);
  g_assert_true (signbit (cm_json_value_get_number (cm_json_array_get (tiny, 1))));
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (tiny, 2)), ==, 5e-324);
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (tiny, 3)), ==, G_MAXDOUBLE);
}

static void
test_trap_big_integer (void)
{
  g_autoptr(CmJsonValue) v = parse_ok ("[100000000000000000000, -100000000000000000000]");

  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (v, 0)), ==, 1e20);
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (v, 1)), ==, -1e20);
  g_assert_true (cm_json_value_is_integer (cm_json_array_get (v, 0)));
  g_assert_cmpstr (cm_json_value_get_number_text (cm_json_array_get (v, 0)), ==,
                   "100000000000000000000");
}

static void
test_trap_duplicate_keys (void)
{
  assert_refused ("{\"a\": 1, \"a\": 2}", CM_JSON_ERROR_DUPLICATE_KEY, 1, 10,
                  "the key \"a\" appears twice in the same object (first on line 1)");
  assert_refused ("{\n  \"id\": 1,\n  \"x\": {\"id\": 2},\n  \"id\": 3\n}",
                  CM_JSON_ERROR_DUPLICATE_KEY, 4, 3, "\"id\" appears twice in the same object (first on line 2)");
  /* Control characters in a key are escaped in the message. */
  assert_refused ("{\"a\\u0001\\n\": 1, \"a\\u0001\\n\": 2}", CM_JSON_ERROR_DUPLICATE_KEY, 1, 0 + 18,
                  "\"a\\u0001\\u000a\"");
  /* The same in the same key spelled with different escapes. */
  assert_refused ("{\"\\u00e9\": 1, \"\xc3\xa9\": 2}", CM_JSON_ERROR_DUPLICATE_KEY, 1, 15, NULL);
}

static void
test_trap_duplicate_keys_large_object (void)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (s, "\"k%u\": %u,\n", i, i);
  g_string_append (s, "\"k17\": 0}");
  assert_refused (s->str, CM_JSON_ERROR_DUPLICATE_KEY, 51, 1,
                  "\"k17\" appears twice in the same object (first on line 18)");
  g_string_free (s, TRUE);
}

static void
test_trap_trailing_commas (void)
{
  assert_refused ("[1,]", CM_JSON_ERROR_SYNTAX, 1, 4, "comma");
  assert_refused ("{\"a\": 1,}", CM_JSON_ERROR_SYNTAX, 1, 9, "comma");
  assert_refused ("[,1]", CM_JSON_ERROR_SYNTAX, 1, 2, "expected a value");
  assert_refused ("{\"a\" 1}", CM_JSON_ERROR_SYNTAX, 1, 6, "expected ':'");
  assert_refused ("{\"a\": 1 \"b\": 2}", CM_JSON_ERROR_SYNTAX, 1, 9, "expected ',' or '}' after an object member");
}

static void
test_trap_truncated (void)
{
  assert_refused ("[", CM_JSON_ERROR_SYNTAX, 1, 2, "the file ends");
  assert_refused ("{\"a\":", CM_JSON_ERROR_SYNTAX, 1, 6, "the file ends");
  assert_refused ("[\"abc", CM_JSON_ERROR_SYNTAX, 1, 6, "string that starts at line 1, column 2");
  assert_refused ("[tru", CM_JSON_ERROR_SYNTAX, 1, 2, "\"tru\"");
  assert_refused ("[truex]", CM_JSON_ERROR_SYNTAX, 1, 2, "\"truex\"");
  assert_refused ("[1,", CM_JSON_ERROR_SYNTAX, 1, 4, "the file ends");
}

static void
test_error_positions (void)
{
  /* Non-ASCII characters before the error count as one column each; lines
   * end at LF, CR LF or a lone CR. */
  const char *doc =
    "{\n"
    "  \"名前\": \"Zoë\",\r\n"
    "  \"città\": [\"日本\", 2 x]\n"
    "}";
  g_autoptr(CmJsonValue) v = NULL;
  CmJsonValue *name;

  assert_refused (doc, CM_JSON_ERROR_SYNTAX, 3, 21, "expected ',' or ']' after an array element, found 'x'");
  assert_refused ("{\"é\": \"ü\" x}", CM_JSON_ERROR_SYNTAX, 1, 11, "found 'x'");
  assert_refused ("[\"é\xff\"]", CM_JSON_ERROR_ENCODING, 1, 4, "byte 0xFF");
  assert_refused ("[1,\r2,\r\r\"ü\" ü]", CM_JSON_ERROR_SYNTAX, 4, 5, "U+00FC");
  assert_refused ("\t\"\t\"", CM_JSON_ERROR_SYNTAX, 1, 3, "\\t");

  v = parse_ok ("{\n  \"名前\": \"Zoë\",\r\n  \"n\":\n\n     [1, \"日本\", true]\n}");
  g_assert_cmpuint (cm_json_value_get_line (v), ==, 1);
  g_assert_cmpuint (cm_json_value_get_column (v), ==, 1);
  name = cm_json_object_lookup (v, "名前");
  g_assert_cmpuint (cm_json_value_get_line (name), ==, 2);
  g_assert_cmpuint (cm_json_value_get_column (name), ==, 9);
  name = cm_json_object_lookup (v, "n");
  g_assert_cmpuint (cm_json_value_get_line (name), ==, 5);
  g_assert_cmpuint (cm_json_value_get_column (name), ==, 6);
  g_assert_cmpuint (cm_json_value_get_column (cm_json_array_get (name, 1)), ==, 10);
  g_assert_cmpuint (cm_json_value_get_column (cm_json_array_get (name, 2)), ==, 16);
}

static void
test_limit_string_length (void)
{
  CmJsonLimits limits = { .max_string_length = 4 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) ok = NULL;
  g_autoptr(CmJsonValue) bad = NULL;
  g_autofree char *huge = NULL;
  gsize huge_len = CM_JSON_DEFAULT_MAX_STRING_LENGTH + 1 + 4;

  /* The limit counts bytes after unescaping: \u00e9\u00e9 is 4 bytes. */
  {
    const char *doc = "[\"\\u00e9\\u00e9\", \"abcd\"]";

    ok = cm_json_parse (doc, strlen (doc), &limits, NULL, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (ok);
  bad = cm_json_parse ("[1, \"abcde\"]", 12, &limits, NULL, NULL, &error);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_STRING_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "1:5: a string longer than 4 bytes");
  g_clear_error (&error);
  bad = cm_json_parse ("{\"abcde\": 1}", 12, &limits, NULL, NULL, &error);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_STRING_TOO_LONG);
  g_clear_error (&error);

  /* The default, 16 MiB. */
  huge = g_malloc (huge_len);
  memset (huge, 'a', huge_len);
  huge[0] = '[';
  huge[1] = '"';
  huge[huge_len - 2] = '"';
  huge[huge_len - 1] = ']';
  bad = cm_json_parse (huge, huge_len, NULL, NULL, NULL, &error);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_STRING_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "1:2: a string longer than 16 MiB");
  g_clear_error (&error);
  /* One byte less is fine. */
  huge[huge_len - 3] = '"';
  huge[huge_len - 2] = ']';
  g_clear_pointer (&ok, cm_json_value_unref);
  ok = cm_json_parse (huge, huge_len - 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cm_json_value_get_string_length (cm_json_array_get (ok, 0)), ==,
                    CM_JSON_DEFAULT_MAX_STRING_LENGTH);
}

static void
test_limit_input_size (void)
{
  CmJsonLimits limits = { .max_input_size = 1024 * 1024 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) v = NULL;
  g_autofree char *doc = g_malloc0 (1024 * 1024 + 1);
  gsize big = CM_JSON_DEFAULT_MAX_INPUT_SIZE + 1;
  void *map;

  memset (doc, ' ', 1024 * 1024 + 1);
  doc[0] = '1';
  v = cm_json_parse (doc, 1024 * 1024 + 1, &limits, NULL, NULL, &error);
  g_assert_null (v);
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "1:1: the file is larger than 1 MiB");
  g_clear_error (&error);

  v = cm_json_parse (doc, 1024 * 1024, &limits, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);

  /* The default: untouched anonymous pages cost nothing. */
  map = mmap (NULL, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED)
    {
      g_test_incomplete ("cannot map 256 MiB");
      return;
    }
  g_assert_null (cm_json_parse (map, big, NULL, NULL, NULL, &error));
  g_assert_error (error, CM_JSON_ERROR, CM_JSON_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "1:1: the file is larger than 256 MiB");
  munmap (map, big);
}

static void
test_limits_default (void)
{
  CmJsonLimits limits;

  cm_json_limits_init_default (&limits);
  g_assert_cmpuint (limits.max_input_size, ==, 256 * 1024 * 1024);
  g_assert_cmpuint (limits.max_depth, ==, 128);
  g_assert_cmpuint (limits.max_members, ==, 10000);
  g_assert_cmpuint (limits.max_string_length, ==, 16 * 1024 * 1024);
}

/* ---- Values and the DOM ------------------------------------------------ */

static void
test_parse_scalars (void)
{
  struct { const char *text; CmJsonType type; } cases[] = {
    { "null", CM_JSON_NULL }, { " true ", CM_JSON_BOOLEAN }, { "false", CM_JSON_BOOLEAN },
    { "-0.5e-3", CM_JSON_NUMBER }, { "\"x\"", CM_JSON_STRING }, { "[]", CM_JSON_ARRAY },
    { "{}", CM_JSON_OBJECT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmJsonValue) v = parse_ok (cases[i].text);

      g_assert_cmpint (cm_json_value_get_value_type (v), ==, cases[i].type);
    }
  {
    g_autoptr(CmJsonValue) t = parse_ok ("true");
    g_autoptr(CmJsonValue) f = parse_ok ("false");
    g_autoptr(CmJsonValue) n = parse_ok ("-0.5e-3");
    g_autoptr(CmJsonValue) s = parse_ok ("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\"");

    g_assert_true (cm_json_value_get_boolean (t));
    g_assert_false (cm_json_value_get_boolean (f));
    g_assert_cmpfloat (cm_json_value_get_number (n), ==, -0.5e-3);
    g_assert_cmpstr (cm_json_value_get_string (s), ==, "a\"\\/\b\f\n\r\t");
    g_assert_cmpuint (cm_json_value_get_string_length (s), ==, 9);
  }
}

static void
test_numbers_read_exactly (void)
{
  /* Each text must read as the double the C compiler makes of it. */
  static const struct { const char *text; double value; } cases[] = {
    { "0", 0.0 }, { "-0", -0.0 }, { "1", 1.0 }, { "0.1", 0.1 }, { "0.3", 0.3 },
    { "123456789012345678", 123456789012345678.0 }, { "9007199254740993", 9007199254740993.0 },
    { "2.2250738585072011e-308", 2.2250738585072011e-308 }, { "1e23", 1e23 },
    { "8.98846567431158e307", 8.98846567431158e307 }, { "4.9e-324", 4.9e-324 },
    { "0.000001234", 0.000001234 }, { "1234.5678e-2", 1234.5678e-2 },
    { "3.141592653589793238462643383279", 3.141592653589793238462643383279 },
    { "1E22", 1e22 }, { "123e-22", 123e-22 }, { "0e999999", 0.0 },
    { "17976931348623157e292", 1.7976931348623157e308 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmJsonValue) v = parse_ok (cases[i].text);
      double got = cm_json_value_get_number (v);

      if (memcmp (&got, &cases[i].value, sizeof got) != 0)
        g_error ("%s read as %.17g", cases[i].text, got);
      g_assert_cmpstr (cm_json_value_get_number_text (v), ==, cases[i].text);
    }
}

static void
test_is_integer (void)
{
  static const struct { const char *text; gboolean integer; } cases[] = {
    { "1", TRUE }, { "1.0", TRUE }, { "1e2", TRUE }, { "-0", TRUE }, { "0.0e-5", TRUE },
    { "1.5e1", TRUE }, { "1500e-2", TRUE }, { "1.5", FALSE }, { "1e-1", FALSE },
    { "1501e-2", FALSE }, { "1.000000000000000005", FALSE }, { "1e-400", FALSE },
    { "100000000000000000000", TRUE }, { "12.340e2", TRUE }, { "12.341e2", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmJsonValue) v = parse_ok (cases[i].text);

      if (cm_json_value_is_integer (v) != cases[i].integer)
        g_error ("%s: is_integer should be %d", cases[i].text, cases[i].integer);
    }
  {
    g_autoptr(CmJsonValue) s = parse_ok ("\"1\"");
    g_autoptr(CmJsonValue) half = cm_json_value_new_number (2.5);
    g_autoptr(CmJsonValue) big = cm_json_value_new_number (1e17);

    g_assert_false (cm_json_value_is_integer (s));
    g_assert_false (cm_json_value_is_integer (half));
    g_assert_true (cm_json_value_is_integer (big));
  }
}

static void
test_object_api (void)
{
  g_autoptr(CmJsonValue) o = cm_json_value_new_object ();

  cm_json_object_set (o, "z", cm_json_value_new_number (1));
  cm_json_object_set (o, "a", cm_json_value_new_string ("two"));
  cm_json_object_set (o, "m", cm_json_value_new_null ());
  g_assert_cmpuint (cm_json_object_get_size (o), ==, 3);

  /* Replacing keeps the position. */
  cm_json_object_set (o, "a", cm_json_value_new_boolean (TRUE));
  g_assert_cmpuint (cm_json_object_get_size (o), ==, 3);
  g_assert_cmpstr (cm_json_object_get_key (o, 1), ==, "a");
  g_assert_true (cm_json_value_get_boolean (cm_json_object_get_value (o, 1)));
  g_assert_null (cm_json_object_lookup (o, "b"));
  g_assert_true (cm_json_object_lookup (o, "m") == cm_json_object_get_value (o, 2));

  g_assert_true (cm_json_object_remove (o, "a"));
  g_assert_false (cm_json_object_remove (o, "a"));
  g_assert_cmpuint (cm_json_object_get_size (o), ==, 2);
  g_assert_cmpstr (cm_json_object_get_key (o, 0), ==, "z");
  g_assert_cmpstr (cm_json_object_get_key (o, 1), ==, "m");
  g_assert_cmpuint (cm_json_value_get_line (o), ==, 0);
}

/* Large objects switch to a hash index; it must follow sets and removes. */
static void
test_object_index (void)
{
  g_autoptr(CmJsonValue) o = cm_json_value_new_object ();
  g_autoptr(CmJsonValue) parsed = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("key%u", i);

      cm_json_object_set (o, key, cm_json_value_new_number (i));
    }
  for (guint i = 0; i < 200; i += 2)
    {
      g_autofree char *key = g_strdup_printf ("key%u", i);

      g_assert_true (cm_json_object_remove (o, key));
    }
  g_assert_cmpuint (cm_json_object_get_size (o), ==, 100);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("key%u", i);
      CmJsonValue *v = cm_json_object_lookup (o, key);

      if (i % 2 == 0)
        g_assert_null (v);
      else
        g_assert_cmpfloat (cm_json_value_get_number (v), ==, i);
    }
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *expected = g_strdup_printf ("key%u", 2 * i + 1);

      g_assert_cmpstr (cm_json_object_get_key (o, i), ==, expected);
    }
  cm_json_object_set (o, "key51", cm_json_value_new_string ("x"));
  g_assert_cmpstr (cm_json_object_get_key (o, 25), ==, "key51");
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_lookup (o, "key51")), ==, "x");

  /* Shrinking below the threshold and growing again. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("key%u", i);

      if (i % 2 == 1 && i > 10)
        g_assert_true (cm_json_object_remove (o, key));
    }
  g_assert_cmpuint (cm_json_object_get_size (o), ==, 5);
  g_assert_nonnull (cm_json_object_lookup (o, "key9"));
  cm_json_object_set (o, "new", cm_json_value_new_null ());
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *key = g_strdup_printf ("more%u", i);

      cm_json_object_set (o, key, cm_json_value_new_number (i));
    }
  g_assert_nonnull (cm_json_object_lookup (o, "key9"));
  g_assert_nonnull (cm_json_object_lookup (o, "new"));
  g_assert_nonnull (cm_json_object_lookup (o, "more19"));

  /* A parsed large object behaves the same. */
  text = cm_json_write (o, FALSE, NULL);
  parsed = parse_ok (text);
  g_assert_true (json_equal (o, parsed, TRUE));
  cm_json_object_set (parsed, "more3", cm_json_value_new_string ("y"));
  g_assert_cmpstr (cm_json_value_get_string (cm_json_object_lookup (parsed, "more3")), ==, "y");
  g_assert_cmpuint (cm_json_object_get_size (parsed), ==, 26);
}

static void
test_array_api (void)
{
  g_autoptr(CmJsonValue) a = cm_json_value_new_array ();

  for (guint i = 0; i < 100; i++)
    cm_json_array_append (a, cm_json_value_new_number (i));
  g_assert_cmpuint (cm_json_array_get_length (a), ==, 100);
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_array_get (a, 99)), ==, 99);
}

static void
test_refcount_and_boxed (void)
{
  g_autoptr(CmJsonValue) v = parse_ok ("{\"a\": [1, {\"b\": null}]}");
  CmJsonValue *inner = cm_json_object_lookup (v, "a");
  CmJsonValue *copy;

  g_assert_true (G_TYPE_IS_BOXED (CM_TYPE_JSON_VALUE));
  copy = g_boxed_copy (CM_TYPE_JSON_VALUE, v);
  g_assert_true (copy == v);
  g_boxed_free (CM_TYPE_JSON_VALUE, copy);

  /* A child outlives its parent when referenced. */
  cm_json_value_ref (inner);
  g_clear_pointer (&v, cm_json_value_unref);
  g_assert_cmpuint (cm_json_array_get_length (inner), ==, 2);
  cm_json_value_unref (inner);

  g_assert_cmpstr (cm_json_type_get_name (CM_JSON_OBJECT), ==, "object");
}

/* Objects of one parse share their keys; each must still stand alone. */
static void
test_shared_keys (void)
{
  g_autoptr(CmJsonValue) root = parse_ok ("[{\"a\": 1, \"b\": 2}, {\"a\": 3, \"b\": 4}]");
  CmJsonValue *first = cm_json_value_ref (cm_json_array_get (root, 0));
  CmJsonValue *second = cm_json_value_ref (cm_json_array_get (root, 1));

  g_clear_pointer (&root, cm_json_value_unref);
  g_assert_true (cm_json_object_remove (second, "a"));
  cm_json_object_set (second, "b", cm_json_value_new_string ("x"));
  cm_json_value_unref (second);

  g_assert_cmpuint (cm_json_object_get_size (first), ==, 2);
  g_assert_cmpstr (cm_json_object_get_key (first, 0), ==, "a");
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_object_lookup (first, "a")), ==, 1);
  g_assert_cmpfloat (cm_json_value_get_number (cm_json_object_lookup (first, "b")), ==, 2);
  cm_json_value_unref (first);
}

/* A failure deep inside leaves nothing behind (checked under ASan and
 * valgrind): open containers, an indexed object, a pending key. */
static void
test_error_frees_partial_tree (void)
{
  GString *s = g_string_new ("{\"list\": [1, \"two\", {\"k\": [true, null]}], \"big\": {");

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (s, "\"m%u\": [%u, {\"x\": \"y\"}], ", i, i);
  g_string_append (s, "\"last\": [1, 2, {\"deep\": [\"ok\", ");
  assert_refused_len (s->str, s->len, CM_JSON_ERROR_SYNTAX, 1, (guint) s->len + 1, "the file ends");
  g_string_append (s, "x]}]}}");
  assert_refused_len (s->str, s->len, CM_JSON_ERROR_SYNTAX, 0, 0, "\"x\"");
  g_string_truncate (s, s->len - 6);
  g_string_append (s, "1]}], \"m3\": 0}}");
  assert_refused_len (s->str, s->len, CM_JSON_ERROR_DUPLICATE_KEY, 0, 0, "\"m3\"");
  g_string_free (s, TRUE);
}

static void
test_deep_built_value (void)
{
  /* Built in code, far past any parse limit: freeing and writing must not
   * recurse. */
  const guint depth = 1000000;
  CmJsonValue *root = cm_json_value_new_array ();
  CmJsonValue *cur = root;
  g_autofree char *text = NULL;
  gsize len = 0;

  for (guint i = 1; i < depth; i++)
    {
      CmJsonValue *next = (i % 2) ? cm_json_value_new_object () : cm_json_value_new_array ();

      if (cm_json_value_get_value_type (cur) == CM_JSON_ARRAY)
        cm_json_array_append (cur, next);
      else
        cm_json_object_set (cur, "k", next);
      cur = next;
    }
  text = cm_json_write (root, FALSE, &len);
  /* Arrays "[]"; objects "{\"k\":}" except the innermost "{}"; "\n". */
  g_assert_cmpuint (len, ==, depth / 2 * 2 + (depth / 2 - 1) * 6 + 2 + 1);
  g_assert_true (g_str_has_prefix (text, "[{\"k\":[{\"k\":"));
  cm_json_value_unref (root);
}

static void
test_wide_built_value (void)
{
  g_autoptr(CmJsonValue) root = cm_json_value_new_array ();

  for (guint i = 0; i < 100000; i++)
    {
      CmJsonValue *o = cm_json_value_new_object ();

      cm_json_object_set (o, "a", cm_json_value_new_array ());
      cm_json_array_append (root, o);
    }
}

static void
test_new_number_refuses_non_finite (void)
{
  if (g_test_subprocess ())
    {
      cm_json_value_new_number (INFINITY);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*isfinite*");
}

/* ---- Writer ------------------------------------------------------------ */

static void
test_write_source_numbers (void)
{
  g_autoptr(CmJsonValue) v = parse_ok ("[1.50, 1E5, -0, 100000000000000000000, 1e-999, 0.1e1, 2E+3]");
  g_autofree char *text = cm_json_write (v, FALSE, NULL);

  g_assert_cmpstr (text, ==, "[1.50,1E5,-0,100000000000000000000,1e-999,0.1e1,2E+3]\n");
}

static void
test_write_built_numbers (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 1e17, "1e17" }, { 1e-8, "1e-8" }, { 0.1, "0.1" }, { 123, "123" }, { -0.5, "-0.5" },
    { 0.0, "0" }, { -0.0, "-0" }, { 9007199254740992.0, "9007199254740992" },
    { -9007199254740992.0, "-9007199254740992" }, { 1.0 / 3.0, "0.3333333333333333" },
    { 5e-324, "5e-324" }, { G_MAXDOUBLE, "1.7976931348623157e308" }, { 1e21, "1e21" },
    { 123456.789, "123456.789" }, { 2.5e-5, "2.5e-5" }, { 1e100, "1e100" },
    { 18014398509481988.0, "18014398509481988" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmJsonValue) n = cm_json_value_new_number (cases[i].value);
      g_autoptr(CmJsonValue) back = NULL;
      g_autofree char *text = cm_json_write (n, FALSE, NULL);
      g_autofree char *expected = g_strconcat (cases[i].text, "\n", NULL);
      double got;

      g_assert_cmpstr (cm_json_value_get_number_text (n), ==, cases[i].text);
      g_assert_cmpstr (text, ==, expected);
      back = parse_ok (text);
      got = cm_json_value_get_number (back);
      g_assert_true (memcmp (&got, &cases[i].value, sizeof got) == 0);
    }

  /* Random doubles of every magnitude read back identically. */
  for (guint i = 0; i < 20000; i++)
    {
      guint64 bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
      double d;
      g_autoptr(CmJsonValue) n = NULL;
      g_autoptr(CmJsonValue) back = NULL;

      memcpy (&d, &bits, sizeof d);
      if (!isfinite (d))
        continue;
      n = cm_json_value_new_number (d);
      back = parse_ok (cm_json_value_get_number_text (n));
      g_assert_true (json_equal (n, back, TRUE));
      g_assert_null (strstr (cm_json_value_get_number_text (n), "inf"));
      g_assert_null (strstr (cm_json_value_get_number_text (n), "nan"));
    }
}

static void
test_write_string_escapes (void)
{
  g_autoptr(CmJsonValue) s = cm_json_value_new_string ("q\"b\\s/ \n\t\r\b\f\x01\x1f\x7f é€😀");
  g_autofree char *text = cm_json_write (s, FALSE, NULL);
  g_autoptr(CmJsonValue) back = NULL;

  g_assert_cmpstr (text, ==, "\"q\\\"b\\\\s/ \\n\\t\\r\\b\\f\\u0001\\u001f\x7f é€😀\"\n");
  back = parse_ok (text);
  g_assert_true (json_equal (s, back, TRUE));
}

static void
test_write_key_order (void)
{
  const char *doc = "{\"z\":1,\"a\":{\"y\":[],\"b\":{}},\"m\":[true,false,null],\"\\u001f\":\"\"}\n";
  g_autoptr(CmJsonValue) v = parse_ok (doc);
  g_autofree char *text = cm_json_write (v, FALSE, NULL);

  g_assert_cmpstr (text, ==, doc);
}

static void
test_write_pretty (void)
{
  const char *doc =
    "{\"name\":\"Channel\",\"empty_a\":[],\"empty_o\":{},\"xy\":[1.5,-2],"
    "\"tags\":[\"a\",\"b\",null,true],"
    "\"long\":[\"aaaaaaaaaaaaaaaaaaaa\",\"bbbbbbbbbbbbbbbbbbbb\",\"cccccccccccc\",\"dd\"],"
    "\"fits\":[\"aaaaaaaaaaaaaaaaaaaa\",\"bbbbbbbbbbbbbbbbbbbb\",\"cccccccccccc\",\"d\"],"
    "\"nested\":[[1,2],{\"k\":[]}],\"obj\":{\"a\":{\"b\":{}}}}";
  const char *expected =
    "{\n"
    "  \"name\": \"Channel\",\n"
    "  \"empty_a\": [],\n"
    "  \"empty_o\": {},\n"
    "  \"xy\": [1.5, -2],\n"
    "  \"tags\": [\"a\", \"b\", null, true],\n"
    "  \"long\": [\n"
    "    \"aaaaaaaaaaaaaaaaaaaa\",\n"
    "    \"bbbbbbbbbbbbbbbbbbbb\",\n"
    "    \"cccccccccccc\",\n"
    "    \"dd\"\n"
    "  ],\n"
    "  \"fits\": [\"aaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbb\", \"cccccccccccc\", \"d\"],\n"
    "  \"nested\": [\n"
    "    [1, 2],\n"
    "    {\n"
    "      \"k\": []\n"
    "    }\n"
    "  ],\n"
    "  \"obj\": {\n"
    "    \"a\": {\n"
    "      \"b\": {}\n"
    "    }\n"
    "  }\n"
    "}\n";
  g_autoptr(CmJsonValue) v = parse_ok (doc);
  g_autofree char *text = cm_json_write (v, TRUE, NULL);
  g_autofree char *compact = cm_json_write (v, FALSE, NULL);
  g_autofree char *expected_compact = g_strconcat (doc, "\n", NULL);

  /* The "fits" line is exactly 80 columns including its comma; "long"
   * would be 81. */
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpstr (compact, ==, expected_compact);
  assert_round_trip (v);

  {
    g_autoptr(CmJsonValue) scalar = parse_ok ("\"x\"");
    g_autofree char *t = cm_json_write (scalar, TRUE, NULL);

    g_assert_cmpstr (t, ==, "\"x\"\n");
  }
}

static void
test_write_pretty_counts_characters (void)
{
  /* 76 columns of non-ASCII is still one line, though it is more bytes. */
  GString *s = g_string_new ("[[\"");
  g_autoptr(CmJsonValue) v = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 70; i++)
    g_string_append (s, "é");
  g_string_append (s, "\"]]");
  v = parse_ok (s->str);
  text = cm_json_write (v, TRUE, NULL);
  g_assert_true (g_str_has_prefix (text, "[\n  [\""));
  g_assert_true (g_str_has_suffix (text, "\"]\n]\n"));
  g_string_free (s, TRUE);
}

static void
test_round_trip_document (void)
{
  const char *doc =
    "\xef\xbb\xbf{\n"
    "  \"version\": 1,\n"
    "  \"actors\": [\n"
    "    {\"id\": \"nato\", \"name\": \"<b>NATO</b>\", \"x\": 1.50, \"y\": -2E-3, \"future\": {\"k\": [1, 2, {\"z\": null}]}},\n"
    "    {\"id\": \"ru\", \"name\": \"Россия\", \"tags\": [], \"note\": \"tab\\there \\u001f \\ud83d\\ude00\"}\n"
    "  ],\n"
    "  \"links\": [],\n"
    "  \"unknown\": 100000000000000000000\n"
    "}\n";
  g_autoptr(CmJsonValue) v = parse_ok (doc);

  assert_round_trip (v);
}

/* ---- Speed ------------------------------------------------------------- */

static GString *
generate_dataset (gsize target)
{
  GString *s = g_string_sized_new (target + 4096);
  guint i = 0;

  g_string_append (s, "{\n  \"version\": 1,\n  \"actors\": [\n");
  while (s->len < target)
    {
      g_string_append_printf (s,
                              "%s    {\"id\": \"actor-%u\", \"name\": \"Actor number %u, Ministry of Foreign Affairs\", "
                              "\"kind\": \"organization\", \"x\": %u.25, \"y\": -%u.5e-1, \"weight\": %u, "
                              "\"tags\": [\"a\", \"b\", \"c\"], \"visible\": true, \"note\": null, "
                              "\"quote\": {\"text\": \"He said \\\"no\\\" \\u2014 twice\", \"date\": \"2022-11-29\"}}",
                              i ? ",\n" : "", i, i, i % 1000, i % 977, i);
      i++;
    }
  g_string_append (s, "\n  ]\n}\n");
  return s;
}

static void
test_parse_speed (void)
{
  gsize target = g_test_perf () ? 50 * 1000 * 1000 : 8 * 1000 * 1000;
  GString *s = generate_dataset (target);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmJsonValue) v = NULL;
  gint64 start, usec;
  double mbps;

  start = g_get_monotonic_time ();
  v = parse_len (s->str, s->len, &error);
  usec = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  mbps = (double) s->len / (double) MAX (usec, 1);
  g_test_message ("parsed %.1f MB in %.1f ms: %.0f MB/s", s->len / 1e6, usec / 1e3, mbps);
  if (g_test_perf ())
    g_test_minimized_result (usec / 1e6, "parse %.1f MB: %.0f MB/s", s->len / 1e6, mbps);

  /* No threshold: speed is measured by the benchmark, not asserted here
   * (the machine is shared and noisy).  This checks a large input parses. */
  g_assert_cmpuint (cm_json_object_get_size (v), >, 0);
  g_string_free (s, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/corpus/accept", test_corpus_accept);
  g_test_add_func ("/json/corpus/refuse", test_corpus_refuse);
  g_test_add_func ("/json/corpus/implementation-defined", test_corpus_implementation_defined);

  for (guint i = 0; i < G_N_ELEMENTS (number_transforms); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/transform/%s", number_transforms[i].file);

      g_test_add_data_func (path, &number_transforms[i], test_transform_number);
    }
  g_test_add_func ("/json/transform/keys-not-normalized", test_transform_keys_not_normalized);
  g_test_add_func ("/json/transform/duplicate-keys", test_transform_duplicate_keys);
  g_test_add_func ("/json/transform/invalid-code-points", test_transform_invalid_code_points);
  g_test_add_func ("/json/transform/escaped-nul", test_transform_escaped_nul);

  g_test_add_func ("/json/trap/comments", test_trap_comments);
  g_test_add_func ("/json/trap/single-quotes", test_trap_single_quotes);
  g_test_add_func ("/json/trap/leading-zero", test_trap_leading_zero);
  g_test_add_func ("/json/trap/hex", test_trap_hex);
  g_test_add_func ("/json/trap/number-forms", test_trap_number_forms);
  g_test_add_func ("/json/trap/raw-control-characters", test_trap_raw_control_characters);
  g_test_add_func ("/json/trap/unknown-escape", test_trap_unknown_escape);
  g_test_add_func ("/json/trap/empty", test_trap_empty);
  g_test_add_func ("/json/trap/whitespace-only", test_trap_whitespace_only);
  g_test_add_func ("/json/trap/bom-only", test_trap_bom_only);
  g_test_add_func ("/json/trap/second-document", test_trap_second_document);
  g_test_add_func ("/json/trap/deep-arrays", test_trap_deep_arrays);
  g_test_add_func ("/json/trap/deep-objects", test_trap_deep_objects);
  g_test_add_func ("/json/trap/deep-custom-limit", test_trap_deep_custom_limit);
  g_test_add_func ("/json/trap/colliding-keys", test_trap_colliding_keys);
  g_test_add_func ("/json/trap/too-many-members", test_trap_too_many_members);
  g_test_add_func ("/json/trap/escaped-nul", test_trap_escaped_nul);
  g_test_add_func ("/json/trap/lone-surrogates", test_trap_lone_surrogates);
  g_test_add_func ("/json/trap/invalid-utf8", test_trap_invalid_utf8);
  g_test_add_func ("/json/trap/utf16", test_trap_utf16);
  g_test_add_func ("/json/trap/number-overflow", test_trap_number_overflow);
  g_test_add_func ("/json/trap/big-integer", test_trap_big_integer);
  g_test_add_func ("/json/trap/duplicate-keys", test_trap_duplicate_keys);
  g_test_add_func ("/json/trap/duplicate-keys-large-object", test_trap_duplicate_keys_large_object);
  g_test_add_func ("/json/trap/trailing-commas", test_trap_trailing_commas);
  g_test_add_func ("/json/trap/truncated", test_trap_truncated);

  g_test_add_func ("/json/error/positions", test_error_positions);
  g_test_add_func ("/json/limit/string-length", test_limit_string_length);
  g_test_add_func ("/json/limit/input-size", test_limit_input_size);
  g_test_add_func ("/json/limit/defaults", test_limits_default);

  g_test_add_func ("/json/value/scalars", test_parse_scalars);
  g_test_add_func ("/json/value/numbers-read-exactly", test_numbers_read_exactly);
  g_test_add_func ("/json/value/is-integer", test_is_integer);
  g_test_add_func ("/json/value/object", test_object_api);
  g_test_add_func ("/json/value/object-index", test_object_index);
  g_test_add_func ("/json/value/array", test_array_api);
  g_test_add_func ("/json/value/refcount-boxed", test_refcount_and_boxed);
  g_test_add_func ("/json/value/shared-keys", test_shared_keys);
  g_test_add_func ("/json/error/frees-partial-tree", test_error_frees_partial_tree);
  g_test_add_func ("/json/value/deep-built", test_deep_built_value);
  g_test_add_func ("/json/value/wide-built", test_wide_built_value);
  g_test_add_func ("/json/value/new-number-non-finite", test_new_number_refuses_non_finite);

  g_test_add_func ("/json/write/source-numbers", test_write_source_numbers);
  g_test_add_func ("/json/write/built-numbers", test_write_built_numbers);
  g_test_add_func ("/json/write/string-escapes", test_write_string_escapes);
  g_test_add_func ("/json/write/key-order", test_write_key_order);
  g_test_add_func ("/json/write/pretty", test_write_pretty);
  g_test_add_func ("/json/write/pretty-counts-characters", test_write_pretty_counts_characters);
  g_test_add_func ("/json/write/round-trip", test_round_trip_document);

  g_test_add_func ("/json/perf/parse", test_parse_speed);

  return g_test_run ();
}
