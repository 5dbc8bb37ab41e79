/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-import.h"
#include "cm-json.h"

G_BEGIN_DECLS

/*
 * What every importer shares: a builder that collects actors, links and
 * sources with their indexes, enforces the documented limits and the rules
 * of FORMAT.md that another format can break (self-loops, groups naming no
 * actor or forming a cycle, duplicate ids), gathers notes and problems, and
 * builds the dataset in one go at the end.
 *
 * Attributes a format carries but the model has no field for (weights,
 * colours, Gephi's modularity class, a CSV's extra columns) are kept on the
 * object as the JSON qdata the dataset saver starts from, so saving the
 * imported map as .json keeps them as unknown keys (FORMAT.md: "Keys that
 * this page does not name are kept").
 */

typedef struct _CmImport CmImport;

struct _CmImport
{
  CmFileFormat   format;
  const char    *filename;            /* hint, nullable */
  GCancellable  *cancellable;

  GPtrArray     *actors;              /* CmActor*, owned */
  GHashTable    *actors_by_id;        /* id -> CmActor (borrowed) */
  GPtrArray     *links;               /* CmLink*, owned */
  GHashTable    *link_ids;            /* set of ids */
  GPtrArray     *sources;             /* CmSource*, owned */
  GHashTable    *sources_by_id;

  GPtrArray     *notes;               /* char* */
  GPtrArray     *problems;            /* CmProblem* */
  guint          n_problems_total;
  gboolean       limit_reached;

  char          *title;
  char          *description;

  guint          n_self_loops;
  guint          n_implicit_actors;
  guint          n_links_channel_given;
  guint          n_links_channel_default;
  guint          n_unknown_channels;
  char          *unknown_channel_example;
  guint          n_duplicate_link_ids;

  /* Importers that have already said what they did about channels (yEd
   * line styles, GDELT's CAMEO mapping) set this to skip the generic note. */
  gboolean       channel_note_done;
  /* Companion file, CSV only. */
  const char    *companion_data;
  gsize          companion_length;
  const char    *companion_name;
};

void        _cm_import_init           (CmImport      *imp,
                                       CmFileFormat   format,
                                       const char    *filename,
                                       GCancellable  *cancellable);
void        _cm_import_clear          (CmImport      *imp);

gboolean    _cm_import_cancelled      (CmImport      *imp,
                                       GError       **error);

/* Notes and problems.  Messages are already translated by the caller. */
void        _cm_import_note           (CmImport      *imp,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (2, 3);
void        _cm_import_problem        (CmImport      *imp,
                                       const char    *path,
                                       guint          line,
                                       guint          column,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (5, 6);
/* "line N" as a problem path */
void        _cm_import_problem_at_line (CmImport     *imp,
                                        guint         line,
                                        guint         column,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (4, 5);

/* Actors.  _add returns NULL when the id is taken (the caller reports it)
 * or when the actor limit is reached (imp->limit_reached is set).  An empty
 * or NULL name falls back to the id. */
CmActor    *_cm_import_lookup_actor   (CmImport      *imp,
                                       const char    *id);
CmActor    *_cm_import_add_actor      (CmImport      *imp,
                                       const char    *id,
                                       const char    *name);
/* The actor with @id, created (named by its id) when no node declared it:
 * edges that name undeclared nodes are common in real files. */
CmActor    *_cm_import_ensure_actor   (CmImport      *imp,
                                       const char    *id);

/* Links.  @id may be NULL or taken: a fresh one is made.  A self-loop is
 * counted and dropped (NULL).  @channel_given: the file said which kind
 * (attribute or line style); otherwise the link is direct by default and
 * the note at the end says so.  NULL also when the link limit is reached. */
CmLink     *_cm_import_add_link       (CmImport      *imp,
                                       const char    *id,
                                       const char    *source_id,
                                       const char    *target_id,
                                       CmChannel      channel,
                                       gboolean       channel_given);

/* The file gave the channel of the link just added after all (an attribute
 * read after the link was made): count it as given, not defaulted. */
void        _cm_import_count_channel_given (CmImport *imp);

CmSource   *_cm_import_add_source     (CmImport      *imp,
                                       const char    *id);

/* Reads a channel from an attribute value ("direct", "Indirect ", "none"
 * for absent, ...).  FALSE (and counts it for a note) when it is not one. */
gboolean    _cm_import_parse_channel  (CmImport      *imp,
                                       const char    *value,
                                       CmChannel     *channel);
/* "solid"/"line" -> direct, "dashed" -> indirect, "dotted" -> absent, from a
 * style list such as Graphviz's "dashed,bold".  FALSE when the style says
 * nothing about the channel. */
gboolean    _cm_import_channel_from_style (const char *style,
                                           CmChannel  *channel);

/* Sets a model field from a named attribute when the name is one the
 * model knows (case-insensitively: name/label, kind, role, group, notes,
 * x, y, pinned for actors; channel, directed, topic/label, mechanism,
 * from/to/date/start/end for links).  Returns TRUE when consumed.
 * Otherwise the caller keeps the value with _cm_import_keep(). */
gboolean    _cm_import_actor_attribute (CmImport     *imp,
                                        CmActor      *actor,
                                        const char   *name,
                                        const char   *value);
gboolean    _cm_import_link_attribute  (CmImport     *imp,
                                        CmLink       *link,
                                        const char   *name,
                                        const char   *value,
                                        gboolean     *channel_set);

/* Keeps an attribute the model has no field for.  @object is an actor,
 * link or the dataset-level pseudo object; names that FORMAT.md uses are
 * not kept (they would clash with the model's own fields on save). */
void        _cm_import_keep           (gpointer       object,
                                       const char    *name,
                                       CmJsonValue   *take_value);
/* TRUE for the names FORMAT.md gives the object's own fields ("id",
 * "name", "quotes"…): never kept, and skipped by the graph exports when
 * they write the kept attributes back. */
gboolean    _cm_import_name_is_reserved (gpointer     object,
                                         const char  *name);
void        _cm_import_keep_string    (gpointer       object,
                                       const char    *name,
                                       const char    *value);
/* A typed value from text: "int"/"long"/"integer" and "float"/"double"
 * give numbers, "boolean" a boolean, anything else (or text that does not
 * parse as the type) a string.  Whitespace is trimmed for non-strings. */
CmJsonValue *_cm_import_typed_value   (const char    *type,
                                       const char    *text);

/* Builds the dataset: resolves groups (an id naming no actor, the actor
 * itself or a cycle is cleared, with a note), adds the notes about
 * self-loops, implicit actors and default channels, and fails with
 * CM_DATASET_ERROR_INVALID when problems were recorded, or _LIMIT. */
CmDataset  *_cm_import_finish         (CmImport      *imp,
                                       GError       **error);

/* Fails with @code and @message as the first problem. */
void        _cm_import_fail           (CmImport      *imp,
                                       GError       **error,
                                       CmDatasetError code,
                                       const char    *path,
                                       guint          line,
                                       guint          column,
                                       const char    *message);

/* Small text helpers. */
gboolean    _cm_import_parse_double   (const char    *text,
                                       double        *value);
gboolean    _cm_import_parse_bool     (const char    *text,
                                       gboolean      *value);
/* A date FORMAT.md accepts from "2009-03-01", "2009-03-01T10:00:00",
 * "20170701" or "1577": newly allocated, or NULL. */
char       *_cm_import_normalize_date (const char    *text);
/* Valid UTF-8 with control characters other than tab and newline removed,
 * from text in UTF-8, or in Latin-1 when @latin1. */
char       *_cm_import_clean_text     (const char    *text,
                                       gssize         length,
                                       gboolean       latin1);
/* These three take valid UTF-8 (from _cm_import_clean_text()).
 * HTML's character references decoded: named (&amp; &eacute; &ndash;…)
 * and numeric (&#233; &#xE9;); anything else is kept as written. */
char       *_cm_import_decode_entities (const char   *text);
/* TRUE when @text is HTML markup: it begins with <html> (yEd's HTML
 * labels), or holds an HTML tag with its '>' (<p>, <br/>, </strong>: yFiles
 * markup labels, Graphviz's HTML-like labels). */
gboolean    _cm_import_looks_like_html (const char  *text);
/* The plain text of HTML: tags removed (<b>, <em>… join words, others
 * separate them), comments and <head>/<style>/<script> dropped, character
 * references decoded, white space collapsed to single spaces. */
char       *_cm_import_html_to_text   (const char    *html);
/* Runs of white space (tabs, no-break spaces) as one space, none at the
 * ends; with @keep_newlines a run holding a line break is one line break.
 * Valid UTF-8 in. */
char       *_cm_import_collapse_space (const char    *text,
                                       gboolean       keep_newlines);
/* TRUE when @data is valid UTF-8 after an optional BOM. */
gboolean    _cm_import_data_is_utf8   (const char    *data,
                                       gsize          length);
/* Strips a UTF-8 BOM. */
const char *_cm_import_skip_bom       (const char    *data,
                                       gsize         *length);
/* g_ascii_strcasecmp on names after trimming, ignoring spaces, '_' and '-'. */
gboolean    _cm_import_name_is        (const char    *name,
                                       const char    *wanted);

/* XML (GraphML, GEXF) over GMarkup. */
const char *_cm_xml_local_name        (const char    *qualified);
const char *_cm_xml_attr              (const char   **names,
                                       const char   **values,
                                       const char    *local_name);
/* Prepares the bytes for GMarkup: BOM, the encoding in the XML declaration
 * (ISO-8859-1 and Windows-1252 converted), UTF-8 check with the line of the
 * first bad byte, NUL bytes.  Returns the text to parse (maybe @data). */
const char *_cm_xml_prepare           (CmImport      *imp,
                                       const char    *data,
                                       gsize         *length,
                                       char         **converted,
                                       GError       **error);
gboolean    _cm_xml_parse             (CmImport      *imp,
                                       const GMarkupParser *parser,
                                       gpointer       user_data,
                                       const char    *data,
                                       gsize          length,
                                       GError       **error);

/* CSV: a streaming reader (RFC 4180: quoted fields, doubled quotes, newlines
 * inside quotes; CRLF; a separator sniffed from the first lines). */
typedef struct _CmCsvReader CmCsvReader;

CmCsvReader *_cm_csv_reader_new       (const char    *data,
                                       gsize          length,
                                       char           separator /* 0 = sniff */);
void         _cm_csv_reader_free      (CmCsvReader   *reader);
char         _cm_csv_reader_get_separator (CmCsvReader *reader);
/* Next row into @fields (borrowed strings valid until the next call; the
 * array is cleared first).  @line: 1-based line where the row starts.
 * FALSE at the end.  Blank lines are skipped. */
gboolean     _cm_csv_reader_next      (CmCsvReader   *reader,
                                       GPtrArray     *fields,
                                       guint         *line);
/* Bytes consumed so far (for progress and cancellation checks). */
gsize        _cm_csv_reader_get_offset (CmCsvReader  *reader);
/* TRUE when a quoted field ran to the end of the file. */
gboolean     _cm_csv_reader_had_unterminated_quote (CmCsvReader *reader);
char         _cm_csv_sniff_separator  (const char    *data,
                                       gsize          length);
/* For detection without an extension: a consistent separator. */
gboolean     _cm_csv_looks_delimited  (const char    *data,
                                       gsize          length);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmCsvReader, _cm_csv_reader_free)

/* The importers.  Each returns the dataset or NULL with @error set; the
 * builder @imp is initialised by the caller and cleared after. */
CmDataset  *_cm_import_graphml        (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_gexf           (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_gml            (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_csv            (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_dot            (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_gdelt          (CmImport *imp, const char *data, gsize length, GError **error);
CmDataset  *_cm_import_node_link      (CmImport *imp, const char *data, gsize length, GError **error);

/* For detection: TRUE when the first row of @data is a GDELT events header,
 * or a header-less GDELT 2.0 export row. */
gboolean    _cm_gdelt_sniff           (const char    *data,
                                       gsize          length);
/* For cm_dataset_open_file(): the basename of the companion node (or edge)
 * table of a CSV file named @basename, or NULL. */
char       *_cm_csv_companion_name    (const char    *basename);

G_END_DECLS
