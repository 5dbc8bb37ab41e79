/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cm-model.h"

G_BEGIN_DECLS

/* Small helpers the window, the canvas and the side panel share. */

/* "direct", "indirect", "absent", translated. */
const char *cm_channel_get_label       (CmChannel    channel);
/* "Direct channel", …: a title-case label for headings and buttons. */
const char *cm_channel_get_title       (CmChannel    channel);
const char *cm_actor_kind_get_label    (CmActorKind  kind);

/* The name of the actor with @id, or @id itself when no actor has it. */
const char *cm_dataset_actor_name      (CmDataset   *dataset,
                                        const char  *id);

/* Most characters of dataset text a label shows: a name, a title or a
 * row on one line; a quote, notes or a description.  GTK lays out the
 * whole text of a label, several times per allocation, in time that grows
 * faster than the text: a 10 MB quote froze the window for minutes, and
 * the hostile-file test still measured 5000 characters of words at
 * 100–200 ms per selection.  Longer text is cut with an ellipsis. */
#define CM_UI_MAX_LINE_CHARS 500
#define CM_UI_MAX_TEXT_CHARS 2000

/* Dataset text as a label shows it: plain text (the caller keeps markup
 * off), without control characters (with @multiline, line breaks and
 * tabs stay; otherwise they become spaces), without the bidi embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069), which
 * would reorder what is shown, and cut after @max_chars characters with
 * an ellipsis.  Never NULL. */
char       *cm_ui_display_text         (const char  *text,
                                        guint        max_chars,
                                        gboolean     multiline);

/* The wrap mode for a label showing @text.  Pango measures a wrapped
 * label holding a long run without spaces in time that grows with the
 * square of its length (5000 such characters: 2.5 s at word-and-character
 * wrapping, 0.08 s at character wrapping), so text with a "word" longer
 * than a line can hold wraps by character. */
PangoWrapMode cm_ui_wrap_mode_for      (const char  *text);

/* TRUE only for an absolute http or https URL with a host and without
 * user information: the only URLs the app ever opens. */
gboolean    cm_uri_is_openable         (const char  *uri);

/* Opens @uri in the browser if cm_uri_is_openable() allows it. */
void        cm_show_uri                (GtkWidget   *widget,
                                        const char  *uri);

/* A "from – to" text for a link's period, or NULL when it has none. */
char       *cm_link_dup_period         (CmLink      *link);

/* GTK 4.8 names a button with a text label by its accessible label *and*
 * the label it is labelled by ("Open Example Open Example"); keep only
 * the accessible label set in the template. */
void        cm_button_fix_accessible_name (GtkWidget *button);

/* The same for every button with a mnemonic label inside @root (the
 * responses of an AdwMessageDialog, which libadwaita 1.2 names
 * "_Discard Discard"): each is named by its label, without the
 * underline, so a screen reader — and AT-SPI — reads "Discard". */
void        cm_fix_button_names        (GtkWidget   *root);

/* The application's settings, or NULL when its schema is not installed
 * (then nothing is remembered, and nothing breaks).  Borrowed. */
GSettings  *cm_ui_get_settings         (void);

/* The bundled example dataset: installed, else in the source tree. */
GFile      *cm_ui_get_example_file     (void);

G_END_DECLS
