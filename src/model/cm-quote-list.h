/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cm-quote.h"

G_BEGIN_DECLS

/* The quote list an actor or a link owns: a GListStore of CmQuote whose
 * owner hears about every change inside it (a quote added, removed, or one
 * of its properties set) through @changed, with @owner as first argument.
 * Shared by CmActor and CmLink so both watch their quotes the same way.
 * The store is made on first use: most links of an imported network have
 * no quotes, and a GListStore each was a third of their memory. */
typedef struct
{
  GListStore *store;
  GObject    *owner;
  void      (*changed) (GObject *owner);
} CmQuoteList;

void _cm_quote_list_init   (CmQuoteList *list,
                            GObject     *owner,
                            void       (*changed) (GObject *owner));
void _cm_quote_list_clear  (CmQuoteList *list);
GListStore *_cm_quote_list_get_store (CmQuoteList *list);
guint _cm_quote_list_get_n (CmQuoteList *list);
void _cm_quote_list_add    (CmQuoteList *list,
                            CmQuote     *quote);
void _cm_quote_list_remove (CmQuoteList *list,
                            CmQuote     *quote);

G_END_DECLS
