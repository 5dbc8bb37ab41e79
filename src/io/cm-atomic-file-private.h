/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

/* For tests only: what cm_atomic_file_write() writes the data with
 * (write(2) by default; NULL restores it).  A stand-in that returns -1
 * with errno set to ENOSPC or EIO shows how a save fails on a full or
 * broken disk without needing one.  Not thread-safe: set it while no save
 * runs. */
typedef ssize_t (*CmAtomicWriteFunc) (int         fd,
                                      const void *buf,
                                      size_t      count);

void _cm_atomic_file_set_write_func (CmAtomicWriteFunc func);

G_END_DECLS
