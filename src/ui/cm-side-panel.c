/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cm-channel-sample.h"
#include "cm-quote-row.h"
#include "cm-side-panel.h"
#include "cm-ui-util.h"

struct _CmSidePanel
{
  GtkWidget    parent_instance;

  GtkStack    *stack;
  GtkBox      *overview_box;
  GtkLabel    *selection_kind_label;
  GtkScrolledWindow *details_scroll;
  GtkBox      *details_box;
  GtkLabel    *quotes_heading;
  GtkStack    *quotes_stack;
  GtkListView *quotes_view;
  GtkWidget   *back_button;

  CmDataset   *dataset;
  CmViewport  *viewport;
  GListModel  *quotes;
  gpointer     shown;             /* the actor or link shown, not a reference */
  guint64      shown_structure;   /* the dataset's structure generation then */
  gulong       dataset_changed_id;
  gulong       viewport_notify_id;
  guint        refresh_idle_id;
  guint        details_cap_idle_id;
  int          details_cap;
};

enum {
  PROP_0,
  PROP_DATASET,
  PROP_VIEWPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmSidePanel, cm_side_panel, GTK_TYPE_WIDGET)

static void refresh (CmSidePanel *self);

/* ---- building blocks -------------------------------------------------- */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* A label for dataset text: at most @max_chars characters of it (a
 * name or a title is a line, CM_UI_MAX_LINE_CHARS; a description, notes,
 * a quote CM_UI_MAX_TEXT_CHARS). */
static GtkWidget *
text_label_cut (const char *text,
                const char *css_class,
                guint       max_chars)
{
  GtkWidget *label = gtk_label_new (NULL);
  g_autofree char *shown = cm_ui_display_text (text, max_chars, TRUE);

  /* Everything from a dataset is text, never markup. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), shown);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), cm_ui_wrap_mode_for (shown));
  /* Without a width in characters, GTK finds a wrapping label's minimum
   * width by laying its text out broken at every word, on every measure:
   * 170 ms for 4000 characters of words, 9 ms with it.  The panel's own
   * width decides how wide the label really is. */
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  return text_label_cut (text, css_class, CM_UI_MAX_TEXT_CHARS);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  return label;
}

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
plain_row (const char *title,
           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *shown_title = cm_ui_display_text (title, CM_UI_MAX_LINE_CHARS, FALSE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown_title);
  if (subtitle != NULL && *subtitle != '\0')
    {
      g_autofree char *shown = cm_ui_display_text (subtitle, CM_UI_MAX_LINE_CHARS, FALSE);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
    }
  return row;
}

static GtkWidget *
count_label (guint n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* A key–value pair in the details ("Topic: Ukraine"). */
static void
add_field (GtkGrid    *grid,
           int        *row,
           const char *key,
           const char *value,
           guint       max_chars)
{
  GtkWidget *key_label, *value_label;

  if (value == NULL || *value == '\0')
    return;

  key_label = gtk_label_new (key);
  gtk_label_set_xalign (GTK_LABEL (key_label), 0.0);
  gtk_label_set_yalign (GTK_LABEL (key_label), 0.0);
  gtk_widget_add_css_class (key_label, "dim-label");
  /* The value says it: "Role: …". */
  gtk_accessible_update_state (GTK_ACCESSIBLE (key_label), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  value_label = text_label_cut (value, NULL, max_chars);
  gtk_widget_set_hexpand (value_label, TRUE);
  /* Read as one "Role: Deputy Foreign Minister" (a labelled-by relation
   * made GTK 4.8 say "Deputy Foreign Minister Role"). */
  {
    g_autofree char *shown = cm_ui_display_text (value, max_chars, TRUE);
    /* Translators: a field of the details as a screen reader reads it, "Role: Deputy Foreign Minister" */
    g_autofree char *name = g_strdup_printf (_("%s: %s"), key, shown);

    gtk_accessible_update_property (GTK_ACCESSIBLE (value_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }

  gtk_grid_attach (grid, key_label, 0, *row, 1, 1);
  gtk_grid_attach (grid, value_label, 1, *row, 1, 1);
  (*row)++;
}

static GtkWidget *
field_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  return grid;
}

/* ---- rows that select ------------------------------------------------- */

static void
actor_row_activated_cb (AdwActionRow *row,
                        CmSidePanel  *self)
{
  CmActor *actor = g_object_get_data (G_OBJECT (row), "cm-actor");

  if (actor != NULL && self->viewport != NULL)
    cm_viewport_select_actor (self->viewport, actor);
}

static void
link_row_activated_cb (AdwActionRow *row,
                       CmSidePanel  *self)
{
  CmLink *link = g_object_get_data (G_OBJECT (row), "cm-link");

  if (link != NULL && self->viewport != NULL)
    cm_viewport_select_link (self->viewport, link);
}

static GtkWidget *
actor_row (CmSidePanel *self,
           CmActor     *actor,
           const char  *what)
{
  const char *role = cm_actor_get_role (actor);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (what != NULL && role != NULL && *role != '\0')
    /* Translators: a row naming an actor: "Source · Deputy Foreign Minister" */
    subtitle = g_strdup_printf (_("%s · %s"), what, role);
  else
    subtitle = g_strdup (what != NULL ? what : role);

  row = plain_row (cm_actor_get_name (actor), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "cm-actor", g_object_ref (actor), g_object_unref);
  g_signal_connect_object (row, "activated", G_CALLBACK (actor_row_activated_cb), self, 0);
  return row;
}

static GtkWidget *
link_row (CmSidePanel *self,
          CmLink      *link,
          CmActor     *from)
{
  const char *other_id;
  const char *topic = cm_link_get_topic (link);
  const char *mechanism = cm_link_get_mechanism (link);
  g_autoptr(GString) subtitle = g_string_new (cm_channel_get_label (cm_link_get_channel (link)));
  g_autofree char *title = NULL;
  GtkWidget *row, *sample;
  guint n_quotes = cm_link_get_n_quotes (link);

  if (from != NULL && g_strcmp0 (cm_link_get_source (link), cm_actor_get_id (from)) == 0)
    other_id = cm_link_get_target (link);
  else if (from != NULL && g_strcmp0 (cm_link_get_target (link), cm_actor_get_id (from)) == 0)
    other_id = cm_link_get_source (link);
  else
    other_id = NULL;

  if (other_id != NULL)
    title = g_strdup (cm_dataset_actor_name (self->dataset, other_id));
  else
    /* Translators: a channel between two actors, "Russia — United States" */
    title = g_strdup_printf (_("%s — %s"),
                             cm_dataset_actor_name (self->dataset, cm_link_get_source (link)),
                             cm_dataset_actor_name (self->dataset, cm_link_get_target (link)));

  if (topic != NULL && *topic != '\0')
    g_string_append_printf (subtitle, " · %s", topic);
  if (mechanism != NULL && *mechanism != '\0')
    g_string_append_printf (subtitle, " · %s", mechanism);
  g_string_append (subtitle, " · ");
  g_string_append_printf (subtitle, ngettext ("%u quote", "%u quotes", n_quotes), n_quotes);

  row = plain_row (title, subtitle->str);
  sample = cm_channel_sample_new (cm_link_get_channel (link));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), sample);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "cm-link", g_object_ref (link), g_object_unref);
  g_signal_connect_object (row, "activated", G_CALLBACK (link_row_activated_cb), self, 0);
  return row;
}

static void
open_uri_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  cm_show_uri (GTK_WIDGET (button), g_object_get_data (G_OBJECT (button), "cm-uri"));
}

static GtkWidget *
source_row (CmSource *source)
{
  const char *title = cm_source_get_title (source);
  const char *publisher = cm_source_get_publisher (source);
  const char *date = cm_source_get_date (source);
  const char *url = cm_source_get_url (source);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row;

  if (publisher != NULL && *publisher != '\0')
    g_string_append (subtitle, publisher);
  if (date != NULL && *date != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, date);
    }

  row = plain_row (title != NULL && *title != '\0' ? title : cm_source_get_id (source),
                   subtitle->str);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);

  if (cm_uri_is_openable (url))
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("adw-external-link-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_autofree char *shown_url = cm_ui_display_text (url, CM_UI_MAX_LINE_CHARS, FALSE);

      gtk_widget_set_tooltip_text (button, shown_url);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open Source"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, shown_url,
                                      -1);
      g_object_set_data_full (G_OBJECT (button), "cm-uri", g_strdup (url), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (open_uri_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

/* ---- the pages -------------------------------------------------------- */

static gboolean
same_items (GListModel *a,
            GListModel *b)
{
  guint n;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  n = g_list_model_get_n_items (a);
  if (n != g_list_model_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) x = g_list_model_get_item (a, i);
      g_autoptr(GObject) y = g_list_model_get_item (b, i);

      if (x != y)
        return FALSE;
    }
  return TRUE;
}

static void
set_quotes (CmSidePanel *self,
            GListModel  *quotes)
{
  guint n = quotes != NULL ? g_list_model_get_n_items (quotes) : 0;
  g_autofree char *text = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  /* The same quotes again (the selected actor moved): keep the list and
   * where it is scrolled to. */
  if (!same_items (quotes, self->quotes))
    {
      g_set_object (&self->quotes, quotes);
      if (quotes != NULL)
        selection = gtk_no_selection_new (g_object_ref (quotes));
      gtk_list_view_set_model (self->quotes_view, GTK_SELECTION_MODEL (selection));
    }

  if (n == 0)
    text = g_strdup (_("Quotes"));
  else
    /* Translators: the heading above the quotes, "Quotes (5)" */
    text = g_strdup_printf (_("Quotes (%u)"), n);
  gtk_label_set_text (self->quotes_heading, text);
  gtk_stack_set_visible_child_name (self->quotes_stack, n > 0 ? "list" : "empty");
}

static void
build_overview (CmSidePanel *self)
{
  const char *title, *description;
  GtkWidget *list, *row;
  GListModel *sources;
  guint n_sources;
  guint n_actors;
  static const CmChannel channels[] = { CM_CHANNEL_DIRECT, CM_CHANNEL_INDIRECT, CM_CHANNEL_ABSENT };

  clear_box (self->overview_box);
  if (self->dataset == NULL)
    return;

  title = cm_dataset_get_title (self->dataset);
  description = cm_dataset_get_description (self->dataset);
  if (title != NULL && *title != '\0')
    {
      GtkWidget *label = text_label_cut (title, "title-2", CM_UI_MAX_LINE_CHARS);

      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
      gtk_box_append (self->overview_box, label);
    }
  if (description != NULL && *description != '\0')
    gtk_box_append (self->overview_box, text_label (description, "body"));

  gtk_box_append (self->overview_box, heading (_("On the Map")));
  list = boxed_list ();
  n_actors = cm_dataset_get_n_actors (self->dataset);
  row = plain_row (_("Actors"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label (n_actors));
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  /* The kinds the map has, as its legend shows them; a map without
   * links says so in one row. */
  if (cm_dataset_get_n_links (self->dataset) == 0)
    {
      row = plain_row (_("Channels"), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label (0));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      guint n = cm_dataset_count_links (self->dataset, channels[i]);
      g_autofree char *title_text = NULL;

      if (n == 0)
        continue;

      /* Translators: a row of the overview: "Direct channels" */
      switch (channels[i])
        {
        case CM_CHANNEL_DIRECT:
          title_text = g_strdup (_("Direct channels"));
          break;
        case CM_CHANNEL_INDIRECT:
          title_text = g_strdup (_("Indirect channels"));
          break;
        case CM_CHANNEL_ABSENT:
        default:
          title_text = g_strdup (_("Absent channels"));
          break;
        }
      row = plain_row (title_text, NULL);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), cm_channel_sample_new (channels[i]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label (n));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (self->overview_box, list);

  sources = cm_dataset_get_sources (self->dataset);
  n_sources = g_list_model_get_n_items (sources);
  if (n_sources > 0)
    {
      gtk_box_append (self->overview_box, heading (_("Sources")));
      list = boxed_list ();
      for (guint i = 0; i < n_sources; i++)
        {
          g_autoptr(CmSource) source = g_list_model_get_item (sources, i);

          gtk_list_box_append (GTK_LIST_BOX (list), source_row (source));
        }
      gtk_box_append (self->overview_box, list);
    }

  {
    GtkWidget *hint = text_label (_("Select an actor or a channel on the map to read the quotes behind it."),
                                  "dim-label");
    gtk_label_set_selectable (GTK_LABEL (hint), FALSE);
    gtk_widget_set_margin_top (hint, 6);
    gtk_box_append (self->overview_box, hint);
  }
}

static void
build_actor (CmSidePanel *self,
             CmActor     *actor)
{
  const char *role = cm_actor_get_role (actor);
  const char *group_id = cm_actor_get_group (actor);
  const char *notes = cm_actor_get_notes (actor);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GListModel) quotes = NULL;
  GtkWidget *label, *grid, *list;
  int row = 0;

  gtk_label_set_text (self->selection_kind_label, _("Actor"));

  label = text_label_cut (cm_actor_get_name (actor), "title-2", CM_UI_MAX_LINE_CHARS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_box_append (self->details_box, label);

  grid = field_grid ();
  add_field (GTK_GRID (grid), &row, _("Kind"), cm_actor_kind_get_label (cm_actor_get_kind (actor)), CM_UI_MAX_LINE_CHARS);
  add_field (GTK_GRID (grid), &row, _("Role"), role, CM_UI_MAX_LINE_CHARS);
  add_field (GTK_GRID (grid), &row, _("Notes"), notes, CM_UI_MAX_TEXT_CHARS);
  gtk_box_append (self->details_box, grid);

  if (group_id != NULL)
    {
      CmActor *group = cm_dataset_lookup_actor (self->dataset, group_id);

      if (group != NULL)
        {
          list = boxed_list ();
          gtk_list_box_append (GTK_LIST_BOX (list), actor_row (self, group, _("Part of")));
          gtk_box_append (self->details_box, list);
        }
    }

  links = cm_dataset_get_links_of_actor (self->dataset, actor);
  if (links != NULL && links->len > 0)
    {
      gtk_box_append (self->details_box, heading (_("Channels")));
      list = boxed_list ();
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Channels"), -1);
      for (guint i = 0; i < links->len; i++)
        gtk_list_box_append (GTK_LIST_BOX (list), link_row (self, g_ptr_array_index (links, i), actor));
      gtk_box_append (self->details_box, list);
    }

  quotes = cm_dataset_get_quotes_of_actor (self->dataset, actor);
  set_quotes (self, quotes);
}

static void
build_link (CmSidePanel *self,
            CmLink      *link)
{
  CmChannel channel = cm_link_get_channel (link);
  CmActor *source = cm_dataset_lookup_actor (self->dataset, cm_link_get_source (link));
  CmActor *target = cm_dataset_lookup_actor (self->dataset, cm_link_get_target (link));
  const char * const *via = cm_link_get_via (link);
  g_autofree char *title = NULL;
  g_autofree char *period = NULL;
  g_autofree char *via_text = NULL;
  const char *note = NULL;
  GtkWidget *label, *box, *grid, *list;
  int row = 0;

  gtk_label_set_text (self->selection_kind_label, _("Channel"));

  title = g_strdup_printf (_("%s — %s"),
                           cm_dataset_actor_name (self->dataset, cm_link_get_source (link)),
                           cm_dataset_actor_name (self->dataset, cm_link_get_target (link)));
  label = text_label_cut (title, "title-2", CM_UI_MAX_LINE_CHARS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_box_append (self->details_box, label);

  /* The kind, with the legend's line sample. */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (box), cm_channel_sample_new (channel));
  {
    g_autofree char *kind = NULL;

    switch (channel)
      {
      case CM_CHANNEL_DIRECT:
        kind = g_strdup (_("Direct channel"));
        note = _("The two sides talk to each other: meetings, calls, a shared press conference, a negotiation line.");
        break;
      case CM_CHANNEL_INDIRECT:
        kind = g_strdup (_("Indirect channel"));
        note = _("Reported through intermediaries or public statements — not proof of direct contact.");
        break;
      case CM_CHANNEL_ABSENT:
      default:
        kind = g_strdup (_("No channel"));
        note = _("The sources report that there is no channel between the two.");
        break;
      }
    label = gtk_label_new (kind);
    gtk_widget_add_css_class (label, "heading");
    gtk_box_append (GTK_BOX (box), label);
    if (cm_link_get_directed (link))
      {
        GtkWidget *arrow = gtk_label_new (_("(one way)"));

        gtk_widget_add_css_class (arrow, "dim-label");
        gtk_box_append (GTK_BOX (box), arrow);
      }
  }
  gtk_box_append (self->details_box, box);

  label = text_label (note, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_box_append (self->details_box, label);

  if (via != NULL && via[0] != NULL)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      for (guint i = 0; via[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (s, " → ");
          g_string_append (s, cm_dataset_actor_name (self->dataset, via[i]));
        }
      via_text = g_string_free (g_steal_pointer (&s), FALSE);
    }
  period = cm_link_dup_period (link);

  grid = field_grid ();
  add_field (GTK_GRID (grid), &row, _("Topic"), cm_link_get_topic (link), CM_UI_MAX_LINE_CHARS);
  add_field (GTK_GRID (grid), &row, _("Mechanism"), cm_link_get_mechanism (link), CM_UI_MAX_LINE_CHARS);
  add_field (GTK_GRID (grid), &row, _("Via"), via_text, CM_UI_MAX_LINE_CHARS);
  add_field (GTK_GRID (grid), &row, _("Period"), period, CM_UI_MAX_LINE_CHARS);
  if (row > 0)
    gtk_box_append (self->details_box, grid);

  gtk_box_append (self->details_box, heading (_("Between")));
  list = boxed_list ();
  if (source != NULL)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         actor_row (self, source, cm_link_get_directed (link) ? _("From") : NULL));
  if (target != NULL)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         actor_row (self, target, cm_link_get_directed (link) ? _("To") : NULL));
  gtk_box_append (self->details_box, list);

  set_quotes (self, cm_link_get_quotes (link));
}

static void
refresh (CmSidePanel *self)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;
  gboolean had_focus;

  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  if (self->dataset != NULL)
    self->shown_structure = cm_dataset_get_structure_generation (self->dataset);

  if (self->viewport != NULL)
    {
      actor = cm_viewport_get_selected_actor (self->viewport);
      link = cm_viewport_get_selected_link (self->viewport);
    }

  /* A row that had the focus (a channel clicked) goes away with the page
   * it was on: keep the focus in the panel, on Back, rather than let it
   * fall on the new title, which a selectable label shows all selected. */
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    had_focus = focus != NULL &&
                (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->details_box)) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (self->overview_box)));
  }

  clear_box (self->details_box);

  if (self->dataset == NULL || (actor == NULL && link == NULL))
    {
      self->shown = NULL;
      set_quotes (self, NULL);
      build_overview (self);
      gtk_stack_set_visible_child_name (self->stack, "overview");
      return;
    }

  if (actor != NULL)
    build_actor (self, actor);
  else
    build_link (self, link);

  if (had_focus)
    gtk_widget_grab_focus (self->back_button);

  gtk_stack_set_visible_child_name (self->stack, "selection");
  if (self->shown != (actor != NULL ? (gpointer) actor : (gpointer) link))
    {
      self->shown = actor != NULL ? (gpointer) actor : (gpointer) link;
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->details_scroll), 0);
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CmSidePanel *self = user_data;

  self->refresh_idle_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (CmSidePanel *self)
{
  if (self->refresh_idle_id == 0)
    self->refresh_idle_id = g_idle_add_full (G_PRIORITY_LOW, refresh_idle_cb, self, NULL);
}

static void
dataset_changed_cb (CmSidePanel *self,
                    GObject     *object,
                    CmDataset   *dataset)
{
  /* Actors moved (a drag, the layout's animation): nothing shown here
   * changed.  Anything else may, but changes to actors do not change
   * the overview's counts. */
  if (cm_dataset_get_structure_generation (dataset) == self->shown_structure)
    return;
  if (CM_IS_ACTOR (object) && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "overview") == 0)
    return;
  queue_refresh (self);
}

static void
viewport_notify_cb (CmSidePanel *self,
                    GParamSpec  *pspec,
                    CmViewport  *viewport)
{
  if (g_strcmp0 (pspec->name, "selected-actor") == 0 ||
      g_strcmp0 (pspec->name, "selected-link") == 0)
    refresh (self);
}

static void
back_clicked_cb (CmSidePanel *self,
                 GtkButton   *button)
{
  if (self->viewport != NULL)
    cm_viewport_clear_selection (self->viewport);
}

/* ---- layout ----------------------------------------------------------- */

/* The details above the quotes take at most about half the panel's
 * height (scrolling past that), so a short window still shows quotes. */
static int
details_cap_for_height (int height)
{
  return CLAMP ((height - 76) * 3 / 5, 140, 380);
}

static gboolean
details_cap_idle_cb (gpointer user_data)
{
  CmSidePanel *self = user_data;

  self->details_cap_idle_id = 0;
  gtk_scrolled_window_set_max_content_height (self->details_scroll, self->details_cap);
  return G_SOURCE_REMOVE;
}

static void
layout_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child == NULL)
    return;
  gtk_widget_measure (child, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
layout_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  CmSidePanel *self = CM_SIDE_PANEL (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int cap = details_cap_for_height (height);
  int natural = -1;

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* GTK 4.8's scrolled window asks its child's natural height for no
   * width in particular, which for wrapped text is the height at its
   * narrowest: a gap under short details.  Ask for this width, and cap
   * the scrolled window there. */
  if (self->details_box != NULL && gtk_widget_get_visible (GTK_WIDGET (self->details_box)))
    {
      gtk_widget_measure (GTK_WIDGET (self->details_box), GTK_ORIENTATION_VERTICAL, width,
                          NULL, &natural, NULL, NULL);
      cap = MIN (cap, MAX (natural, 1));
    }

  /* Not while allocating: the new cap takes effect on the next layout. */
  if (cap != self->details_cap && self->details_scroll != NULL)
    {
      self->details_cap = cap;
      if (self->details_cap_idle_id == 0)
        self->details_cap_idle_id = g_idle_add (details_cap_idle_cb, self);
    }
}

/* ---- the quotes' factory ---------------------------------------------- */

static void
quote_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CmSidePanel              *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, cm_quote_row_new ());
}

static void
quote_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CmSidePanel              *self)
{
  cm_quote_row_set_quote (CM_QUOTE_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item),
                          self->dataset);
}

static void
quote_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CmSidePanel              *self)
{
  cm_quote_row_set_quote (CM_QUOTE_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

/* ---- GObject ---------------------------------------------------------- */

static void
cm_side_panel_dispose (GObject *object)
{
  CmSidePanel *self = CM_SIDE_PANEL (object);

  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  g_clear_handle_id (&self->details_cap_idle_id, g_source_remove);
  cm_side_panel_set_dataset (self, NULL);
  cm_side_panel_set_viewport (self, NULL);
  g_clear_object (&self->quotes);

  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_SIDE_PANEL);

  G_OBJECT_CLASS (cm_side_panel_parent_class)->dispose (object);
}

static void
cm_side_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmSidePanel *self = CM_SIDE_PANEL (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;
    case PROP_VIEWPORT:
      g_value_set_object (value, self->viewport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_side_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmSidePanel *self = CM_SIDE_PANEL (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      cm_side_panel_set_dataset (self, g_value_get_object (value));
      break;
    case PROP_VIEWPORT:
      cm_side_panel_set_viewport (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_side_panel_class_init (CmSidePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_side_panel_dispose;
  object_class->get_property = cm_side_panel_get_property;
  object_class->set_property = cm_side_panel_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, CM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, NULL, CM_TYPE_VIEWPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/channelmap/ChannelMap/cm-side-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, overview_box);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, selection_kind_label);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, details_scroll);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, details_box);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, quotes_heading);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, quotes_stack);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, quotes_view);
  gtk_widget_class_bind_template_child (widget_class, CmSidePanel, back_button);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "cm-side-panel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cm_side_panel_init (CmSidePanel *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, layout_measure, layout_allocate));
  self->details_cap = gtk_scrolled_window_get_max_content_height (self->details_scroll);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (quote_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (quote_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (quote_unbind_cb), self, 0);
  gtk_list_view_set_factory (self->quotes_view, factory);
  g_object_unref (factory);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Details and Quotes"),
                                  -1);
  refresh (self);
}

/* ---- public API ------------------------------------------------------- */

GtkWidget *
cm_side_panel_new (void)
{
  return g_object_new (CM_TYPE_SIDE_PANEL, NULL);
}

CmDataset *
cm_side_panel_get_dataset (CmSidePanel *self)
{
  g_return_val_if_fail (CM_IS_SIDE_PANEL (self), NULL);

  return self->dataset;
}

void
cm_side_panel_set_dataset (CmSidePanel *self,
                           CmDataset   *dataset)
{
  g_return_if_fail (CM_IS_SIDE_PANEL (self));
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (dataset == self->dataset)
    return;

  if (self->dataset != NULL)
    g_clear_signal_handler (&self->dataset_changed_id, self->dataset);
  g_set_object (&self->dataset, dataset);
  if (dataset != NULL)
    self->dataset_changed_id =
      g_signal_connect_object (dataset, "changed", G_CALLBACK (dataset_changed_cb),
                               self, G_CONNECT_SWAPPED);

  if (!gtk_widget_in_destruction (GTK_WIDGET (self)) && self->stack != NULL)
    refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

CmViewport *
cm_side_panel_get_viewport (CmSidePanel *self)
{
  g_return_val_if_fail (CM_IS_SIDE_PANEL (self), NULL);

  return self->viewport;
}

void
cm_side_panel_set_viewport (CmSidePanel *self,
                            CmViewport  *viewport)
{
  g_return_if_fail (CM_IS_SIDE_PANEL (self));
  g_return_if_fail (viewport == NULL || CM_IS_VIEWPORT (viewport));

  if (viewport == self->viewport)
    return;

  if (self->viewport != NULL)
    g_clear_signal_handler (&self->viewport_notify_id, self->viewport);
  g_set_object (&self->viewport, viewport);
  if (viewport != NULL)
    self->viewport_notify_id =
      g_signal_connect_object (viewport, "notify", G_CALLBACK (viewport_notify_cb),
                               self, G_CONNECT_SWAPPED);

  if (!gtk_widget_in_destruction (GTK_WIDGET (self)) && self->stack != NULL)
    refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWPORT]);
}

GListModel *
cm_side_panel_get_quotes (CmSidePanel *self)
{
  g_return_val_if_fail (CM_IS_SIDE_PANEL (self), NULL);

  return self->quotes;
}
