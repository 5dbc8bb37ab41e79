/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-io"

#include "config.h"

#include "cm-dataset-io-private.h"

G_DEFINE_QUARK (cm-dataset-error-quark, cm_dataset_error)
G_DEFINE_QUARK (cm-dataset-io-json, _cm_dataset_io_json)

G_DEFINE_BOXED_TYPE (CmProblem, cm_problem, cm_problem_copy, cm_problem_free)

/* Every CmProblem is made in this file, with one field after the public
 * ones: how many problems it stands for when it is the line that closes a
 * list cut at CM_DATASET_MAX_PROBLEMS ("… and 200 more problems"), 0 for a
 * problem of its own.  So a consumer can count the problems found without
 * taking that line for one of them (cm_problems_count()). */
typedef struct
{
  CmProblem problem;
  guint     n_more;
} Problem;

static CmProblem *
problem_new (const char *path,
             guint       line,
             guint       column,
             char       *message,
             guint       n_more)
{
  Problem *self = g_new0 (Problem, 1);

  self->problem.path = g_strdup (path);
  self->problem.line = line;
  self->problem.column = column;
  self->problem.message = message;
  self->n_more = n_more;
  return &self->problem;
}

CmProblem *
_cm_problem_new_take (const char *path,
                      guint       line,
                      guint       column,
                      char       *message)
{
  return problem_new (path, line, column, message, 0);
}

/* The line after the first CM_DATASET_MAX_PROBLEMS problems saying how many
 * more were found (@n_more > 0); takes ownership of @message. */
CmProblem *
_cm_problem_new_more (const char *path,
                      guint       n_more,
                      char       *message)
{
  g_return_val_if_fail (n_more > 0, NULL);

  return problem_new (path, 0, 0, message, n_more);
}

/**
 * cm_problem_char_needs_escape:
 *
 * C0, DEL and C1 controls, and the characters that reorder or break a
 * line of text: shown escaped (\u001B) in messages, so a message reads
 * the same in a terminal and in a label whatever a file (or its name)
 * holds.  The loader quotes values with it, the command line file names.
 */
gboolean
cm_problem_char_needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 ||
         c == 0xfeff;
}

/**
 * cm_problems_count:
 * @problems: (nullable): an array of CmProblem as the loader gives it
 *
 * How many problems were found: every entry counts once, except the line
 * that closes a cut list, which counts for the problems it stands for.
 * 100 problems and "… and 200 more problems" make 300, not 101.
 * Saturates at G_MAXUINT.
 */
guint
cm_problems_count (GPtrArray *problems)
{
  guint64 total = 0;

  if (problems == NULL)
    return 0;
  for (guint i = 0; i < problems->len; i++)
    {
      const Problem *p = g_ptr_array_index (problems, i);

      total += p->n_more > 0 ? p->n_more : 1;
    }
  return (guint) MIN (total, (guint64) G_MAXUINT);
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

  return problem_new (problem->path, problem->line, problem->column,
                      g_strdup (problem->message), ((const Problem *) problem)->n_more);
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
