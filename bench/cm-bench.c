/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cm-bench-graphs.h"
#include "cm-dataset-io.h"
#include "cm-layout.h"
#include "cm-render-private.h"

/* The benchmark of issue 5: our export against Graphviz on the same
 * graphs, side by side in one run, and our renderer against plain cairo
 * drawing the same primitives.  Not a test: it only measures and prints.
 *
 * Whole processes are timed, as a user would time them: wall clock from
 * fork to exit, CPU time and peak resident memory from wait4().  Tools
 * are interleaved (ours, sfdp, ours, sfdp, …) so a machine that gets
 * busier during the run slows all of them alike, and each figure is the
 * median of --runs runs.
 *
 * Layout quality is computed here, from the positions each tool wrote
 * (our --export out.json, Graphviz's -Tdot), with the same code for all:
 * the normalized stress of cm_layout_compute_stress() against the hop
 * distances of the links, and overlaps counted two ways: the issue's
 * (centres closer than 0.2 × the mean link length) and drawn shapes
 * touching (centres closer than the sum of the two nodes' radii, each
 * tool's own node size). */

#ifndef CM_BENCH_BINARY
#define CM_BENCH_BINARY "channel-map"
#endif

#define MAX_RUNS 15

typedef enum
{
  TOOL_CM_PNG,
  TOOL_CM_JSON,
  TOOL_SFDP_PNG,
  TOOL_SFDP_DOT,
  TOOL_NEATO_PNG,
  TOOL_NEATO_N2,
  N_TOOLS
} Tool;

static const char * const tool_names[N_TOOLS] = {
  "channel-map --export .png",
  "channel-map --export .json",
  "sfdp -Tpng",
  "sfdp -Tdot",
  "neato -Tpng",
  "neato -n2 -Tpng",
};

typedef struct
{
  double wall;     /* seconds */
  double cpu;      /* user + system seconds */
  double rss;      /* peak resident, MiB */
  gboolean ok;
  gboolean timed_out;
} Sample;

typedef struct
{
  Sample   samples[MAX_RUNS];
  guint    n;
  gboolean skipped;
  char    *note;
} ToolResult;

typedef struct
{
  double stress;
  guint  overlaps_mean;     /* < 0.2 × mean link length */
  guint  overlaps_shapes;   /* drawn shapes touching */
  double mean_length;
  gboolean valid;
} Quality;

typedef struct
{
  double ours_cpu, floor_cpu;
  double ours_wall, floor_wall;
  int    width, height;
  guint  labels;
  gboolean valid;
} RenderResult;

static struct
{
  char   **sizes;
  char   **families;
  int      runs;
  gboolean quick;
  char    *out_dir;
  char    *binary;
  double   timeout;
  int      neato_max;
  gboolean no_graphviz;
  gboolean memory;
  char   **memory_sizes;
  gint64   seed;
  gboolean keep;
  char    *render_only;
  gboolean generate;
} opt = {
  .runs = 3,
  .timeout = 300,
  .neato_max = 1000,
  .seed = 1,
};

/* Processes {{{ */

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Peak resident memory comes from wait4(), and a child's figure includes
 * the pages of the process it was forked from until it calls exec (the
 * kernel counts the old address space's high-water mark): forked from this
 * benchmark, once it has loaded a 20 000-actor map to time the drawing,
 * every tool would show 150 MB.  So the tools are started by a spawner,
 * forked first thing in main() while this process is small, which runs
 * one command a request and answers with what it measured. */
static int spawner_in = -1;    /* requests: NUL-separated argv, log, "\n\n" */
static int spawner_out = -1;   /* answers: a Sample */

static Sample run_process_here (char       **argv,
                                const char  *log);

static void
spawner_main (int in,
              int out)
{
  GString *request = g_string_new (NULL);
  char buffer[4096];
  ssize_t got;

  while ((got = read (in, buffer, sizeof buffer)) > 0)
    {
      g_string_append_len (request, buffer, got);
      /* A request ends with an empty string after the log's name. */
      while (request->len >= 2)
        {
          gsize end = 0;
          GPtrArray *argv;
          const char *p;
          Sample sample;
          char *log;

          for (gsize i = 1; i < request->len; i++)
            if (request->str[i] == '\0' && request->str[i - 1] == '\0')
              {
                end = i + 1;
                break;
              }
          if (end == 0)
            break;
          argv = g_ptr_array_new ();
          for (p = request->str; *p != '\0'; p += strlen (p) + 1)
            g_ptr_array_add (argv, (char *) p);
          log = g_ptr_array_steal_index (argv, argv->len - 1);
          g_ptr_array_add (argv, NULL);
          sample = run_process_here ((char **) argv->pdata, log);
          g_ptr_array_unref (argv);
          if (write (out, &sample, sizeof sample) != sizeof sample)
            _exit (1);
          g_string_erase (request, 0, end);
        }
    }
  _exit (0);
}

static void
start_spawner (void)
{
  int to[2], from[2];
  pid_t pid;

  if (pipe (to) != 0 || pipe (from) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      close (to[1]);
      close (from[0]);
      spawner_main (to[0], from[1]);
    }
  close (to[0]);
  close (from[1]);
  spawner_in = to[1];
  spawner_out = from[0];
}

static Sample
run_process (char       **argv,
             const char  *log)
{
  GString *request = g_string_new (NULL);
  Sample sample = { 0, };
  gsize done = 0;

  if (spawner_in < 0)
    return run_process_here (argv, log);
  for (guint i = 0; argv[i] != NULL; i++)
    g_string_append_len (request, argv[i], strlen (argv[i]) + 1);
  g_string_append_len (request, log, strlen (log) + 1);
  g_string_append_c (request, '\0');
  while (done < request->len)
    {
      ssize_t w = write (spawner_in, request->str + done, request->len - done);

      if (w <= 0)
        g_error ("spawner: %s", g_strerror (errno));
      done += w;
    }
  g_string_free (request, TRUE);
  done = 0;
  while (done < sizeof sample)
    {
      ssize_t r = read (spawner_out, (char *) &sample + done, sizeof sample - done);

      if (r <= 0)
        g_error ("spawner: %s", r < 0 ? g_strerror (errno) : "gone");
      done += r;
    }
  return sample;
}

/* Runs @argv with stdout and stderr to @log and waits for it, at most
 * opt.timeout seconds (then kills it).  SIGCHLD is blocked, so
 * sigtimedwait() wakes up exactly when the child exits. */
static Sample
run_process_here (char       **argv,
                  const char  *log)
{
  Sample s = { 0, };
  struct rusage ru;
  sigset_t set;
  double t0, deadline;
  int status = 0;
  pid_t pid;

  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);

  t0 = now ();
  deadline = t0 + opt.timeout;
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      int fd = open (log, O_WRONLY | O_CREAT | O_APPEND, 0644);

      sigprocmask (SIG_UNBLOCK, &set, NULL);
      if (fd >= 0)
        {
          dup2 (fd, STDOUT_FILENO);
          dup2 (fd, STDERR_FILENO);
          close (fd);
        }
      execvp (argv[0], argv);
      _exit (127);
    }

  for (;;)
    {
      double left = deadline - now ();
      struct timespec ts;
      pid_t r;

      r = wait4 (pid, &status, WNOHANG, &ru);
      if (r == pid)
        break;
      if (left <= 0)
        {
          kill (pid, SIGKILL);
          wait4 (pid, &status, 0, &ru);
          s.timed_out = TRUE;
          break;
        }
      ts.tv_sec = (time_t) left;
      ts.tv_nsec = (long) ((left - ts.tv_sec) * 1e9);
      sigtimedwait (&set, NULL, &ts);
    }

  s.wall = now () - t0;
  s.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
          ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  s.rss = ru.ru_maxrss / 1024.0;
  s.ok = !s.timed_out && WIFEXITED (status) && WEXITSTATUS (status) == 0;
  return s;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median of the successful runs; NAN if none succeeded. */
static double
result_median (ToolResult *r,
               int         field)
{
  double v[MAX_RUNS];
  guint n = 0;

  for (guint i = 0; i < r->n; i++)
    if (r->samples[i].ok)
      v[n++] = field == 0 ? r->samples[i].wall : field == 1 ? r->samples[i].cpu : r->samples[i].rss;
  return median (v, n);
}

static gboolean
result_timed_out (ToolResult *r)
{
  for (guint i = 0; i < r->n; i++)
    if (r->samples[i].timed_out)
      return TRUE;
  return FALSE;
}

/* }}} */

/* Positions {{{ */

/* Our positions, from the dataset --export out.json wrote. */
static double *
read_json_positions (const char *filename,
                     guint       n)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmDataset) dataset = cm_dataset_load_from_file (file, NULL, NULL, &error);
  CmActor **actors;
  guint n_actors;
  double *xy;

  if (dataset == NULL)
    {
      g_printerr ("%s: %s\n", filename, error->message);
      return NULL;
    }
  actors = cm_dataset_peek_actors (dataset, &n_actors);
  if (n_actors != n)
    return NULL;
  xy = g_new (double, 2 * (gsize) n + 2);
  for (guint i = 0; i < n; i++)
    {
      /* Actors are written in the order they were read: a0, a1, … */
      xy[2 * i] = cm_actor_get_x (actors[i]);
      xy[2 * i + 1] = cm_actor_get_y (actors[i]);
    }
  return xy;
}

/* Graphviz's positions (points) and node sizes from -Tdot output.  Node
 * statements run over several lines ("a12\t[height=0.5,\n\t\tpos=…"),
 * so the text is cut at the semicolons that end statements, outside
 * quotes and brackets. */
static double *
read_dot_positions (const char *filename,
                    guint       n,
                    double     *radius)
{
  g_autofree char *text = NULL;
  g_autofree double *xy = NULL;
  g_autofree guint8 *seen = NULL;
  gsize length;
  guint found = 0;
  const char *stmt;
  gboolean quoted = FALSE;
  int depth = 0;

  if (!g_file_get_contents (filename, &text, &length, NULL))
    return NULL;
  xy = g_new0 (double, 2 * (gsize) n + 2);
  seen = g_new0 (guint8, n + 1);

  stmt = text;
  for (char *p = text; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == '"')
        quoted = !quoted;
      if (quoted)
        continue;
      if (*p == '[')
        depth++;
      else if (*p == ']')
        depth--;
      else if ((*p == ';' || *p == '{' || *p == '}') && depth == 0)
        {
          const char *s = stmt;
          char *end;
          guint64 id;

          *p = '\0';
          stmt = p + 1;
          while (g_ascii_isspace (*s))
            s++;
          if (s[0] != 'a' || !g_ascii_isdigit (s[1]))
            continue;
          id = g_ascii_strtoull (s + 1, &end, 10);
          while (g_ascii_isspace (*end))
            end++;
          if (*end != '[' || id >= n)
            continue;
          {
            const char *pos = strstr (end, "pos=\"");
            const char *w = strstr (end, "width=");
            const char *h = strstr (end, "height=");

            if (pos == NULL)
              continue;
            xy[2 * id] = g_ascii_strtod (pos + 5, &end);
            if (*end != ',')
              continue;
            xy[2 * id + 1] = g_ascii_strtod (end + 1, NULL);
            if (radius != NULL && w != NULL && h != NULL)
              {
                double wv = g_ascii_strtod (w + 6 + (w[6] == '"'), NULL);
                double hv = g_ascii_strtod (h + 7 + (h[7] == '"'), NULL);

                /* Inches; the shape's inscribed circle, so that touching
                 * is counted only where the shapes surely meet. */
                radius[id] = MIN (wv, hv) * 72.0 / 2.0;
              }
            if (!seen[id])
              found++;
            seen[id] = 1;
          }
        }
    }

  if (found != n)
    {
      g_printerr ("%s: positions of %u nodes out of %u\n", filename, found, n);
      return NULL;
    }
  return g_steal_pointer (&xy);
}

/* Pairs whose centres are closer than radius_i + radius_j, by a grid of
 * cells as big as the largest sum. */
static guint
count_touching (guint         n,
                const double *xy,
                const double *radius)
{
  g_autoptr(GHashTable) cells = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = g_new (gint64, n + 1);
  g_autofree guint *next = g_new (guint, n + 1);
  double cell = 0;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    cell = MAX (cell, 2 * radius[i]);
  if (!(cell > 0))
    return 0;

#define KEY(cx, cy) (((gint64) (cx) << 32) ^ ((gint64) (cy) & 0xffffffff))
  for (guint i = 0; i < n; i++)
    {
      gint64 cx = (gint64) floor (xy[2 * i] / cell), cy = (gint64) floor (xy[2 * i + 1] / cell);
      gpointer head;

      keys[i] = KEY (cx, cy);
      head = g_hash_table_lookup (cells, &keys[i]);
      next[i] = head ? GPOINTER_TO_UINT (head) - 1 : G_MAXUINT;
      g_hash_table_insert (cells, &keys[i], GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 cx = (gint64) floor (xy[2 * i] / cell), cy = (gint64) floor (xy[2 * i + 1] / cell);

      for (int oy = -1; oy <= 1; oy++)
        for (int ox = -1; ox <= 1; ox++)
          {
            gint64 key = KEY (cx + ox, cy + oy);
            gpointer head = g_hash_table_lookup (cells, &key);

            for (guint j = head ? GPOINTER_TO_UINT (head) - 1 : G_MAXUINT; j != G_MAXUINT; j = next[j])
              if (j > i && hypot (xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]) <
                           radius[i] + radius[j])
                count++;
          }
    }
#undef KEY
  return count;
}

static Quality
measure_quality (BenchGraph   *graph,
                 const double *xy,
                 const double *radius)
{
  Quality q = { 0, };
  g_autofree guint *edges = NULL;
  guint n_edges, n = graph->n;
  double sum = 0;

  if (xy == NULL)
    return q;
  edges = bench_graph_edges (graph, &n_edges);
  for (guint e = 0; e < n_edges; e++)
    sum += hypot (xy[2 * edges[2 * e]] - xy[2 * edges[2 * e + 1]],
                  xy[2 * edges[2 * e] + 1] - xy[2 * edges[2 * e + 1] + 1]);
  q.mean_length = n_edges > 0 ? sum / n_edges : 0;
  /* Exact up to a few thousand nodes, else 1000 sampled sources (their
   * spread is far below the differences between tools). */
  q.stress = cm_layout_compute_stress (n, xy, n_edges, edges, n <= 3000 ? 0 : 1000);
  q.overlaps_mean = cm_layout_count_overlaps (n, xy, 0.2 * q.mean_length);
  q.overlaps_shapes = count_touching (n, xy, radius);
  q.valid = TRUE;
  return q;
}

/* }}} */

/* Drawing: ours against plain cairo {{{ */

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The floor: what plain cairo and pango cost for the same picture, with
 * none of the renderer's work (no curves cut at the rims, no parallel
 * bundles, no label placement, no outlines, no halos): the links as
 * lines with the same width and dash pattern per channel, the shapes as
 * circles, one fill per colour, and the labels the renderer showed,
 * drawn where it put them.  Each line is stroked on its own, the fastest
 * plain cairo way for a dense map (one path of all the lines of a
 * channel, stroked once, took 5 times as long on a 5000-actor map: every
 * long line stays in the rasterizer's active list over all its rows). */
static void
draw_floor (cairo_t               *cr,
            CmDataset             *dataset,
            const CmRenderOptions *o,
            GArray                *labels)
{
  const CmRenderStyle *style = _cm_render_style_get (o->theme);
  CmActor **actors;
  CmLink **links;
  guint n_actors, n_links;
  double z = o->zoom, ox = o->width / 2 - o->center_x * z, oy = o->height / 2 - o->center_y * z;
  double r = MAX (CM_RENDER_ACTOR_RADIUS * z, CM_RENDER_MIN_RADIUS);

  actors = cm_dataset_peek_actors (dataset, &n_actors);
  links = cm_dataset_peek_links (dataset, &n_links);

  cairo_set_source_rgba (cr, style->background[0], style->background[1], style->background[2], 1);
  cairo_paint (cr);

  for (CmChannel c = 0; c < CM_N_CHANNELS; c++)
    {
      _cm_render_set_stroke (cr, c, _cm_render_link_width (c, 1), -1);
      cairo_set_source_rgba (cr, style->channel[c][0], style->channel[c][1], style->channel[c][2], 1);
      for (guint i = 0; i < n_links; i++)
        {
          CmActor *a, *b;
          double x0, y0, x1, y1;

          if (cm_link_get_channel (links[i]) != c)
            continue;
          a = cm_dataset_lookup_actor (dataset, cm_link_get_source (links[i]));
          b = cm_dataset_lookup_actor (dataset, cm_link_get_target (links[i]));
          x0 = ox + cm_actor_get_x (a) * z;
          y0 = oy + cm_actor_get_y (a) * z;
          x1 = ox + cm_actor_get_x (b) * z;
          y1 = oy + cm_actor_get_y (b) * z;
          /* Culled like ours: nothing of it in the surface. */
          if (MAX (x0, x1) < 0 || MIN (x0, x1) > o->width || MAX (y0, y1) < 0 || MIN (y0, y1) > o->height)
            continue;
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
          cairo_stroke (cr);
        }
    }

  for (guint color = 0; color < CM_RENDER_N_GROUP_COLORS; color++)
    {
      cairo_new_path (cr);
      for (guint i = color; i < n_actors; i += CM_RENDER_N_GROUP_COLORS)
        {
          double x = ox + cm_actor_get_x (actors[i]) * z, y = oy + cm_actor_get_y (actors[i]) * z;

          if (x < -r || y < -r || x > o->width + r || y > o->height + r)
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r, 0, 2 * G_PI);
        }
      cairo_set_source_rgba (cr, style->fill[color][0], style->fill[color][1], style->fill[color][2], 1);
      cairo_fill (cr);
    }

  cairo_set_source_rgba (cr, style->text[0], style->text[1], style->text[2], 1);
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      const CmRenderLabel *l = &g_array_index (labels, CmRenderLabel, i);

      if (!l->visible)
        continue;
      cairo_move_to (cr, l->x, l->y);
      pango_cairo_show_layout (cr, l->layout);
    }
}

static void
free_labels (GArray *labels)
{
  for (guint i = 0; i < labels->len; i++)
    g_clear_object (&g_array_index (labels, CmRenderLabel, i).layout);
  g_array_unref (labels);
}

/* Times cm_render_draw() and the floor on the same positions and the same
 * surface, alternately, @runs times each; medians. */
static RenderResult
measure_render (const char *json,
                int         width,
                int         height,
                gboolean    exact,
                int         runs)
{
  RenderResult res = { 0, };
  g_autoptr(GFile) file = g_file_new_for_path (json);
  g_autoptr(CmDataset) dataset = cm_dataset_load_from_file (file, NULL, NULL, NULL);
  double ours_cpu[MAX_RUNS], floor_cpu[MAX_RUNS], ours_wall[MAX_RUNS], floor_wall[MAX_RUNS];
  CmRenderOptions o;
  cairo_surface_t *surface;
  GArray *labels;

  if (dataset == NULL || width <= 0 || height <= 0)
    return res;

  cm_render_options_init (&o);
  o.width = width;
  o.height = height;
  o.exact = exact;
  cm_render_fit (&o, dataset);
  labels = _cm_render_compute_labels (dataset, &o);
  for (guint i = 0; i < labels->len; i++)
    res.labels += g_array_index (labels, CmRenderLabel, i).visible;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  runs = CLAMP (runs, 1, MAX_RUNS);
  for (int r = 0; r < runs; r++)
    {
      cairo_t *cr;
      double c0, w0;

      cr = cairo_create (surface);
      c0 = cpu_now ();
      w0 = now ();
      cm_render_draw (cr, dataset, &o);
      cairo_surface_flush (surface);
      ours_cpu[r] = cpu_now () - c0;
      ours_wall[r] = now () - w0;
      cairo_destroy (cr);

      cr = cairo_create (surface);
      c0 = cpu_now ();
      w0 = now ();
      draw_floor (cr, dataset, &o, labels);
      cairo_surface_flush (surface);
      floor_cpu[r] = cpu_now () - c0;
      floor_wall[r] = now () - w0;
      cairo_destroy (cr);
    }
  cairo_surface_destroy (surface);
  free_labels (labels);

  res.ours_cpu = median (ours_cpu, runs);
  res.floor_cpu = median (floor_cpu, runs);
  res.ours_wall = median (ours_wall, runs);
  res.floor_wall = median (floor_wall, runs);
  res.width = width;
  res.height = height;
  res.valid = TRUE;
  return res;
}

/* The size of a PNG file, from its header. */
static gboolean
png_size (const char *filename,
          int        *width,
          int        *height)
{
  guint8 header[24];
  FILE *f = g_fopen (filename, "rb");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fread (header, 1, sizeof header, f) == sizeof header &&
       memcmp (header + 12, "IHDR", 4) == 0;
  fclose (f);
  if (!ok)
    return FALSE;
  *width = header[16] << 24 | header[17] << 16 | header[18] << 8 | header[19];
  *height = header[20] << 24 | header[21] << 16 | header[22] << 8 | header[23];
  return TRUE;
}

/* }}} */

/* Printing {{{ */

static void
print_time (double v,
            gboolean timed_out)
{
  if (timed_out && isnan (v))
    printf (" %8s", ">cap");
  else if (isnan (v))
    printf (" %8s", "—");
  else
    printf (" %8.3f", v);
}

static void
print_row (const char *name,
           ToolResult *r,
           double      reference_wall,
           Quality    *q,
           gboolean    is_reference)
{
  double wall, cpu, rss;

  printf ("  %-28s", name);
  if (r->skipped)
    {
      printf (" %8s %8s %8s %7s %8s %9s %9s  %s\n", "—", "—", "—", "", "", "", "",
              r->note ? r->note : "skipped");
      return;
    }
  wall = result_median (r, 0);
  cpu = result_median (r, 1);
  rss = result_median (r, 2);
  print_time (wall, result_timed_out (r));
  print_time (cpu, result_timed_out (r));
  if (isnan (rss))
    printf (" %8s", "—");
  else
    printf (" %8.0f", rss);
  if (is_reference || isnan (wall) || isnan (reference_wall))
    printf (" %7s", is_reference ? "1.00" : "");
  else
    printf (" %7.2f", reference_wall / wall);
  if (q != NULL && q->valid)
    printf (" %8.4f %9u %9u", q->stress, q->overlaps_mean, q->overlaps_shapes);
  else
    printf (" %8s %9s %9s", "", "", "");
  if (r->note)
    printf ("  %s", r->note);
  printf ("\n");
}

/* }}} */

static gboolean
tool_available (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static void
bench_one (BenchFamily family,
           guint       n)
{
  g_autoptr(BenchGraph) graph = bench_graph_new (family, n, (guint64) opt.seed);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup_printf ("%s/%s-%u", opt.out_dir, bench_family_name (family), n);
  g_autofree char *json = g_strconcat (base, ".json", NULL);
  g_autofree char *dot = g_strconcat (base, ".dot", NULL);
  g_autofree char *log = g_strconcat (base, ".log", NULL);
  char *out[N_TOOLS] = { NULL, };
  g_autofree char *neato_dot = g_strconcat (base, ".neato.dot", NULL);
  g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, opt.seed);
  ToolResult results[N_TOOLS];
  Quality quality[N_TOOLS] = { { 0, }, };
  gboolean graphviz = !opt.no_graphviz && tool_available ("sfdp") && tool_available ("neato");
  int runs = CLAMP (opt.runs, 1, MAX_RUNS);
  RenderResult render_export = { 0, }, render_window = { 0, };

  memset (results, 0, sizeof results);
  if (!bench_graph_write_json (graph, json, &error) || !bench_graph_write_dot (graph, dot, &error))
    g_error ("%s", error->message);
  g_remove (log);

  out[TOOL_CM_PNG] = g_strconcat (base, ".cm.png", NULL);
  out[TOOL_CM_JSON] = g_strconcat (base, ".cm.json", NULL);
  out[TOOL_SFDP_PNG] = g_strconcat (base, ".sfdp.png", NULL);
  out[TOOL_SFDP_DOT] = g_strconcat (base, ".sfdp.dot", NULL);
  out[TOOL_NEATO_PNG] = g_strconcat (base, ".neato.png", NULL);
  out[TOOL_NEATO_N2] = g_strconcat (base, ".n2.png", NULL);

  if (!graphviz)
    for (Tool t = TOOL_SFDP_PNG; t < N_TOOLS; t++)
      {
        results[t].skipped = TRUE;
        results[t].note = g_strdup ("Graphviz not installed");
      }
  if (graphviz && (int) n > opt.neato_max)
    {
      results[TOOL_NEATO_PNG].skipped = TRUE;
      results[TOOL_NEATO_PNG].note = g_strdup_printf ("not run above n = %d (--neato-max)", opt.neato_max);
    }

  printf ("\n%s, n = %u actors, %u links\n", bench_family_name (family), n, graph->links->len);
  fflush (stdout);

  for (int r = 0; r < runs; r++)
    for (Tool t = 0; t < N_TOOLS; t++)
      {
        char *argv[16] = { NULL, };
        guint k = 0;

        if (results[t].skipped)
          continue;
        /* A tool that ran out of time once is not run again. */
        if (result_timed_out (&results[t]))
          continue;
        switch (t)
          {
          case TOOL_CM_PNG:
          case TOOL_CM_JSON:
            argv[k++] = opt.binary;
            argv[k++] = "--export";
            argv[k++] = out[t];
            argv[k++] = "--seed";
            argv[k++] = seed;
            argv[k++] = json;
            break;
          case TOOL_SFDP_PNG:
          case TOOL_SFDP_DOT:
            argv[k++] = "sfdp";
            argv[k++] = t == TOOL_SFDP_PNG ? "-Tpng" : "-Tdot";
            argv[k++] = "-o";
            argv[k++] = out[t];
            argv[k++] = dot;
            break;
          case TOOL_NEATO_PNG:
            /* The positions come out in the same run, for the stress. */
            argv[k++] = "neato";
            argv[k++] = "-Tpng";
            argv[k++] = "-o";
            argv[k++] = out[t];
            argv[k++] = "-Tdot";
            argv[k++] = "-o";
            argv[k++] = neato_dot;
            argv[k++] = dot;
            break;
          case TOOL_NEATO_N2:
            /* Graphviz drawing alone: sfdp's own positions, edges and
             * all, rendered without any layout. */
            if (!g_file_test (out[TOOL_SFDP_DOT], G_FILE_TEST_EXISTS))
              continue;
            argv[k++] = "neato";
            argv[k++] = "-n2";
            argv[k++] = "-Tpng";
            argv[k++] = "-o";
            argv[k++] = out[t];
            argv[k++] = out[TOOL_SFDP_DOT];
            break;
          default:
            g_assert_not_reached ();
          }
        results[t].samples[results[t].n++] = run_process (argv, log);
        if (!results[t].samples[results[t].n - 1].ok && results[t].note == NULL)
          results[t].note = g_strdup (results[t].samples[results[t].n - 1].timed_out ?
                                      "ran out of time (--timeout)" : "failed (see the .log)");
      }

  /* Quality from the positions each tool wrote. */
  {
    g_autofree double *radius = g_new (double, n + 1);
    g_autofree double *xy = read_json_positions (out[TOOL_CM_JSON], n);

    /* Our shapes: 14 diagram units from centre to rim. */
    for (guint i = 0; i < n; i++)
      radius[i] = CM_RENDER_ACTOR_RADIUS;
    quality[TOOL_CM_JSON] = measure_quality (graph, xy, radius);
    quality[TOOL_CM_PNG] = quality[TOOL_CM_JSON];
    if (graphviz)
      {
        g_autofree double *sxy = read_dot_positions (out[TOOL_SFDP_DOT], n, radius);

        quality[TOOL_SFDP_DOT] = measure_quality (graph, sxy, radius);
        quality[TOOL_SFDP_PNG] = quality[TOOL_SFDP_DOT];
        if (!results[TOOL_NEATO_PNG].skipped && !isnan (result_median (&results[TOOL_NEATO_PNG], 0)))
          {
            g_autofree double *nxy = read_dot_positions (neato_dot, n, radius);

            quality[TOOL_NEATO_PNG] = measure_quality (graph, nxy, radius);
          }
      }
  }

  /* Drawing, in this process: the export's surface, and a window. */
  {
    int w, h;

    if (png_size (out[TOOL_CM_PNG], &w, &h))
      render_export = measure_render (out[TOOL_CM_JSON], w, h, TRUE, runs);
    render_window = measure_render (out[TOOL_CM_JSON], 1280, 800, FALSE, runs);
  }

  printf ("  %-28s %8s %8s %8s %7s %8s %9s %9s\n", "", "wall s", "CPU s", "peak MB",
          "×sfdp", "stress", "ovl 0.2L", "ovl shape");
  print_row (tool_names[TOOL_CM_PNG], &results[TOOL_CM_PNG],
             result_median (&results[TOOL_SFDP_PNG], 0), &quality[TOOL_CM_PNG], FALSE);
  print_row (tool_names[TOOL_SFDP_PNG], &results[TOOL_SFDP_PNG], NAN, &quality[TOOL_SFDP_PNG], TRUE);
  print_row (tool_names[TOOL_CM_JSON], &results[TOOL_CM_JSON],
             result_median (&results[TOOL_SFDP_DOT], 0), &quality[TOOL_CM_JSON], FALSE);
  print_row (tool_names[TOOL_SFDP_DOT], &results[TOOL_SFDP_DOT], NAN, &quality[TOOL_SFDP_DOT], TRUE);
  print_row (tool_names[TOOL_NEATO_PNG], &results[TOOL_NEATO_PNG],
             result_median (&results[TOOL_SFDP_PNG], 0), &quality[TOOL_NEATO_PNG], FALSE);
  print_row (tool_names[TOOL_NEATO_N2], &results[TOOL_NEATO_N2],
             result_median (&results[TOOL_SFDP_PNG], 0), NULL, FALSE);
  if (render_export.valid)
    printf ("  %-28s %8.3f %8.3f  plain cairo %.3f s CPU: %.2f× the floor (%d×%d, %u labels)\n",
            "cm_render_draw, export", render_export.ours_wall, render_export.ours_cpu,
            render_export.floor_cpu, render_export.ours_cpu / render_export.floor_cpu,
            render_export.width, render_export.height, render_export.labels);
  if (render_window.valid)
    printf ("  %-28s %8.3f %8.3f  plain cairo %.3f s CPU: %.2f× the floor (%d×%d, %u labels)\n",
            "cm_render_draw, window", render_window.ours_wall, render_window.ours_cpu,
            render_window.floor_cpu, render_window.ours_cpu / render_window.floor_cpu,
            render_window.width, render_window.height, render_window.labels);
  if (quality[TOOL_CM_JSON].valid)
    printf ("  mean link length: ours %.1f units%s", quality[TOOL_CM_JSON].mean_length,
            quality[TOOL_SFDP_DOT].valid ? "" : "\n");
  if (quality[TOOL_SFDP_DOT].valid)
    printf (", sfdp %.1f pt\n", quality[TOOL_SFDP_DOT].mean_length);
  fflush (stdout);

  for (Tool t = 0; t < N_TOOLS; t++)
    {
      g_free (results[t].note);
      if (!opt.keep)
        g_remove (out[t]);
      g_free (out[t]);
    }
  if (!opt.keep)
    {
      g_remove (neato_dot);
      g_remove (json);
      g_remove (dot);
    }
}

/* Peak memory of our export as the graph grows: one run per size, the
 * marginal cost per actor and per link between sizes (constant for
 * linear growth). */
static void
bench_memory (BenchFamily  family,
              char       **sizes)
{
  double prev_rss[2] = { NAN, NAN };
  guint prev_n = 0, prev_m = 0;
  g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, opt.seed);

  printf ("\nmemory, %s\n  %8s %8s | %-30s | %-30s\n", bench_family_name (family), "actors", "links",
          "--export .png: MB, s, kB/actor", "--export .json: MB, s, kB/actor");
  for (guint k = 0; sizes[k] != NULL; k++)
    {
      guint n = (guint) g_ascii_strtoull (sizes[k], NULL, 10);
      g_autoptr(BenchGraph) graph = bench_graph_new (family, n, (guint64) opt.seed);
      g_autoptr(GError) error = NULL;
      g_autofree char *base = g_strdup_printf ("%s/mem-%s-%u", opt.out_dir, bench_family_name (family), n);
      g_autofree char *json = g_strconcat (base, ".json", NULL);
      g_autofree char *log = g_strconcat (base, ".log", NULL);
      guint m = graph->links->len;

      if (!bench_graph_write_json (graph, json, &error))
        g_error ("%s", error->message);
      printf ("  %8u %8u", n, m);
      for (int t = 0; t < 2; t++)
        {
          g_autofree char *out = g_strconcat (base, t == 0 ? ".cm.png" : ".cm.json", NULL);
          char *argv[] = { opt.binary, "--export", out, "--seed", seed, json, NULL };
          Sample s = run_process (argv, log);

          if (!s.ok)
            printf (" | %-30s", s.timed_out ? "ran out of time" : "failed");
          else
            {
              g_autofree char *cell = NULL;

              if (prev_n > 0 && !isnan (prev_rss[t]))
                cell = g_strdup_printf ("%6.0f %6.2f %5.2f (+%.2f)", s.rss, s.wall,
                                        s.rss * 1024 / n, (s.rss - prev_rss[t]) * 1024 / (n - prev_n));
              else
                cell = g_strdup_printf ("%6.0f %6.2f %5.2f", s.rss, s.wall, s.rss * 1024 / n);
              printf (" | %-30s", cell);
              prev_rss[t] = s.rss;
            }
          if (!opt.keep)
            g_remove (out);
        }
      printf ("   %.2f links/actor\n", (double) m / MAX (n, 1));
      fflush (stdout);
      prev_n = n;
      prev_m = m;
      if (!opt.keep)
        g_remove (json);
    }
  (void) prev_m;
}

int
main (int   argc,
      char *argv[])
{
  /* cm-bench --exec-stamp -- PROGRAM ARGS…: prints the monotonic clock in
   * microseconds (the clock GLib's g_get_monotonic_time() reads) and
   * becomes PROGRAM, so a script can time a start-up from its very
   * beginning (bench/frame-times.sh). */
  if (argc >= 4 && g_str_equal (argv[1], "--exec-stamp") && g_str_equal (argv[2], "--"))
    {
      fprintf (stderr, "cm-bench: exec monotonic-us=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      fflush (stderr);
      execvp (argv[3], argv + 3);
      fprintf (stderr, "cm-bench: %s: %s\n", argv[3], g_strerror (errno));
      return 127;
    }

  g_autofree char *sizes = NULL;
  g_autofree char *families = NULL;
  g_autofree char *memory_sizes = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "Numbers of actors (default 1000,5000,20000)", "N,…" },
    { "families", 0, 0, G_OPTION_ARG_STRING, &families,
      "scale-free, communities, geometric, diplomatic (default: all)", "NAME,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &opt.runs, "Runs of each tool; medians are shown (default 3)", "N" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &opt.quick, "One run, n = 1000 and 5000", NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt.out_dir, "Folder for the graphs and outputs (default: a new temporary one)", "DIR" },
    { "binary", 0, 0, G_OPTION_ARG_FILENAME, &opt.binary, "The channel-map program", "PATH" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt.timeout, "Seconds a run may take before it is stopped (default 300)", "S" },
    { "neato-max", 0, 0, G_OPTION_ARG_INT, &opt.neato_max, "Run neato's own layout up to this many actors (default 1000)", "N" },
    { "no-graphviz", 0, 0, G_OPTION_ARG_NONE, &opt.no_graphviz, "Only our own figures", NULL },
    { "memory", 0, 0, G_OPTION_ARG_NONE, &opt.memory, "Also the memory growth table", NULL },
    { "memory-sizes", 0, 0, G_OPTION_ARG_STRING, &memory_sizes,
      "Sizes of the memory table (default 1000,10000,100000)", "N,…" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "Seed of the graphs and of our layout (default 1)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt.keep, "Keep the graphs and the outputs", NULL },
    { "generate", 0, 0, G_OPTION_ARG_NONE, &opt.generate,
      "Only write the graphs (FAMILY-N.json and FAMILY-N.dot) into --out", NULL },
    { "render-only", 0, 0, G_OPTION_ARG_FILENAME, &opt.render_only,
      "Only time the drawing of a dataset with positions (for profiling)", "FILE" },
    { NULL }
  };
  g_autofree char *tmp_dir = NULL;
  g_auto(GStrv) size_list = NULL;
  g_auto(GStrv) family_list = NULL;
  g_auto(GStrv) memory_list = NULL;
  sigset_t set;

  context = g_option_context_new ("— Channel Map against Graphviz and plain cairo");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Generates the graphs, runs our export and Graphviz on them side by side,\n"
    "and prints wall and CPU time (medians), peak memory, the speed-up over\n"
    "sfdp (×sfdp: sfdp's time over ours), stress and overlaps.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (opt.render_only != NULL)
    {
      for (int e = 1; e >= 0; e--)
        {
          RenderResult r = measure_render (opt.render_only, e ? 4096 : 1280, e ? 4096 : 800, e, opt.runs);

          printf ("%s %d×%d: ours %.3f s CPU, plain cairo %.3f s: %.2f×, %u labels\n",
                  e ? "export" : "window", r.width, r.height, r.ours_cpu, r.floor_cpu,
                  r.ours_cpu / r.floor_cpu, r.labels);
        }
      return 0;
    }

  if (opt.quick)
    {
      if (sizes == NULL)
        sizes = g_strdup ("1000,5000");
      opt.runs = 1;
    }
  size_list = g_strsplit (sizes ? sizes : "1000,5000,20000", ",", -1);
  family_list = g_strsplit (families ? families : "scale-free,communities,geometric,diplomatic", ",", -1);
  memory_list = g_strsplit (memory_sizes ? memory_sizes : "1000,10000,100000", ",", -1);
  if (opt.binary == NULL)
    opt.binary = g_strdup (CM_BENCH_BINARY);
  if (opt.out_dir == NULL)
    {
      tmp_dir = g_dir_make_tmp ("cm-bench-XXXXXX", &error);
      if (tmp_dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      opt.out_dir = g_strdup (tmp_dir);
    }
  else
    g_mkdir_with_parents (opt.out_dir, 0755);

  /* SIGCHLD stays pending until run_process() waits for it. */
  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);
  sigprocmask (SIG_BLOCK, &set, NULL);
  start_spawner ();

  printf ("Channel Map benchmark: %s; %d run%s each, medians; output in %s\n",
          opt.binary, opt.runs, opt.runs == 1 ? "" : "s", opt.out_dir);
  printf ("×sfdp: how many times faster than sfdp doing the same (-Tpng for .png, -Tdot for .json).\n"
          "ovl 0.2L: pairs closer than 0.2 × the mean link length; ovl shape: pairs whose shapes touch.\n");

  for (guint f = 0; family_list[f] != NULL; f++)
    {
      BenchFamily family;

      if (!bench_family_parse (family_list[f], &family))
        {
          g_printerr ("unknown family: %s\n", family_list[f]);
          return 2;
        }
      for (guint s = 0; size_list[s] != NULL; s++)
        {
          guint64 n = g_ascii_strtoull (size_list[s], NULL, 10);

          if (n < 3 || n > 500000)
            {
              g_printerr ("bad size: %s\n", size_list[s]);
              return 2;
            }
          if (opt.generate)
            {
              g_autoptr(BenchGraph) graph = bench_graph_new (family, (guint) n, (guint64) opt.seed);
              g_autofree char *base = g_strdup_printf ("%s/%s-%u", opt.out_dir, family_list[f], (guint) n);
              g_autofree char *json = g_strconcat (base, ".json", NULL);
              g_autofree char *dot = g_strconcat (base, ".dot", NULL);

              if (!bench_graph_write_json (graph, json, &error) ||
                  !bench_graph_write_dot (graph, dot, &error))
                {
                  g_printerr ("%s\n", error->message);
                  return 1;
                }
              printf ("%s %s\n", json, dot);
              continue;
            }
          bench_one (family, (guint) n);
        }
    }
  if (opt.generate)
    return 0;

  if (opt.memory)
    for (guint f = 0; family_list[f] != NULL; f++)
      {
        BenchFamily family;

        if (bench_family_parse (family_list[f], &family))
          bench_memory (family, memory_list);
      }

  if (tmp_dir != NULL && !opt.keep)
    g_rmdir (tmp_dir);
  return 0;
}
