/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-quote-row.h"
#include "cm-ui-util.h"

struct _CmQuoteRow
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkLabel  *text_label;
  GtkLabel  *speaker_label;
  GtkLabel  *source_label;
  GtkButton *open_button;

  CmQuote   *quote;
  char      *uri;
};

G_DEFINE_FINAL_TYPE (CmQuoteRow, cm_quote_row, GTK_TYPE_WIDGET)

static void
open_clicked_cb (CmQuoteRow *self,
                 GtkButton  *button)
{
  if (self->uri != NULL)
    cm_show_uri (GTK_WIDGET (self), self->uri);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  g_autofree char *shown = cm_ui_display_text (text, CM_UI_MAX_TEXT_CHARS, TRUE);

  gtk_label_set_text (label, shown);
  gtk_label_set_wrap_mode (label, cm_ui_wrap_mode_for (shown));
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
cm_quote_row_dispose (GObject *object)
{
  CmQuoteRow *self = CM_QUOTE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_QUOTE_ROW);
  g_clear_object (&self->quote);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (cm_quote_row_parent_class)->dispose (object);
}

static void
cm_quote_row_class_init (CmQuoteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_quote_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/channelmap/ChannelMap/cm-quote-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CmQuoteRow, box);
  gtk_widget_class_bind_template_child (widget_class, CmQuoteRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, CmQuoteRow, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, CmQuoteRow, source_label);
  gtk_widget_class_bind_template_child (widget_class, CmQuoteRow, open_button);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-quote-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cm_quote_row_init (CmQuoteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* As the text label in the template: a width in characters spares GTK
   * laying out a long name broken at every word to find its minimum
   * width, on every measure. */
  gtk_label_set_width_chars (self->speaker_label, 10);
  gtk_label_set_width_chars (self->source_label, 10);
  cm_button_fix_accessible_name (GTK_WIDGET (self->open_button));
}

GtkWidget *
cm_quote_row_new (void)
{
  return g_object_new (CM_TYPE_QUOTE_ROW, NULL);
}

void
cm_quote_row_set_quote (CmQuoteRow *self,
                        CmQuote    *quote,
                        CmDataset  *dataset)
{
  CmSource *source = NULL;
  const char *speaker = NULL;
  const char *date = NULL;
  const char *uri = NULL;
  g_autofree char *speaker_text = NULL;
  g_autoptr(GString) source_text = NULL;

  g_return_if_fail (CM_IS_QUOTE_ROW (self));
  g_return_if_fail (quote == NULL || CM_IS_QUOTE (quote));

  g_set_object (&self->quote, quote);
  g_clear_pointer (&self->uri, g_free);

  if (quote == NULL)
    {
      set_label (self->text_label, NULL);
      set_label (self->speaker_label, NULL);
      set_label (self->source_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->open_button), FALSE);
      return;
    }

  if (dataset != NULL && cm_quote_get_source (quote) != NULL)
    source = cm_dataset_lookup_source (dataset, cm_quote_get_source (quote));

  /* The words, as words: never markup (the template sets use-markup to
   * FALSE; set_text keeps it so). */
  {
    g_autofree char *words = cm_ui_display_text (cm_quote_get_text (quote),
                                                 CM_UI_MAX_TEXT_CHARS, TRUE);
    /* Translators: a quote's words in quotation marks; use your language's marks, e.g. «%s» */
    g_autofree char *text = g_strdup_printf (_("“%s”"), words);

    set_label (self->text_label, text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                    -1);
  }

  speaker = cm_dataset_actor_name (dataset, cm_quote_get_speaker (quote));
  if (speaker != NULL && *speaker != '\0')
    /* Translators: who said a quote, shown under it */
    speaker_text = g_strdup_printf (_("— %s"), speaker);
  set_label (self->speaker_label, speaker_text);

  date = cm_quote_get_date (quote);
  if (date == NULL && source != NULL)
    date = cm_source_get_date (source);

  source_text = g_string_new (NULL);
  if (source != NULL)
    {
      const char *title = cm_source_get_title (source);
      const char *publisher = cm_source_get_publisher (source);

      if (title != NULL && *title != '\0')
        g_string_append (source_text, title);
      if (publisher != NULL && *publisher != '\0')
        {
          if (source_text->len > 0)
            g_string_append (source_text, " · ");
          g_string_append (source_text, publisher);
        }
      if (source_text->len == 0)
        g_string_append (source_text, cm_source_get_id (source));
    }
  if (date != NULL && *date != '\0')
    {
      if (source_text->len > 0)
        g_string_append (source_text, " · ");
      g_string_append (source_text, date);
    }
  set_label (self->source_label, source_text->str);

  /* A link of the quote's own comes first, then its source's.  Only http
   * and https, with a host and no user name or password in it. */
  uri = cm_quote_get_url (quote);
  if (!cm_uri_is_openable (uri) && source != NULL)
    uri = cm_source_get_url (source);
  if (cm_uri_is_openable (uri))
    self->uri = g_strdup (uri);

  gtk_widget_set_visible (GTK_WIDGET (self->open_button), self->uri != NULL);
  {
    g_autofree char *shown_uri = self->uri != NULL
      ? cm_ui_display_text (self->uri, CM_UI_MAX_LINE_CHARS, FALSE) : NULL;

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button), shown_uri);
  }
}

CmQuote *
cm_quote_row_get_quote (CmQuoteRow *self)
{
  g_return_val_if_fail (CM_IS_QUOTE_ROW (self), NULL);

  return self->quote;
}

const char *
cm_quote_row_get_uri (CmQuoteRow *self)
{
  g_return_val_if_fail (CM_IS_QUOTE_ROW (self), NULL);

  return self->uri;
}
