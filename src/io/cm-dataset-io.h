/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-model.h"

G_BEGIN_DECLS

#define CM_DATASET_ERROR (cm_dataset_error_quark ())

/**
 * CmDatasetError:
 * @CM_DATASET_ERROR_SYNTAX: not valid JSON (the message starts "LINE:COLUMN: ")
 * @CM_DATASET_ERROR_NOT_DATASET: JSON, but not a Channel Map dataset (root not an object, no/wrong "format")
 * @CM_DATASET_ERROR_NEWER_VERSION: made by a newer Channel Map
 * @CM_DATASET_ERROR_INVALID: breaks one or more rules of FORMAT.md; every problem is in @problems
 * @CM_DATASET_ERROR_LIMIT: exceeds a documented limit (file size, actors, links, depth, ...)
 * @CM_DATASET_ERROR_IO: could not read or write the file
 */
typedef enum
{
  CM_DATASET_ERROR_SYNTAX,
  CM_DATASET_ERROR_NOT_DATASET,
  CM_DATASET_ERROR_NEWER_VERSION,
  CM_DATASET_ERROR_INVALID,
  CM_DATASET_ERROR_LIMIT,
  CM_DATASET_ERROR_IO,
} CmDatasetError;

GQuark cm_dataset_error_quark (void);

/* One problem found in a file: where (a JSON path such as
 * "$.links[3].target", or NULL for the file as a whole), the line and
 * column of the offending value when known (0 otherwise), and a plain
 * sentence.  cm_problem_to_string() gives the one-line form the command
 * line prints after "FILE: ". */
typedef struct
{
  char  *path;
  guint  line;
  guint  column;
  char  *message;
} CmProblem;

#define CM_TYPE_PROBLEM (cm_problem_get_type ())

GType      cm_problem_get_type  (void) G_GNUC_CONST;
CmProblem *cm_problem_new       (const char      *path,
                                 guint            line,
                                 guint            column,
                                 const char      *message);
CmProblem *cm_problem_copy      (const CmProblem *problem);
void       cm_problem_free      (CmProblem       *problem);
char      *cm_problem_to_string (const CmProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmProblem, cm_problem_free)

/* How many problems @problems (as the loader or an importer gives them)
 * stands for: the line closing a cut list ("… and 200 more problems")
 * counts as the problems it stands for. */
guint      cm_problems_count    (GPtrArray       *problems);
/* Characters messages show escaped (controls, bidi and line breaks). */
gboolean   cm_problem_char_needs_escape (gunichar c);

/* Documented limits (README, "Limits").  Each is refused with its own message. */
#define CM_DATASET_MAX_FILE_SIZE     (256 * 1024 * 1024)
#define CM_DATASET_MAX_ACTORS        500000
#define CM_DATASET_MAX_LINKS         2000000
#define CM_DATASET_MAX_DEPTH         128
#define CM_DATASET_MAX_MEMBERS       10000
#define CM_DATASET_MAX_STRING_LENGTH (16 * 1024 * 1024)
#define CM_DATASET_MAX_PROBLEMS      100

/* Loading.  On failure returns NULL and sets @error; @problems (if not NULL)
 * receives every problem found, in file order (an array of CmProblem, at
 * most CM_DATASET_MAX_PROBLEMS plus one saying how many more there were).
 * The GError's message is the first problem, or a summary
 * ("12 problems in the dataset").  On success @problems receives an empty
 * array.  Never touches the network or other files.
 *
 * cm_dataset_load_from_file() refuses a file over the size limit from its
 * size alone, checks @cancellable between phases (G_IO_ERROR_CANCELLED),
 * and may run in a worker thread. */
CmDataset *cm_dataset_load_from_data (const char    *data,
                                      gsize          length,
                                      GPtrArray    **problems,
                                      GError       **error);
CmDataset *cm_dataset_load_from_file (GFile         *file,
                                      GCancellable  *cancellable,
                                      GPtrArray    **problems,
                                      GError       **error);

/* Saving.  Keeps key order and every key this version does not know from
 * the file the dataset was loaded from; writes positions as x/y; numbers
 * as strict JSON.  The file is written next to the target and renamed over
 * it only when complete and synced (also through a symlink, which is kept,
 * and over a hard-linked file, whose other names keep the old contents):
 * see cm_atomic_file_write(), whose G_IO_ERROR errors it returns. */
char      *cm_dataset_save_to_data   (CmDataset     *dataset,
                                      gsize         *length);
gboolean   cm_dataset_save_to_file   (CmDataset     *dataset,
                                      GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
