/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* The fuzz targets' one property, shared by libFuzzer (fuzz-target.c) and
 * the replay of tests/data/regress/ in every build (fuzz-replay.c).
 *
 * @hint NULL: the bytes go to the dataset loader, cm_dataset_load_from_data().
 * Otherwise to cm_dataset_open_data() with @hint as the file name, which
 * picks the importer (content decides when it is conclusive).
 *
 * Whatever the bytes: a dataset, or an error with a message (valid UTF-8;
 * for a syntax error, "LINE:COLUMN: …").  A dataset saves, the saved text
 * loads back with the same numbers of actors and links, and saving that
 * gives the very same bytes: load → save is a fixed point.  A failure
 * aborts (g_error), which libFuzzer records as a crash. */
void cm_fuzz_dataset (const char    *hint,
                      const uint8_t *data,
                      size_t         size);

/* The hint of each target by its short name ("load", "graphml", …), as
 * the folders of tests/data/regress/ are named; FALSE if unknown. */
gboolean cm_fuzz_hint_for_target (const char  *target,
                                  const char **hint);

G_END_DECLS
