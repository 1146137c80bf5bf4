/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "certwiz-details-dialog.h"
#include "certwiz-export-dialog.h"

enum
{
  FIELD_COL_NAME,
  FIELD_COL_SHORT_VALUE,
  FIELD_COL_INDEX,
};

enum
{
  PATH_COL_NAME,
  PATH_COL_STATUS,
  PATH_COL_INDEX,
};

struct _CertwizDetailsDialog
{
  GtkDialog           parent_instance;

  GtkLabel           *trust_label;
  GtkLabel           *purposes_label;
  GtkLabel           *issued_to_label;
  GtkLabel           *issued_by_label;
  GtkLabel           *valid_from_label;
  GtkLabel           *valid_to_label;
  GtkLabel           *key_label;
  GtkComboBoxText    *show_combo;
  GtkListStore       *fields_store;
  GtkTreeSelection   *fields_selection;
  GtkTextView        *value_view;
  GtkLabel           *sha1_label;
  GtkLabel           *sha256_label;
  GtkTreeStore       *path_store;
  GtkTreeView        *path_view;
  GtkTreeSelection   *path_selection;
  GtkButton          *view_path_button;
  GtkLabel           *path_status_label;
  GtkNotebook        *notebook;
  GtkWidget          *export_button;

  CertreqCertificate *certificate;
  CertreqStore       *store;
  GPtrArray          *chain;        /* extra intermediates, may be NULL */
  GPtrArray          *fields;       /* element-type CertreqCertField */
  CertreqChainResult *chain_result; /* may be NULL when verification failed outright */
};

G_DEFINE_TYPE (CertwizDetailsDialog, certwiz_details_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_CERTIFICATE,
  PROP_STORE,
  PROP_CHAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (when);
  /* Translators: how dates and times of certificates are shown; see g_date_time_format() */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

/* ---- General ---- */

static void
fill_general (CertwizDetailsDialog *self)
{
  g_autofree char *subject = certreq_certificate_get_subject_name (self->certificate);
  g_autofree char *issuer = certreq_certificate_get_issuer_name (self->certificate);
  g_autofree char *purposes = certreq_certificate_get_purposes (self->certificate);
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (self->certificate);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (self->certificate);
  g_autofree char *from = format_date_time (not_before);
  g_autofree char *to = format_date_time (not_after);
  g_autofree char *purposes_text = NULL;

  if (self->chain_result == NULL)
    gtk_label_set_text (self->trust_label, _("The certificate chain could not be verified."));
  else if (self->chain_result->status == CERTREQ_CHAIN_TRUSTED)
    gtk_label_set_text (self->trust_label,
                        _("This certificate is verified up to a trusted root certification authority."));
  else
    gtk_label_set_text (self->trust_label, self->chain_result->message);

  /* Translators: followed by a list such as "Server Authentication, Client Authentication" */
  purposes_text = g_strdup_printf (_("This certificate is intended for the following purposes: %s"),
                                   purposes);
  gtk_label_set_text (self->purposes_label, purposes_text);
  gtk_label_set_text (self->issued_to_label, subject);
  gtk_label_set_text (self->issued_by_label, issuer);
  gtk_label_set_text (self->valid_from_label, from);
  gtk_label_set_text (self->valid_to_label, to);

  gtk_widget_set_visible (GTK_WIDGET (self->key_label),
                          self->store != NULL &&
                          certreq_store_has_key_for (self->store, self->certificate));
}

/* ---- Details ---- */

static gboolean
field_is_shown (CertwizDetailsDialog   *self,
                const CertreqCertField *field)
{
  const char *show = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->show_combo));

  if (g_strcmp0 (show, "extensions") == 0)
    return field->kind == CERTREQ_FIELD_KIND_EXTENSION;
  if (g_strcmp0 (show, "properties") == 0)
    return field->kind == CERTREQ_FIELD_KIND_PROPERTY;
  return TRUE;
}

static void
fill_fields (CertwizDetailsDialog *self)
{
  GtkTreeIter first;

  gtk_list_store_clear (self->fields_store);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const CertreqCertField *field = g_ptr_array_index (self->fields, i);
      g_autofree char *short_value = NULL;
      const char *newline;

      if (!field_is_shown (self, field))
        continue;

      newline = field->value != NULL ? strchr (field->value, '\n') : NULL;
      short_value = newline != NULL ? g_strndup (field->value, newline - field->value)
                                    : g_strdup (field->value != NULL ? field->value : "");
      gtk_list_store_insert_with_values (self->fields_store, NULL, -1,
                                         FIELD_COL_NAME, field->name,
                                         FIELD_COL_SHORT_VALUE, short_value,
                                         FIELD_COL_INDEX, i,
                                         -1);
    }

  if (gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->fields_store), &first))
    gtk_tree_selection_select_iter (self->fields_selection, &first);
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_view), "", -1);
}

static void
on_show_combo_changed (CertwizDetailsDialog *self)
{
  if (self->fields != NULL)
    fill_fields (self);
}

static void
on_fields_selection_changed (CertwizDetailsDialog *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  const char *value = "";

  if (self->fields == NULL)
    return;

  if (gtk_tree_selection_get_selected (self->fields_selection, &model, &iter))
    {
      guint index;

      gtk_tree_model_get (model, &iter, FIELD_COL_INDEX, &index, -1);
      if (index < self->fields->len)
        {
          const CertreqCertField *field = g_ptr_array_index (self->fields, index);

          value = field->value != NULL ? field->value : "";
        }
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->value_view), value, -1);
}

static void
load_fields (CertwizDetailsDialog *self)
{
  g_autoptr(CertreqCertMeta) meta = NULL;

  self->fields = certreq_certificate_get_fields (self->certificate);

  /* The friendly name is the store's, not the certificate's: a property, as Windows shows it */
  if (self->store != NULL)
    meta = certreq_store_get_meta (self->store,
                                   certreq_certificate_get_thumbprint (self->certificate));
  if (meta != NULL && meta->friendly_name != NULL && *meta->friendly_name != '\0')
    {
      CertreqCertField *field = g_new0 (CertreqCertField, 1);

      field->kind = CERTREQ_FIELD_KIND_PROPERTY;
      field->name = g_strdup (_("Friendly name"));
      field->value = g_strdup (meta->friendly_name);
      g_ptr_array_add (self->fields, field);
    }

  gtk_label_set_text (self->sha1_label, certreq_certificate_get_thumbprint (self->certificate));
  gtk_label_set_text (self->sha256_label, certreq_certificate_get_sha256 (self->certificate));

  fill_fields (self);
}

/* ---- Certification Path ---- */

static const char *
element_status_text (const CertreqChainElement *element)
{
  switch (element->status)
    {
    case CERTREQ_CHAIN_TRUSTED:
      /* Translators: status of one certificate in the certification path */
      return element->trusted_root ? _("Trusted root") : _("OK");
    case CERTREQ_CHAIN_UNTRUSTED_ROOT:
      /* Translators: status of one certificate in the certification path */
      return _("Root not trusted");
    case CERTREQ_CHAIN_MISSING_ISSUER:
      /* Translators: status of one certificate in the certification path */
      return _("Issuer not available");
    case CERTREQ_CHAIN_EXPIRED:
      /* Translators: status of one certificate in the certification path */
      return _("Expired");
    case CERTREQ_CHAIN_NOT_YET_VALID:
      /* Translators: status of one certificate in the certification path */
      return _("Not yet valid");
    case CERTREQ_CHAIN_BAD_SIGNATURE:
      /* Translators: status of one certificate in the certification path */
      return _("Bad signature");
    case CERTREQ_CHAIN_INVALID:
    default:
      /* Translators: status of one certificate in the certification path */
      return _("Not valid");
    }
}

static void
fill_path (CertwizDetailsDialog *self,
           const GError         *error)
{
  GtkTreeIter parent;
  GtkTreeIter iter;
  gboolean have_parent = FALSE;

  gtk_tree_store_clear (self->path_store);

  if (self->chain_result == NULL)
    {
      gtk_label_set_text (self->path_status_label, error != NULL ? error->message : "");
      return;
    }

  /* The root at the top and the certificate itself at the bottom, as Windows draws it */
  if (self->chain_result->status == CERTREQ_CHAIN_MISSING_ISSUER &&
      self->chain_result->missing_issuer != NULL)
    {
      gtk_tree_store_insert_with_values (self->path_store, &parent, NULL, -1,
                                         PATH_COL_NAME, self->chain_result->missing_issuer,
                                         /* Translators: a CA certificate that could not be found */
                                         PATH_COL_STATUS, _("Not available"),
                                         PATH_COL_INDEX, -1,
                                         -1);
      have_parent = TRUE;
    }

  for (guint i = self->chain_result->elements->len; i > 0; i--)
    {
      const CertreqChainElement *element = g_ptr_array_index (self->chain_result->elements, i - 1);
      g_autofree char *name = certreq_certificate_get_subject_name (element->certificate);

      gtk_tree_store_insert_with_values (self->path_store, &iter, have_parent ? &parent : NULL, -1,
                                         PATH_COL_NAME, name,
                                         PATH_COL_STATUS, element_status_text (element),
                                         PATH_COL_INDEX, (int) (i - 1),
                                         -1);
      parent = iter;
      have_parent = TRUE;
    }

  gtk_tree_view_expand_all (self->path_view);
  if (have_parent)
    gtk_tree_selection_select_iter (self->path_selection, &parent);

  gtk_label_set_text (self->path_status_label,
                      self->chain_result->status == CERTREQ_CHAIN_TRUSTED
                      ? _("This certificate is OK.")
                      : self->chain_result->message);
}

static CertreqCertificate *
get_selected_path_certificate (CertwizDetailsDialog *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  int index = -1;

  if (self->chain_result == NULL ||
      !gtk_tree_selection_get_selected (self->path_selection, &model, &iter))
    return NULL;

  gtk_tree_model_get (model, &iter, PATH_COL_INDEX, &index, -1);
  if (index < 0 || (guint) index >= self->chain_result->elements->len)
    return NULL;

  return ((CertreqChainElement *) g_ptr_array_index (self->chain_result->elements, index))->certificate;
}

static void
on_path_selection_changed (CertwizDetailsDialog *self)
{
  CertreqCertificate *cert = get_selected_path_certificate (self);

  /* Viewing the certificate this dialog already shows would only open a copy of it */
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_path_button),
                            cert != NULL && !certreq_certificate_equal (cert, self->certificate));
}

static void
on_view_path_clicked (CertwizDetailsDialog *self)
{
  CertreqCertificate *cert = get_selected_path_certificate (self);
  GtkWidget *dialog;

  if (cert == NULL || certreq_certificate_equal (cert, self->certificate))
    return;

  dialog = certwiz_details_dialog_new (GTK_WINDOW (self), cert, self->store, self->chain);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_path_view_row_activated (CertwizDetailsDialog *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->view_path_button)))
    on_view_path_clicked (self);
}

static void
verify_chain (CertwizDetailsDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    self->chain_result = certreq_store_verify (self->store, self->certificate, self->chain, &error);
  else
    self->chain_result = certreq_chain_verify (self->certificate, self->chain, NULL, TRUE, NULL,
                                               &error);
  if (self->chain_result == NULL)
    g_debug ("Chain verification failed: %s", error->message);

  fill_path (self, error);
}

/* ---- GObject ---- */

static void
certwiz_details_dialog_constructed (GObject *object)
{
  CertwizDetailsDialog *self = CERTWIZ_DETAILS_DIALOG (object);

  G_OBJECT_CLASS (certwiz_details_dialog_parent_class)->constructed (object);

  g_return_if_fail (self->certificate != NULL);

  verify_chain (self);
  fill_general (self);
  load_fields (self);

  /* Export works on the store's copy (its key and chain): only for a certificate in it */
  if (self->store != NULL)
    {
      g_autoptr(CertreqCertificate) stored = NULL;

      stored = certreq_store_find_certificate (self->store,
                                               certreq_certificate_get_thumbprint (self->certificate),
                                               NULL);
      gtk_widget_set_visible (self->export_button, stored != NULL);
    }
}

static void
on_export_clicked (CertwizDetailsDialog *self)
{
  GtkWidget *dialog;

  if (self->store == NULL)
    return;

  dialog = certwiz_export_dialog_new (GTK_WINDOW (self), self->store, self->certificate);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
certwiz_details_dialog_dispose (GObject *object)
{
  CertwizDetailsDialog *self = CERTWIZ_DETAILS_DIALOG (object);

  /* GTK 3's notebook page accessibles look up their tab label while the notebook is
   * being torn down and its pages are gone (a critical warning per tab); without tabs
   * they don't */
  if (self->notebook != NULL)
    gtk_notebook_set_show_tabs (self->notebook, FALSE);

  g_clear_object (&self->certificate);
  g_clear_object (&self->store);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->chain_result, certreq_chain_result_free);

  G_OBJECT_CLASS (certwiz_details_dialog_parent_class)->dispose (object);
}

static void
certwiz_details_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CertwizDetailsDialog *self = CERTWIZ_DETAILS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CHAIN:
      self->chain = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_details_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CertwizDetailsDialog *self = CERTWIZ_DETAILS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CHAIN:
      g_value_set_boxed (value, self->chain);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_details_dialog_response (GtkDialog *dialog,
                                 int        response)
{
  /* Export… answers GTK_RESPONSE_NONE: it opens its own dialog and this one stays */
  if (response != GTK_RESPONSE_NONE)
    gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
certwiz_details_dialog_class_init (CertwizDetailsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkDialogClass *dialog_class = GTK_DIALOG_CLASS (klass);

  object_class->constructed = certwiz_details_dialog_constructed;
  object_class->dispose = certwiz_details_dialog_dispose;
  object_class->set_property = certwiz_details_dialog_set_property;
  object_class->get_property = certwiz_details_dialog_get_property;
  dialog_class->response = certwiz_details_dialog_response;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, CERTREQ_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHAIN] =
    g_param_spec_boxed ("chain", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-details-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, trust_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, purposes_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, issued_to_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, issued_by_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, valid_from_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, valid_to_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, key_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, show_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, fields_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, fields_selection);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, value_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, sha1_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, sha256_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, path_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, path_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, path_selection);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, view_path_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, path_status_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, notebook);
  gtk_widget_class_bind_template_child (widget_class, CertwizDetailsDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_show_combo_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_fields_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_path_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_path_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_path_view_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
certwiz_details_dialog_init (CertwizDetailsDialog *self)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A fingerprint broken over two lines must not gain a hyphen that is not part of it */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->sha1_label, attrs);
  gtk_label_set_attributes (self->sha256_label, attrs);
}

GtkWidget *
certwiz_details_dialog_new (GtkWindow          *parent,
                            CertreqCertificate *certificate,
                            CertreqStore       *store,
                            GPtrArray          *chain)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (store == NULL || CERTREQ_IS_STORE (store), NULL);

  return g_object_new (CERTWIZ_TYPE_DETAILS_DIALOG,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       "certificate", certificate,
                       "store", store,
                       "chain", chain,
                       NULL);
}
