/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CM_TYPE_QUOTE (cm_quote_get_type ())
G_DECLARE_FINAL_TYPE (CmQuote, cm_quote, CM, QUOTE, GObject)

/* A piece of evidence: the words, who said them, where they were reported.
 * A GObject (not a boxed struct) so a GtkListView can show a list of them. */
CmQuote    *cm_quote_new         (const char *text);

const char *cm_quote_get_text    (CmQuote    *self);
void        cm_quote_set_text    (CmQuote    *self,
                                  const char *text);
const char *cm_quote_get_speaker (CmQuote    *self);
void        cm_quote_set_speaker (CmQuote    *self,
                                  const char *speaker);
const char *cm_quote_get_source  (CmQuote    *self);
void        cm_quote_set_source  (CmQuote    *self,
                                  const char *source_id);
const char *cm_quote_get_date    (CmQuote    *self);
void        cm_quote_set_date    (CmQuote    *self,
                                  const char *date);
const char *cm_quote_get_url     (CmQuote    *self);
void        cm_quote_set_url     (CmQuote    *self,
                                  const char *url);

G_END_DECLS
