/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include "cm-dataset-io-private.h"

G_DEFINE_QUARK (cm-dataset-error-quark, cm_dataset_error)
G_DEFINE_QUARK (cm-dataset-io-json, _cm_dataset_io_json)

G_DEFINE_BOXED_TYPE (CmProblem, cm_problem, cm_problem_copy, cm_problem_free)

CmProblem *
_cm_problem_new_take (const char *path,
                      guint       line,
                      guint       column,
                      char       *message)
{
  CmProblem *problem = g_new0 (CmProblem, 1);

  problem->path = g_strdup (path);
  problem->line = line;
  problem->column = column;
  problem->message = message;
  return problem;
}

/**
 * cm_problem_new:
 * @path: (nullable): a JSON path such as "$.links[3].target", or %NULL
 * @line: 1-based line, or 0 when unknown
 * @column: 1-based column in characters, or 0 when unknown
 * @message: the sentence the user reads
 *
 * For importers that report problems the way the dataset loader does.
 */
CmProblem *
cm_problem_new (const char *path,
                guint       line,
                guint       column,
                const char *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return _cm_problem_new_take (path, line, column, g_strdup (message));
}

CmProblem *
cm_problem_copy (const CmProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  return _cm_problem_new_take (problem->path, problem->line, problem->column,
                               g_strdup (problem->message));
}

void
cm_problem_free (CmProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem);
}

/* "PATH: MESSAGE", or the message alone for a problem with the file as a
 * whole (a syntax error's message already starts with "LINE:COLUMN: ").
 * The line and column are not repeated here: the path says where, in the
 * words of FORMAT.md, and the UI has the numbers in the struct. */
char *
cm_problem_to_string (const CmProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->path != NULL)
    return g_strdup_printf ("%s: %s", problem->path, problem->message);
  return g_strdup (problem->message);
}
