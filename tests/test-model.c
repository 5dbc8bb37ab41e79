/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The model: the signals widgets rely on (notify on every property,
 * items-changed with the right positions, CmDataset::changed for any change
 * anywhere inside, also in a quote), lookups, and what removing an actor
 * does to the rest.  Every object is checked to be finalized at the end. */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <libglib-testing/signal-logger.h>

#include "cm-model.h"

/* Pops @n notify emissions from @object and checks they are for exactly
 * the properties named (in any order: frozen notifications come out in an
 * order GLib does not promise). */
static void
assert_notifies (GtSignalLogger *logger,
                 gpointer        object,
                 ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  const char *name;
  va_list args;

  va_start (args, object);
  while ((name = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) name);
  va_end (args);

  for (guint n = expected->len; n > 0; n--)
    {
      gpointer emitter = NULL;
      g_autofree char *type_name = NULL;
      g_autofree char *signal_name = NULL;
      g_autoptr(GtSignalLoggerEmission) emission = NULL;
      GParamSpec *pspec = NULL;
      gboolean found = FALSE;

      g_assert_true (gt_signal_logger_pop_emission (logger, &emitter, &type_name, &signal_name, &emission));
      g_assert_true (emitter == object);
      g_assert_cmpstr (signal_name, ==, "notify");
      gt_signal_logger_emission_get_params (emission, &pspec);
      for (guint i = 0; i < expected->len && !found; i++)
        if (strcmp (g_ptr_array_index (expected, i), pspec->name) == 0)
          {
            g_ptr_array_remove_index (expected, i);
            found = TRUE;
          }
      if (!found)
        g_error ("unexpected notify::%s", pspec->name);
      g_param_spec_unref (pspec);
    }
}

static void
assert_items_changed (GtSignalLogger *logger,
                      GListModel     *model,
                      guint           position,
                      guint           removed,
                      guint           added)
{
  guint p = G_MAXUINT, r = G_MAXUINT, a = G_MAXUINT;

  gt_signal_logger_assert_emission_pop (logger, model, "items-changed", &p, &r, &a, NULL);
  g_assert_cmpuint (p, ==, position);
  g_assert_cmpuint (r, ==, removed);
  g_assert_cmpuint (a, ==, added);
}

static void
assert_changed (GtSignalLogger *logger,
                CmDataset      *dataset,
                gpointer        what)
{
  GObject *object = NULL;

  gt_signal_logger_assert_emission_pop (logger, dataset, "changed", &object, NULL);
  g_assert_true (object == what);
  g_clear_object (&object);
}

/* ---- Objects ----------------------------------------------------------- */

static void
test_actor_properties (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmActor *actor = cm_actor_new ("ryabkov", "Sergei Ryabkov");
  g_autoptr(CmQuote) quote = cm_quote_new ("no mechanism");

  gt_signal_logger_connect (logger, actor, "notify");
  gt_signal_logger_connect (logger, actor, "quotes-changed");
  gt_signal_logger_connect (logger, cm_actor_get_quotes (actor), "items-changed");

  g_assert_cmpstr (cm_actor_get_id (actor), ==, "ryabkov");
  g_assert_cmpstr (cm_actor_get_name (actor), ==, "Sergei Ryabkov");
  g_assert_cmpint (cm_actor_get_kind (actor), ==, CM_ACTOR_KIND_OTHER);
  g_assert_null (cm_actor_get_kind_name (actor));
  g_assert_false (cm_actor_has_position (actor));

  cm_actor_set_name (actor, "S. Ryabkov");
  assert_notifies (logger, actor, "name", NULL);
  cm_actor_set_name (actor, "S. Ryabkov");
  gt_signal_logger_assert_no_emissions (logger);

  cm_actor_set_kind (actor, CM_ACTOR_KIND_PERSON);
  assert_notifies (logger, actor, "kind", "kind-name", NULL);
  g_assert_cmpstr (cm_actor_get_kind_name (actor), ==, "person");

  /* An unknown word: the kind is other, the word is kept. */
  cm_actor_set_kind_name (actor, "diplomat");
  assert_notifies (logger, actor, "kind", "kind-name", NULL);
  g_assert_cmpint (cm_actor_get_kind (actor), ==, CM_ACTOR_KIND_OTHER);
  g_assert_cmpstr (cm_actor_get_kind_name (actor), ==, "diplomat");
  cm_actor_set_kind_name (actor, "ngo");
  assert_notifies (logger, actor, "kind-name", NULL);

  cm_actor_set_role (actor, "Deputy Foreign Minister");
  assert_notifies (logger, actor, "role", NULL);
  cm_actor_set_group (actor, "mfa-russia");
  assert_notifies (logger, actor, "group", NULL);
  cm_actor_set_notes (actor, "spoke at the Gorchakov Fund");
  assert_notifies (logger, actor, "notes", NULL);
  cm_actor_set_pinned (actor, TRUE);
  assert_notifies (logger, actor, "pinned", NULL);
  cm_actor_set_pinned (actor, TRUE);
  gt_signal_logger_assert_no_emissions (logger);

  /* Empty strings are kept as such, not turned into NULL. */
  cm_actor_set_role (actor, "");
  assert_notifies (logger, actor, "role", NULL);
  g_assert_cmpstr (cm_actor_get_role (actor), ==, "");

  cm_actor_set_position (actor, -120.5, 40);
  assert_notifies (logger, actor, "x", "y", "has-position", NULL);
  g_assert_true (cm_actor_has_position (actor));
  g_assert_cmpfloat (cm_actor_get_x (actor), ==, -120.5);
  g_assert_cmpfloat (cm_actor_get_y (actor), ==, 40);
  cm_actor_set_position (actor, -120.5, 41);
  assert_notifies (logger, actor, "y", NULL);
  cm_actor_set_position (actor, -120.5, 41);
  gt_signal_logger_assert_no_emissions (logger);
  cm_actor_clear_position (actor);
  assert_notifies (logger, actor, "has-position", NULL);
  g_assert_false (cm_actor_has_position (actor));

  /* Quotes: the list says where, the actor says that something changed,
   * also for a change inside a quote.  The actor hears first: it watches
   * its list from construction on. */
  cm_actor_add_quote (actor, quote);
  gt_signal_logger_assert_emission_pop (logger, actor, "quotes-changed", NULL);
  assert_items_changed (logger, cm_actor_get_quotes (actor), 0, 0, 1);
  cm_quote_set_date (quote, "2022-11-29");
  gt_signal_logger_assert_emission_pop (logger, actor, "quotes-changed", NULL);
  cm_actor_remove_quote (actor, quote);
  gt_signal_logger_assert_emission_pop (logger, actor, "quotes-changed", NULL);
  assert_items_changed (logger, cm_actor_get_quotes (actor), 0, 1, 0);
  /* A removed quote no longer reaches the actor. */
  cm_quote_set_date (quote, "2022");
  gt_signal_logger_assert_no_emissions (logger);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (actor);
  g_assert_finalize_object (g_steal_pointer (&quote));
}

static void
test_link_properties (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmLink *link = cm_link_new ("ru-us", "russia", "usa", CM_CHANNEL_ABSENT);
  CmQuote *quote = cm_quote_new ("signals");
  const char * const via[] = { "tass", "nato", NULL };
  const char * const same_via[] = { "tass", "nato", NULL };

  gt_signal_logger_connect (logger, link, "notify");
  gt_signal_logger_connect (logger, link, "quotes-changed");

  g_assert_cmpstr (cm_link_get_id (link), ==, "ru-us");
  g_assert_cmpstr (cm_link_get_source (link), ==, "russia");
  g_assert_cmpstr (cm_link_get_target (link), ==, "usa");
  g_assert_cmpint (cm_link_get_channel (link), ==, CM_CHANNEL_ABSENT);
  g_assert_true (cm_link_joins (link, "russia"));
  g_assert_true (cm_link_joins (link, "usa"));
  g_assert_false (cm_link_joins (link, "tass"));

  cm_link_set_source (link, "ryabkov");
  assert_notifies (logger, link, "source", NULL);
  cm_link_set_target (link, "blinken");
  assert_notifies (logger, link, "target", NULL);
  cm_link_set_channel (link, CM_CHANNEL_INDIRECT);
  assert_notifies (logger, link, "channel", NULL);
  cm_link_set_channel (link, CM_CHANNEL_INDIRECT);
  gt_signal_logger_assert_no_emissions (logger);
  cm_link_set_directed (link, TRUE);
  assert_notifies (logger, link, "directed", NULL);
  cm_link_set_topic (link, "Ukraine");
  assert_notifies (logger, link, "topic", NULL);
  cm_link_set_mechanism (link, "public statements");
  assert_notifies (logger, link, "mechanism", NULL);
  cm_link_set_via (link, via);
  assert_notifies (logger, link, "via", NULL);
  cm_link_set_via (link, same_via);
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_true (cm_link_joins (link, "tass"));
  g_assert_cmpstr (cm_link_get_via (link)[1], ==, "nato");
  cm_link_set_from (link, "2022-02");
  assert_notifies (logger, link, "from", NULL);
  cm_link_set_to (link, "2022-11");
  assert_notifies (logger, link, "to", NULL);
  cm_link_set_ongoing (link, TRUE);
  assert_notifies (logger, link, "ongoing", NULL);
  cm_link_set_via (link, NULL);
  assert_notifies (logger, link, "via", NULL);
  g_assert_null (cm_link_get_via (link));

  cm_link_add_quote (link, quote);
  gt_signal_logger_assert_emission_pop (logger, link, "quotes-changed", NULL);
  g_assert_cmpuint (cm_link_get_n_quotes (link), ==, 1);
  cm_quote_set_speaker (quote, "ryabkov");
  gt_signal_logger_assert_emission_pop (logger, link, "quotes-changed", NULL);
  gt_signal_logger_assert_no_emissions (logger);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_object_unref (quote);
  g_assert_finalize_object (link);
}

static void
test_quote_and_source_properties (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmQuote *quote = cm_quote_new ("no direct, formal line");
  CmSource *source = cm_source_new ("tass");

  gt_signal_logger_connect (logger, quote, "notify");
  gt_signal_logger_connect (logger, source, "notify");

  cm_quote_set_text (quote, "no formal line");
  assert_notifies (logger, quote, "text", NULL);
  cm_quote_set_speaker (quote, "ryabkov");
  assert_notifies (logger, quote, "speaker", NULL);
  cm_quote_set_source (quote, "tass");
  assert_notifies (logger, quote, "source", NULL);
  cm_quote_set_date (quote, "2022-11-29");
  assert_notifies (logger, quote, "date", NULL);
  cm_quote_set_url (quote, "https://tass.com/");
  assert_notifies (logger, quote, "url", NULL);
  cm_quote_set_url (quote, "https://tass.com/");
  gt_signal_logger_assert_no_emissions (logger);
  cm_quote_set_url (quote, NULL);
  assert_notifies (logger, quote, "url", NULL);
  g_assert_null (cm_quote_get_url (quote));

  g_assert_cmpstr (cm_source_get_id (source), ==, "tass");
  cm_source_set_title (source, "Ryabkov");
  assert_notifies (logger, source, "title", NULL);
  cm_source_set_publisher (source, "TASS");
  assert_notifies (logger, source, "publisher", NULL);
  cm_source_set_date (source, "2022-11");
  assert_notifies (logger, source, "date", NULL);
  cm_source_set_url (source, "https://tass.com/");
  assert_notifies (logger, source, "url", NULL);
  cm_source_set_text (source, "full text");
  assert_notifies (logger, source, "text", NULL);
  gt_signal_logger_assert_no_emissions (logger);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (quote);
  g_assert_finalize_object (source);
}

/* ---- The dataset ------------------------------------------------------- */

/* russia ← mfa ← ryabkov; usa; tass; and links russia–usa (absent),
 * ryabkov–usa via tass (indirect), mfa–tass (direct). */
static CmDataset *
make_dataset (void)
{
  CmDataset *dataset = cm_dataset_new ();
  const char *ids[] = { "russia", "mfa", "ryabkov", "usa", "tass" };
  const char *groups[] = { NULL, "russia", "mfa", NULL, "russia" };
  const char * const via[] = { "tass", NULL };
  CmActor *actors[G_N_ELEMENTS (ids)];
  CmLink *links[3];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      actors[i] = cm_actor_new (ids[i], ids[i]);
      cm_actor_set_group (actors[i], groups[i]);
    }
  g_assert_true (cm_dataset_add_actors (dataset, actors, G_N_ELEMENTS (actors)));

  links[0] = cm_link_new ("russia-usa", "russia", "usa", CM_CHANNEL_ABSENT);
  links[1] = cm_link_new ("ryabkov-usa", "ryabkov", "usa", CM_CHANNEL_INDIRECT);
  cm_link_set_via (links[1], via);
  links[2] = cm_link_new ("mfa-tass", "mfa", "tass", CM_CHANNEL_DIRECT);
  g_assert_true (cm_dataset_add_links (dataset, links, G_N_ELEMENTS (links)));

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    g_object_unref (actors[i]);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    g_object_unref (links[i]);
  return dataset;
}

static void
test_dataset_add (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *dataset = cm_dataset_new ();
  CmActor *a = cm_actor_new ("a", "A");
  CmActor *b = cm_actor_new ("b", "B");
  CmActor *c = cm_actor_new ("c", "C");
  CmActor *again = cm_actor_new ("a", "another A");
  CmLink *link = cm_link_new ("a-b", "a", "b", CM_CHANNEL_DIRECT);
  CmSource *source = cm_source_new ("s");
  CmActor *batch[] = { b, c };
  CmActor *bad_batch[] = { again };
  guint64 generation = cm_dataset_get_generation (dataset);

  gt_signal_logger_connect (logger, cm_dataset_get_actors (dataset), "items-changed");
  gt_signal_logger_connect (logger, cm_dataset_get_links (dataset), "items-changed");
  gt_signal_logger_connect (logger, cm_dataset_get_sources (dataset), "items-changed");
  gt_signal_logger_connect (logger, dataset, "changed");
  gt_signal_logger_connect (logger, dataset, "notify");

  g_assert_true (g_list_model_get_item_type (cm_dataset_get_actors (dataset)) == CM_TYPE_ACTOR);
  g_assert_true (g_list_model_get_item_type (cm_dataset_get_links (dataset)) == CM_TYPE_LINK);
  g_assert_true (g_list_model_get_item_type (cm_dataset_get_sources (dataset)) == CM_TYPE_SOURCE);

  g_assert_true (cm_dataset_add_actor (dataset, a));
  assert_items_changed (logger, cm_dataset_get_actors (dataset), 0, 0, 1);
  assert_changed (logger, dataset, dataset);
  g_assert_cmpuint (cm_dataset_get_generation (dataset), >, generation);

  /* A batch: one items-changed for all. */
  g_assert_true (cm_dataset_add_actors (dataset, batch, G_N_ELEMENTS (batch)));
  assert_items_changed (logger, cm_dataset_get_actors (dataset), 1, 0, 2);
  assert_changed (logger, dataset, dataset);
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), ==, 3);
  g_assert_cmpint (cm_dataset_get_actor_index (dataset, c), ==, 2);

  /* A taken id: refused, and nothing happens. */
  generation = cm_dataset_get_generation (dataset);
  g_assert_false (cm_dataset_add_actor (dataset, again));
  g_assert_false (cm_dataset_add_actors (dataset, bad_batch, 1));
  gt_signal_logger_assert_no_emissions (logger);
  g_assert_cmpuint (cm_dataset_get_generation (dataset), ==, generation);
  g_assert_true (cm_dataset_lookup_actor (dataset, "a") == a);
  g_assert_cmpint (cm_dataset_get_actor_index (dataset, again), ==, -1);

  g_assert_true (cm_dataset_add_link (dataset, link));
  assert_items_changed (logger, cm_dataset_get_links (dataset), 0, 0, 1);
  assert_changed (logger, dataset, dataset);
  g_assert_true (cm_dataset_add_source (dataset, source));
  assert_items_changed (logger, cm_dataset_get_sources (dataset), 0, 0, 1);
  assert_changed (logger, dataset, dataset);

  cm_dataset_set_title (dataset, "T");
  assert_notifies (logger, dataset, "title", NULL);
  assert_changed (logger, dataset, dataset);
  cm_dataset_set_description (dataset, "D");
  assert_notifies (logger, dataset, "description", NULL);
  assert_changed (logger, dataset, dataset);
  cm_dataset_set_description (dataset, "D");
  gt_signal_logger_assert_no_emissions (logger);

  /* Lookups. */
  g_assert_true (cm_dataset_lookup_actor (dataset, "b") == b);
  g_assert_null (cm_dataset_lookup_actor (dataset, "z"));
  g_assert_null (cm_dataset_lookup_actor (dataset, NULL));
  g_assert_true (cm_dataset_lookup_link (dataset, "a-b") == link);
  g_assert_true (cm_dataset_lookup_source (dataset, "s") == source);
  g_assert_null (cm_dataset_lookup_source (dataset, "a"));

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (dataset);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  g_assert_finalize_object (c);
  g_assert_finalize_object (again);
  g_assert_finalize_object (link);
  g_assert_finalize_object (source);
}

/* Any change inside, down to a quote of a link, reaches the dataset once,
 * naming the member that changed. */
static void
test_dataset_changed_nested (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *dataset = make_dataset ();
  CmActor *ryabkov = cm_dataset_lookup_actor (dataset, "ryabkov");
  CmLink *link = cm_dataset_lookup_link (dataset, "russia-usa");
  CmQuote *quote = cm_quote_new ("no formal line");
  CmQuote *actor_quote = cm_quote_new ("a senior diplomat");
  CmSource *source = cm_source_new ("tass-2022");
  guint64 generation;

  cm_dataset_add_source (dataset, source);
  gt_signal_logger_connect (logger, dataset, "changed");
  generation = cm_dataset_get_generation (dataset);

  cm_actor_set_name (ryabkov, "Sergei Ryabkov");
  assert_changed (logger, dataset, ryabkov);
  gt_signal_logger_assert_no_emissions (logger);

  cm_link_set_topic (link, "Ukraine");
  assert_changed (logger, dataset, link);

  cm_link_add_quote (link, quote);
  assert_changed (logger, dataset, link);
  gt_signal_logger_assert_no_emissions (logger);

  cm_quote_set_source (quote, "tass-2022");
  assert_changed (logger, dataset, link);
  gt_signal_logger_assert_no_emissions (logger);

  cm_actor_add_quote (ryabkov, actor_quote);
  assert_changed (logger, dataset, ryabkov);
  cm_quote_set_text (actor_quote, "a senior diplomat outlined");
  assert_changed (logger, dataset, ryabkov);

  cm_source_set_publisher (source, "TASS");
  assert_changed (logger, dataset, source);
  gt_signal_logger_assert_no_emissions (logger);

  g_assert_cmpuint (cm_dataset_get_generation (dataset), ==, generation + 7);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (dataset);
  g_assert_finalize_object (quote);
  g_assert_finalize_object (actor_quote);
  g_assert_finalize_object (source);
}

/* An actor in two datasets tells both about its changes, each until it
 * leaves that one; notifications held back by a freeze come at the thaw,
 * one "changed" per property. */
/* Moving actors leaves the structure generation alone (caches of names,
 * groups and who links whom stay valid during a drag); anything else
 * changes it, as it changes the generation. */
static void
test_dataset_structure_generation (void)
{
  CmDataset *dataset = make_dataset ();
  CmActor *ryabkov = cm_dataset_lookup_actor (dataset, "ryabkov");
  CmLink *link = cm_dataset_lookup_link (dataset, "russia-usa");
  g_autoptr(CmActor) added = cm_actor_new ("aurescu", "Aurescu");
  g_autoptr(CmQuote) quote = cm_quote_new ("no formal line");
  guint64 generation = cm_dataset_get_generation (dataset);
  guint64 structure = cm_dataset_get_structure_generation (dataset);

  cm_actor_set_position (ryabkov, 10.5, -3);
  cm_actor_set_pinned (ryabkov, TRUE);
  cm_actor_clear_position (ryabkov);
  g_assert_cmpuint (cm_dataset_get_generation (dataset), >, generation);
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), ==, structure);

  generation = cm_dataset_get_generation (dataset);
  cm_actor_set_group (ryabkov, "Russia");
  g_assert_cmpuint (cm_dataset_get_generation (dataset), ==, generation + 1);
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), >, structure);

  structure = cm_dataset_get_structure_generation (dataset);
  cm_link_set_channel (link, CM_CHANNEL_INDIRECT);
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), >, structure);

  structure = cm_dataset_get_structure_generation (dataset);
  cm_link_add_quote (link, quote);
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), >, structure);

  structure = cm_dataset_get_structure_generation (dataset);
  g_assert_true (cm_dataset_add_actor (dataset, added));
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), >, structure);

  structure = cm_dataset_get_structure_generation (dataset);
  cm_actor_set_name (added, "Bogdan Aurescu");
  g_assert_cmpuint (cm_dataset_get_structure_generation (dataset), >, structure);

  g_assert_finalize_object (dataset);
}

/* Undo and redo of moves: a drag (one actor) and a re-arrangement (all)
 * come back exactly, in order; recording anew forgets the redo; an actor
 * removed since is left alone; can-undo/can-redo are notified. */
static void
test_history (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *dataset = make_dataset ();
  CmActor *ryabkov = cm_dataset_lookup_actor (dataset, "ryabkov");
  CmActor *russia = cm_dataset_lookup_actor (dataset, "russia");
  CmHistory *history = cm_history_new (dataset);
  guint n;
  CmActor **actors;

  cm_actor_set_position (ryabkov, 1, 2);
  cm_actor_set_position (russia, 3, 4);
  g_assert_false (cm_history_get_can_undo (history));
  g_assert_false (cm_history_undo (history));
  gt_signal_logger_connect (logger, history, "notify::can-undo");
  gt_signal_logger_connect (logger, history, "notify::can-redo");

  /* A drag. */
  cm_history_record_places (history, CM_HISTORY_MOVE, &ryabkov, 1);
  gt_signal_logger_assert_emission_pop (logger, history, "notify::can-undo", NULL);
  cm_actor_set_position (ryabkov, 10, 20);
  cm_actor_set_pinned (ryabkov, TRUE);

  /* A re-arrangement, of every actor. */
  cm_history_record_places (history, CM_HISTORY_REARRANGE, NULL, 0);
  actors = cm_dataset_peek_actors (dataset, &n);
  for (guint i = 0; i < n; i++)
    cm_actor_set_position (actors[i], 100 + i, 200 + i);
  g_assert_cmpint (cm_history_get_undo_kind (history), ==, CM_HISTORY_REARRANGE);

  g_assert_true (cm_history_undo (history));
  gt_signal_logger_assert_emission_pop (logger, history, "notify::can-redo", NULL);
  g_assert_cmpfloat (cm_actor_get_x (ryabkov), ==, 10);
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, 3);
  g_assert_cmpfloat (cm_actor_get_y (russia), ==, 4);
  g_assert_cmpint (cm_history_get_undo_kind (history), ==, CM_HISTORY_MOVE);
  g_assert_cmpint (cm_history_get_redo_kind (history), ==, CM_HISTORY_REARRANGE);

  g_assert_true (cm_history_undo (history));
  gt_signal_logger_assert_emission_pop (logger, history, "notify::can-undo", NULL);
  g_assert_cmpfloat (cm_actor_get_x (ryabkov), ==, 1);
  g_assert_cmpfloat (cm_actor_get_y (ryabkov), ==, 2);
  g_assert_false (cm_actor_get_pinned (ryabkov));
  g_assert_false (cm_history_get_can_undo (history));

  /* Redo both, then undo one and record something new: no more redo. */
  g_assert_true (cm_history_redo (history));
  g_assert_cmpfloat (cm_actor_get_x (ryabkov), ==, 10);
  g_assert_true (cm_actor_get_pinned (ryabkov));
  g_assert_true (cm_history_redo (history));
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, 100 + cm_dataset_get_actor_index (dataset, russia));
  g_assert_false (cm_history_redo (history));
  g_assert_true (cm_history_undo (history));
  g_assert_true (cm_history_get_can_redo (history));
  cm_history_record_places (history, CM_HISTORY_MOVE, &russia, 1);
  g_assert_false (cm_history_get_can_redo (history));

  /* An actor removed since: undo leaves it alone. */
  g_object_ref (russia);
  cm_actor_set_position (russia, 50, 60);
  cm_dataset_remove_actor (dataset, russia);
  g_assert_true (cm_history_undo (history));
  g_assert_cmpfloat (cm_actor_get_x (russia), ==, 50);
  g_object_unref (russia);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (history);
  g_assert_finalize_object (dataset);
}

static void
test_dataset_shared_member (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *first = cm_dataset_new ();
  CmDataset *second = cm_dataset_new ();
  CmActor *actor = cm_actor_new ("blinken", "Antony Blinken");
  CmLink *link = cm_link_new ("l1", "blinken", "blinken", CM_CHANNEL_DIRECT);
  CmQuote *quote = cm_quote_new ("we will continue");

  g_assert_true (cm_dataset_add_actor (first, actor));
  g_assert_true (cm_dataset_add_actor (second, actor));
  g_assert_true (cm_dataset_add_link (first, link));
  g_assert_true (cm_dataset_add_link (second, link));
  gt_signal_logger_connect (logger, first, "changed");
  gt_signal_logger_connect (logger, second, "changed");

  cm_actor_set_role (actor, "Secretary of State");
  assert_changed (logger, first, actor);
  assert_changed (logger, second, actor);
  gt_signal_logger_assert_no_emissions (logger);

  cm_link_add_quote (link, quote);
  assert_changed (logger, first, link);
  assert_changed (logger, second, link);
  cm_quote_set_speaker (quote, "blinken");
  assert_changed (logger, first, link);
  assert_changed (logger, second, link);
  gt_signal_logger_assert_no_emissions (logger);

  g_object_freeze_notify (G_OBJECT (actor));
  cm_actor_set_name (actor, "Antony J. Blinken");
  cm_actor_set_group (actor, "usa");
  gt_signal_logger_assert_no_emissions (logger);
  g_object_thaw_notify (G_OBJECT (actor));
  for (guint i = 0; i < 2; i++)
    {
      assert_changed (logger, first, actor);
      assert_changed (logger, second, actor);
    }
  gt_signal_logger_assert_no_emissions (logger);

  /* Gone from the first (the link with it): only the second hears. */
  cm_dataset_remove_actor (first, actor);
  g_assert_null (cm_dataset_lookup_link (first, "l1"));
  while (gt_signal_logger_get_n_emissions (logger) > 0)
    gt_signal_logger_assert_emission_pop (logger, first, "changed", NULL, NULL);
  cm_actor_set_role (actor, "Secretary");
  assert_changed (logger, second, actor);
  cm_link_set_topic (link, "Ukraine");
  assert_changed (logger, second, link);
  gt_signal_logger_assert_no_emissions (logger);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
  g_assert_finalize_object (actor);
  g_assert_finalize_object (link);
  g_assert_finalize_object (quote);
}

static void
test_dataset_remove_actor (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *dataset = make_dataset ();
  CmActor *russia = g_object_ref (cm_dataset_lookup_actor (dataset, "russia"));
  CmActor *mfa = cm_dataset_lookup_actor (dataset, "mfa");
  CmActor *tass_actor = g_object_ref (cm_dataset_lookup_actor (dataset, "tass"));
  CmLink *via_link = cm_dataset_lookup_link (dataset, "ryabkov-usa");
  CmLink *russia_usa = g_object_ref (cm_dataset_lookup_link (dataset, "russia-usa"));
  CmActor **actors;
  guint n;

  gt_signal_logger_connect (logger, cm_dataset_get_actors (dataset), "items-changed");
  gt_signal_logger_connect (logger, cm_dataset_get_links (dataset), "items-changed");
  gt_signal_logger_connect (logger, mfa, "notify");

  /* Russia: its link goes, the actors in its group lose their group. */
  cm_dataset_remove_actor (dataset, russia);
  assert_items_changed (logger, cm_dataset_get_links (dataset), 0, 1, 0);
  assert_notifies (logger, mfa, "group", NULL);
  assert_items_changed (logger, cm_dataset_get_actors (dataset), 0, 1, 0);
  gt_signal_logger_assert_no_emissions (logger);

  g_assert_null (cm_dataset_lookup_actor (dataset, "russia"));
  g_assert_null (cm_dataset_lookup_link (dataset, "russia-usa"));
  g_assert_null (cm_actor_get_group (mfa));
  g_assert_null (cm_actor_get_group (tass_actor));
  g_assert_cmpstr (cm_actor_get_group (cm_dataset_lookup_actor (dataset, "ryabkov")), ==, "mfa");
  g_assert_cmpuint (cm_dataset_get_n_actors (dataset), ==, 4);
  g_assert_cmpuint (cm_dataset_get_n_links (dataset), ==, 2);

  /* The indexes follow the removal. */
  actors = cm_dataset_peek_actors (dataset, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (cm_dataset_get_actor_index (dataset, actors[i]), ==, (int) i);
  g_assert_cmpint (cm_dataset_get_actor_index (dataset, russia), ==, -1);

  /* TASS: its direct link goes; the indirect one only loses it from its
   * route. */
  cm_dataset_remove_actor (dataset, tass_actor);
  assert_items_changed (logger, cm_dataset_get_links (dataset), 1, 1, 0);
  assert_items_changed (logger, cm_dataset_get_actors (dataset), 3, 1, 0);
  g_assert_nonnull (cm_dataset_lookup_link (dataset, "ryabkov-usa"));
  g_assert_true (cm_link_get_via (via_link) == NULL || cm_link_get_via (via_link)[0] == NULL);

  /* Removing what is not there does nothing. */
  cm_dataset_remove_actor (dataset, russia);
  gt_signal_logger_assert_no_emissions (logger);

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (dataset);
  g_assert_finalize_object (russia);
  g_assert_finalize_object (tass_actor);
  g_assert_finalize_object (russia_usa);
}

static void
test_dataset_remove_link_and_source (void)
{
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CmDataset *dataset = make_dataset ();
  CmLink *link = g_object_ref (cm_dataset_lookup_link (dataset, "ryabkov-usa"));
  CmSource *source = cm_source_new ("s");

  cm_dataset_add_source (dataset, source);
  gt_signal_logger_connect (logger, cm_dataset_get_links (dataset), "items-changed");
  gt_signal_logger_connect (logger, cm_dataset_get_sources (dataset), "items-changed");
  gt_signal_logger_connect (logger, dataset, "changed");

  cm_dataset_remove_link (dataset, link);
  assert_items_changed (logger, cm_dataset_get_links (dataset), 1, 1, 0);
  assert_changed (logger, dataset, dataset);
  g_assert_null (cm_dataset_lookup_link (dataset, "ryabkov-usa"));

  /* A removed link no longer reaches the dataset. */
  cm_link_set_topic (link, "after");
  gt_signal_logger_assert_no_emissions (logger);

  cm_dataset_remove_source (dataset, source);
  assert_items_changed (logger, cm_dataset_get_sources (dataset), 0, 1, 0);
  assert_changed (logger, dataset, dataset);
  g_assert_null (cm_dataset_lookup_source (dataset, "s"));

  g_clear_pointer (&logger, gt_signal_logger_free);
  g_assert_finalize_object (dataset);
  g_assert_finalize_object (link);
  g_assert_finalize_object (source);
}

static void
test_dataset_queries (void)
{
  CmDataset *dataset = make_dataset ();
  CmActor *usa = cm_dataset_lookup_actor (dataset, "usa");
  CmActor *tass_actor = cm_dataset_lookup_actor (dataset, "tass");
  CmActor *ryabkov = cm_dataset_lookup_actor (dataset, "ryabkov");
  CmQuote *own = cm_quote_new ("own");
  CmQuote *on_link = cm_quote_new ("on a link");
  CmQuote *spoken = cm_quote_new ("spoken elsewhere");
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GListModel) quotes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *fresh = NULL;
  CmQuote *item;

  links = cm_dataset_get_links_of_actor (dataset, usa);
  g_assert_cmpuint (links->len, ==, 2);
  g_clear_pointer (&links, g_ptr_array_unref);
  /* An intermediary counts. */
  links = cm_dataset_get_links_of_actor (dataset, tass_actor);
  g_assert_cmpuint (links->len, ==, 2);

  g_assert_cmpuint (cm_dataset_count_links (dataset, CM_CHANNEL_DIRECT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (dataset, CM_CHANNEL_INDIRECT), ==, 1);
  g_assert_cmpuint (cm_dataset_count_links (dataset, CM_CHANNEL_ABSENT), ==, 1);

  /* Link ids derived from the ends, never taken. */
  id = cm_dataset_make_link_id (dataset, "usa", "russia");
  g_assert_cmpstr (id, ==, "usa-russia");
  fresh = cm_dataset_make_link_id (dataset, "russia", "usa");
  g_assert_cmpstr (fresh, ==, "russia-usa-2");

  /* Quotes of an actor: its own, its links', then the ones it spoke. */
  cm_actor_add_quote (ryabkov, own);
  cm_link_add_quote (cm_dataset_lookup_link (dataset, "ryabkov-usa"), on_link);
  cm_quote_set_speaker (spoken, "ryabkov");
  cm_link_add_quote (cm_dataset_lookup_link (dataset, "mfa-tass"), spoken);
  quotes = cm_dataset_get_quotes_of_actor (dataset, ryabkov);
  g_assert_cmpuint (g_list_model_get_n_items (quotes), ==, 3);
  item = g_list_model_get_item (quotes, 0);
  g_assert_true (item == own);
  g_object_unref (item);
  item = g_list_model_get_item (quotes, 1);
  g_assert_true (item == on_link);
  g_object_unref (item);
  item = g_list_model_get_item (quotes, 2);
  g_assert_true (item == spoken);
  g_object_unref (item);
  g_clear_object (&quotes);

  g_assert_finalize_object (dataset);
  g_assert_finalize_object (own);
  g_assert_finalize_object (on_link);
  g_assert_finalize_object (spoken);
}

static void
test_dataset_peek (void)
{
  CmDataset *dataset = make_dataset ();
  CmActor **actors;
  CmLink **links;
  guint n_actors, n_links;

  actors = cm_dataset_peek_actors (dataset, &n_actors);
  links = cm_dataset_peek_links (dataset, &n_links);
  g_assert_cmpuint (n_actors, ==, cm_dataset_get_n_actors (dataset));
  g_assert_cmpuint (n_links, ==, cm_dataset_get_n_links (dataset));
  for (guint i = 0; i < n_actors; i++)
    {
      g_autoptr(CmActor) item = g_list_model_get_item (cm_dataset_get_actors (dataset), i);

      g_assert_true (item == actors[i]);
    }
  for (guint i = 0; i < n_links; i++)
    {
      g_autoptr(CmLink) item = g_list_model_get_item (cm_dataset_get_links (dataset), i);

      g_assert_true (item == links[i]);
    }
  g_assert_null (g_list_model_get_item (cm_dataset_get_actors (dataset), n_actors));

  g_assert_finalize_object (dataset);
}

static void
test_types (void)
{
  CmActorKind kind;
  CmChannel channel;

  g_assert_true (cm_actor_kind_from_string ("media", &kind));
  g_assert_cmpint (kind, ==, CM_ACTOR_KIND_MEDIA);
  g_assert_false (cm_actor_kind_from_string ("ngo", &kind));
  g_assert_cmpint (kind, ==, CM_ACTOR_KIND_OTHER);
  g_assert_cmpstr (cm_actor_kind_to_string (CM_ACTOR_KIND_ORGANIZATION), ==, "organization");

  g_assert_true (cm_channel_from_string ("absent", &channel));
  g_assert_cmpint (channel, ==, CM_CHANNEL_ABSENT);
  g_assert_false (cm_channel_from_string ("Absent", &channel));
  g_assert_cmpstr (cm_channel_to_string (CM_CHANNEL_INDIRECT), ==, "indirect");

  g_assert_true (cm_date_is_valid ("2022"));
  g_assert_true (cm_date_is_valid ("2022-11"));
  g_assert_true (cm_date_is_valid ("2024-02-29"));
  g_assert_false (cm_date_is_valid ("2023-02-29"));
  g_assert_false (cm_date_is_valid ("2022-13"));
  g_assert_false (cm_date_is_valid ("2022-1-1"));
  g_assert_false (cm_date_is_valid ("22"));
  g_assert_false (cm_date_is_valid (""));
  g_assert_false (cm_date_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/actor/properties", test_actor_properties);
  g_test_add_func ("/model/link/properties", test_link_properties);
  g_test_add_func ("/model/quote-source/properties", test_quote_and_source_properties);
  g_test_add_func ("/model/dataset/add", test_dataset_add);
  g_test_add_func ("/model/dataset/changed-nested", test_dataset_changed_nested);
  g_test_add_func ("/model/dataset/shared-member", test_dataset_shared_member);
  g_test_add_func ("/model/dataset/structure-generation", test_dataset_structure_generation);
  g_test_add_func ("/model/history", test_history);
  g_test_add_func ("/model/dataset/remove-actor", test_dataset_remove_actor);
  g_test_add_func ("/model/dataset/remove-link-and-source", test_dataset_remove_link_and_source);
  g_test_add_func ("/model/dataset/queries", test_dataset_queries);
  g_test_add_func ("/model/dataset/peek", test_dataset_peek);
  g_test_add_func ("/model/types", test_types);

  return g_test_run ();
}
