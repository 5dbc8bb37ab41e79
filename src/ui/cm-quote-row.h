/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-model.h"

G_BEGIN_DECLS

#define CM_TYPE_QUOTE_ROW (cm_quote_row_get_type ())
G_DECLARE_FINAL_TYPE (CmQuoteRow, cm_quote_row, CM, QUOTE_ROW, GtkWidget)

/* One quote in the side panel: the words as plain, selectable text; who
 * said them; the source, publisher and date; and an "Open Source" button
 * for an http or https link, which opens only when clicked. */
GtkWidget  *cm_quote_row_new       (void);
/* Shows @quote, naming its speaker and source through @dataset; NULL
 * clears the row (a recycled list item). */
void        cm_quote_row_set_quote (CmQuoteRow *self,
                                    CmQuote    *quote,
                                    CmDataset  *dataset);
CmQuote    *cm_quote_row_get_quote (CmQuoteRow *self);
/* The URL the button opens, or NULL when the button is hidden. */
const char *cm_quote_row_get_uri   (CmQuoteRow *self);

G_END_DECLS
