/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * A strict RFC 8259 JSON parser and writer with a small DOM.
 *
 * json-glib 1.6 (Debian 12) accepts a lot that is not JSON and crashes on
 * deep nesting, so datasets are read and written with this instead.  The DOM
 * keeps the members of an object in file order and the exact source text of
 * every number, so that keys the app does not know survive load and save.
 */

#define CM_JSON_ERROR (cm_json_error_quark ())

typedef enum
{
  CM_JSON_ERROR_SYNTAX,          /* not JSON: unexpected character, trailing text, comments, ... */
  CM_JSON_ERROR_EMPTY,           /* empty / whitespace-only / BOM-only input */
  CM_JSON_ERROR_ENCODING,        /* invalid UTF-8, UTF-16 input, lone surrogate escape, escaped NUL */
  CM_JSON_ERROR_DUPLICATE_KEY,
  CM_JSON_ERROR_NUMBER_RANGE,    /* overflows a double, e.g. 1e400 */
  CM_JSON_ERROR_TOO_DEEP,
  CM_JSON_ERROR_TOO_MANY_MEMBERS,
  CM_JSON_ERROR_STRING_TOO_LONG,
  CM_JSON_ERROR_TOO_LARGE,       /* input longer than max_input_size */
} CmJsonError;

GQuark cm_json_error_quark (void);

typedef enum
{
  CM_JSON_NULL,
  CM_JSON_BOOLEAN,
  CM_JSON_NUMBER,
  CM_JSON_STRING,
  CM_JSON_ARRAY,
  CM_JSON_OBJECT,
} CmJsonType;

/* A field left at 0 means "the default" for that field, so callers can
 * write `CmJsonLimits limits = { .max_depth = 16 };`. */
typedef struct
{
  gsize max_input_size;     /* default 256 MiB */
  guint max_depth;          /* default 128 nested arrays/objects */
  guint max_members;        /* default 10 000 members in one object */
  gsize max_string_length;  /* default 16 MiB (bytes, after unescaping) */
} CmJsonLimits;

#define CM_JSON_DEFAULT_MAX_INPUT_SIZE    ((gsize) 256 * 1024 * 1024)
#define CM_JSON_DEFAULT_MAX_DEPTH         128
#define CM_JSON_DEFAULT_MAX_MEMBERS       10000
#define CM_JSON_DEFAULT_MAX_STRING_LENGTH ((gsize) 16 * 1024 * 1024)

void cm_json_limits_init_default (CmJsonLimits *limits);

typedef struct _CmJsonValue CmJsonValue;   /* refcounted, boxed */

GType        cm_json_value_get_type (void) G_GNUC_CONST;
#define CM_TYPE_JSON_VALUE (cm_json_value_get_type ())

CmJsonValue *cm_json_value_ref   (CmJsonValue *value);
void         cm_json_value_unref (CmJsonValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmJsonValue, cm_json_value_unref)

/* "null", "boolean", "number", "string", "array" or "object" (not translated). */
const char  *cm_json_type_get_name (CmJsonType type);

CmJsonType   cm_json_value_get_value_type (const CmJsonValue *value);
guint        cm_json_value_get_line   (const CmJsonValue *value);  /* 1-based line of the value's first byte in the parsed text; 0 if built in code */
guint        cm_json_value_get_column (const CmJsonValue *value);  /* 1-based, counted in Unicode characters */

CmJsonValue *cm_json_value_new_null    (void);
CmJsonValue *cm_json_value_new_boolean (gboolean value);
CmJsonValue *cm_json_value_new_number  (double value);             /* must be finite (g_return_val_if_fail) */
CmJsonValue *cm_json_value_new_string  (const char *utf8);          /* valid UTF-8, copied */
CmJsonValue *cm_json_value_new_array   (void);
CmJsonValue *cm_json_value_new_object  (void);

gboolean     cm_json_value_get_boolean     (const CmJsonValue *value);
double       cm_json_value_get_number      (const CmJsonValue *value);  /* the double the text denotes (correctly rounded) */
const char  *cm_json_value_get_number_text (const CmJsonValue *value);  /* exact source lexeme, or the canonical text for built numbers */
gboolean     cm_json_value_is_integer      (const CmJsonValue *value);  /* a number whose value is integral (1, 1.0, 1e2); FALSE for any other type */
const char  *cm_json_value_get_string      (const CmJsonValue *value);  /* NUL-free UTF-8 */
gsize        cm_json_value_get_string_length (const CmJsonValue *value);

guint        cm_json_array_get_length (const CmJsonValue *array);
CmJsonValue *cm_json_array_get        (const CmJsonValue *array, guint index);     /* borrowed */
void         cm_json_array_append     (CmJsonValue *array, CmJsonValue *take);

guint        cm_json_object_get_size  (const CmJsonValue *object);
const char  *cm_json_object_get_key   (const CmJsonValue *object, guint index);    /* members in file order */
CmJsonValue *cm_json_object_get_value (const CmJsonValue *object, guint index);    /* borrowed */
CmJsonValue *cm_json_object_lookup    (const CmJsonValue *object, const char *key); /* borrowed, NULL if absent */
void         cm_json_object_set       (CmJsonValue *object, const char *key, CmJsonValue *take); /* replaces in place keeping position, else appends */
gboolean     cm_json_object_remove    (CmJsonValue *object, const char *key);

/* Parses exactly one JSON document (any value type at the root; the dataset
 * loader checks the root is an object).  A leading UTF-8 BOM is skipped.
 * On failure the GError message is "LINE:COLUMN: sentence", e.g.
 * "3:14: expected ',' or '}' after an object member", with LINE/COLUMN 1-based
 * (column in Unicode characters) pointing at the offending byte.  The
 * position is also returned through @error_line/@error_column (nullable);
 * both are set to 0 on success. */
CmJsonValue *cm_json_parse (const char         *data,
                            gsize               length,
                            const CmJsonLimits *limits /* nullable: defaults */,
                            guint              *error_line,
                            guint              *error_column,
                            GError            **error);

/* Strict RFC 8259 text, UTF-8, ending with "\n".  Pretty: two-space indent, "key": value,
 * empty containers as [] / {}; arrays holding only scalars on one line when short (<= 80 cols).
 * Compact when !pretty.  Numbers from a file are written with their exact source text;
 * built numbers in the shortest form that reads back to the same double (integral values
 * within ±2^53 without exponent or ".0"; never "1e+17.0"/"inf"/"nan").  Strings escape
 * '"', '\\', and every control character < 0x20 (\n \t \r \b \f or \u00XX); DEL and
 * non-ASCII are written as UTF-8.  @length (nullable) receives the length in bytes. */
char        *cm_json_write (const CmJsonValue *value,
                            gboolean           pretty,
                            gsize             *length);

G_END_DECLS
