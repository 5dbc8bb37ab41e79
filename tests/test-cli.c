/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as a user types it: the real channel-map binary, run
 * with no display (DISPLAY and WAYLAND_DISPLAY removed from its
 * environment), checked for exit codes, messages and the files it writes. */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static const char *
binary (void)
{
  const char *path = g_getenv ("CM_BINARY");

  g_assert_nonnull (path);
  return path;
}

static char *
example_path (void)
{
  return g_build_filename (g_getenv ("CM_SOURCE_ROOT"), "data", "examples",
                           "moscow-washington-2022.json", NULL);
}

static void run_argv (Run *run, const char *cwd, GPtrArray *argv);

/* Runs channel-map with @args (NULL-terminated), headless. */
static void
run_cli (Run        *run,
         const char *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  run_argv (run, NULL, argv);
}

/* The same, in the folder @cwd, for file names relative to it. */
static void
run_cli_in (Run        *run,
            const char *cwd,
            const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  run_argv (run, cwd, argv);
}

static void
run_argv (Run        *run,
          const char *cwd,
          GPtrArray  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (char *) binary ());
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (args, i));
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);

  g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
write_temp (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_version (void)
{
  Run run = { 0 };

  run_cli (&run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "channel-map " PACKAGE_VERSION "\n");
  run_clear (&run);
}

static void
test_help_lists_modes (void)
{
  Run run = { 0 };

  run_cli (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--check"));
  g_assert_nonnull (strstr (run.out, "--export"));
  g_assert_nonnull (strstr (run.out, "--seed"));
  g_assert_nonnull (strstr (run.out, "Exit status"));
  run_clear (&run);
}

static void
test_check_example (void)
{
  g_autofree char *example = example_path ();
  Run run = { 0 };

  run_cli (&run, "--check", example, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, ": ok ("));
  run_clear (&run);
}

static void
test_check_reports_every_problem (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp (dir, "broken.json",
    "{\n"
    "  \"format\": \"channel-map\", \"version\": 1,\n"
    "  \"actors\": [ { \"id\": \"usa\", \"name\": \"USA\", \"x\": \"left\", \"y\": 0 },\n"
    "              { \"id\": \"russia\", \"name\": \"Russia\" } ],\n"
    "  \"links\": [ { \"source\": \"russia\", \"target\": \"usaa\", \"channel\": \"absent\" },\n"
    "             { \"source\": \"russia\", \"target\": \"usa\", \"channel\": \"sometimes\" } ]\n"
    "}\n");
  g_autofree char *expected_target = g_strdup_printf ("%s: $.links[0].target: ", path);
  g_autofree char *expected_x = g_strdup_printf ("%s: $.actors[0].x: ", path);
  g_autofree char *expected_channel = g_strdup_printf ("%s: $.links[1].channel: ", path);
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_cli (&run, "--check", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  lines = g_strsplit (run.err, "\n", -1);
  /* Three problems, one line each, in file order, then the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], expected_x));
  g_assert_true (g_str_has_prefix (lines[1], expected_target));
  g_assert_nonnull (strstr (lines[1], "\"usaa\""));
  g_assert_true (g_str_has_prefix (lines[2], expected_channel));
  g_assert_nonnull (strstr (lines[2], "\"sometimes\""));
  run_clear (&run);
  remove_tree (dir);
}

static void
test_check_syntax_line_column (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp (dir, "syntax.json",
    "{\n  \"format\": \"channel-map\",\n  \"version\": 1,\n  \"actors\": [] // comment\n}\n");
  g_autofree char *expected = g_strdup_printf ("%s: 4:16: ", path);
  Run run = { 0 };

  run_cli (&run, "--check", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, expected));
  g_assert_nonnull (strchr (run.err, '\n'));
  g_assert_cmpstr (strchr (run.err, '\n'), ==, "\n");
  run_clear (&run);
  remove_tree (dir);
}

static void
test_check_several_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *bad = write_temp (dir, "not-dataset.json", "[1, 2, 3]\n");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  Run run = { 0 };

  run_cli (&run, "--check", example, bad, missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, ": ok ("));
  g_assert_nonnull (strstr (run.err, "not-dataset.json: "));
  g_assert_nonnull (strstr (run.err, "missing.json: "));
  run_clear (&run);
  remove_tree (dir);
}

static gboolean
file_starts_with (const char *path,
                  const char *prefix,
                  gsize       prefix_len)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return len >= prefix_len && memcmp (contents, prefix, prefix_len) == 0;
}

static void
test_export_formats_headless (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  const struct { const char *name; const char *magic; gsize len; } cases[] = {
    { "map.png", "\x89PNG\r\n\x1a\n", 8 },
    { "map.svg", "<?xml", 5 },
    { "map.pdf", "%PDF-", 5 },
    { "map.json", "{", 1 },
    { "MAP.PNG", "\x89PNG\r\n\x1a\n", 8 },
    { "map.graphml", "<?xml", 5 },
    { "map.dot", "/* Written by Channel Map", 25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = g_build_filename (dir, cases[i].name, NULL);
      Run run = { 0 };

      run_cli (&run, "--export", out, example, NULL);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (file_starts_with (out, cases[i].magic, cases[i].len));
      run_clear (&run);
    }

  /* The JSON export is a dataset again, which --check accepts. */
  {
    g_autofree char *out = g_build_filename (dir, "map.json", NULL);
    Run run = { 0 };

    run_cli (&run, "--check", out, NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
  }
  remove_tree (dir);
}

static void
test_export_png_size (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *out = g_build_filename (dir, "map.png", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  Run run = { 0 };
  guint32 w, h;

  run_cli (&run, "--export", out, "--width", "800", "--height", "500", "--scale", "2",
           example, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  /* IHDR: width and height, big-endian, at bytes 16 and 20. */
  memcpy (&w, contents + 16, 4);
  memcpy (&h, contents + 20, 4);
  g_assert_cmpuint (GUINT32_FROM_BE (w), ==, 1600);
  g_assert_cmpuint (GUINT32_FROM_BE (h), ==, 1000);
  run_clear (&run);
  remove_tree (dir);
}

static void
test_export_seed_is_deterministic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  g_autofree char *c = g_build_filename (dir, "c.json", NULL);
  g_autofree char *ca = NULL, *cb = NULL, *cc = NULL;
  Run run = { 0 };

  run_cli (&run, "--export", a, "--relayout", "--seed", "7", example, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "--export", b, "--relayout", "--seed", "7", example, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "--export", c, "--relayout", "--seed", "8", example, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  g_assert_true (g_file_get_contents (a, &ca, NULL, NULL));
  g_assert_true (g_file_get_contents (b, &cb, NULL, NULL));
  g_assert_true (g_file_get_contents (c, &cc, NULL, NULL));
  /* Compared as booleans: the files are long and a failure prints them. */
  g_assert_true (g_str_equal (ca, cb));
  g_assert_false (g_str_equal (ca, cc));

  /* --seed 0 is a seed of its own, not the default (1). */
  {
    g_autofree char *zero = g_build_filename (dir, "zero.json", NULL);
    g_autofree char *one = g_build_filename (dir, "one.json", NULL);
    g_autofree char *c0 = NULL, *c1 = NULL;

    run_cli (&run, "--export", zero, "--relayout", "--seed", "0", example, NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    run_cli (&run, "--export", one, "--relayout", example, NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    g_assert_true (g_file_get_contents (zero, &c0, NULL, NULL));
    g_assert_true (g_file_get_contents (one, &c1, NULL, NULL));
    g_assert_false (g_str_equal (c0, c1));
  }
  remove_tree (dir);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *bad_ext = g_build_filename (dir, "map.bmp", NULL);
  g_autofree char *no_dir = g_build_filename (dir, "no", "such", "dir", "map.png", NULL);
  g_autofree char *out = g_build_filename (dir, "map.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  Run run = { 0 };

  run_cli (&run, "--export", bad_ext, example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "map.bmp"));
  g_assert_false (g_file_test (bad_ext, G_FILE_TEST_EXISTS));
  run_clear (&run);

  run_cli (&run, "--export", no_dir, example, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "map.png"));
  run_clear (&run);

  run_cli (&run, "--export", out, missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "missing.json"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);

  run_cli (&run, "--export", out, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--export", out, example, example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--export", out, "--scale", "0.01", example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--check", "--export", out, example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--check", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--seed", "3", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run_cli (&run, "--no-such-option", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  remove_tree (dir);
}

/* Every size outside the one stated range is a bad option (2), said on
 * one line that names the option and the range, and nothing is written.
 * The range is the exporter's own: 16384 itself is drawn. */
static void
test_export_size_limits (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "map.svg", NULL);
  const struct { const char *option; const char *value; const char *message; } cases[] = {
    { "--width", "0", "channel-map: --width must be from 1 to 16384 pixels, not 0 (see channel-map --help)\n" },
    { "--height", "0", "channel-map: --height must be from 1 to 16384 pixels, not 0 (see channel-map --help)\n" },
    { "--width", "-1", "channel-map: --width must be from 1 to 16384 pixels, not -1 (see channel-map --help)\n" },
    { "--width", "16385", "channel-map: --width must be from 1 to 16384 pixels, not 16385 (see channel-map --help)\n" },
    { "--height", "100000", "channel-map: --height must be from 1 to 16384 pixels, not 100000 (see channel-map --help)\n" },
    { "--width", "800x", "channel-map: --width must be from 1 to 16384 pixels, not 800x (see channel-map --help)\n" },
    { "--width", "2147483648", "channel-map: --width must be from 1 to 16384 pixels, not 2147483648 (see channel-map --help)\n" },
    { "--width", "", "channel-map: --width must be from 1 to 16384 pixels, not '' (see channel-map --help)\n" },
    { "--scale", "0", "channel-map: --scale must be from 0.1 to 16, not 0 (see channel-map --help)\n" },
    { "--scale", "-2", "channel-map: --scale must be from 0.1 to 16, not -2 (see channel-map --help)\n" },
    { "--scale", "16.5", "channel-map: --scale must be from 0.1 to 16, not 16.5 (see channel-map --help)\n" },
    { "--scale", "abc", "channel-map: --scale must be from 0.1 to 16, not abc (see channel-map --help)\n" },
    { "--scale", "nan", "channel-map: --scale must be from 0.1 to 16, not nan (see channel-map --help)\n" },
    { "--seed", "99999999999999999999",
      "channel-map: --seed must be a whole number from -9223372036854775808 to 9223372036854775807, "
      "not 99999999999999999999 (see channel-map --help)\n" },
  };
  Run run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_cli (&run, "--export", png, cases[i].option, cases[i].value, example, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, ==, cases[i].message);
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
      run_clear (&run);
    }

  /* A PNG's side is counted after --scale. */
  run_cli (&run, "--export", png, "--width", "9000", "--scale", "2", example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "channel-map: --width 9000 at --scale 2 makes 18000 pixels; "
                                "a PNG has at most 16384 a side (see channel-map --help)\n");
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  run_clear (&run);

  /* The largest side allowed is one the exporter draws (an SVG: cheap). */
  run_cli (&run, "--export", svg, "--width", "16384", example, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (file_starts_with (svg, "<?xml", 5));
  run_clear (&run);
  remove_tree (dir);
}

/* What the option parser itself refuses is a bad option too: 2, not the
 * 1 of a broken file, on one line with the program's name and a hint. */
static void
test_option_parse_errors (void)
{
  g_autofree char *example = example_path ();
  Run run = { 0 };

  run_cli (&run, "--bogus", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "channel-map: Unknown option --bogus (see channel-map --help)\n");
  run_clear (&run);

  run_cli (&run, "--check", example, "--bogus", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "channel-map: Unknown option --bogus (see channel-map --help)\n");
  run_clear (&run);

  run_cli (&run, "--export", "map.png", example, "--width", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "channel-map: Missing argument for --width (see channel-map --help)\n");
  run_clear (&run);
}

/* A file name is shown escaped as the values in problems are: a newline
 * or an escape sequence in it cannot split the line or reach the
 * terminal, and bytes that are not UTF-8 are shown as such. */
static void
test_file_names_escaped (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *example_contents = NULL;
  g_autofree char *hostile = write_temp (dir, "nl\nname\033[31m.json", "[1]\n");
  g_autofree char *latin1 = write_temp (dir, "caf\xe9.json", "[1]\n");
  g_autofree char *tabbed = NULL;
  g_autofree char *expected = NULL;
  Run run = { 0 };

  run_cli_in (&run, dir, "--check", "nl\nname\033[31m.json", "caf\xe9.json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==,
                   "nl\\nname\\u001B[31m.json: $: not a Channel Map dataset: the file holds an array, not an object\n"
                   "caf\\xE9.json: $: not a Channel Map dataset: the file holds an array, not an object\n");
  run_clear (&run);

  /* The "ok" line too. */
  g_assert_true (g_file_get_contents (example, &example_contents, NULL, NULL));
  tabbed = write_temp (dir, "tab\tbed.json", example_contents);
  run_cli_in (&run, dir, "--check", "tab\tbed.json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "tab\\tbed.json: ok ("));
  run_clear (&run);

  /* And the name of an export. */
  run_cli_in (&run, dir, "--export", "map\033]0;x\007.bmp", example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "map\\u001B]0;x\\u0007.bmp: unknown export format "
                                "(use .png, .svg, .pdf, .json, .graphml or .dot)\n");
  run_clear (&run);

  /* In a message from below the command line too: one line. */
  expected = g_strdup_printf ("%s: ", "no\\nsuch.json");
  run_cli_in (&run, dir, "--check", "no\nsuch.json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, expected));
  g_assert_cmpstr (strchr (run.err, '\n'), ==, "\n");
  g_assert_null (strchr (run.err, '\033'));
  run_clear (&run);
  remove_tree (dir);
}

/* An empty file name is said to be one, not read as the current folder. */
static void
test_empty_file_name (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *out = g_build_filename (dir, "map.png", NULL);
  Run run = { 0 };

  run_cli (&run, "--check", "", example, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "'': empty file name\n");
  g_assert_nonnull (strstr (run.out, ": ok ("));
  run_clear (&run);

  /* An input that cannot be read: 1, as a missing one. */
  run_cli (&run, "--export", out, "", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "'': empty file name\n");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&run);

  /* An output with no name: a bad option. */
  run_cli (&run, "--export", "", example, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "'': empty file name\n");
  run_clear (&run);
  remove_tree (dir);
}

/* An export never writes over the file it reads, by its own name or
 * through a link: 2, and the source is untouched. */
static void
test_export_not_over_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *source = g_build_filename (dir, "map.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;
  Run run = { 0 };

  g_assert_true (g_file_get_contents (example, &before, &before_length, NULL));
  g_assert_true (g_file_set_contents (source, before, before_length, NULL));
  g_assert_cmpint (symlink (source, link), ==, 0);

  run_cli (&run, "--export", source, source, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "is the file being exported"));
  run_clear (&run);
  run_cli (&run, "--export", link, source, "--relayout", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  g_assert_true (g_file_get_contents (source, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  remove_tree (dir);
}

/* An export that fails names its output as typed, once, and says why. */
static void
test_export_error_names_output (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-cli-XXXXXX", NULL);
  g_autofree char *example = example_path ();
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *taken = g_build_filename (dir, "sub", "map.png", NULL);
  Run run = { 0 };

  /* A folder where the file would go: the file layer names only
   * "map.png". */
  g_assert_cmpint (g_mkdir_with_parents (taken, 0755), ==, 0);
  run_cli_in (&run, dir, "--export", "sub/map.png", example, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.err, "sub/map.png: could not save: "));
  g_assert_null (strstr (run.err, "“map.png”"));
  g_assert_cmpstr (strchr (run.err, '\n'), ==, "\n");
  run_clear (&run);

  /* A missing folder, named as typed too. */
  run_cli_in (&run, dir, "--export", "nodir/x.png", example, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpstr (run.err, ==, "nodir/x.png: could not save: the folder “nodir” does not exist\n");
  run_clear (&run);

  /* A folder where nothing can be made (Linux's /proc). */
  if (g_file_test ("/proc/self", G_FILE_TEST_IS_DIR))
    {
      run_cli (&run, "--export", "/proc/x.png", example, NULL);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_true (g_str_has_prefix (run.err, "/proc/x.png: could not save: "));
      g_assert_null (strstr (run.err, "“x.png”"));
      g_assert_cmpstr (strchr (run.err, '\n'), ==, "\n");
      run_clear (&run);
    }
  g_rmdir (taken);
  g_rmdir (sub);
  remove_tree (dir);
}

/* --width, --height, --scale, --relayout and --seed mean nothing to
 * --check or the window: refused, not ignored. */
static void
test_export_only_options (void)
{
  g_autofree char *example = example_path ();
  const char *cases[][2] = {
    { "--width", "10" }, { "--width", "0" }, { "--height", "10" }, { "--scale", "2" },
    { "--seed", "0" }, { "--relayout", NULL },
  };
  Run run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("channel-map: %s applies to --export only "
                                                   "(see channel-map --help)\n", cases[i][0]);

      run_cli (&run, "--check", example, cases[i][0], cases[i][1], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, ==, expected);
      run_clear (&run);

      /* Without a mode: the window is not opened either. */
      run_cli (&run, cases[i][0], cases[i][1], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, ==, expected);
      run_clear (&run);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help_lists_modes);
  g_test_add_func ("/cli/check/example", test_check_example);
  g_test_add_func ("/cli/check/every-problem", test_check_reports_every_problem);
  g_test_add_func ("/cli/check/syntax", test_check_syntax_line_column);
  g_test_add_func ("/cli/check/several-files", test_check_several_files);
  g_test_add_func ("/cli/export/formats", test_export_formats_headless);
  g_test_add_func ("/cli/export/png-size", test_export_png_size);
  g_test_add_func ("/cli/export/seed", test_export_seed_is_deterministic);
  g_test_add_func ("/cli/export/errors", test_export_errors);
  g_test_add_func ("/cli/export/size-limits", test_export_size_limits);
  g_test_add_func ("/cli/export/error-names-output", test_export_error_names_output);
  g_test_add_func ("/cli/export/not-over-source", test_export_not_over_source);
  g_test_add_func ("/cli/options/parse-errors", test_option_parse_errors);
  g_test_add_func ("/cli/options/export-only", test_export_only_options);
  g_test_add_func ("/cli/names/escaped", test_file_names_escaped);
  g_test_add_func ("/cli/names/empty", test_empty_file_name);

  return g_test_run ();
}
