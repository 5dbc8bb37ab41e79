/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A libFuzzer target: bytes → load (or import) → save → reload → save;
 * see cm-fuzz.h for the property.  Built once per entry point, with
 * CM_FUZZ_TARGET naming it ("load", "graphml", …: meson.build).
 */
#include "config.h"

#include "cm-fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *hint;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  if (!cm_fuzz_hint_for_target (CM_FUZZ_TARGET, &hint))
    g_error ("unknown fuzz target %s", CM_FUZZ_TARGET);

  /* The code under test reports through GError, never the log: a warning
   * or a critical is a bug, and must abort for libFuzzer to keep it. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  cm_fuzz_dataset (hint, data, size);
  return 0;
}
