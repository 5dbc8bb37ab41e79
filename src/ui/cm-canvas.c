/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cm-arrange.h"
#include "cm-canvas.h"
#include "cm-render.h"
#include "cm-ui-util.h"

#define ZOOM_STEP      1.25
#define REFIT_DELAY_MS 100
#define PAN_STEP       48.0
#define WHEEL_PAN_STEP 48.0

struct _CmCanvas
{
  GtkWidget   parent_instance;

  CmDataset  *dataset;
  CmViewport *viewport;
  gulong      dataset_changed_id;
  gulong      viewport_notify_id;

  /* Dragging: an actor, or the view. */
  CmActor    *drag_actor;
  double      drag_start_x;
  double      drag_start_y;
  double      drag_offset_x;    /* actor position - pointer, diagram units */
  double      drag_offset_y;
  double      drag_center_x;    /* view centre when the pan began */
  double      drag_center_y;
  gboolean    drag_moved;

  double      pointer_x;
  double      pointer_y;
  gboolean    pointer_inside;

  double      zoom_gesture_start;

  CmArrange  *arrange;
  guint       arrange_tick_id;

  gboolean    needs_fit;
  /* The view the last fit chose: while the view is still that, a new
   * size of the canvas fits the map again (once the resize rests). */
  gboolean    fitted;
  double      fitted_zoom;
  double      fitted_center_x;
  double      fitted_center_y;
  int         fitted_width;
  int         fitted_height;
  guint       refit_id;

  /* The map as last drawn, into an image bigger than the view (the whole
   * map when that is not too big): a pan only moves it, hover and a
   * dragged actor are drawn over it, and a zoom shows it scaled until
   * the zoom rests.  See cm_canvas_snapshot(). */
  cairo_surface_t *layer;
  CmRenderOptions  layer_options;   /* the view it holds, without hover */
  guint64          layer_generation;
  int              layer_scale;
  guint            settle_id;
  gboolean         zoom_resting;

  /* A copy of the dataset (see cm_canvas_set_drawing_copy()) that only
   * the main thread changes and only while no worker reads it: the layer
   * is drawn from it in a worker thread, one job at a time, and the old
   * picture is shown moved and scaled meanwhile.  The actors changed
   * since the copy was last brought in step are in copy_pending (the
   * dataset's actors, referenced); any other change (a link, a source,
   * the dataset's own fields) clears copy_in_step for good, and the
   * layer is drawn on the main thread as before. */
  CmDataset       *copy;
  GHashTable      *copy_pending;
  gboolean         copy_in_step;
  gboolean         layer_job_running;
  guint            layer_job_serial;    /* bumped to drop a running job */

  /* CM_FRAME_STATS=1: the time of every frame that drew the map, from the
   * frame clock's before-paint to its after-paint. */
  gboolean         frame_stats;
  GdkFrameClock   *frame_clock;
  gulong           before_paint_id;
  gulong           after_paint_id;
  gint64           paint_start;
  gboolean         drew;
  gboolean         first_frame_done;
  int              stats_center_x;
  int              stats_center_y;
};

enum {
  PROP_0,
  PROP_DATASET,
  PROP_VIEWPORT,
  PROP_ARRANGING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTOR_DRAG_BEGIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CmCanvas, cm_canvas, GTK_TYPE_WIDGET)

static void
get_options (CmCanvas        *self,
             CmRenderOptions *options)
{
  cm_viewport_get_render_options (self->viewport,
                                  gtk_widget_get_width (GTK_WIDGET (self)),
                                  gtk_widget_get_height (GTK_WIDGET (self)),
                                  options);
}

static gboolean
hit_test (CmCanvas  *self,
          double     x,
          double     y,
          CmActor  **actor,
          CmLink   **link)
{
  CmRenderOptions options;

  *actor = NULL;
  *link = NULL;
  if (self->dataset == NULL)
    return FALSE;

  get_options (self, &options);
  return cm_render_hit_test (self->dataset, &options, x, y, actor, link);
}

/* ---- accessibility ---------------------------------------------------- */

static void
update_accessible (CmCanvas *self)
{
  CmActor *actor = cm_viewport_get_selected_actor (self->viewport);
  CmLink *link = cm_viewport_get_selected_link (self->viewport);
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  if (self->dataset == NULL)
    {
      label = g_strdup (_("Map"));
    }
  else if (actor != NULL)
    {
      g_autofree char *what = cm_canvas_describe_actor (self->dataset, actor);
      g_autoptr(GPtrArray) links = cm_dataset_get_links_of_actor (self->dataset, actor);
      g_autoptr(GListModel) quotes = cm_dataset_get_quotes_of_actor (self->dataset, actor);
      guint n_links = links != NULL ? links->len : 0;
      guint n_quotes = quotes != NULL ? g_list_model_get_n_items (quotes) : 0;
      g_autofree char *a = g_strdup_printf (ngettext ("%u channel", "%u channels", n_links), n_links);
      g_autofree char *b = g_strdup_printf (ngettext ("%u quote", "%u quotes", n_quotes), n_quotes);

      /* Translators: the map's accessible name while an actor is selected */
      label = g_strdup_printf (_("Map, selected: %s"), what);
      /* Translators: "3 channels, 5 quotes" */
      description = g_strdup_printf (_("%s, %s"), a, b);
    }
  else if (link != NULL)
    {
      g_autofree char *what = cm_canvas_describe_link (self->dataset, link);
      guint n_quotes = cm_link_get_n_quotes (link);

      label = g_strdup_printf (_("Map, selected: %s"), what);
      description = g_strdup_printf (ngettext ("%u quote", "%u quotes", n_quotes), n_quotes);
    }
  else
    {
      guint n_actors = cm_dataset_get_n_actors (self->dataset);
      guint n_links = cm_dataset_get_n_links (self->dataset);
      g_autofree char *a = g_strdup_printf (ngettext ("%u actor", "%u actors", n_actors), n_actors);
      g_autofree char *b = g_strdup_printf (ngettext ("%u channel", "%u channels", n_links), n_links);

      /* Translators: the map's accessible name: "Map of 12 actors and 10 channels" */
      label = g_strdup_printf (_("Map of %s and %s"), a, b);
      description = g_strdup (_("Tab selects the next actor; arrow keys pan; plus and minus zoom"));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description != NULL ? description : "",
                                  -1);
}

static void ensure_selection_visible (CmCanvas *self);

/* ---- signals from the model and the view ------------------------------ */

static void
dataset_changed_cb (CmCanvas  *self,
                    GObject   *object,
                    CmDataset *dataset)
{
  CmActor *selected = cm_viewport_get_selected_actor (self->viewport);
  CmLink *link = cm_viewport_get_selected_link (self->viewport);

  /* The copy follows what it can: actors' names, kinds and places. */
  if (self->copy != NULL && self->copy_in_step)
    {
      if (CM_IS_ACTOR (object) &&
          cm_dataset_lookup_actor (dataset, cm_actor_get_id (CM_ACTOR (object))) == CM_ACTOR (object))
        g_hash_table_add (self->copy_pending, g_object_ref (object));
      else
        self->copy_in_step = FALSE;
    }

  /* A selected actor or link that was removed is no longer selected. */
  if (selected != NULL && cm_dataset_lookup_actor (dataset, cm_actor_get_id (selected)) != selected)
    cm_viewport_clear_selection (self->viewport);
  if (link != NULL && cm_dataset_lookup_link (dataset, cm_link_get_id (link)) != link)
    cm_viewport_clear_selection (self->viewport);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
viewport_notify_cb (CmCanvas   *self,
                    GParamSpec *pspec,
                    CmViewport *viewport)
{
  if (g_strcmp0 (pspec->name, "selected-actor") == 0 ||
      g_strcmp0 (pspec->name, "selected-link") == 0)
    {
      update_accessible (self);
      /* Selected from elsewhere (the side panel, search): bring it into view. */
      ensure_selection_visible (self);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- gestures --------------------------------------------------------- */

static void
drag_begin_cb (CmCanvas       *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;

  if (self->dataset == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_moved = FALSE;
  g_clear_object (&self->drag_actor);

  hit_test (self, x, y, &actor, &link);
  if (actor != NULL && cm_actor_has_position (actor))
    {
      double dx, dy;

      cm_viewport_to_diagram (self->viewport,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)),
                              x, y, &dx, &dy);
      self->drag_actor = g_object_ref (actor);
      self->drag_offset_x = cm_actor_get_x (actor) - dx;
      self->drag_offset_y = cm_actor_get_y (actor) - dy;
    }
  else
    {
      self->drag_center_x = cm_viewport_get_center_x (self->viewport);
      self->drag_center_y = cm_viewport_get_center_y (self->viewport);
    }
}

static void
drag_update_cb (CmCanvas       *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  double zoom = cm_viewport_get_zoom (self->viewport);

  if (self->dataset == NULL)
    return;

  if (!self->drag_moved)
    {
      if (!gtk_drag_check_threshold (GTK_WIDGET (self),
                                     self->drag_start_x, self->drag_start_y,
                                     self->drag_start_x + offset_x,
                                     self->drag_start_y + offset_y))
        return;
      self->drag_moved = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
      if (self->drag_actor != NULL)
        {
          cm_canvas_stop_arranging (self);
          g_signal_emit (self, signals[ACTOR_DRAG_BEGIN], 0, self->drag_actor);
        }
    }

  if (self->drag_actor != NULL)
    {
      double dx, dy;

      cm_viewport_to_diagram (self->viewport,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)),
                              self->drag_start_x + offset_x,
                              self->drag_start_y + offset_y,
                              &dx, &dy);
      cm_actor_set_position (self->drag_actor,
                             dx + self->drag_offset_x,
                             dy + self->drag_offset_y);
    }
  else
    {
      cm_viewport_set_center (self->viewport,
                              self->drag_center_x - offset_x / zoom,
                              self->drag_center_y - offset_y / zoom);
    }
}

static void
drag_end_cb (CmCanvas       *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *gesture)
{
  g_clear_object (&self->drag_actor);
  self->drag_moved = FALSE;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  /* The layer left the actor out: draw it whole again. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
click_pressed_cb (CmCanvas        *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (self->dataset == NULL)
    return;

  hit_test (self, x, y, &actor, &link);
  if (n_press == 2 && actor == NULL && link == NULL)
    cm_canvas_fit (self);
}

static void
click_released_cb (CmCanvas        *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;

  if (self->dataset == NULL || n_press != 1)
    return;

  hit_test (self, x, y, &actor, &link);
  if (actor != NULL)
    cm_viewport_select_actor (self->viewport, actor);
  else if (link != NULL)
    cm_viewport_select_link (self->viewport, link);
  else
    cm_viewport_clear_selection (self->viewport);
}

static gboolean
scroll_cb (CmCanvas                 *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state;
  GdkScrollUnit unit;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->dataset == NULL)
    return FALSE;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  unit = gtk_event_controller_scroll_get_unit (controller);

  if (state & GDK_CONTROL_MASK)
    {
      double x = self->pointer_inside ? self->pointer_x : width / 2.0;
      double y = self->pointer_inside ? self->pointer_y : height / 2.0;
      double factor;

      /* A wheel click zooms a step; a touchpad zooms smoothly. */
      if (unit == GDK_SCROLL_UNIT_WHEEL)
        factor = pow (ZOOM_STEP, -dy);
      else
        factor = exp (-dy / 200.0);
      cm_viewport_zoom_at (self->viewport, width, height, factor, x, y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK && dx == 0.0)
    {
      dx = dy;
      dy = 0.0;
    }

  if (unit == GDK_SCROLL_UNIT_WHEEL)
    {
      dx *= WHEEL_PAN_STEP;
      dy *= WHEEL_PAN_STEP;
    }
  cm_viewport_pan (self->viewport, -dx, -dy);
  return TRUE;
}

static void
zoom_begin_cb (CmCanvas    *self,
               GdkEventSequence *sequence,
               GtkGesture  *gesture)
{
  self->zoom_gesture_start = cm_viewport_get_zoom (self->viewport);
}

static void
zoom_scale_changed_cb (CmCanvas       *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double x, y;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = width / 2.0;
      y = height / 2.0;
    }
  zoom = self->zoom_gesture_start * scale;
  cm_viewport_zoom_at (self->viewport, width, height,
                       zoom / cm_viewport_get_zoom (self->viewport), x, y);
}

static void
motion_cb (CmCanvas                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;

  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;

  if (self->drag_moved)
    return;

  hit_test (self, x, y, &actor, &link);
  cm_viewport_set_hover (self->viewport, actor, link);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   actor != NULL || link != NULL ? "pointer" : NULL);
}

static void
leave_cb (CmCanvas                 *self,
          GtkEventControllerMotion *controller)
{
  self->pointer_inside = FALSE;
  if (!self->drag_moved)
    cm_viewport_set_hover (self->viewport, NULL, NULL);
}

static gboolean
query_tooltip_cb (CmCanvas   *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  CmActor *actor = NULL;
  CmLink *link = NULL;
  g_autofree char *text = NULL;

  if (self->dataset == NULL || self->drag_moved)
    return FALSE;

  if (keyboard)
    {
      actor = cm_viewport_get_selected_actor (self->viewport);
      link = cm_viewport_get_selected_link (self->viewport);
    }
  else
    hit_test (self, x, y, &actor, &link);

  if (actor != NULL)
    text = cm_canvas_describe_actor (self->dataset, actor);
  else if (link != NULL)
    text = cm_canvas_describe_link (self->dataset, link);
  else
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- key bindings ----------------------------------------------------- */

static gboolean
zoom_in_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  cm_canvas_zoom (CM_CANVAS (widget), ZOOM_STEP);
  return TRUE;
}

static gboolean
zoom_out_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  cm_canvas_zoom (CM_CANVAS (widget), 1.0 / ZOOM_STEP);
  return TRUE;
}

static gboolean
clear_selection_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  CmCanvas *self = CM_CANVAS (widget);

  if (cm_viewport_get_selected_actor (self->viewport) == NULL &&
      cm_viewport_get_selected_link (self->viewport) == NULL)
    return FALSE;

  cm_viewport_clear_selection (self->viewport);
  return TRUE;
}

static gboolean
walk_cb (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  int direction = g_variant_get_int32 (args);

  /* At either end, the key moves the focus on, out of the map. */
  return cm_canvas_select_next_actor (CM_CANVAS (widget), direction, FALSE);
}

static gboolean
pan_cb (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  CmCanvas *self = CM_CANVAS (widget);
  int dx, dy;

  g_variant_get (args, "(ii)", &dx, &dy);
  cm_viewport_pan (self->viewport, dx * PAN_STEP, dy * PAN_STEP);
  return TRUE;
}

static void
canvas_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CmCanvas *self = CM_CANVAS (widget);

  if (g_str_equal (action_name, "canvas.zoom-in"))
    cm_canvas_zoom (self, ZOOM_STEP);
  else if (g_str_equal (action_name, "canvas.zoom-out"))
    cm_canvas_zoom (self, 1.0 / ZOOM_STEP);
  else if (g_str_equal (action_name, "canvas.fit"))
    cm_canvas_fit (self);
  else if (g_str_equal (action_name, "canvas.clear-selection"))
    cm_viewport_clear_selection (self->viewport);
}

/* ---- GtkWidget -------------------------------------------------------- */

/* ---- drawing ---------------------------------------------------------- */

/* The largest cached picture, in device pixels a side: 36 MiB. */
#define LAYER_MAX_SIDE 3072
/* How long a zoom must rest before the map is drawn again at the new
 * scale (until then the picture is scaled). */
#define ZOOM_SETTLE_MS 150

static void
drop_layer (CmCanvas *self)
{
  self->layer_job_serial++;
  g_clear_pointer (&self->layer, cairo_surface_destroy);
  g_clear_handle_id (&self->settle_id, g_source_remove);
}

/* Whether the layer was drawn with the same picture in mind: everything
 * but the centre (a pan moves it), the size and the hover (drawn over
 * it).  While an actor is dragged, its moves change the dataset but not
 * the layer, which leaves it out. */
static gboolean
layer_matches (CmCanvas              *self,
               const CmRenderOptions *o,
               CmActor               *without,
               int                    scale,
               gboolean               ignore_zoom)
{
  const CmRenderOptions *l = &self->layer_options;

  if (self->layer == NULL || self->layer_scale != scale)
    return FALSE;
  if (!ignore_zoom && l->zoom != o->zoom)
    return FALSE;
  if (l->theme != o->theme || l->channels != o->channels ||
      l->selected_actor != o->selected_actor || l->selected_link != o->selected_link ||
      l->without_actor != without)
    return FALSE;
  return without != NULL || self->layer_generation == cm_dataset_get_generation (self->dataset);
}

/* Where the view's top-left corner falls in the layer, in layer units;
 * TRUE if the view lies inside it. */
static gboolean
layer_offset (CmCanvas              *self,
              const CmRenderOptions *o,
              double                *x,
              double                *y)
{
  const CmRenderOptions *l = &self->layer_options;

  *x = (o->center_x - l->center_x) * o->zoom + (l->width - o->width) / 2.0;
  *y = (o->center_y - l->center_y) * o->zoom + (l->height - o->height) / 2.0;
  return *x >= -0.01 && *y >= -0.01 &&
         *x + o->width <= l->width + 0.01 && *y + o->height <= l->height + 0.01;
}

/* The layer for the view @o: the whole map with the view when that fits
 * LAYER_MAX_SIDE (any pan is then free), else the view with a margin of
 * half a view around it.  Fills its options (@l) and size in pixels. */
static void
layer_geometry (CmCanvas              *self,
                const CmRenderOptions *o,
                CmActor               *without,
                int                    scale,
                CmRenderOptions       *l,
                int                   *pw,
                int                   *ph)
{
  double max_side = LAYER_MAX_SIDE / (double) scale;
  double x0, y0, x1, y1, vx0, vy0, vx1, vy1;

  *l = *o;
  l->hover_actor = NULL;
  l->hover_link = NULL;
  l->without_actor = without;
  l->only_actor = NULL;
  l->hover_only = FALSE;

  /* The view with a quarter of a view around it, and the map, in units
   * of the view at this zoom: panning off the map's edge stays in the
   * layer for a while too.  (Half a view each side drew 4 times the
   * view, 2 s for a 20 000-actor map zoomed in.) */
  vx0 = o->center_x * o->zoom - 0.75 * o->width;
  vy0 = o->center_y * o->zoom - 0.75 * o->height;
  vx1 = vx0 + 1.5 * o->width;
  vy1 = vy0 + 1.5 * o->height;
  if (cm_render_get_bounds (self->dataset, &x0, &y0, &x1, &y1))
    {
      /* Names do not scale: a margin for them rather than the bounds'
       * own zoom-1 allowance. */
      x0 = MIN (x0 * o->zoom - 120, vx0);
      y0 = MIN (y0 * o->zoom - 60, vy0);
      x1 = MAX (x1 * o->zoom + 120, vx1);
      y1 = MAX (y1 * o->zoom + 60, vy1);
    }
  else
    {
      x0 = vx0;
      y0 = vy0;
      x1 = vx1;
      y1 = vy1;
    }
  if (x1 - x0 > max_side || y1 - y0 > max_side)
    {
      /* Too big: the view and as much around it as the cap allows. */
      double mx = CLAMP ((max_side - o->width) / 2.0, 0.0, o->width / 4.0);
      double my = CLAMP ((max_side - o->height) / 2.0, 0.0, o->height / 4.0);

      x0 = vx0 + o->width / 2.0 - mx;
      y0 = vy0 + o->height / 2.0 - my;
      x1 = x0 + o->width + 2 * mx;
      y1 = y0 + o->height + 2 * my;
    }
  /* Whole device pixels, so that the view's offset in it is whole too
   * (after rounding the centre) and the picture is blitted sharp. */
  x0 = floor (x0);
  y0 = floor (y0);
  *pw = MAX (1, (int) ceil ((x1 - x0) * scale));
  *ph = MAX (1, (int) ceil ((y1 - y0) * scale));
  l->width = *pw / (double) scale;
  l->height = *ph / (double) scale;
  l->center_x = (x0 + l->width / 2.0) / o->zoom;
  l->center_y = (y0 + l->height / 2.0) / o->zoom;
}

/* A cleared picture of @pw × @ph pixels with the map of @dataset drawn
 * into it as @l says.  Reads the dataset only. */
static cairo_surface_t *
paint_new_layer (CmDataset             *dataset,
                 const CmRenderOptions *l,
                 int                    pw,
                 int                    ph,
                 int                    scale)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  cm_render_draw (cr, dataset, l);
  cairo_destroy (cr);
  return surface;
}

static void
install_layer (CmCanvas              *self,
               cairo_surface_t       *surface,
               const CmRenderOptions *l,
               guint64                generation,
               int                    scale)
{
  g_clear_pointer (&self->layer, cairo_surface_destroy);
  self->layer = surface;
  self->layer_options = *l;
  self->layer_generation = generation;
  self->layer_scale = scale;
}

/* Draws the layer for the view @o, now, on this thread. */
static void
draw_layer (CmCanvas              *self,
            const CmRenderOptions *o,
            CmActor               *without,
            int                    scale)
{
  CmRenderOptions l;
  int pw, ph;

  layer_geometry (self, o, without, scale, &l, &pw, &ph);
  install_layer (self, paint_new_layer (self->dataset, &l, pw, ph, scale), &l,
                 cm_dataset_get_generation (self->dataset), scale);
}

/* What of @from the renderer reads, onto @to. */
static void
copy_drawn_actor_state (CmActor *from,
                        CmActor *to)
{
  g_object_freeze_notify (G_OBJECT (to));
  cm_actor_set_name (to, cm_actor_get_name (from));
  cm_actor_set_kind_name (to, cm_actor_get_kind_name (from));
  cm_actor_set_role (to, cm_actor_get_role (from));
  cm_actor_set_group (to, cm_actor_get_group (from));
  cm_actor_set_pinned (to, cm_actor_get_pinned (from));
  if (cm_actor_has_position (from))
    cm_actor_set_position (to, cm_actor_get_x (from), cm_actor_get_y (from));
  else
    cm_actor_clear_position (to);
  g_object_thaw_notify (G_OBJECT (to));
}

/* Brings the copy in step with the dataset, if no worker is reading it. */
static void
sync_copy (CmCanvas *self)
{
  GHashTableIter iter;
  gpointer key;

  if (self->copy == NULL || !self->copy_in_step || self->layer_job_running ||
      g_hash_table_size (self->copy_pending) == 0)
    return;

  g_hash_table_iter_init (&iter, self->copy_pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      CmActor *from = key;
      CmActor *to = cm_dataset_lookup_actor (self->copy, cm_actor_get_id (from));

      if (to == NULL)
        {
          self->copy_in_step = FALSE;
          break;
        }
      copy_drawn_actor_state (from, to);
    }
  g_hash_table_remove_all (self->copy_pending);
}

/* Whether the layer can be drawn in a worker thread: a copy that follows
 * the dataset (changes made while a worker reads it wait for the worker
 * to finish; its frame asks again).  Meanwhile the old picture is shown,
 * or only the background the first time. */
static gboolean
can_draw_layer_in_thread (CmCanvas *self)
{
  sync_copy (self);
  return self->copy != NULL && self->copy_in_step;
}

/* Whether a layer drawn from the copy as it was when the job began still
 * shows the map: nothing changed since, or only the actor it leaves out. */
static gboolean
layer_job_still_true (CmCanvas *self,
                      CmActor  *without)
{
  GHashTableIter iter;
  gpointer key;

  if (!self->copy_in_step)
    return FALSE;
  g_hash_table_iter_init (&iter, self->copy_pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (key != (gpointer) without)
      return FALSE;
  return TRUE;
}

typedef struct
{
  CmDataset       *copy;
  CmRenderOptions  draw;       /* selection as the copy's objects */
  CmRenderOptions  live;       /* as the dataset's, for layer_matches() */
  guint            serial;
  int              pw, ph, scale;
} LayerJob;

static void
layer_job_free (LayerJob *job)
{
  g_clear_object (&job->copy);
  g_free (job);
}

static void
layer_job_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LayerJob *job = task_data;

  g_task_return_pointer (task, paint_new_layer (job->copy, &job->draw, job->pw, job->ph, job->scale),
                         (GDestroyNotify) cairo_surface_destroy);
}

static void
layer_job_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CmCanvas *self = CM_CANVAS (source);
  LayerJob *job = g_task_get_task_data (G_TASK (result));
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), NULL);

  self->layer_job_running = FALSE;
  /* Dropped (another dataset, a drag) or out of date (the map changed):
   * the next frame decides anew. */
  if (surface == NULL || job->serial != self->layer_job_serial || self->dataset == NULL ||
      job->copy != self->copy || !layer_job_still_true (self, job->live.without_actor))
    g_clear_pointer (&surface, cairo_surface_destroy);
  else
    install_layer (self, surface, &job->live, cm_dataset_get_generation (self->dataset), job->scale);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Starts drawing the layer for the view @o in a worker thread, unless one
 * is being drawn (its frame will ask again). */
static void
request_layer (CmCanvas              *self,
               const CmRenderOptions *o,
               CmActor               *without,
               int                    scale)
{
  g_autoptr(GTask) task = NULL;
  LayerJob *job;

  if (self->layer_job_running)
    return;
  g_assert (g_hash_table_size (self->copy_pending) == 0);

  job = g_new0 (LayerJob, 1);
  job->copy = g_object_ref (self->copy);
  job->serial = self->layer_job_serial;
  job->scale = scale;
  layer_geometry (self, o, without, scale, &job->live, &job->pw, &job->ph);
  job->draw = job->live;
  /* The same ids, the copy's objects. */
  job->draw.selected_actor = job->live.selected_actor != NULL
    ? cm_dataset_lookup_actor (job->copy, cm_actor_get_id (job->live.selected_actor)) : NULL;
  job->draw.selected_link = job->live.selected_link != NULL
    ? cm_dataset_lookup_link (job->copy, cm_link_get_id (job->live.selected_link)) : NULL;
  job->draw.without_actor = without != NULL
    ? cm_dataset_lookup_actor (job->copy, cm_actor_get_id (without)) : NULL;

  self->layer_job_running = TRUE;
  task = g_task_new (self, NULL, layer_job_done_cb, NULL);
  g_task_set_source_tag (task, request_layer);
  g_task_set_name (task, "[cm] draw the map");
  g_task_set_task_data (task, job, (GDestroyNotify) layer_job_free);
  g_task_run_in_thread (task, layer_job_thread);
}

static gboolean
zoom_settled_cb (gpointer user_data)
{
  CmCanvas *self = user_data;

  self->settle_id = 0;
  self->zoom_resting = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
paint_layer (CmCanvas              *self,
             cairo_t               *cr,
             const CmRenderOptions *o)
{
  const CmRenderOptions *l = &self->layer_options;
  double f = o->zoom / l->zoom;

  /* Diagram point p is at (p - c_l) z_l + size_l / 2 in the layer and at
   * (p - c) z + size / 2 in the view. */
  cairo_save (cr);
  cairo_translate (cr, o->width / 2.0 + (l->center_x - o->center_x) * o->zoom,
                   o->height / 2.0 + (l->center_y - o->center_y) * o->zoom);
  cairo_scale (cr, f, f);
  cairo_translate (cr, -l->width / 2.0, -l->height / 2.0);
  cairo_set_source_surface (cr, self->layer, 0, 0);
  /* A pan by whole pixels copies pixels.  A zoom being previewed is
   * scaled with the fastest filter: the preview lasts until the zoom rests
   * (ZOOM_SETTLE_MS), then a sharp picture replaces it, and bilinear
   * scaling of a whole-map picture was the slowest frames of a zoom at
   * 2 000 actors (p95 14–25 ms, against 13–17 ms). */
  cairo_pattern_set_filter (cairo_get_source (cr), f == 1.0 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_FAST);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* What the window shows: the layer, moved to the view (and scaled while a
 * zoom is in progress), then the dragged actor with its links and the
 * hover highlight over it.  In GTK 4.8 a cairo node is recorded and
 * played back by the renderer, so drawing 20 000 actors cost two passes
 * over them every frame; the layer is one image, drawn by cm_render_draw()
 * into its pixels (where straight lines are fastest), and only when the
 * view really changes: zoom, data, selection, filters, style. */
static void
cm_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  CmCanvas *self = CM_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  CmActor *dragged = self->drag_moved ? self->drag_actor : NULL;
  CmRenderOptions options;
  gboolean ready;
  double ox, oy;
  cairo_t *cr;

  if (self->dataset == NULL || width <= 0 || height <= 0)
    return;

  self->drew = TRUE;
  get_options (self, &options);

  ready = layer_matches (self, &options, dragged, scale, FALSE) &&
          layer_offset (self, &options, &ox, &oy);
  if (!ready)
    {
      /* A zoom step: show the picture scaled while zooming goes on (up
       * to four times bigger or smaller, blurred or with empty borders,
       * for a moment), and draw it anew once the zoom rests.  Anything
       * else is drawn now. */
      double f = self->layer != NULL ? options.zoom / self->layer_options.zoom : 0.0;

      if (!self->zoom_resting && f > 0.25 && f < 4.0 && f != 1.0 &&
          layer_matches (self, &options, dragged, scale, TRUE))
        {
          g_clear_handle_id (&self->settle_id, g_source_remove);
          self->settle_id = g_timeout_add (ZOOM_SETTLE_MS, zoom_settled_cb, self);
        }
      else if (can_draw_layer_in_thread (self))
        {
          g_clear_handle_id (&self->settle_id, g_source_remove);
          request_layer (self, &options, dragged, scale);
        }
      else
        {
          g_clear_handle_id (&self->settle_id, g_source_remove);
          draw_layer (self, &options, dragged, scale);
        }
    }
  self->zoom_resting = FALSE;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Where the layer does not reach (a zoom out being previewed). */
  {
    double bg[4];

    cm_render_get_background_color (options.theme, bg);
    cairo_set_source_rgba (cr, bg[0], bg[1], bg[2], bg[3]);
    cairo_paint (cr);
  }
  if (self->layer != NULL)
    paint_layer (self, cr, &options);

  /* The actor being dragged; or, just after a drag, the one the picture
   * still leaves out until the whole map is drawn again. */
  if (dragged == NULL && self->layer != NULL)
    dragged = self->layer_options.without_actor;
  if (dragged != NULL)
    {
      CmRenderOptions top = options;

      top.background = FALSE;
      top.only_actor = dragged;
      top.hover_actor = NULL;
      top.hover_link = NULL;
      cm_render_draw (cr, self->dataset, &top);
    }
  if (options.hover_actor != NULL || options.hover_link != NULL)
    {
      CmRenderOptions top = options;

      top.background = FALSE;
      top.hover_only = TRUE;
      cm_render_draw (cr, self->dataset, &top);
    }
  cairo_destroy (cr);
}

/* ---- frame statistics ---------------------------------------------------- */

static void
before_paint_cb (GdkFrameClock *clock,
                 CmCanvas      *self)
{
  self->paint_start = g_get_monotonic_time ();
  self->drew = FALSE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                CmCanvas      *self)
{
  gint64 end = g_get_monotonic_time ();

  if (!self->drew || self->paint_start == 0)
    return;
  /* Monotonic microseconds, for the benchmark scripts (bench/): the
   * start-up time is measured from before the program's exec. */
  if (!self->first_frame_done)
    {
      self->first_frame_done = TRUE;
      g_printerr ("cm-frame-stats: first-frame monotonic-us=%" G_GINT64_FORMAT "\n", end);
      /* CM_FRAME_STATS=first-frame: quit there, so that a whole-process
       * timer measures the start-up. */
      if (g_strcmp0 (g_getenv ("CM_FRAME_STATS"), "first-frame") == 0)
        g_application_quit (g_application_get_default ());
    }
  /* Where the canvas's centre is in the window's surface, for scripts
   * that drag what is there (search centres the actor it finds). */
  {
    GtkWidget *widget = GTK_WIDGET (self);
    GtkNative *native = gtk_widget_get_native (widget);
    graphene_point_t centre;
    double sx = 0, sy = 0;

    if (native != NULL &&
        gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                  &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                        gtk_widget_get_height (widget) / 2.0),
                                  &centre))
      {
        gtk_native_get_surface_transform (native, &sx, &sy);
        if ((int) (centre.x + sx) != self->stats_center_x || (int) (centre.y + sy) != self->stats_center_y)
          {
            self->stats_center_x = (int) (centre.x + sx);
            self->stats_center_y = (int) (centre.y + sy);
            g_printerr ("cm-frame-stats: canvas-centre x=%d y=%d\n",
                        self->stats_center_x, self->stats_center_y);
          }
      }
  }
  g_printerr ("cm-frame-stats: frame ms=%.3f actors=%u links=%u\n",
              (end - self->paint_start) / 1000.0,
              self->dataset ? cm_dataset_get_n_actors (self->dataset) : 0,
              self->dataset ? cm_dataset_get_n_links (self->dataset) : 0);
}

static void
cm_canvas_realize (GtkWidget *widget)
{
  CmCanvas *self = CM_CANVAS (widget);

  GTK_WIDGET_CLASS (cm_canvas_parent_class)->realize (widget);

  if (self->frame_stats)
    {
      self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      self->before_paint_id = g_signal_connect (self->frame_clock, "before-paint",
                                                G_CALLBACK (before_paint_cb), self);
      self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                               G_CALLBACK (after_paint_cb), self);
    }
}

static void
cm_canvas_unrealize (GtkWidget *widget)
{
  CmCanvas *self = CM_CANVAS (widget);

  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->before_paint_id, self->frame_clock);
      g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }
  drop_layer (self);

  GTK_WIDGET_CLASS (cm_canvas_parent_class)->unrealize (widget);
}

/* Fits the map into @width × @height and remembers the view it chose. */
static void
fit_to (CmCanvas *self,
        int       width,
        int       height)
{
  self->needs_fit = FALSE;
  cm_viewport_fit (self->viewport, self->dataset, width, height);
  self->fitted = TRUE;
  self->fitted_zoom = cm_viewport_get_zoom (self->viewport);
  self->fitted_center_x = cm_viewport_get_center_x (self->viewport);
  self->fitted_center_y = cm_viewport_get_center_y (self->viewport);
  self->fitted_width = width;
  self->fitted_height = height;
}

/* Whether the view is still the one the last fit chose (no zoom or pan
 * since). */
static gboolean
still_fitted (CmCanvas *self)
{
  return self->fitted && self->dataset != NULL &&
         cm_viewport_get_zoom (self->viewport) == self->fitted_zoom &&
         cm_viewport_get_center_x (self->viewport) == self->fitted_center_x &&
         cm_viewport_get_center_y (self->viewport) == self->fitted_center_y;
}

static gboolean
refit_cb (gpointer user_data)
{
  CmCanvas *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->refit_id = 0;
  if (still_fitted (self) && width > 1 && height > 1)
    fit_to (self, width, height);
  return G_SOURCE_REMOVE;
}

static void
cm_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  CmCanvas *self = CM_CANVAS (widget);

  if (self->needs_fit && self->dataset != NULL && width > 1 && height > 1)
    fit_to (self, width, height);
  else if (still_fitted (self) && (width != self->fitted_width || height != self->fitted_height))
    {
      /* A window made bigger (or smaller) shows the whole map again, as
       * it did; measuring every name of a big map is not for every step
       * of a resize, so once it rests. */
      g_clear_handle_id (&self->refit_id, g_source_remove);
      self->refit_id = g_timeout_add (REFIT_DELAY_MS, refit_cb, self);
    }
}

static void
cm_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
cm_canvas_dispose (GObject *object)
{
  CmCanvas *self = CM_CANVAS (object);

  cm_canvas_stop_arranging (self);
  cm_canvas_set_dataset (self, NULL);
  drop_layer (self);
  g_clear_handle_id (&self->refit_id, g_source_remove);
  if (self->viewport != NULL)
    g_clear_signal_handler (&self->viewport_notify_id, self->viewport);
  g_clear_object (&self->viewport);
  g_clear_object (&self->drag_actor);

  G_OBJECT_CLASS (cm_canvas_parent_class)->dispose (object);
}

static void
cm_canvas_finalize (GObject *object)
{
  CmCanvas *self = CM_CANVAS (object);

  g_clear_pointer (&self->copy_pending, g_hash_table_unref);

  G_OBJECT_CLASS (cm_canvas_parent_class)->finalize (object);
}

static void
cm_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmCanvas *self = CM_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;
    case PROP_VIEWPORT:
      g_value_set_object (value, self->viewport);
      break;
    case PROP_ARRANGING:
      g_value_set_boolean (value, cm_canvas_get_arranging (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CmCanvas *self = CM_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      cm_canvas_set_dataset (self, g_value_get_object (value));
      break;
    case PROP_VIEWPORT:
      cm_canvas_set_viewport (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_key (GtkWidgetClass   *widget_class,
         guint             keyval,
         GdkModifierType   mods,
         GtkShortcutFunc   func,
         const char       *format,
         ...)
{
  va_list args;
  GtkShortcut *shortcut;
  GVariant *variant = NULL;

  if (format != NULL)
    {
      va_start (args, format);
      variant = g_variant_new_va (format, NULL, &args);
      va_end (args);
    }

  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, mods),
                               gtk_callback_action_new (func, NULL, NULL));
  if (variant != NULL)
    gtk_shortcut_set_arguments (shortcut, variant);
  gtk_widget_class_add_shortcut (widget_class, shortcut);
  g_object_unref (shortcut);
}

static void
cm_canvas_class_init (CmCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_canvas_dispose;
  object_class->finalize = cm_canvas_finalize;
  object_class->get_property = cm_canvas_get_property;
  object_class->set_property = cm_canvas_set_property;

  widget_class->snapshot = cm_canvas_snapshot;
  widget_class->realize = cm_canvas_realize;
  widget_class->unrealize = cm_canvas_unrealize;
  widget_class->size_allocate = cm_canvas_size_allocate;
  widget_class->measure = cm_canvas_measure;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, CM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, NULL, CM_TYPE_VIEWPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARRANGING] =
    g_param_spec_boolean ("arranging", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CmCanvas::actor-drag-begin:
   * @actor: the actor about to be moved
   *
   * Emitted when a drag of @actor passes the threshold, before it moves:
   * where it was can be kept for undo.
   */
  signals[ACTOR_DRAG_BEGIN] =
    g_signal_new ("actor-drag-begin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CM_TYPE_ACTOR);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, canvas_action_cb);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, canvas_action_cb);
  gtk_widget_class_install_action (widget_class, "canvas.fit", NULL, canvas_action_cb);
  gtk_widget_class_install_action (widget_class, "canvas.clear-selection", NULL, canvas_action_cb);

  /* Keys that work while the map has the focus.  The window adds the
   * Ctrl-variants that work everywhere. */
  add_key (widget_class, GDK_KEY_plus, 0, zoom_in_cb, NULL);
  add_key (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, zoom_in_cb, NULL);
  add_key (widget_class, GDK_KEY_equal, 0, zoom_in_cb, NULL);
  add_key (widget_class, GDK_KEY_KP_Add, 0, zoom_in_cb, NULL);
  add_key (widget_class, GDK_KEY_minus, 0, zoom_out_cb, NULL);
  add_key (widget_class, GDK_KEY_KP_Subtract, 0, zoom_out_cb, NULL);
  add_key (widget_class, GDK_KEY_Escape, 0, clear_selection_cb, NULL);
  add_key (widget_class, GDK_KEY_Tab, 0, walk_cb, "i", 1);
  add_key (widget_class, GDK_KEY_KP_Tab, 0, walk_cb, "i", 1);
  add_key (widget_class, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, walk_cb, "i", -1);
  add_key (widget_class, GDK_KEY_Tab, GDK_SHIFT_MASK, walk_cb, "i", -1);
  add_key (widget_class, GDK_KEY_Left, 0, pan_cb, "(ii)", 1, 0);
  add_key (widget_class, GDK_KEY_Right, 0, pan_cb, "(ii)", -1, 0);
  add_key (widget_class, GDK_KEY_Up, 0, pan_cb, "(ii)", 0, 1);
  add_key (widget_class, GDK_KEY_Down, 0, pan_cb, "(ii)", 0, -1);

  gtk_widget_class_set_css_name (widget_class, "cm-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cm_canvas_init (CmCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag, *click, *zoom;
  GtkEventController *scroll, *motion;

  self->copy_pending = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect_swapped (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, motion);

  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  self->frame_stats = g_strcmp0 (g_getenv ("CM_FRAME_STATS"), "1") == 0 ||
                      g_strcmp0 (g_getenv ("CM_FRAME_STATS"), "first-frame") == 0;

  cm_canvas_set_viewport (self, NULL);
}

/* ---- public API ------------------------------------------------------- */

GtkWidget *
cm_canvas_new (void)
{
  return g_object_new (CM_TYPE_CANVAS, NULL);
}

CmDataset *
cm_canvas_get_dataset (CmCanvas *self)
{
  g_return_val_if_fail (CM_IS_CANVAS (self), NULL);

  return self->dataset;
}

void
cm_canvas_set_dataset (CmCanvas  *self,
                       CmDataset *dataset)
{
  g_return_if_fail (CM_IS_CANVAS (self));
  g_return_if_fail (dataset == NULL || CM_IS_DATASET (dataset));

  if (dataset == self->dataset)
    return;

  cm_canvas_stop_arranging (self);
  g_clear_object (&self->drag_actor);

  if (self->dataset != NULL)
    g_clear_signal_handler (&self->dataset_changed_id, self->dataset);
  drop_layer (self);
  g_clear_object (&self->copy);
  g_hash_table_remove_all (self->copy_pending);
  g_set_object (&self->dataset, dataset);
  if (self->dataset != NULL)
    self->dataset_changed_id =
      g_signal_connect_object (self->dataset, "changed",
                               G_CALLBACK (dataset_changed_cb), self,
                               G_CONNECT_SWAPPED);

  if (self->viewport != NULL)
    {
      cm_viewport_clear_selection (self->viewport);
      cm_viewport_set_hover (self->viewport, NULL, NULL);
    }

  self->needs_fit = TRUE;
  self->fitted = FALSE;
  if (dataset != NULL && gtk_widget_get_width (GTK_WIDGET (self)) > 1)
    cm_canvas_fit (self);

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

/* @copy: a copy of the dataset that nobody changes (made when it was
 * loaded), equal to it while its generation is @generation; the canvas
 * draws its picture from the copy in a worker thread for as long as that
 * holds, so zooming and panning a big map never wait for the drawing. */
void
cm_canvas_set_drawing_copy (CmCanvas  *self,
                            CmDataset *copy,
                            guint64    generation)
{
  g_return_if_fail (CM_IS_CANVAS (self));
  g_return_if_fail (copy == NULL || CM_IS_DATASET (copy));

  self->layer_job_serial++;
  g_set_object (&self->copy, copy);
  g_hash_table_remove_all (self->copy_pending);
  /* Changed since it was copied: the copy cannot tell how. */
  self->copy_in_step = copy != NULL && self->dataset != NULL &&
                       generation == cm_dataset_get_generation (self->dataset);
}

CmViewport *
cm_canvas_get_viewport (CmCanvas *self)
{
  g_return_val_if_fail (CM_IS_CANVAS (self), NULL);

  return self->viewport;
}

void
cm_canvas_set_viewport (CmCanvas   *self,
                        CmViewport *viewport)
{
  g_autoptr(CmViewport) owned = NULL;

  g_return_if_fail (CM_IS_CANVAS (self));
  g_return_if_fail (viewport == NULL || CM_IS_VIEWPORT (viewport));

  if (viewport == NULL)
    viewport = owned = cm_viewport_new ();
  if (viewport == self->viewport)
    return;

  if (self->viewport != NULL)
    g_clear_signal_handler (&self->viewport_notify_id, self->viewport);
  g_set_object (&self->viewport, viewport);
  self->viewport_notify_id =
    g_signal_connect_object (self->viewport, "notify",
                             G_CALLBACK (viewport_notify_cb), self,
                             G_CONNECT_SWAPPED);

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWPORT]);
}

void
cm_canvas_zoom (CmCanvas *self,
                double    factor)
{
  double width, height;

  g_return_if_fail (CM_IS_CANVAS (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  cm_viewport_zoom_at (self->viewport, width, height, factor, width / 2.0, height / 2.0);
}

void
cm_canvas_fit (CmCanvas *self)
{
  int width, height;

  g_return_if_fail (CM_IS_CANVAS (self));

  if (self->dataset == NULL)
    return;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 1 || height <= 1)
    {
      self->needs_fit = TRUE;
      return;
    }
  fit_to (self, width, height);
}

void
cm_canvas_center_on_actor (CmCanvas *self,
                           CmActor  *actor)
{
  g_return_if_fail (CM_IS_CANVAS (self));
  g_return_if_fail (CM_IS_ACTOR (actor));

  if (!cm_actor_has_position (actor))
    return;
  cm_viewport_set_center (self->viewport, cm_actor_get_x (actor), cm_actor_get_y (actor));
}

/* Centres the view on (dx, dy) in diagram units when that point is not
 * well inside the canvas. */
static void
ensure_point_visible (CmCanvas *self,
                      double    dx,
                      double    dy)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = cm_viewport_get_zoom (self->viewport);
  double x, y, margin = 48;

  if (width <= 1 || height <= 1 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  x = (dx - cm_viewport_get_center_x (self->viewport)) * zoom + width / 2.0;
  y = (dy - cm_viewport_get_center_y (self->viewport)) * zoom + height / 2.0;
  if (x < margin || y < margin || x > width - margin || y > height - margin)
    cm_viewport_set_center (self->viewport, dx, dy);
}

static void
ensure_visible (CmCanvas *self,
                CmActor  *actor)
{
  if (cm_actor_has_position (actor))
    ensure_point_visible (self, cm_actor_get_x (actor), cm_actor_get_y (actor));
}

static void
ensure_selection_visible (CmCanvas *self)
{
  CmActor *actor = cm_viewport_get_selected_actor (self->viewport);
  CmLink *link = cm_viewport_get_selected_link (self->viewport);

  if (self->dataset == NULL)
    return;

  if (actor != NULL)
    ensure_visible (self, actor);
  else if (link != NULL)
    {
      CmActor *a = cm_dataset_lookup_actor (self->dataset, cm_link_get_source (link));
      CmActor *b = cm_dataset_lookup_actor (self->dataset, cm_link_get_target (link));

      if (a != NULL && b != NULL && cm_actor_has_position (a) && cm_actor_has_position (b))
        ensure_point_visible (self,
                              (cm_actor_get_x (a) + cm_actor_get_x (b)) / 2.0,
                              (cm_actor_get_y (a) + cm_actor_get_y (b)) / 2.0);
    }
}

gboolean
cm_canvas_select_next_actor (CmCanvas *self,
                             int       direction,
                             gboolean  wrap)
{
  CmActor **actors;
  CmActor *current;
  guint n_actors;
  int index, start;

  g_return_val_if_fail (CM_IS_CANVAS (self), FALSE);

  if (self->dataset == NULL)
    return FALSE;

  actors = cm_dataset_peek_actors (self->dataset, &n_actors);
  if (n_actors == 0)
    return FALSE;

  direction = direction < 0 ? -1 : 1;
  current = cm_viewport_get_selected_actor (self->viewport);
  start = current != NULL ? cm_dataset_get_actor_index (self->dataset, current) : -1;
  if (start < 0)
    start = direction > 0 ? -1 : (int) n_actors;

  for (index = start + direction; ; index += direction)
    {
      if (index < 0 || index >= (int) n_actors)
        {
          if (!wrap)
            return FALSE;
          index = direction > 0 ? 0 : (int) n_actors - 1;
          wrap = FALSE;   /* once around at most */
        }
      if (index == start)
        return FALSE;
      if (cm_actor_has_position (actors[index]))
        break;
    }

  cm_viewport_select_actor (self->viewport, actors[index]);
  ensure_visible (self, actors[index]);
  return TRUE;
}

static gboolean
arrange_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       user_data)
{
  CmCanvas *self = CM_CANVAS (widget);
  gint64 deadline = g_get_monotonic_time () + 8000;
  gboolean more = TRUE;

  /* Steps until this frame's budget is spent: the window stays responsive
   * and the actors move smoothly. */
  while (more && g_get_monotonic_time () < deadline)
    more = cm_arrange_step (self->arrange);

  if (more)
    return G_SOURCE_CONTINUE;

  self->arrange_tick_id = 0;
  g_clear_pointer (&self->arrange, cm_arrange_free);
  cm_canvas_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARRANGING]);
  return G_SOURCE_REMOVE;
}

void
cm_canvas_rearrange (CmCanvas *self)
{
  g_return_if_fail (CM_IS_CANVAS (self));

  if (self->dataset == NULL)
    return;

  cm_canvas_stop_arranging (self);
  self->arrange = cm_arrange_new (self->dataset, TRUE, g_random_int ());
  self->arrange_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), arrange_tick_cb, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARRANGING]);
}

gboolean
cm_canvas_get_arranging (CmCanvas *self)
{
  g_return_val_if_fail (CM_IS_CANVAS (self), FALSE);

  return self->arrange != NULL;
}

void
cm_canvas_stop_arranging (CmCanvas *self)
{
  g_return_if_fail (CM_IS_CANVAS (self));

  if (self->arrange == NULL)
    return;

  if (self->arrange_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->arrange_tick_id);
  self->arrange_tick_id = 0;
  g_clear_pointer (&self->arrange, cm_arrange_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARRANGING]);
}

char *
cm_canvas_describe_actor (CmDataset *dataset,
                          CmActor   *actor)
{
  const char *name = cm_actor_get_name (actor);
  const char *role = cm_actor_get_role (actor);
  g_autofree char *text = NULL;

  if (name == NULL || *name == '\0')
    name = cm_actor_get_id (actor);
  if (role != NULL && *role != '\0')
    /* Translators: an actor and its role: "Sergei Ryabkov, Deputy Foreign Minister" */
    text = g_strdup_printf (_("%s, %s"), name, role);
  else
    text = g_strdup (name);
  /* A tooltip and an accessible label: one line, cut. */
  return cm_ui_display_text (text, CM_UI_MAX_LINE_CHARS, FALSE);
}

char *
cm_canvas_describe_link (CmDataset *dataset,
                         CmLink    *link)
{
  const char *source = cm_dataset_actor_name (dataset, cm_link_get_source (link));
  const char *target = cm_dataset_actor_name (dataset, cm_link_get_target (link));
  const char *channel = cm_channel_get_label (cm_link_get_channel (link));
  const char *topic = cm_link_get_topic (link);
  g_autofree char *text = NULL;

  if (topic != NULL && *topic != '\0')
    /* Translators: a channel: "Russia — United States: absent (Ukraine)" */
    text = g_strdup_printf (_("%s — %s: %s (%s)"), source, target, channel, topic);
  else
    /* Translators: a channel: "Russia — United States: absent" */
    text = g_strdup_printf (_("%s — %s: %s"), source, target, channel);
  return cm_ui_display_text (text, CM_UI_MAX_LINE_CHARS, FALSE);
}
