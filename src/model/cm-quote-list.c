/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-model"

#include "config.h"

#include "cm-quote-list.h"

static void
quote_notify_cb (CmQuote     *quote,
                 GParamSpec  *pspec,
                 CmQuoteList *list)
{
  list->changed (list->owner);
}

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  CmQuoteList *list)
{
  list->changed (list->owner);
}

void
_cm_quote_list_init (CmQuoteList *list,
                     GObject     *owner,
                     void       (*changed) (GObject *owner))
{
  list->store = NULL;
  list->owner = owner;
  list->changed = changed;
}

GListStore *
_cm_quote_list_get_store (CmQuoteList *list)
{
  if (list->store == NULL)
    {
      list->store = g_list_store_new (CM_TYPE_QUOTE);
      g_signal_connect (list->store, "items-changed", G_CALLBACK (items_changed_cb), list);
    }
  return list->store;
}

guint
_cm_quote_list_get_n (CmQuoteList *list)
{
  return list->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (list->store)) : 0;
}

void
_cm_quote_list_clear (CmQuoteList *list)
{
  guint n;

  if (list->store == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (list->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmQuote) quote = g_list_model_get_item (G_LIST_MODEL (list->store), i);
      g_signal_handlers_disconnect_by_data (quote, list);
    }
  g_signal_handlers_disconnect_by_data (list->store, list);
  g_clear_object (&list->store);
}

void
_cm_quote_list_add (CmQuoteList *list,
                    CmQuote     *quote)
{
  GListStore *store = _cm_quote_list_get_store (list);

  g_signal_connect (quote, "notify", G_CALLBACK (quote_notify_cb), list);
  g_list_store_append (store, quote);
}

void
_cm_quote_list_remove (CmQuoteList *list,
                       CmQuote     *quote)
{
  guint position;

  if (list->store == NULL || !g_list_store_find (list->store, quote, &position))
    return;
  g_signal_handlers_disconnect_by_data (quote, list);
  g_list_store_remove (list->store, position);
}
