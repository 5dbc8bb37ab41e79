/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cm-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cm-arrange.h"
#include "cm-dataset-io.h"
#include "cm-document.h"
#include "cm-import.h"
#include "cm-ui-util.h"

#define STAMP_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," \
                         G_FILE_ATTRIBUTE_ETAG_VALUE

/* What a file looked like on disk. */
typedef struct
{
  gboolean  valid;
  goffset   size;
  guint64   mtime;
  guint32   mtime_usec;
  char     *etag;
} FileStamp;

struct _CmDocument
{
  GObject    parent_instance;

  CmDataset *dataset;
  GFile     *file;
  FileStamp  stamp;
  gboolean   modified;
  gboolean   is_example;
  CmFileFormat format;
  GPtrArray *notes;

  /* A private copy of the dataset as loaded, for drawing in a worker
   * thread while nothing has changed (generation as it was then). */
  CmDataset *drawing_copy;
  guint64    drawing_copy_generation;
};

enum {
  PROP_0,
  PROP_DATASET,
  PROP_FILE,
  PROP_MODIFIED,
  PROP_TITLE,
  PROP_IS_EXAMPLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CmDocument, cm_document, G_TYPE_OBJECT)

static void
file_stamp_clear (FileStamp *stamp)
{
  g_clear_pointer (&stamp->etag, g_free);
  stamp->valid = FALSE;
  stamp->size = 0;
  stamp->mtime = 0;
  stamp->mtime_usec = 0;
}

static void
file_stamp_read (FileStamp *stamp,
                 GFile     *file)
{
  g_autoptr(GFileInfo) info = NULL;

  file_stamp_clear (stamp);
  if (file == NULL)
    return;

  info = g_file_query_info (file, STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return;

  stamp->valid = TRUE;
  stamp->size = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_STANDARD_SIZE);
  stamp->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  stamp->mtime_usec = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  stamp->etag = g_strdup (g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ETAG_VALUE));
}

static gboolean
file_stamp_equal (const FileStamp *a,
                  const FileStamp *b)
{
  if (a->valid != b->valid)
    return FALSE;
  if (!a->valid)
    return TRUE;
  if (a->etag != NULL && b->etag != NULL)
    return g_str_equal (a->etag, b->etag) && a->size == b->size;
  return a->size == b->size && a->mtime == b->mtime && a->mtime_usec == b->mtime_usec;
}

static void
dataset_changed_cb (CmDocument *self,
                    GObject    *object,
                    CmDataset  *dataset)
{
  cm_document_set_modified (self, TRUE);
  if (object == G_OBJECT (dataset))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
cm_document_set_dataset (CmDocument *self,
                         CmDataset  *dataset)
{
  g_assert (self->dataset == NULL);

  self->dataset = dataset != NULL ? g_object_ref (dataset) : cm_dataset_new ();
  g_signal_connect_object (self->dataset, "changed",
                           G_CALLBACK (dataset_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cm_document_dispose (GObject *object)
{
  CmDocument *self = CM_DOCUMENT (object);

  g_clear_object (&self->dataset);
  g_clear_object (&self->drawing_copy);
  g_clear_object (&self->file);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_document_parent_class)->dispose (object);
}

static void
cm_document_finalize (GObject *object)
{
  CmDocument *self = CM_DOCUMENT (object);

  file_stamp_clear (&self->stamp);

  G_OBJECT_CLASS (cm_document_parent_class)->finalize (object);
}

static void
cm_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CmDocument *self = CM_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_TITLE:
      g_value_take_string (value, cm_document_dup_title (self));
      break;
    case PROP_IS_EXAMPLE:
      g_value_set_boolean (value, self->is_example);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_document_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CmDocument *self = CM_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      cm_document_set_dataset (self, g_value_get_object (value));
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_MODIFIED:
      cm_document_set_modified (self, g_value_get_boolean (value));
      break;
    case PROP_IS_EXAMPLE:
      cm_document_set_is_example (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_document_class_init (CmDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_document_dispose;
  object_class->finalize = cm_document_finalize;
  object_class->get_property = cm_document_get_property;
  object_class->set_property = cm_document_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, CM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_EXAMPLE] =
    g_param_spec_boolean ("is-example", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cm_document_init (CmDocument *self)
{
  self->format = CM_FILE_FORMAT_CHANNEL_MAP;
}

CmDocument *
cm_document_new (CmDataset *dataset,
                 GFile     *file)
{
  CmDocument *self;

  g_return_val_if_fail (dataset == NULL || CM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (CM_TYPE_DOCUMENT,
                       "dataset", dataset,
                       "file", file,
                       NULL);
  file_stamp_read (&self->stamp, file);
  return self;
}

/* ---- loading ---------------------------------------------------------- */

/* Below this, drawing the whole map takes less than a frame; above the
 * other, a second copy of the model would cost too much memory. */
#define DRAWING_COPY_MIN_ACTORS 1000
#define DRAWING_COPY_MAX_ACTORS 60000

typedef struct
{
  GFile       *file;
  GPtrArray   *problems;
  GPtrArray   *notes;
  CmFileFormat format;
  FileStamp    stamp;
  CmDataset   *drawing_copy;
  guint64      drawing_copy_generation;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  g_clear_object (&data->drawing_copy);
  file_stamp_clear (&data->stamp);
  g_free (data);
}

static gboolean
dataset_needs_layout (CmDataset *dataset)
{
  CmActor **actors;
  guint n_actors;

  actors = cm_dataset_peek_actors (dataset, &n_actors);
  for (guint i = 0; i < n_actors; i++)
    if (!cm_actor_has_position (actors[i]))
      return TRUE;
  return FALSE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(CmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  /* Read the stamp first: a change made while we read is then noticed. */
  file_stamp_read (&data->stamp, data->file);

  /* Datasets and every format the importers read, detected by content. */
  dataset = cm_dataset_open_file (data->file, cancellable, &data->format, &data->notes,
                                  &data->problems, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Nobody else sees the dataset yet: placing actors here does not mark
   * the document modified, and does not hold up the window. */
  if (dataset_needs_layout (dataset) &&
      !cm_arrange_dataset (dataset, FALSE, 1, cancellable))   /* the seed --export uses */
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Big enough that drawing the map takes longer than a frame: a second
   * copy, which the canvas draws from in a worker thread for as long as
   * the map is unchanged (the dataset itself is the main thread's).  Up to
   * a size where doubling the memory of the model still fits. */
  if (cm_dataset_get_n_actors (dataset) >= DRAWING_COPY_MIN_ACTORS &&
      cm_dataset_get_n_actors (dataset) <= DRAWING_COPY_MAX_ACTORS)
    {
      gsize length;
      g_autofree char *bytes = cm_dataset_save_to_data (dataset, &length);

      data->drawing_copy = cm_dataset_load_from_data (bytes, length, NULL, NULL);
      data->drawing_copy_generation = cm_dataset_get_generation (dataset);
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, g_steal_pointer (&dataset), g_object_unref);
}

void
cm_document_load_async (GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_document_load_async);
  g_task_set_name (task, "[cm] load dataset");
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

CmDocument *
cm_document_load_finish (GAsyncResult  *result,
                         GPtrArray    **problems,
                         GError       **error)
{
  GTask *task = G_TASK (result);
  LoadData *data;
  g_autoptr(CmDataset) dataset = NULL;
  CmDocument *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == cm_document_load_async, NULL);

  data = g_task_get_task_data (task);
  if (problems != NULL)
    *problems = data->problems != NULL ? g_ptr_array_ref (data->problems) : NULL;

  dataset = g_task_propagate_pointer (task, error);
  if (dataset == NULL)
    return NULL;

  self = g_object_new (CM_TYPE_DOCUMENT,
                       "dataset", dataset,
                       "file", data->file,
                       NULL);
  self->stamp = data->stamp;
  memset (&data->stamp, 0, sizeof data->stamp);
  self->format = data->format;
  if (data->notes != NULL && data->notes->len > 0)
    self->notes = g_ptr_array_ref (data->notes);
  self->drawing_copy = g_steal_pointer (&data->drawing_copy);
  self->drawing_copy_generation = data->drawing_copy_generation;
  return self;
}

/* ---- accessors -------------------------------------------------------- */

/* A copy of the dataset made when it was loaded, never changed, for
 * drawing in another thread; valid while the dataset's generation is
 * still *@generation.  NULL for small and huge datasets. */
CmDataset *
cm_document_get_drawing_copy (CmDocument *self,
                              guint64    *generation)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  if (generation != NULL)
    *generation = self->drawing_copy_generation;
  return self->drawing_copy;
}

CmDataset *
cm_document_get_dataset (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  return self->dataset;
}

GFile *
cm_document_get_file (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  return self->file;
}

static char *
file_display_name (GFile *file)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

char *
cm_document_dup_title (CmDocument *self)
{
  const char *title;

  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  title = cm_dataset_get_title (self->dataset);
  /* Shown in the window title, headings and dialogs: one line, cut. */
  if (title != NULL && *title != '\0')
    return cm_ui_display_text (title, CM_UI_MAX_LINE_CHARS, FALSE);
  if (self->file != NULL)
    return file_display_name (self->file);
  return g_strdup (_("Untitled Map"));
}

char *
cm_document_dup_basename (CmDocument *self)
{
  g_autofree char *name = NULL;
  GString *out;

  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  if (self->file != NULL && !self->is_example)
    {
      char *dot;

      name = file_display_name (self->file);
      dot = strrchr (name, '.');
      if (dot != NULL && dot != name)
        *dot = '\0';
      return g_steal_pointer (&name);
    }

  name = cm_document_dup_title (self);

  /* A title may hold characters no file system likes. */
  out = g_string_new (NULL);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' ||
          c == '"' || c == '<' || c == '>' || c == '|' || g_unichar_iscntrl (c))
        g_string_append_c (out, '-');
      else
        g_string_append_unichar (out, c);
      if (out->len > 120)
        break;
    }
  g_strstrip (out->str);
  if (out->str[0] == '\0' || out->str[0] == '.')
    g_string_prepend (out, "map");
  return g_string_free (out, FALSE);
}

CmFileFormat
cm_document_get_format (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), CM_FILE_FORMAT_UNKNOWN);

  return self->format;
}

GPtrArray *
cm_document_get_notes (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), NULL);

  return self->notes;
}

gboolean
cm_document_get_modified (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), FALSE);

  return self->modified;
}

void
cm_document_set_modified (CmDocument *self,
                          gboolean    modified)
{
  g_return_if_fail (CM_IS_DOCUMENT (self));

  modified = !!modified;
  if (modified == self->modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

gboolean
cm_document_get_is_example (CmDocument *self)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), FALSE);

  return self->is_example;
}

void
cm_document_set_is_example (CmDocument *self,
                            gboolean    is_example)
{
  g_return_if_fail (CM_IS_DOCUMENT (self));

  is_example = !!is_example;
  if (is_example == self->is_example)
    return;

  self->is_example = is_example;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_EXAMPLE]);
}

gboolean
cm_document_needs_save_as (CmDocument *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (CM_IS_DOCUMENT (self), TRUE);

  if (self->file == NULL || self->is_example)
    return TRUE;
  if (self->format != CM_FILE_FORMAT_CHANNEL_MAP)
    return TRUE;

  basename = g_file_get_basename (self->file);
  if (basename == NULL)
    return TRUE;
  lower = g_ascii_strdown (basename, -1);
  return !g_str_has_suffix (lower, ".json");
}

gboolean
cm_document_changed_on_disk (CmDocument *self)
{
  FileStamp now = { 0 };
  gboolean changed;

  g_return_val_if_fail (CM_IS_DOCUMENT (self), FALSE);

  if (self->file == NULL || !self->stamp.valid)
    return FALSE;

  file_stamp_read (&now, self->file);
  changed = !file_stamp_equal (&self->stamp, &now);
  file_stamp_clear (&now);
  return changed;
}

gboolean
cm_document_save (CmDocument  *self,
                  GFile       *file,
                  GError     **error)
{
  g_return_val_if_fail (CM_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), FALSE);

  if (file == NULL)
    file = self->file;
  g_return_val_if_fail (file != NULL, FALSE);

  if (!cm_dataset_save_to_file (self->dataset, file, NULL, error))
    return FALSE;

  if (file != self->file)
    {
      g_set_object (&self->file, file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  cm_document_set_is_example (self, FALSE);
  self->format = CM_FILE_FORMAT_CHANNEL_MAP;
  file_stamp_read (&self->stamp, self->file);
  cm_document_set_modified (self, FALSE);
  return TRUE;
}
