/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CM_TYPE_SOURCE (cm_source_get_type ())
G_DECLARE_FINAL_TYPE (CmSource, cm_source, CM, SOURCE, GObject)

/* A document that quotes come from.  The id is fixed at construction: it is
 * the key of the dataset's index and what quotes refer to. */
CmSource   *cm_source_new           (const char *id);

const char *cm_source_get_id        (CmSource   *self);
const char *cm_source_get_title     (CmSource   *self);
void        cm_source_set_title     (CmSource   *self,
                                     const char *title);
const char *cm_source_get_publisher (CmSource   *self);
void        cm_source_set_publisher (CmSource   *self,
                                     const char *publisher);
const char *cm_source_get_date      (CmSource   *self);
void        cm_source_set_date      (CmSource   *self,
                                     const char *date);
const char *cm_source_get_url       (CmSource   *self);
void        cm_source_set_url       (CmSource   *self,
                                     const char *url);
const char *cm_source_get_text      (CmSource   *self);
void        cm_source_set_text      (CmSource   *self,
                                     const char *text);

G_END_DECLS
