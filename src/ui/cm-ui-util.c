/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cm-ui-util.h"
#include "cm-ui-util-private.h"

static void
show_uri_with_gtk (GtkWindow  *parent,
                   const char *uri)
{
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

/* The one place where the app hands a URL to the desktop: tests swap it
 * to prove that nothing is opened unless a person clicks. */
static CmUriLauncher uri_launcher = show_uri_with_gtk;

void
_cm_ui_set_uri_launcher (CmUriLauncher launcher)
{
  uri_launcher = launcher != NULL ? launcher : show_uri_with_gtk;
}

const char *
cm_channel_get_label (CmChannel channel)
{
  switch (channel)
    {
    case CM_CHANNEL_DIRECT:
      return C_("channel", "direct");
    case CM_CHANNEL_INDIRECT:
      return C_("channel", "indirect");
    case CM_CHANNEL_ABSENT:
      return C_("channel", "absent");
    default:
      return "";
    }
}

const char *
cm_channel_get_title (CmChannel channel)
{
  switch (channel)
    {
    case CM_CHANNEL_DIRECT:
      return _("Direct");
    case CM_CHANNEL_INDIRECT:
      return _("Indirect");
    case CM_CHANNEL_ABSENT:
      return _("Absent");
    default:
      return "";
    }
}

const char *
cm_actor_kind_get_label (CmActorKind kind)
{
  switch (kind)
    {
    case CM_ACTOR_KIND_PERSON:
      return C_("actor kind", "Person");
    case CM_ACTOR_KIND_STATE:
      return C_("actor kind", "State");
    case CM_ACTOR_KIND_ORGANIZATION:
      return C_("actor kind", "Organization");
    case CM_ACTOR_KIND_MEDIA:
      return C_("actor kind", "Media");
    case CM_ACTOR_KIND_OTHER:
    default:
      return C_("actor kind", "Other");
    }
}

const char *
cm_dataset_actor_name (CmDataset  *dataset,
                       const char *id)
{
  CmActor *actor;

  if (id == NULL)
    return NULL;
  if (dataset == NULL)
    return id;

  actor = cm_dataset_lookup_actor (dataset, id);
  if (actor != NULL && cm_actor_get_name (actor) != NULL)
    return cm_actor_get_name (actor);
  return id;
}

PangoWrapMode
cm_ui_wrap_mode_for (const char *text)
{
  guint run = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)) || *p == '-' || *p == '/')
        run = 0;
      else if (++run > 80)
        return PANGO_WRAP_CHAR;
    }
  return PANGO_WRAP_WORD_CHAR;
}

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

char *
cm_ui_display_text (const char *text,
                    guint       max_chars,
                    gboolean    multiline)
{
  GString *out;
  const char *p, *end;
  guint n_chars = 0;

  if (text == NULL)
    return g_strdup ("");

  end = text + strlen (text);
  out = g_string_sized_new (MIN ((gsize) (end - text), (gsize) max_chars * 4) + 4);
  for (p = text; p < end; )
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* The loader never lets invalid UTF-8 in, but a label would
           * refuse the whole text for one bad byte. */
          c = 0xfffd;
          p++;
        }
      else
        p = g_utf8_next_char (p);

      if (n_chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == '\n' || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, multiline ? '\n' : ' ');
      else if (c == '\t')
        g_string_append_c (out, multiline ? '\t' : ' ');
      else if (g_unichar_iscntrl (c) || is_bidi_control (c))
        continue;
      else
        g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_string_free (out, FALSE);
}

/* GLib's parser is lenient: it takes "https://exa mple.org/", a tab or a
 * line break, "<script>" as a host, and "https://a.org\\@b.org/" as a user
 * "a.org\\" on b.org.  A URL offered for opening has none of what RFC 3986
 * leaves out (space, controls, <>"{}|\\^`), no hidden bidi controls that
 * would make the tooltip lie, and no escapes in its host. */
static gboolean
is_clean_uri_text (const char *uri)
{
  const char *authority, *end;

  if (!g_utf8_validate (uri, -1, NULL))
    return FALSE;
  for (const char *p = uri; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0xa0) || g_unichar_isspace (c) ||
          is_bidi_control (c) || c == 0x200e || c == 0x200f || c == 0xfeff ||
          strchr ("<>\"{}|\\^`", (int) c) != NULL)
        return FALSE;
    }

  authority = strstr (uri, "://");
  if (authority == NULL)
    return FALSE;
  authority += 3;
  end = authority + strcspn (authority, "/?#");
  return memchr (authority, '%', end - authority) == NULL;
}

gboolean
cm_uri_is_openable (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL || *uri == '\0' || !is_clean_uri_text (uri))
    return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return FALSE;

  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_uri_get_userinfo (parsed) != NULL)
    return FALSE;

  return TRUE;
}

void
cm_show_uri (GtkWidget  *widget,
             const char *uri)
{
  GtkRoot *root;

  if (!cm_uri_is_openable (uri))
    {
      g_warning ("Refusing to open “%s”: only http and https links are opened", uri);
      return;
    }

  root = widget != NULL ? gtk_widget_get_root (widget) : NULL;
  uri_launcher (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri);
}

char *
cm_link_dup_period (CmLink *link)
{
  const char *from = cm_link_get_from (link);
  const char *to = cm_link_get_to (link);
  gboolean ongoing = cm_link_get_ongoing (link);

  if (from == NULL && to == NULL && !ongoing)
    return NULL;

  if (ongoing || to == NULL)
    {
      if (from == NULL)
        return g_strdup (_("ongoing"));
      if (ongoing)
        /* Translators: a channel's period, e.g. "2022-02 – ongoing" */
        return g_strdup_printf (_("%s – ongoing"), from);
      /* Translators: a channel's period with a start only, e.g. "since 2022-02" */
      return g_strdup_printf (_("since %s"), from);
    }
  if (from == NULL)
    /* Translators: a channel's period with an end only, e.g. "until 2022-11" */
    return g_strdup_printf (_("until %s"), to);
  /* Translators: a channel's period, e.g. "2022-02 – 2022-11" */
  return g_strdup_printf (_("%s – %s"), from, to);
}

GSettings *
cm_ui_get_settings (void)
{
  static GSettings *settings;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_debug ("Schema %s not installed: settings are not remembered", APPLICATION_ID);
      g_once_init_leave (&initialized, 1);
    }
  return settings;
}

GFile *
cm_ui_get_example_file (void)
{
  const char *name = "moscow-washington-2022.json";
  g_autofree char *installed = g_build_filename (PKGDATADIR, "examples", name, NULL);
  g_autofree char *source = g_build_filename (SOURCE_EXAMPLES_DIR, name, NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_file_new_for_path (installed);
  return g_file_new_for_path (source);
}

void
cm_button_fix_accessible_name (GtkWidget *button)
{
  g_return_if_fail (GTK_IS_WIDGET (button));

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* "_Save" → "Save", "Save __As" → "Save _As". */
static char *
strip_mnemonic (const char *label)
{
  GString *s = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (s, *++p);
          continue;
        }
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

void
cm_fix_button_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    {
      g_autofree char *name = strip_mnemonic (gtk_button_get_label (GTK_BUTTON (root)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (root),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cm_fix_button_names (child);
}
