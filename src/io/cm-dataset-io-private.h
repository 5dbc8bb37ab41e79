/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cm-dataset-io.h"
#include "cm-json.h"

G_BEGIN_DECLS

/* The loader attaches to the dataset and to every actor, link, source and
 * quote the JSON object it was read from; the saver starts from it, so that
 * keys this version does not know, and the order of keys, survive a save.
 * The model knows nothing of JSON: this is qdata private to the io layer. */
GQuark _cm_dataset_io_json_quark (void);

static inline CmJsonValue *
_cm_dataset_io_get_json (gpointer object)
{
  return g_object_get_qdata (G_OBJECT (object), _cm_dataset_io_json_quark ());
}

/* Takes ownership of @message. */
CmProblem *_cm_problem_new_take (const char *path,
                                 guint       line,
                                 guint       column,
                                 char       *message);
/* The line closing a list cut at CM_DATASET_MAX_PROBLEMS, standing for
 * @n_more problems (cm_problems_count() counts them); takes @message. */
CmProblem *_cm_problem_new_more (const char *path,
                                 guint       n_more,
                                 char       *message);

G_END_DECLS
