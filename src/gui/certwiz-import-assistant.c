/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "certwiz-page.h"
#include "certwiz-assign-assistant.h"
#include "certwiz-import-assistant.h"
#include "certwiz-window.h"

#include "certwiz-import-file-page.h"
#include "certwiz-import-summary-page.h"
#include "certwiz-import-executing-page.h"
#include "certwiz-import-done-page.h"

struct _CertwizImportAssistant
{
  GtkAssistant          parent_instance;

  CertreqStore         *store;
  CertwizImportOptions  options;

  CertwizPage          *current_page;    /* the page shown, to tell it when it is left */
  CertwizPage          *executing_page;
  CertwizPage          *done_page;
  GtkWidget            *finish_button;   /* the done page's own action widget */
};

G_DEFINE_TYPE (CertwizImportAssistant, certwiz_import_assistant, GTK_TYPE_ASSISTANT)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
certwiz_import_options_set_password (CertwizImportOptions *options,
                                     const char           *password)
{
  if (options->password != NULL)
    {
      OPENSSL_cleanse (options->password, strlen (options->password));
      g_clear_pointer (&options->password, g_free);
    }
  options->password = g_strdup (password);
}

/* ---- Page properties -> GtkAssistant child properties (R5) ---- */

static void
on_page_title_changed (CertwizPage            *page,
                       GParamSpec             *pspec,
                       CertwizImportAssistant *self)
{
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                certwiz_page_get_title (page));
}

static void
on_page_type_changed (CertwizPage            *page,
                      GParamSpec             *pspec,
                      CertwizImportAssistant *self)
{
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), GTK_WIDGET (page),
                               certwiz_page_get_page_type (page));
}

static void
on_page_complete_changed (CertwizPage            *page,
                          GParamSpec             *pspec,
                          CertwizImportAssistant *self)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                   certwiz_page_get_complete (page));
}

static CertwizPage *
add_page (CertwizImportAssistant *self,
          GtkWidget              *widget)
{
  CertwizPage *page = CERTWIZ_PAGE (widget);

  gtk_widget_show (widget);
  gtk_assistant_append_page (GTK_ASSISTANT (self), widget);
  gtk_container_child_set (GTK_CONTAINER (self), widget, "has-padding", TRUE, NULL);

  on_page_title_changed (page, NULL, self);
  on_page_type_changed (page, NULL, self);
  on_page_complete_changed (page, NULL, self);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (on_page_title_changed), self, 0);
  g_signal_connect_object (page, "notify::page-type", G_CALLBACK (on_page_type_changed), self, 0);
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_complete_changed),
                           self, 0);

  return page;
}

/* ---- Flow ---- */

static void
leave_current_page (CertwizImportAssistant *self)
{
  g_autoptr(CertwizPage) page = g_steal_pointer (&self->current_page);

  if (page != NULL)
    certwiz_page_leave (page);
}

static void
certwiz_import_assistant_prepare (GtkAssistant *assistant,
                                  GtkWidget    *widget)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (assistant);
  CertwizPage *page = CERTWIZ_PAGE (widget);

  if (self->current_page != page)
    leave_current_page (self);
  g_set_object (&self->current_page, page);

  if (self->finish_button != NULL)
    gtk_widget_set_visible (self->finish_button, page == self->done_page);

  certwiz_page_prepare (page);
}

static void
certwiz_import_assistant_cancel (GtkAssistant *assistant)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (assistant);

  /* Cancel while importing stops the import and stays, so that the page can say that
   * nothing changed; a second Cancel closes the assistant */
  if (self->current_page == self->executing_page &&
      certwiz_import_executing_page_is_busy (CERTWIZ_IMPORT_EXECUTING_PAGE (self->executing_page)))
    {
      certwiz_import_executing_page_cancel (CERTWIZ_IMPORT_EXECUTING_PAGE (self->executing_page));
      return;
    }

  leave_current_page (self);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
certwiz_import_assistant_close (GtkAssistant *assistant)
{
  leave_current_page (CERTWIZ_IMPORT_ASSISTANT (assistant));
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

static void
on_executing_page_succeeded (CertwizImportExecutingPage *page,
                             CertwizImportAssistant     *self)
{
  /* The store has changed: Back must not pretend otherwise */
  gtk_assistant_commit (GTK_ASSISTANT (self));
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

/* Assign… on the last page: the Certificate Assignment assistant takes over, with the
 * imported certificate chosen in its list */
static void
on_done_page_assign (CertwizImportDonePage  *page,
                     CertwizImportAssistant *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *assistant;

  if (self->options.result == NULL || self->options.result->thumbprint == NULL)
    return;

  assistant = certwiz_assign_assistant_new (parent, self->store, CERTREQ_USAGE_FLAGS_STANDARD,
                                            self->options.result->thumbprint);
  /* The main window refreshes when the assignment is done, as after its own Assign */
  if (CERTWIZ_IS_WINDOW (parent))
    certwiz_window_adopt_assistant (CERTWIZ_WINDOW (parent), assistant);
  gtk_window_present (GTK_WINDOW (assistant));
  g_signal_emit_by_name (self, "close");
}

/* One window title, whatever the page (as the request assistant) */
static void
on_window_title_changed (CertwizImportAssistant *self,
                         GParamSpec             *pspec,
                         gpointer                user_data)
{
  const char *title = _("Import Certificate");

  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ---- GObject ---- */

static void
certwiz_import_assistant_constructed (GObject *object)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (object);

  G_OBJECT_CLASS (certwiz_import_assistant_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self), 860, 640);

  /* reference/wizard.md §2.6 */
  add_page (self, certwiz_import_file_page_new (self->store, &self->options));
  add_page (self, certwiz_import_summary_page_new (self->store, &self->options));
  self->executing_page = add_page (self, certwiz_import_executing_page_new (self->store,
                                                                            &self->options));
  self->done_page = add_page (self, certwiz_import_done_page_new (self->store, &self->options));

  g_signal_connect_object (self->executing_page, "succeeded",
                           G_CALLBACK (on_executing_page_succeeded), self, 0);
  certwiz_import_done_page_set_can_assign (CERTWIZ_IMPORT_DONE_PAGE (self->done_page), TRUE);
  g_signal_connect_object (self->done_page, "assign", G_CALLBACK (on_done_page_assign), self, 0);

  self->finish_button = certwiz_import_done_page_get_action_widget (
    CERTWIZ_IMPORT_DONE_PAGE (self->done_page));
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->finish_button);
  gtk_widget_hide (self->finish_button);
}

static void
certwiz_import_assistant_dispose (GObject *object)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (object);

  /* R11 */
  leave_current_page (self);
  self->executing_page = NULL;
  self->done_page = NULL;
  self->finish_button = NULL;

  G_OBJECT_CLASS (certwiz_import_assistant_parent_class)->dispose (object);

  g_clear_object (&self->store);
}

static void
certwiz_import_assistant_finalize (GObject *object)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (object);

  certwiz_import_options_set_password (&self->options, NULL);
  g_free (self->options.path);
  g_free (self->options.friendly_name);
  g_clear_pointer (&self->options.result, certreq_import_result_free);

  G_OBJECT_CLASS (certwiz_import_assistant_parent_class)->finalize (object);
}

static void
certwiz_import_assistant_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_import_assistant_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  CertwizImportAssistant *self = CERTWIZ_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_import_assistant_class_init (CertwizImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->constructed = certwiz_import_assistant_constructed;
  object_class->dispose = certwiz_import_assistant_dispose;
  object_class->finalize = certwiz_import_assistant_finalize;
  object_class->set_property = certwiz_import_assistant_set_property;
  object_class->get_property = certwiz_import_assistant_get_property;
  assistant_class->prepare = certwiz_import_assistant_prepare;
  assistant_class->cancel = certwiz_import_assistant_cancel;
  assistant_class->close = certwiz_import_assistant_close;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certwiz_import_assistant_init (CertwizImportAssistant *self)
{
  self->options.trust = CERTREQ_IMPORT_TRUST_NONE;
  gtk_window_set_title (GTK_WINDOW (self), _("Import Certificate"));
  g_signal_connect (self, "notify::title", G_CALLBACK (on_window_title_changed), NULL);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

GtkWidget *
certwiz_import_assistant_new (GtkWindow    *parent,
                              CertreqStore *store,
                              const char   *path)
{
  CertwizImportAssistant *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  self = g_object_new (CERTWIZ_TYPE_IMPORT_ASSISTANT,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       "store", store,
                       NULL);
  /* The file page reads the options when it is shown, after this */
  self->options.path = g_strdup (path);
  /* A PKCS #12 file always carries its key */
  self->options.has_key = path != NULL && (g_str_has_suffix (path, ".pfx") ||
                                           g_str_has_suffix (path, ".p12") ||
                                           g_str_has_suffix (path, ".PFX") ||
                                           g_str_has_suffix (path, ".P12"));
  return GTK_WIDGET (self);
}
