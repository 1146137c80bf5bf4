/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certreq-private.h"

/* Mutations made inside the store's own functions wait this long for the lock */
#define INTERNAL_LOCK_TIMEOUT_MS 30000
#define LOCK_POLL_US 20000

#define PUBLIC_DIR_MODE 0755
#define PUBLIC_FILE_MODE 0644
#define PRIVATE_DIR_MODE 0700
#define PRIVATE_FILE_MODE 0600

#define PENDING_TMP_PREFIX ".new-"
#define PENDING_GONE_PREFIX ".removing-"

struct _CertreqStore
{
  GObject   parent_instance;

  char     *path;
  gboolean  writable;

  /* The lock: recursive within the process per store object, across threads.
   * @mutex guards the fields below; @cond wakes threads waiting for @owner. */
  GMutex    mutex;
  GCond     cond;
  GThread  *owner;
  guint     depth;
  int       lock_fd;
  gboolean  private_readable;   /* keys/ can be read: else meta/keys.ini answers */
};

struct _CertreqStoreLock
{
  CertreqStore *store;
};

struct _CertreqLog
{
  GMutex   mutex;
  char    *path;
  int      fd;       /* opened for appending; -1 once closed */
  gboolean failed;
};

G_DEFINE_TYPE (CertreqStore, certreq_store, G_TYPE_OBJECT)

/* Directories of the layout in DESIGN.md, with their modes */
static const struct
{
  const char *name;
  int         mode;
} layout[] = {
  { "certs", PUBLIC_DIR_MODE },
  { "meta", PUBLIC_DIR_MODE },
  { "keys", PRIVATE_DIR_MODE },
  { "pending", PRIVATE_DIR_MODE },
  { "trust", PUBLIC_DIR_MODE },
  { "trust/roots", PUBLIC_DIR_MODE },
  { "trust/intermediates", PUBLIC_DIR_MODE },
  { "local-ca", PRIVATE_DIR_MODE },
  { "acme", PRIVATE_DIR_MODE },
  { "archive", PUBLIC_DIR_MODE },
  { "live", PUBLIC_DIR_MODE },
  { "log", PRIVATE_DIR_MODE },
};

/* Directories whose contents are secret: refused when others can read them */
static const char * const private_dirs[] = { "keys", "pending", "local-ca", "acme", "log", NULL };

static void
certreq_store_finalize (GObject *object)
{
  CertreqStore *self = CERTREQ_STORE (object);

  /* A lock handle holds a reference, so no lock can be held here */
  g_warn_if_fail (self->depth == 0);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (certreq_store_parent_class)->finalize (object);
}

static void
certreq_store_class_init (CertreqStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = certreq_store_finalize;
}

static void
certreq_store_init (CertreqStore *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->lock_fd = -1;
}

/* ---- Paths ---- */

char *
_certreq_store_build_path (CertreqStore *store,
                           const char   *first_element,
                           ...)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new ();
  const char *element;
  va_list ap;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  g_ptr_array_add (elements, store->path);
  va_start (ap, first_element);
  for (element = first_element; element != NULL; element = va_arg (ap, const char *))
    g_ptr_array_add (elements, (gpointer) element);
  va_end (ap);
  g_ptr_array_add (elements, NULL);

  return g_build_filenamev ((char **) elements->pdata);
}

static CertreqError
errno_code (int saved_errno)
{
  if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    return CERTREQ_ERROR_PERMISSION;
  return CERTREQ_ERROR_STORE;
}

/**
 * certreq_store_default_path:
 *
 * The store to use when none is given: `$CERTWIZ_STORE` when set, else the
 * machine's store, /var/lib/certwiz. An ordinary user opens the machine's store
 * read-only; the GUI changes it through the privileged helper.
 *
 * Returns: (transfer full): the path
 */
char *
certreq_store_default_path (void)
{
  const char *env = g_getenv ("CERTWIZ_STORE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_strdup (CERTREQ_MACHINE_STORE);
}

/* ---- Opening ---- */

static gboolean
check_private_dir (CertreqStore  *self,
                   const char    *name,
                   GError       **error)
{
  g_autofree char *dir = _certreq_store_build_path (self, name, NULL);
  GStatBuf st;

  if (g_lstat (dir, &st) < 0)
    return TRUE;   /* created later, with the right mode */

  if (!S_ISDIR (st.st_mode))
    {
      /* Translators: %s is a path inside the store */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The store cannot be used: %s is not a directory."), dir);
      return FALSE;
    }

  if ((st.st_mode & 0077) != 0)
    {
      /* Translators: %1$s is a directory of private keys or requests, %2$s the same
       * directory in a command the admin can run; "chmod 700" is literal */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                   _("The directory %1$s holds private keys but other users can open it. "
                     "Certwiz refuses to use it until only its owner can: run "
                     "“chmod -R go-rwx %2$s” and try again."),
                   dir, dir);
      return FALSE;
    }

  return TRUE;
}

static void remove_tree (const char *path);
static void rebuild_key_index (CertreqStore *self);
static void finish_switches (CertreqStore *self);
static void sync_pending_mirror (CertreqStore *self);

/* Leftovers of a crash: half-built pending entries and half-removed ones */
static void
clean_pending_leftovers (CertreqStore *self)
{
  g_autofree char *pending = _certreq_store_build_path (self, "pending", NULL);
  g_autoptr(GDir) dir = g_dir_open (pending, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, PENDING_TMP_PREFIX) ||
          g_str_has_prefix (name, PENDING_GONE_PREFIX))
        {
          g_autofree char *path = g_build_filename (pending, name, NULL);

          remove_tree (path);
        }
    }
}

/* "NAME.tmp-XXXXXX" (an atomic write's temporary file) or "NAME.tmp-XXXXXXXX" (a
 * link swap's temporary link) */
static gboolean
is_temporary_name (const char *name)
{
  const char *tmp = g_strrstr (name, ".tmp-");
  gsize length;
  gsize i;

  if (tmp == NULL || tmp == name)
    return FALSE;
  tmp += strlen (".tmp-");
  length = strlen (tmp);
  if (length != 6 && length != 8)
    return FALSE;
  for (i = 0; i < length; i++)
    if (!g_ascii_isalnum (tmp[i]))
      return FALSE;

  return TRUE;
}

/* Leftovers of a crash: the temporary files of atomic writes and link swaps that a
 * killed process left behind, in @dir and below (never through a link; log/ has
 * none). Called with the lock held, so no writer is in the middle of one. */
static void
clean_temporary_files (const char *dir,
                       guint       depth)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) < 0)
        continue;
      if (is_temporary_name (name) && (S_ISREG (st.st_mode) || S_ISLNK (st.st_mode)))
        g_unlink (path);
      else if (S_ISDIR (st.st_mode) && depth > 0 && !(depth == 4 && strcmp (name, "log") == 0))
        clean_temporary_files (path, depth - 1);
    }
}

/**
 * certreq_store_open:
 * @path: the store's directory
 * @error: return location for a #GError
 *
 * Opens the store at @path. When the process can write there, the store and
 * every directory of its layout are created as needed: public directories
 * 0755, keys/, pending/, local-ca/, acme/ and log/ 0700. A store whose private
 * directories other users can read is refused.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CertreqStore *
certreq_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(CertreqStore) self = NULL;
  guint i;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CERTREQ_TYPE_STORE, NULL);
  self->path = g_canonicalize_filename (path, NULL);

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;

      if (!_certreq_ensure_dir (self->path, PUBLIC_DIR_MODE, &local_error))
        {
          g_autofree char *parent = g_path_get_dirname (self->path);

          /* An ordinary user looking at a machine store nobody has created yet: an
           * empty, read-only store; the first change (as root) creates it */
          if (local_error->code == CERTREQ_ERROR_PERMISSION &&
              g_file_test (parent, G_FILE_TEST_IS_DIR))
            {
              self->writable = FALSE;
              return g_steal_pointer (&self);
            }

          /* Translators: %1$s is the store's directory, %2$s the reason */
          g_set_error (error, CERTREQ_ERROR, local_error->code,
                       _("The store %1$s does not exist and cannot be created: %2$s"),
                       self->path, local_error->message);
          return NULL;
        }
    }
  else if (!g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s is the store's path */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The store cannot be used: %s is not a directory."), self->path);
      return NULL;
    }

  for (i = 0; private_dirs[i] != NULL; i++)
    {
      if (!check_private_dir (self, private_dirs[i], error))
        return NULL;
    }

  self->writable = access (self->path, W_OK | X_OK) == 0;
  {
    g_autofree char *keys = _certreq_store_build_path (self, "keys", NULL);

    self->private_readable = self->writable || access (keys, R_OK | X_OK) == 0;
  }
  if (self->writable)
    {
      for (i = 0; i < G_N_ELEMENTS (layout); i++)
        {
          g_autofree char *dir = _certreq_store_build_path (self, layout[i].name, NULL);

          if (!_certreq_ensure_dir (dir, layout[i].mode, error))
            return NULL;
        }

      /* Only when nobody else is working on the store right now */
      {
        g_autoptr(CertreqStoreLock) lock = certreq_store_lock (self, 0, NULL);

        if (lock != NULL)
          {
            clean_pending_leftovers (self);
            /* archive/<usage>/<n>/ is the deepest place a temporary file is written */
            clean_temporary_files (self->path, 4);
            _certreq_deploy_recover (self);
            finish_switches (self);
            rebuild_key_index (self);
            sync_pending_mirror (self);
          }
      }
    }

  return g_steal_pointer (&self);
}

const char *
certreq_store_get_path (CertreqStore *self)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  return self->path;
}

/**
 * certreq_store_is_writable:
 * @self: a #CertreqStore
 *
 * Returns: %TRUE when this process can change the store
 */
gboolean
certreq_store_is_writable (CertreqStore *self)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  return self->writable;
}


/* ---- Permission check ---- */

/* Trees whose contents are secret (0700 directories, 0600 files): the directories of
 * private_dirs plus the deployment journal (it names the targets and the key's owner) */
static const char * const private_trees[] = { "keys", "pending", "local-ca", "acme", "log",
                                              "journal", NULL };

typedef struct
{
  GPtrArray *problems;
  uid_t      store_uid;
} PermissionCheck;

static char *
user_name (uid_t uid)
{
  struct passwd *pw = getpwuid (uid);

  if (pw != NULL && pw->pw_name != NULL)
    return g_strdup (pw->pw_name);
  return g_strdup_printf ("%u", (guint) uid);
}

static void
check_owner (PermissionCheck *check,
             const char      *path,
             const GStatBuf  *st)
{
  g_autofree char *owner = NULL;
  g_autofree char *store_owner = NULL;
  g_autofree char *quoted = NULL;

  /* root may own anything; so may the store's owner */
  if (st->st_uid == 0 || st->st_uid == check->store_uid)
    return;

  owner = user_name (st->st_uid);
  store_owner = user_name (check->store_uid);
  quoted = g_shell_quote (path);
  g_ptr_array_add (check->problems,
                   /* Translators: %1$s is a path in the store, %2$s the user who owns it,
                    * %3$s the store's owner, %4$s the path again, quoted for a shell;
                    * "chown" is a command and stays as it is */
                   g_strdup_printf (_("%1$s belongs to the user %2$s, not to the store’s "
                                      "owner %3$s, so that user can change it: run "
                                      "“chown %3$s %4$s”."),
                                    path, owner, store_owner, quoted));
}

/* archive/<usage>/<n>/privkey.pem */
static gboolean
is_deployed_key (const char *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);

  return g_strv_length (parts) == 4 && g_str_equal (parts[0], "archive") &&
         g_str_equal (parts[3], "privkey.pem");
}

static void
check_mode (PermissionCheck *check,
            const char      *path,
            const char      *relative,
            gboolean         private_tree,
            const GStatBuf  *st)
{
  guint mode = st->st_mode & 07777;
  gboolean is_dir = S_ISDIR (st->st_mode);
  g_autofree char *quoted = g_shell_quote (path);
  char *problem = NULL;

  if (private_tree && is_dir && (mode & 0077) != 0)
    /* Translators: %1$s is a directory of the store, %2$04o its mode (such as 0755),
     * %3$s the directory again, quoted for a shell; the command stays as it is */
    problem = g_strdup_printf (_("Other users can open the directory %1$s, which holds "
                                 "private keys or requests (mode %2$04o); only its owner "
                                 "should: run “chmod go-rwx %3$s”."),
                               path, mode, quoted);
  /* The lab CA's certificate is public, only its directory is not */
  else if (private_tree && !is_dir && g_strcmp0 (relative, "local-ca/ca.pem") != 0 &&
           (mode & 0077) != 0)
    /* Translators: %1$s is a file of the store, %2$04o its mode (such as 0644),
     * %3$s the file again, quoted for a shell; the command stays as it is */
    problem = g_strdup_printf (_("Other users can read or change %1$s, which holds a "
                                 "private key or other private data (mode %2$04o); only "
                                 "its owner should: run “chmod go-rwx %3$s”."),
                               path, mode, quoted);
  /* A deployed key may be readable by the service's group (usage set --mode 0640) */
  else if (!is_dir && is_deployed_key (relative) && (mode & ~0640u) != 0)
    /* Translators: %1$s is a deployed private key, %2$04o its mode (such as 0644),
     * %3$s the file again, quoted for a shell; 0640 and the command stay as they are */
    problem = g_strdup_printf (_("Other users can read or change the deployed private key "
                                 "%1$s (mode %2$04o); at most its group may read it: run "
                                 "“chmod o-rwx,g-wx %3$s”."),
                               path, mode, quoted);
  else if ((mode & 0022) != 0)
    /* Translators: %1$s is a file or directory of the store, %2$04o its mode (such as
     * 0777), %3$s the path again, quoted for a shell; the command stays as it is */
    problem = g_strdup_printf (_("Other users can change %1$s (mode %2$04o); only its owner "
                                 "should: run “chmod go-w %3$s”."),
                               path, mode, quoted);

  if (problem != NULL)
    g_ptr_array_add (check->problems, problem);
}

static void
check_tree (PermissionCheck *check,
            const char      *path,
            const char      *relative,
            gboolean         private_tree,
            guint            depth)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) < 0 || S_ISLNK (st.st_mode))
    return;   /* gone meanwhile; live/<usage> links carry no mode of their own */
  if (!S_ISDIR (st.st_mode) && !S_ISREG (st.st_mode))
    return;

  check_mode (check, path, relative, private_tree, &st);
  /* A deployed key belongs to the service user the usage names (usage set --owner) */
  if (!is_deployed_key (relative))
    check_owner (check, path, &st);

  /* A directory this user may not open (an ordinary user looking at root's keys/) is
   * private enough; the layout is a few levels deep, so stop well below anything odd */
  if (!S_ISDIR (st.st_mode) || depth > 8)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_relative = NULL;
      gboolean child_private = private_tree;

      if (depth == 0)
        {
          child_relative = g_strdup (name);
          child_private = g_strv_contains (private_trees, name);
        }
      else
        child_relative = g_strconcat (relative, "/", name, NULL);

      check_tree (check, child, child_relative, child_private, depth + 1);
    }
}

/**
 * certreq_store_check_permissions:
 * @self: a #CertreqStore
 *
 * Looks at every file and directory of the store this process can see for
 * permissions looser than the layout's (DESIGN.md, "The store"): private keys,
 * pending requests, the lab CA's key, ACME accounts, logs and the deployment
 * journal that others can read or change; public files and directories that
 * others can change; anything owned by a user other than root and the store's
 * owner. Nothing is changed: the caller reports what it finds.
 *
 * Returns: (transfer full) (element-type utf8): one translated sentence per
 *   problem, naming the path and the command that fixes it; empty when none
 */
GPtrArray *
certreq_store_check_permissions (CertreqStore *self)
{
  PermissionCheck check;
  GStatBuf st;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  check.problems = g_ptr_array_new_with_free_func (g_free);
  if (g_stat (self->path, &st) < 0)
    return check.problems;
  check.store_uid = st.st_uid;

  check_tree (&check, self->path, "", FALSE, 0);

  return check.problems;
}
/* ---- The lock ---- */

static gboolean
set_locked_error (CertreqStore  *self,
                  GError       **error)
{
  /* Translators: %s is the store's directory */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_LOCKED,
               _("Another Certwiz process is changing the store %s. Wait until it has "
                 "finished, then try again."),
               self->path);
  return FALSE;
}

/* flock(2) on <store>/.lock, polled until @deadline (monotonic µs) */
static gboolean
take_file_lock (CertreqStore  *self,
                gint64         deadline,
                GError       **error)
{
  g_autofree char *path = _certreq_store_build_path (self, ".lock", NULL);
  int fd;

  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, PUBLIC_FILE_MODE);
  if (fd < 0)
    {
      int saved_errno = errno;

      /* Translators: %1$s is the lock file, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                   _("Could not open the store’s lock %1$s: %2$s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  for (;;)
    {
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        break;
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                       _("Could not open the store’s lock %1$s: %2$s"),
                       path, g_strerror (saved_errno));
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          close (fd);
          return set_locked_error (self, error);
        }
      g_usleep (LOCK_POLL_US);
    }

  self->lock_fd = fd;
  return TRUE;
}

/**
 * certreq_store_lock:
 * @self: a #CertreqStore
 * @timeout_ms: how long to wait for another holder to finish
 * @error: return location for a #GError
 *
 * Takes the store's exclusive lock, which every change to the store holds:
 * flock(2) on `<store>/.lock` against other processes. Within this process the
 * lock is recursive per store object: the thread that holds it may take it
 * again, other threads wait.
 *
 * Returns: (transfer full): the lock, to release with
 *   certreq_store_lock_release(); %NULL with %CERTREQ_ERROR_LOCKED after
 *   @timeout_ms, or %CERTREQ_ERROR_PERMISSION when the store is read-only
 */
CertreqStoreLock *
certreq_store_lock (CertreqStore  *self,
                    guint          timeout_ms,
                    GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GThread *thread = g_thread_self ();
  CertreqStoreLock *lock;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->writable)
    {
      /* Translators: %s is the store's directory */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                   _("You are not allowed to change the store %s."), self->path);
      return NULL;
    }

  g_mutex_lock (&self->mutex);
  while (self->owner != NULL && self->owner != thread)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        {
          if (self->owner == NULL || self->owner == thread)
            break;
          g_mutex_unlock (&self->mutex);
          set_locked_error (self, error);
          return NULL;
        }
    }

  if (self->owner == NULL)
    {
      gboolean locked;

      /* Claim the lock for this thread, then wait for the other processes
       * without the mutex: other threads wait on the condition meanwhile */
      self->owner = thread;
      g_mutex_unlock (&self->mutex);
      locked = take_file_lock (self, deadline, error);
      g_mutex_lock (&self->mutex);
      if (!locked)
        {
          self->owner = NULL;
          g_cond_broadcast (&self->cond);
          g_mutex_unlock (&self->mutex);
          return NULL;
        }
    }
  self->depth++;
  g_mutex_unlock (&self->mutex);

  lock = g_new0 (CertreqStoreLock, 1);
  lock->store = g_object_ref (self);
  return lock;
}

/**
 * certreq_store_lock_release:
 * @lock: (transfer full): a lock from certreq_store_lock()
 *
 * Releases one hold of the lock; the last one unlocks the store.
 */
void
certreq_store_lock_release (CertreqStoreLock *lock)
{
  CertreqStore *self;

  if (lock == NULL)
    return;

  self = lock->store;
  g_mutex_lock (&self->mutex);
  g_warn_if_fail (self->owner == g_thread_self ());
  g_warn_if_fail (self->depth > 0);
  if (self->depth > 0 && --self->depth == 0)
    {
      if (self->lock_fd >= 0)
        {
          flock (self->lock_fd, LOCK_UN);
          close (self->lock_fd);
          self->lock_fd = -1;
        }
      self->owner = NULL;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);

  g_object_unref (self);
  g_free (lock);
}

static CertreqStoreLock *
lock_for_change (CertreqStore  *self,
                 GError       **error)
{
  return certreq_store_lock (self, INTERNAL_LOCK_TIMEOUT_MS, error);
}

/* ---- Small file helpers ---- */

static gboolean
write_key_file (GKeyFile    *key_file,
                const char  *path,
                int          mode,
                GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, mode, error);
}

/* Loads @path into @key_file; a missing file is an empty key file */
static gboolean
read_key_file (GKeyFile    *key_file,
               const char  *path,
               gboolean     missing_ok,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    return TRUE;

  if (missing_ok && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return TRUE;

  /* Translators: %1$s is a file in the store, %2$s the reason it cannot be read */
  g_set_error (error, CERTREQ_ERROR,
               g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? CERTREQ_ERROR_NOT_FOUND
                 : local_error->domain == G_KEY_FILE_ERROR ? CERTREQ_ERROR_BAD_FORMAT
                                                           : CERTREQ_ERROR_STORE,
               _("Could not read %1$s: %2$s"), path, local_error->message);
  return FALSE;
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) < 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

/* Sorted names in @subdir ending with @suffix (NULL: directories not starting with '.') */
static GPtrArray *
list_dir (CertreqStore *self,
          const char   *subdir,
          const char   *suffix)
{
  g_autofree char *path = _certreq_store_build_path (self, subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] == '.')
        continue;
      if (suffix != NULL && !g_str_has_suffix (name, suffix))
        continue;
      if (suffix == NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!g_file_test (child, G_FILE_TEST_IS_DIR))
            continue;
        }
      g_ptr_array_add (names, g_strdup (name));
    }

  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  return names;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
load_certificates_in (CertreqStore *self,
                      const char   *subdir)
{
  g_autoptr(GPtrArray) names = list_dir (self, subdir, ".pem");
  GPtrArray *certs = g_ptr_array_new_with_free_func (g_object_unref);
  guint i;

  g_ptr_array_sort (names, compare_strings);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *path = _certreq_store_build_path (self, subdir, names->pdata[i], NULL);
      g_autoptr(GError) error = NULL;
      CertreqCertificate *cert = certreq_certificate_load (path, &error);

      if (cert == NULL)
        {
          g_warning ("Skipping %s: %s", path, error->message);
          continue;
        }
      g_ptr_array_add (certs, cert);
    }

  return certs;
}

static gboolean
write_certificate (CertreqCertificate  *cert,
                   const char          *path,
                   GError             **error)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);

  return _certreq_write_file_atomic (path, pem, strlen (pem), PUBLIC_FILE_MODE, error);
}

/* ---- Server profile ---- */

/**
 * certreq_store_load_server:
 * @self: a #CertreqStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server profile in server.ini, or the machine's
 *   defaults when there is none yet
 */
CertreqServer *
certreq_store_load_server (CertreqStore  *self,
                           GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  path = _certreq_store_build_path (self, "server.ini", NULL);
  return certreq_server_load (path, error);
}

/**
 * certreq_store_save_server:
 * @self: a #CertreqStore
 * @server: the profile to save
 * @error: return location for a #GError
 *
 * Validates @server and writes server.ini (0644) under the store's lock.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_save_server (CertreqStore   *self,
                           CertreqServer  *server,
                           GError        **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_SERVER (server), FALSE);

  if (!certreq_server_validate (server, error))
    return FALSE;
  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  path = _certreq_store_build_path (self, "server.ini", NULL);
  return certreq_server_save (server, path, error);
}

/* ---- Keys ---- */

static gboolean
is_key_id (const char *key_id)
{
  const char *p;

  if (key_id == NULL || *key_id == '\0')
    return FALSE;
  for (p = key_id; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return FALSE;
    }
  return TRUE;
}

static char *
key_path (CertreqStore *self,
          const char   *key_id,
          const char   *suffix)
{
  g_autofree char *name = g_strconcat (key_id, suffix, NULL);

  return _certreq_store_build_path (self, "keys", name, NULL);
}

/* meta/keys.ini: which private keys keys/ holds, their type and whether they are
 * exportable, public like the rest of meta/ (no secret in it), so that a process
 * that may not read keys/ (the GUI of an ordinary user) can still say which
 * certificates have their key. keys/ stays the truth: the index is rewritten from
 * it whenever a writer opens the store. */
static char *
key_index_path (CertreqStore *self)
{
  return _certreq_store_build_path (self, "meta", "keys.ini", NULL);
}

static gboolean
update_key_index (CertreqStore  *self,
                  const char    *key_id,
                  const char    *key_type,
                  gboolean       exportable,
                  GError       **error)
{
  g_autoptr(GKeyFile) index = g_key_file_new ();
  g_autofree char *path = key_index_path (self);

  g_key_file_load_from_file (index, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_boolean (index, key_id, "exportable", exportable);
  if (key_type != NULL)
    g_key_file_set_string (index, key_id, "type", key_type);

  return write_key_file (index, path, PUBLIC_FILE_MODE, error);
}

static void
rebuild_key_index (CertreqStore *self)
{
  g_autofree char *keys = _certreq_store_build_path (self, "keys", NULL);
  g_autofree char *path = key_index_path (self);
  g_autoptr(GKeyFile) index = g_key_file_new ();
  g_autoptr(GDir) dir = g_dir_open (keys, 0, NULL);
  g_autofree char *old = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) meta = g_key_file_new ();
      g_autofree char *key_id = NULL;
      g_autofree char *ini = NULL;
      g_autofree char *type = NULL;

      if (!g_str_has_suffix (name, ".pem"))
        continue;
      key_id = g_strndup (name, strlen (name) - strlen (".pem"));
      if (!is_key_id (key_id))
        continue;
      ini = key_path (self, key_id, ".ini");
      g_key_file_load_from_file (meta, ini, G_KEY_FILE_NONE, NULL);
      g_key_file_set_boolean (index, key_id, "exportable",
                              g_key_file_get_boolean (meta, "key", "exportable", NULL));
      type = g_key_file_get_string (meta, "key", "type", NULL);
      if (type != NULL)
        g_key_file_set_string (index, key_id, "type", type);
    }

  data = g_key_file_to_data (index, &length, NULL);
  if (g_file_get_contents (path, &old, NULL, NULL) && g_strcmp0 (old, data) == 0)
    return;
  if (length == 0 && old == NULL)
    return;
  /* Best effort: the index only informs read-only views */
  _certreq_write_file_atomic (path, data, length, PUBLIC_FILE_MODE, NULL);
}

static gboolean
read_key_index (CertreqStore *self,
                const char   *key_id,
                gboolean     *out_exportable)
{
  g_autoptr(GKeyFile) index = g_key_file_new ();
  g_autofree char *path = key_index_path (self);

  if (!g_key_file_load_from_file (index, path, G_KEY_FILE_NONE, NULL) ||
      !g_key_file_has_group (index, key_id))
    return FALSE;
  if (out_exportable != NULL)
    *out_exportable = g_key_file_get_boolean (index, key_id, "exportable", NULL);
  return TRUE;
}

static gboolean
write_key_meta (CertreqStore  *self,
                const char    *key_id,
                const char    *key_type,
                gboolean       exportable,
                GError       **error)
{
  g_autoptr(GKeyFile) meta = g_key_file_new ();
  g_autofree char *path = key_path (self, key_id, ".ini");
  g_autofree char *now = now_iso8601 ();

  g_key_file_set_boolean (meta, "key", "exportable", exportable);
  if (key_type != NULL)
    g_key_file_set_string (meta, "key", "type", key_type);
  g_key_file_set_string (meta, "key", "added", now);

  return write_key_file (meta, path, PRIVATE_FILE_MODE, error) &&
         update_key_index (self, key_id, key_type, exportable, error);
}

/**
 * certreq_store_save_key:
 * @self: a #CertreqStore
 * @key: a private key
 * @exportable: whether the key may be exported later
 * @error: return location for a #GError
 *
 * Writes keys/<KEY-ID>.pem (0600 from creation) and keys/<KEY-ID>.ini with
 * the exportable flag.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_save_key (CertreqStore  *self,
                        CertreqKey    *key,
                        gboolean       exportable,
                        GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *pem_path = NULL;
  const char *key_id;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_KEY (key), FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  key_id = certreq_key_get_id (key);
  pem_path = key_path (self, key_id, ".pem");
  return certreq_key_save (key, pem_path, error) &&
         write_key_meta (self, key_id, certreq_key_type_to_id (certreq_key_get_key_type (key)),
                         exportable, error);
}

/**
 * certreq_store_load_key:
 * @self: a #CertreqStore
 * @key_id: the key's id (certreq_key_get_id())
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the key, or %NULL with %CERTREQ_ERROR_NOT_FOUND
 *   when the store has no such key
 */
CertreqKey *
certreq_store_load_key (CertreqStore  *self,
                        const char    *key_id,
                        GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  if (!is_key_id (key_id) || !certreq_store_has_key (self, key_id))
    {
      /* Translators: %s is a key id (hex digits) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The store has no private key with the id %s."),
                   key_id != NULL ? key_id : "");
      return NULL;
    }

  path = key_path (self, key_id, ".pem");
  return certreq_key_load (path, error);
}

gboolean
certreq_store_has_key (CertreqStore *self,
                       const char   *key_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  if (!is_key_id (key_id))
    return FALSE;
  if (!self->private_readable)
    return read_key_index (self, key_id, NULL);
  path = key_path (self, key_id, ".pem");
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

gboolean
certreq_store_key_is_exportable (CertreqStore *self,
                                 const char   *key_id)
{
  g_autoptr(GKeyFile) meta = g_key_file_new ();
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  if (!is_key_id (key_id))
    return FALSE;
  if (!self->private_readable)
    {
      gboolean exportable = FALSE;

      return read_key_index (self, key_id, &exportable) && exportable;
    }
  path = key_path (self, key_id, ".ini");
  if (!g_key_file_load_from_file (meta, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  return g_key_file_get_boolean (meta, "key", "exportable", NULL);
}

/* ---- Certificates ---- */

void
certreq_cert_meta_free (CertreqCertMeta *meta)
{
  if (meta == NULL)
    return;

  g_free (meta->thumbprint);
  g_free (meta->friendly_name);
  g_free (meta->ca_id);
  g_free (meta->request_id);
  g_free (meta->pending_id);
  g_clear_pointer (&meta->added, g_date_time_unref);
  g_free (meta);
}

static char *
meta_path (CertreqStore *self,
           const char   *thumbprint,
           const char   *suffix)
{
  g_autofree char *name = g_strconcat (thumbprint, suffix, NULL);

  return _certreq_store_build_path (self, "meta", name, NULL);
}

static char *
cert_path (CertreqStore *self,
           const char   *thumbprint)
{
  g_autofree char *name = g_strconcat (thumbprint, ".pem", NULL);

  return _certreq_store_build_path (self, "certs", name, NULL);
}

static void
set_optional (GKeyFile   *key_file,
              const char *key,
              const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (key_file, "certificate", key, value);
}

/**
 * certreq_store_add_certificate:
 * @self: a #CertreqStore
 * @cert: the certificate
 * @chain: (nullable) (element-type CertreqCertificate): the chain the CA returned
 * @meta: (nullable): friendly name, usages, CA and request ids
 * @error: return location for a #GError
 *
 * Writes certs/<THUMBPRINT>.pem, meta/<THUMBPRINT>.ini and, with a chain,
 * meta/<THUMBPRINT>.chain.pem, all 0644. Adding a certificate again replaces
 * its metadata (keeping the date it was first added) when @meta is given.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_add_certificate (CertreqStore           *self,
                               CertreqCertificate     *cert,
                               GPtrArray              *chain,
                               const CertreqCertMeta  *meta,
                               GError                **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) old = g_key_file_new ();
  g_autofree char *pem_path = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *added = NULL;
  g_autofree char *usages = NULL;
  const char *thumbprint;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  thumbprint = certreq_certificate_get_thumbprint (cert);
  pem_path = cert_path (self, thumbprint);
  ini_path = meta_path (self, thumbprint, ".ini");

  if (!write_certificate (cert, pem_path, error))
    return FALSE;

  if (chain != NULL && chain->len > 0)
    {
      g_autofree char *chain_path = meta_path (self, thumbprint, ".chain.pem");
      g_autoptr(GString) pems = g_string_new (NULL);
      guint i;

      for (i = 0; i < chain->len; i++)
        {
          g_autofree char *pem = certreq_certificate_to_pem (chain->pdata[i]);

          g_string_append (pems, pem);
        }
      if (!_certreq_write_file_atomic (chain_path, pems->str, pems->len, PUBLIC_FILE_MODE,
                                       error))
        return FALSE;
    }

  if (g_key_file_load_from_file (old, ini_path, G_KEY_FILE_NONE, NULL))
    {
      if (meta == NULL)
        return TRUE;   /* already known, nothing new to say about it */
      added = g_key_file_get_string (old, "certificate", "added", NULL);
    }

  if (added == NULL && meta != NULL && meta->added != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (meta->added);

      added = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  if (added == NULL)
    added = now_iso8601 ();

  g_key_file_set_string (key_file, "certificate", "thumbprint", thumbprint);
  if (meta != NULL)
    {
      set_optional (key_file, "friendly-name", meta->friendly_name);
      usages = certreq_usage_flags_to_string (meta->usages);
      set_optional (key_file, "usages", usages);
      set_optional (key_file, "ca-id", meta->ca_id);
      set_optional (key_file, "request-id", meta->request_id);
      set_optional (key_file, "pending-id", meta->pending_id);
    }
  g_key_file_set_string (key_file, "certificate", "added", added);

  return write_key_file (key_file, ini_path, PUBLIC_FILE_MODE, error);
}

static const char *
meta_sort_name (GHashTable         *names,
                CertreqCertificate *cert)
{
  return g_hash_table_lookup (names, certreq_certificate_get_thumbprint (cert));
}

static gint
compare_by_friendly_name (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  CertreqCertificate *ca = *(CertreqCertificate * const *) a;
  CertreqCertificate *cb = *(CertreqCertificate * const *) b;
  int cmp = g_utf8_collate (meta_sort_name (user_data, ca), meta_sort_name (user_data, cb));

  return cmp != 0 ? cmp : strcmp (certreq_certificate_get_thumbprint (ca),
                                  certreq_certificate_get_thumbprint (cb));
}

/**
 * certreq_store_list_certificates:
 * @self: a #CertreqStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqCertificate): every certificate
 *   in certs/, sorted by friendly name (the subject name when it has none)
 */
GPtrArray *
certreq_store_list_certificates (CertreqStore  *self,
                                 GError       **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *certs;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  certs = load_certificates_in (self, "certs");
  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = certs->pdata[i];
      g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (
        self, certreq_certificate_get_thumbprint (cert));
      char *name;

      if (meta != NULL && meta->friendly_name != NULL)
        name = g_steal_pointer (&meta->friendly_name);
      else
        name = certreq_certificate_get_subject_name (cert);
      g_hash_table_insert (names, (gpointer) certreq_certificate_get_thumbprint (cert), name);
    }

  g_ptr_array_sort_with_data (certs, compare_by_friendly_name, names);
  return certs;
}

static char *
normalize_or_error (const char  *thumbprint,
                    GError     **error)
{
  char *normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");

  if (normal == NULL)
    {
      /* Translators: %s is what the admin entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("“%s” is not a certificate thumbprint: a thumbprint has 40 hexadecimal "
                     "digits."),
                   thumbprint != NULL ? thumbprint : "");
    }

  return normal;
}

/**
 * certreq_store_find_certificate:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint, in any case, with spaces or colons
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the certificate, or %NULL with
 *   %CERTREQ_ERROR_NOT_FOUND (or %CERTREQ_ERROR_BAD_FORMAT for text that is no
 *   thumbprint)
 */
CertreqCertificate *
certreq_store_find_certificate (CertreqStore  *self,
                                const char    *thumbprint,
                                GError       **error)
{
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  normal = normalize_or_error (thumbprint, error);
  if (normal == NULL)
    return NULL;

  path = cert_path (self, normal);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The store has no certificate with the thumbprint %s."), normal);
      return NULL;
    }

  return certreq_certificate_load (path, error);
}

/**
 * certreq_store_get_meta:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint, in any case, with spaces or colons
 *
 * Returns: (transfer full) (nullable): the certificate's metadata, or %NULL
 *   when the store has none
 */
CertreqCertMeta *
certreq_store_get_meta (CertreqStore *self,
                        const char   *thumbprint)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *added = NULL;
  CertreqCertMeta *meta;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  if (normal == NULL)
    return NULL;
  path = meta_path (self, normal, ".ini");
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return NULL;

  meta = g_new0 (CertreqCertMeta, 1);
  meta->thumbprint = g_steal_pointer (&normal);
  meta->friendly_name = g_key_file_get_string (key_file, "certificate", "friendly-name", NULL);
  usages = g_key_file_get_string (key_file, "certificate", "usages", NULL);
  if (usages == NULL || !certreq_usage_flags_parse (usages, &meta->usages, NULL))
    meta->usages = CERTREQ_USAGE_FLAG_NONE;
  meta->ca_id = g_key_file_get_string (key_file, "certificate", "ca-id", NULL);
  meta->request_id = g_key_file_get_string (key_file, "certificate", "request-id", NULL);
  meta->pending_id = g_key_file_get_string (key_file, "certificate", "pending-id", NULL);
  added = g_key_file_get_string (key_file, "certificate", "added", NULL);
  if (added != NULL)
    meta->added = g_date_time_new_from_iso8601 (added, NULL);

  return meta;
}

/* ---- Renewal: where a certificate came from, and how its renewal went ---- */

#define ORIGIN_SUFFIX ".request.ini"
#define RENEWAL_SUFFIX ".renewal.ini"
#define RENEWAL_GROUP "renewal"

/**
 * certreq_store_save_origin:
 * @self: a #CertreqStore
 * @thumbprint: the issued certificate's thumbprint
 * @request: the request it was issued for
 * @error: return location for a #GError
 *
 * Keeps the request in meta/<THUMBPRINT>.request.ini (public, like all metadata:
 * the account name is left out and the password is never saved) together with the
 * server profile it was made with, so that a renewal asks for exactly the same
 * names, key type, subject and usages.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_save_origin (CertreqStore    *self,
                           const char      *thumbprint,
                           CertreqRequest  *request,
                           GError         **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_REQUEST (request), FALSE);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  g_return_val_if_fail (normal != NULL, FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  certreq_request_to_key_file (request, key_file, "request");
  g_key_file_set_string (key_file, "request", "username", "");
  certreq_server_to_key_file (certreq_request_get_server (request), key_file, "server");
  path = meta_path (self, normal, ORIGIN_SUFFIX);
  return write_key_file (key_file, path, PUBLIC_FILE_MODE, error);
}

/**
 * certreq_store_load_origin:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint, in any case and spacing
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the request the certificate was issued for, with the
 *   server profile of that time; %NULL with a %CERTREQ_ERROR_NOT_FOUND error when
 *   Certwiz did not request it (an imported certificate)
 */
CertreqRequest *
certreq_store_load_origin (CertreqStore  *self,
                           const char    *thumbprint,
                           GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CertreqServer) server = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  if (normal != NULL)
    path = meta_path (self, normal, ORIGIN_SUFFIX);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Translators: %s is a certificate's thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("Certwiz does not know the request certificate %s came from (it was "
                     "imported), so it cannot renew it. Request a new certificate instead."),
                   normal != NULL ? normal : thumbprint);
      return NULL;
    }
  if (!read_key_file (key_file, path, FALSE, error))
    return NULL;

  server = certreq_server_new_from_key_file (key_file, "server");
  return certreq_request_new_from_key_file (server, key_file, "request", error);
}

void
certreq_renewal_record_free (CertreqRenewalRecord *record)
{
  if (record == NULL)
    return;

  g_clear_pointer (&record->last_attempt, g_date_time_unref);
  g_clear_pointer (&record->next_attempt, g_date_time_unref);
  g_free (record->last_error);
  g_free (record->pending_id);
  g_free (record->renewed_by);
  g_free (record);
}

static GDateTime *
get_time (GKeyFile   *key_file,
          const char *group,
          const char *key)
{
  g_autofree char *value = g_key_file_get_string (key_file, group, key, NULL);

  return value != NULL ? g_date_time_new_from_iso8601 (value, NULL) : NULL;
}

static void
set_time (GKeyFile   *key_file,
          const char *group,
          const char *key,
          GDateTime  *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *value = NULL;

  if (time == NULL)
    return;
  utc = g_date_time_to_utc (time);
  value = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_key_file_set_string (key_file, group, key, value);
}

static char *
get_nonempty (GKeyFile   *key_file,
              const char *group,
              const char *key)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value != NULL && *g_strstrip (value) == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/**
 * certreq_store_get_renewal_record:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint
 *
 * Returns: (transfer full): what happened when renewing the certificate
 *   (meta/<THUMBPRINT>.renewal.ini); an empty record when nothing did
 */
CertreqRenewalRecord *
certreq_store_get_renewal_record (CertreqStore *self,
                                  const char   *thumbprint)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;
  CertreqRenewalRecord *record = g_new0 (CertreqRenewalRecord, 1);

  g_return_val_if_fail (CERTREQ_IS_STORE (self), record);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  if (normal == NULL)
    return record;
  path = meta_path (self, normal, RENEWAL_SUFFIX);
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return record;

  record->failures = (guint) CLAMP (g_key_file_get_integer (key_file, RENEWAL_GROUP,
                                                            "failures", NULL), 0, G_MAXINT);
  record->last_attempt = get_time (key_file, RENEWAL_GROUP, "last-attempt");
  record->next_attempt = get_time (key_file, RENEWAL_GROUP, "next-attempt");
  record->last_error = get_nonempty (key_file, RENEWAL_GROUP, "last-error");
  record->pending_id = get_nonempty (key_file, RENEWAL_GROUP, "pending-id");
  record->renewed_by = get_nonempty (key_file, RENEWAL_GROUP, "renewed-by");
  return record;
}

/**
 * certreq_store_set_renewal_record:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint
 * @record: what to keep; every field may be empty
 * @error: return location for a #GError
 *
 * Replaces meta/<THUMBPRINT>.renewal.ini atomically (public: the main window of an
 * ordinary user shows failures and what is waiting).
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_set_renewal_record (CertreqStore                *self,
                                  const char                  *thumbprint,
                                  const CertreqRenewalRecord  *record,
                                  GError                     **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  g_return_val_if_fail (normal != NULL, FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  g_key_file_set_integer (key_file, RENEWAL_GROUP, "failures", (int) MIN (record->failures,
                                                                          G_MAXINT));
  set_time (key_file, RENEWAL_GROUP, "last-attempt", record->last_attempt);
  set_time (key_file, RENEWAL_GROUP, "next-attempt", record->next_attempt);
  if (record->last_error != NULL)
    g_key_file_set_string (key_file, RENEWAL_GROUP, "last-error", record->last_error);
  if (record->pending_id != NULL)
    g_key_file_set_string (key_file, RENEWAL_GROUP, "pending-id", record->pending_id);
  if (record->renewed_by != NULL)
    g_key_file_set_string (key_file, RENEWAL_GROUP, "renewed-by", record->renewed_by);

  path = meta_path (self, normal, RENEWAL_SUFFIX);
  return write_key_file (key_file, path, PUBLIC_FILE_MODE, error);
}

/**
 * certreq_store_get_chain:
 * @self: a #CertreqStore
 * @thumbprint: a SHA-1 thumbprint
 *
 * Returns: (transfer full) (element-type CertreqCertificate): the chain stored
 *   with the certificate; empty when there is none
 */
GPtrArray *
certreq_store_get_chain (CertreqStore *self,
                         const char   *thumbprint)
{
  g_autofree char *normal = NULL;
  g_autofree char *path = NULL;
  GPtrArray *chain;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  normal = certreq_thumbprint_normalize (thumbprint != NULL ? thumbprint : "");
  if (normal != NULL)
    {
      path = meta_path (self, normal, ".chain.pem");
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr(GError) error = NULL;

          chain = certreq_certificate_list_load (path, &error);
          if (chain != NULL)
            return chain;
          g_warning ("Ignoring the chain %s: %s", path, error->message);
        }
    }

  return g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
same_friendly_name (const char *a,
                    const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_utf8_collate (fa, fb) == 0 || strcmp (fa, fb) == 0;
}

/**
 * certreq_store_friendly_name_in_use:
 * @self: a #CertreqStore
 * @friendly_name: a friendly name
 *
 * Friendly names are unique in the store, without regard to case. A request
 * that is still pending counts: its certificate will take the name.
 *
 * Returns: %TRUE when a certificate or pending request already has @friendly_name
 */
gboolean
certreq_store_friendly_name_in_use (CertreqStore *self,
                                    const char   *friendly_name)
{
  g_autoptr(GPtrArray) metas = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  if (friendly_name == NULL || *friendly_name == '\0')
    return FALSE;

  metas = list_dir (self, "meta", ".ini");
  for (i = 0; i < metas->len; i++)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autofree char *path = _certreq_store_build_path (self, "meta", metas->pdata[i], NULL);
      g_autofree char *name = NULL;

      if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
        continue;
      name = g_key_file_get_string (key_file, "certificate", "friendly-name", NULL);
      if (same_friendly_name (name, friendly_name))
        return TRUE;
    }

  pending = list_dir (self, "pending", NULL);
  for (i = 0; i < pending->len; i++)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autofree char *path = _certreq_store_build_path (self, "pending", pending->pdata[i],
                                                         "request.ini", NULL);
      g_autofree char *name = NULL;

      if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
        continue;
      name = g_key_file_get_string (key_file, "request", "friendly-name", NULL);
      if (same_friendly_name (name, friendly_name))
        return TRUE;
    }

  return FALSE;
}

/**
 * certreq_store_has_key_for:
 * @self: a #CertreqStore
 * @cert: a certificate
 *
 * Returns: %TRUE when keys/ holds the private key of @cert
 */
gboolean
certreq_store_has_key_for (CertreqStore       *self,
                           CertreqCertificate *cert)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), FALSE);

  return certreq_store_has_key (self, certreq_certificate_get_key_id (cert));
}

/* ---- Pending requests ---- */

static const char * const pending_state_ids[] = {
  [CERTREQ_PENDING_CREATED] = "created",
  [CERTREQ_PENDING_SUBMITTED] = "submitted",
  [CERTREQ_PENDING_PENDING] = "pending",
  [CERTREQ_PENDING_ISSUED] = "issued",
  [CERTREQ_PENDING_DENIED] = "denied",
};

/**
 * certreq_pending_state_to_id:
 * @state: a #CertreqPendingState
 *
 * Returns: the state as written in request.ini: "created", "submitted",
 *   "pending", "issued" or "denied"
 */
const char *
certreq_pending_state_to_id (CertreqPendingState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (pending_state_ids), NULL);
  return pending_state_ids[state];
}

static gboolean
pending_state_from_id (const char          *id,
                       CertreqPendingState *out_state)
{
  guint i;

  for (i = 0; id != NULL && i < G_N_ELEMENTS (pending_state_ids); i++)
    {
      if (strcmp (id, pending_state_ids[i]) == 0)
        {
          *out_state = (CertreqPendingState) i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
is_pending_id (const char *id)
{
  return id != NULL && strlen (id) == 16 && is_key_id (id);
}

static char *
pending_dir (CertreqStore  *self,
             const char    *id,
             GError       **error)
{
  char *dir;

  if (is_pending_id (id))
    {
      /* A process that may not read pending/ reads its public mirror */
      dir = self->private_readable ? _certreq_store_build_path (self, "pending", id, NULL)
                                   : _certreq_store_build_path (self, "meta", "pending", id, NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return dir;
      g_free (dir);
    }

  /* Translators: %s is the id of a pending request */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("There is no pending request with the id %s."), id != NULL ? id : "");
  return NULL;
}

/* meta/pending/<ID>/: request.ini (without account names) and request.csr of every
 * waiting request, public like the rest of meta/, so that the GUI of an ordinary user
 * can list what waits and offer Process Pending Request. The key never leaves
 * pending/. The mirror follows pending/ after every change and whenever a writer opens
 * the store; pending/ stays the truth. Best effort: it only informs read-only views. */
static void
mirror_pending_entry (CertreqStore *self,
                      const char   *id)
{
  g_autofree char *source = _certreq_store_build_path (self, "pending", id, NULL);
  g_autofree char *target = _certreq_store_build_path (self, "meta", "pending", id, NULL);
  g_autofree char *ini_path = g_build_filename (source, "request.ini", NULL);
  g_autofree char *csr_path = g_build_filename (source, "request.csr", NULL);
  g_autofree char *ini_target = g_build_filename (target, "request.ini", NULL);
  g_autofree char *csr_target = g_build_filename (target, "request.csr", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *csr = NULL;
  gsize csr_length = 0;

  if (!g_key_file_load_from_file (key_file, ini_path, G_KEY_FILE_NONE, NULL) ||
      !g_file_get_contents (csr_path, &csr, &csr_length, NULL))
    return;
  g_key_file_remove_key (key_file, "request", "username", NULL);
  g_key_file_remove_key (key_file, "request", "password", NULL);

  if (!_certreq_ensure_dir (target, PUBLIC_DIR_MODE, NULL))
    return;
  write_key_file (key_file, ini_target, PUBLIC_FILE_MODE, NULL);
  _certreq_write_file_atomic (csr_target, csr, csr_length, PUBLIC_FILE_MODE, NULL);
}

static void
sync_pending_mirror (CertreqStore *self)
{
  g_autofree char *mirror = _certreq_store_build_path (self, "meta", "pending", NULL);
  g_autoptr(GPtrArray) ids = list_dir (self, "pending", NULL);
  g_autoptr(GPtrArray) mirrored = list_dir (self, "meta/pending", NULL);
  guint i;

  if (ids->len == 0 && !g_file_test (mirror, G_FILE_TEST_IS_DIR))
    return;
  if (!_certreq_ensure_dir (mirror, PUBLIC_DIR_MODE, NULL))
    return;

  for (i = 0; i < mirrored->len; i++)
    {
      const char *id = mirrored->pdata[i];
      g_autofree char *entry = _certreq_store_build_path (self, "pending", id, NULL);

      if (!is_pending_id (id) || !g_file_test (entry, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *stale = g_build_filename (mirror, id, NULL);

          remove_tree (stale);
        }
    }
  for (i = 0; i < ids->len; i++)
    if (is_pending_id (ids->pdata[i]))
      mirror_pending_entry (self, ids->pdata[i]);
}

static char *
random_pending_id (void)
{
  guint8 bytes[8];

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      guint i;

      for (i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) g_random_int_range (0, 256);
    }

  return _certreq_hex (bytes, sizeof bytes, FALSE);
}

/**
 * certreq_store_pending_create:
 * @self: a #CertreqStore
 * @request: the request as the admin made it (its password is never written)
 * @key: the request's new private key
 * @csr_der: the PKCS#10 request
 * @error: return location for a #GError
 *
 * Writes pending/<ID>/ with key.pem, request.csr and request.ini (state
 * "created"), every file 0600 in a 0700 directory. The entry is built under a
 * temporary name and renamed into place, so it is never seen half-written; it
 * is on disk before anything leaves the machine.
 *
 * Returns: (transfer full): the new entry's ID (16 hexadecimal digits)
 */
char *
certreq_store_pending_create (CertreqStore    *self,
                              CertreqRequest  *request,
                              CertreqKey      *key,
                              GBytes          *csr_der,
                              GError         **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *id = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *final = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *csr_pem = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail (CERTREQ_IS_REQUEST (request), NULL);
  g_return_val_if_fail (CERTREQ_IS_KEY (key), NULL);
  g_return_val_if_fail (csr_der != NULL, NULL);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return NULL;

  pending = _certreq_store_build_path (self, "pending", NULL);
  if (!_certreq_ensure_dir (pending, PRIVATE_DIR_MODE, error))
    return NULL;

  do
    {
      g_free (id);
      g_free (final);
      id = random_pending_id ();
      final = g_build_filename (pending, id, NULL);
    }
  while (g_file_test (final, G_FILE_TEST_EXISTS));

  tmp_name = g_strconcat (PENDING_TMP_PREFIX, id, NULL);
  tmp = g_build_filename (pending, tmp_name, NULL);
  if (g_mkdir (tmp, PRIVATE_DIR_MODE) < 0)
    {
      int saved_errno = errno;

      /* Translators: %1$s is a directory, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                   _("Could not create the directory %1$s: %2$s"),
                   tmp, g_strerror (saved_errno));
      return NULL;
    }

  key_pem = g_build_filename (tmp, "key.pem", NULL);
  csr_path = g_build_filename (tmp, "request.csr", NULL);
  ini_path = g_build_filename (tmp, "request.ini", NULL);
  csr_pem = certreq_csr_der_to_pem (csr_der);
  now = now_iso8601 ();

  certreq_request_to_key_file (request, key_file, "request");
  /* The names are derived from the profile: keep the one the CSR was made with */
  certreq_server_to_key_file (certreq_request_get_server (request), key_file, "server");
  g_key_file_set_string (key_file, "pending", "state",
                         certreq_pending_state_to_id (CERTREQ_PENDING_CREATED));
  g_key_file_set_string (key_file, "pending", "key-id", certreq_key_get_id (key));
  g_key_file_set_string (key_file, "pending", "ca", certreq_request_get_ca_id (request));
  g_key_file_set_string (key_file, "pending", "ca-request-id", "");
  g_key_file_set_string (key_file, "pending", "reason", "");
  g_key_file_set_string (key_file, "pending", "created", now);
  g_key_file_set_string (key_file, "pending", "updated", now);

  if (!certreq_key_save (key, key_pem, error) ||
      !_certreq_write_file_atomic (csr_path, csr_pem, strlen (csr_pem), PRIVATE_FILE_MODE,
                                   error) ||
      !write_key_file (key_file, ini_path, PRIVATE_FILE_MODE, error))
    {
      remove_tree (tmp);
      return NULL;
    }

  if (rename (tmp, final) < 0)
    {
      int saved_errno = errno;

      remove_tree (tmp);
      /* Translators: %1$s is a directory, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                   _("Could not create the directory %1$s: %2$s"),
                   final, g_strerror (saved_errno));
      return NULL;
    }

  if (!_certreq_fsync_dir (pending, error))
    return NULL;
  mirror_pending_entry (self, id);

  return g_steal_pointer (&id);
}

static gboolean
load_pending_ini (CertreqStore  *self,
                  const char    *id,
                  GKeyFile      *key_file,
                  char         **out_path,
                  GError       **error)
{
  g_autofree char *dir = pending_dir (self, id, error);
  g_autofree char *path = NULL;

  if (dir == NULL)
    return FALSE;

  path = g_build_filename (dir, "request.ini", NULL);
  if (!read_key_file (key_file, path, FALSE, error))
    return FALSE;

  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return TRUE;
}

/**
 * certreq_store_pending_set_state:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @state: its new state
 * @ca_request_id: (nullable): the CA's request id, when it gave one
 * @reason: (nullable): the CA's reason, for a denied request
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_pending_set_state (CertreqStore         *self,
                                 const char           *id,
                                 CertreqPendingState   state,
                                 const char           *ca_request_id,
                                 const char           *reason,
                                 GError              **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (pending_state_ids), FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  if (!load_pending_ini (self, id, key_file, &path, error))
    return FALSE;

  now = now_iso8601 ();
  g_key_file_set_string (key_file, "pending", "state", certreq_pending_state_to_id (state));
  if (ca_request_id != NULL)
    g_key_file_set_string (key_file, "pending", "ca-request-id", ca_request_id);
  if (reason != NULL)
    g_key_file_set_string (key_file, "pending", "reason", reason);
  g_key_file_set_string (key_file, "pending", "updated", now);

  if (!write_key_file (key_file, path, PRIVATE_FILE_MODE, error))
    return FALSE;
  mirror_pending_entry (self, id);
  return TRUE;
}

/**
 * certreq_store_pending_get_state:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @out_state: (out): return location for the state
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_pending_get_state (CertreqStore         *self,
                                 const char           *id,
                                 CertreqPendingState  *out_state,
                                 GError              **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *state = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_state != NULL, FALSE);

  if (!load_pending_ini (self, id, key_file, &path, error))
    return FALSE;

  state = g_key_file_get_string (key_file, "pending", "state", NULL);
  if (!pending_state_from_id (state, out_state))
    {
      /* Translators: %s is a file in the store */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The pending request %s has no valid state."), path);
      return FALSE;
    }

  return TRUE;
}

/* Renames the entry away first, so that a crash never leaves half an entry
 * under its real name; the leftover is removed the next time the store opens */
static gboolean
remove_pending_dir (CertreqStore  *self,
                    const char    *id,
                    const char    *dir,
                    GError       **error)
{
  g_autofree char *pending = _certreq_store_build_path (self, "pending", NULL);
  g_autofree char *gone_name = g_strconcat (PENDING_GONE_PREFIX, id, NULL);
  g_autofree char *gone = g_build_filename (pending, gone_name, NULL);

  remove_tree (gone);
  if (rename (dir, gone) < 0)
    {
      int saved_errno = errno;

      /* Translators: %1$s is a directory, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                   _("Could not remove %1$s: %2$s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  remove_tree (gone);
  sync_pending_mirror (self);

  return _certreq_fsync_dir (pending, error);
}

/**
 * certreq_store_pending_complete:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @error: return location for a #GError
 *
 * Moves the entry's key to keys/<KEY-ID>.pem (with its exportable flag from the
 * request), then removes pending/<ID>/. The key is linked into keys/ before the
 * entry goes, so no crash can lose it.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_pending_complete (CertreqStore  *self,
                                const char    *id,
                                GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CertreqKey) key = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *keys_dir = NULL;
  const char *key_id;
  gboolean exportable;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  if (!load_pending_ini (self, id, key_file, &ini_path, error))
    return FALSE;
  dir = pending_dir (self, id, error);
  if (dir == NULL)
    return FALSE;

  source = g_build_filename (dir, "key.pem", NULL);
  key = certreq_key_load (source, error);
  if (key == NULL)
    return FALSE;
  key_id = certreq_key_get_id (key);
  exportable = g_key_file_get_boolean (key_file, "request", "exportable", NULL);

  keys_dir = _certreq_store_build_path (self, "keys", NULL);
  if (!_certreq_ensure_dir (keys_dir, PRIVATE_DIR_MODE, error))
    return FALSE;
  target = key_path (self, key_id, ".pem");

  /* A hard link keeps the file (0600 since its creation) and is atomic; when
   * the key is already in keys/ (the same key id), there is nothing to move */
  if (link (source, target) < 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      /* Another file system: write a copy, atomically and 0600 from creation */
      if (saved_errno != EXDEV || !certreq_key_save (key, target, error))
        {
          if (saved_errno != EXDEV)
            /* Translators: %1$s is a key file, %2$s the system's reason */
            g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                         _("Could not store the private key %1$s: %2$s"),
                         target, g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (!_certreq_fsync_dir (keys_dir, error) ||
      !write_key_meta (self, key_id, certreq_key_type_to_id (certreq_key_get_key_type (key)),
                       exportable, error))
    return FALSE;

  return remove_pending_dir (self, id, dir, error);
}

/**
 * certreq_store_pending_remove:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @error: return location for a #GError
 *
 * Removes pending/<ID>/ with its key.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_pending_remove (CertreqStore  *self,
                              const char    *id,
                              GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  dir = pending_dir (self, id, error);
  if (dir == NULL)
    return FALSE;

  return remove_pending_dir (self, id, dir, error);
}

/**
 * certreq_store_pending_list:
 * @self: a #CertreqStore
 *
 * Returns: (transfer full) (element-type utf8): the IDs in pending/, sorted
 */
GPtrArray *
certreq_store_pending_list (CertreqStore *self)
{
  GPtrArray *ids;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  ids = list_dir (self, self->private_readable ? "pending" : "meta/pending", NULL);
  for (i = ids->len; i > 0; i--)
    {
      if (!is_pending_id (ids->pdata[i - 1]))
        g_ptr_array_remove_index (ids, i - 1);
    }

  return ids;
}

/**
 * certreq_store_pending_load_request:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @server: (nullable): the server profile for the request, used when the entry
 *   has none of its own (entries written before it kept the profile)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the request as it was saved (without password), with
 *   the server profile it was made with
 */
CertreqRequest *
certreq_store_pending_load_request (CertreqStore   *self,
                                    const char     *id,
                                    CertreqServer  *server,
                                    GError        **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CertreqServer) saved = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);


  if (!load_pending_ini (self, id, key_file, NULL, error))
    return NULL;

  if (g_key_file_has_group (key_file, "server"))
    saved = certreq_server_new_from_key_file (key_file, "server");
  return certreq_request_new_from_key_file (saved != NULL ? saved : server, key_file,
                                            "request", error);
}

/**
 * certreq_store_pending_load_key:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the entry's private key
 */
CertreqKey *
certreq_store_pending_load_key (CertreqStore  *self,
                                const char    *id,
                                GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  dir = pending_dir (self, id, error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "key.pem", NULL);
  return certreq_key_load (path, error);
}

/**
 * certreq_store_pending_get_csr:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the entry's PKCS#10 request, DER
 */
GBytes *
certreq_store_pending_get_csr (CertreqStore  *self,
                               const char    *id,
                               GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  dir = pending_dir (self, id, error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "request.csr", NULL);
  if (!g_file_get_contents (path, &pem, &length, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not read %1$s: %2$s"), path, local_error->message);
      return NULL;
    }

  return certreq_csr_parse (pem, length, error);
}

/**
 * certreq_store_pending_get_info:
 * @self: a #CertreqStore
 * @id: the pending entry's ID
 * @out_ca: (out) (optional) (transfer full): the CA's id
 * @out_ca_request_id: (out) (optional) (transfer full) (nullable): the CA's request id
 * @out_reason: (out) (optional) (transfer full) (nullable): the CA's reason for a denial
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_pending_get_info (CertreqStore  *self,
                                const char    *id,
                                char         **out_ca,
                                char         **out_ca_request_id,
                                char         **out_reason,
                                GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  char *value;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);

  if (!load_pending_ini (self, id, key_file, NULL, error))
    return FALSE;

  if (out_ca != NULL)
    *out_ca = g_key_file_get_string (key_file, "pending", "ca", NULL);
  if (out_ca_request_id != NULL)
    {
      value = g_key_file_get_string (key_file, "pending", "ca-request-id", NULL);
      if (value != NULL && *value == '\0')
        g_clear_pointer (&value, g_free);
      *out_ca_request_id = value;
    }
  if (out_reason != NULL)
    {
      value = g_key_file_get_string (key_file, "pending", "reason", NULL);
      if (value != NULL && *value == '\0')
        g_clear_pointer (&value, g_free);
      *out_reason = value;
    }

  return TRUE;
}

/* ---- Trust ---- */

static gboolean
is_self_signed (CertreqCertificate *cert)
{
  X509 *x509 = _certreq_certificate_get_x509 (cert);
  EVP_PKEY *pkey;
  gboolean ok;

  if (!certreq_certificate_is_self_issued (cert))
    return FALSE;

  ERR_clear_error ();
  pkey = X509_get0_pubkey (x509);
  ok = pkey != NULL && X509_verify (x509, pkey) == 1;
  ERR_clear_error ();
  return ok;
}

/**
 * certreq_store_trust_add:
 * @self: a #CertreqStore
 * @cert: a CA certificate
 * @as_root: %TRUE for a root (trust/roots), %FALSE for an intermediate
 *   (trust/intermediates)
 * @error: return location for a #GError
 *
 * Adds @cert to Certwiz's own trust, never the system's. Only CA certificates
 * are accepted, and only a self-signed one can be a root.
 *
 * Returns: %TRUE on success; %FALSE with %CERTREQ_ERROR_UNTRUSTED for a
 *   certificate that cannot be trusted this way
 */
gboolean
certreq_store_trust_add (CertreqStore        *self,
                         CertreqCertificate  *cert,
                         gboolean             as_root,
                         GError             **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), FALSE);

  subject = certreq_certificate_get_subject_name (cert);
  if (!certreq_certificate_is_ca (cert))
    {
      /* Translators: %1$s is a certificate's subject name, %2$s its thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED,
                   _("The certificate “%1$s” (%2$s) is not a certification authority "
                     "certificate; only CA certificates can be trusted."),
                   subject, certreq_certificate_get_thumbprint (cert));
      return FALSE;
    }
  if (as_root && !is_self_signed (cert))
    {
      /* Translators: %1$s is a certificate's subject name, %2$s its thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED,
                   _("The certificate “%1$s” (%2$s) is not self-signed, so it is not a root "
                     "certificate. Import it as an intermediate certificate instead."),
                   subject, certreq_certificate_get_thumbprint (cert));
      return FALSE;
    }

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  dir = _certreq_store_build_path (self, "trust", as_root ? "roots" : "intermediates", NULL);
  if (!_certreq_ensure_dir (dir, PUBLIC_DIR_MODE, error))
    return FALSE;
  name = g_strconcat (certreq_certificate_get_thumbprint (cert), ".pem", NULL);
  path = g_build_filename (dir, name, NULL);

  return write_certificate (cert, path, error);
}

/**
 * certreq_store_get_trusted_roots:
 * @self: a #CertreqStore
 *
 * Returns: (transfer full) (element-type CertreqCertificate): trust/roots
 */
GPtrArray *
certreq_store_get_trusted_roots (CertreqStore *self)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  return load_certificates_in (self, "trust/roots");
}

/**
 * certreq_store_get_intermediates:
 * @self: a #CertreqStore
 *
 * Returns: (transfer full) (element-type CertreqCertificate): trust/intermediates
 */
GPtrArray *
certreq_store_get_intermediates (CertreqStore *self)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  return load_certificates_in (self, "trust/intermediates");
}

static void
append_certificates (GPtrArray *to,
                     GPtrArray *from)
{
  guint i;

  for (i = 0; from != NULL && i < from->len; i++)
    g_ptr_array_add (to, g_object_ref (from->pdata[i]));
}

/**
 * certreq_store_verify:
 * @self: a #CertreqStore
 * @cert: the certificate to verify
 * @extra: (nullable) (element-type CertreqCertificate): more intermediates,
 *   such as the chain a CA just returned
 * @error: return location for a #GError
 *
 * Verifies @cert for TLS server use against the system's trust plus
 * trust/roots, with intermediates from @extra, the chain stored with the
 * certificate and trust/intermediates.
 *
 * Returns: (transfer full): the verification result
 */
CertreqChainResult *
certreq_store_verify (CertreqStore        *self,
                      CertreqCertificate  *cert,
                      GPtrArray           *extra,
                      GError             **error)
{
  g_autoptr(GPtrArray) untrusted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  g_autoptr(GPtrArray) roots = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), NULL);

  stored = certreq_store_get_chain (self, certreq_certificate_get_thumbprint (cert));
  intermediates = certreq_store_get_intermediates (self);
  roots = certreq_store_get_trusted_roots (self);

  append_certificates (untrusted, extra);
  append_certificates (untrusted, stored);
  append_certificates (untrusted, intermediates);

  return certreq_chain_verify (cert, untrusted, roots, TRUE, NULL, error);
}

/* ---- Usages (usages.ini) ---- */

static char *
usages_ini_path (CertreqStore *self)
{
  return _certreq_store_build_path (self, "usages.ini", NULL);
}

static GKeyFile *
load_usages_ini (CertreqStore *self)
{
  GKeyFile *key_file = g_key_file_new ();
  g_autofree char *path = usages_ini_path (self);
  g_autoptr(GError) error = NULL;

  if (!read_key_file (key_file, path, TRUE, &error))
    g_warning ("%s", error->message);

  return key_file;
}

static char *
get_usage_string (CertreqStore *self,
                  CertreqUsage  usage,
                  const char   *key)
{
  g_autoptr(GKeyFile) key_file = load_usages_ini (self);
  char *value = g_key_file_get_string (key_file, certreq_usage_to_id (usage), key, NULL);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/**
 * certreq_store_get_assigned:
 * @self: a #CertreqStore
 * @usage: a #CertreqUsage
 *
 * Returns: (transfer full) (nullable): the thumbprint of the certificate
 *   assigned to @usage
 */
char *
certreq_store_get_assigned (CertreqStore *self,
                            CertreqUsage  usage)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  return get_usage_string (self, usage, "current");
}

/**
 * certreq_store_get_previous:
 * @self: a #CertreqStore
 * @usage: a #CertreqUsage
 *
 * Returns: (transfer full) (nullable): the thumbprint of the certificate that
 *   was assigned to @usage before the current one
 */
char *
certreq_store_get_previous (CertreqStore *self,
                            CertreqUsage  usage)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  return get_usage_string (self, usage, "previous");
}

/**
 * certreq_store_get_reload_command:
 * @self: a #CertreqStore
 * @usage: a #CertreqUsage
 *
 * Returns: (transfer full) (nullable): the argv of @usage's reload command
 */
char **
certreq_store_get_reload_command (CertreqStore *self,
                                  CertreqUsage  usage)
{
  g_autoptr(GKeyFile) key_file = NULL;
  char **argv;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  key_file = load_usages_ini (self);
  argv = g_key_file_get_string_list (key_file, certreq_usage_to_id (usage), "reload-command",
                                     NULL, NULL);
  if (argv != NULL && argv[0] == NULL)
    g_clear_pointer (&argv, g_strfreev);
  return argv;
}

/**
 * certreq_store_set_reload_command:
 * @self: a #CertreqStore
 * @usage: a #CertreqUsage
 * @argv: (nullable): the command, run without a shell; %NULL or empty for none
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_set_reload_command (CertreqStore        *self,
                                  CertreqUsage         usage,
                                  const char * const  *argv,
                                  GError             **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  const char *group;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, FALSE);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_usages_ini (self);
  group = certreq_usage_to_id (usage);
  if (argv == NULL || argv[0] == NULL)
    g_key_file_remove_key (key_file, group, "reload-command", NULL);
  else
    g_key_file_set_string_list (key_file, group, "reload-command", argv,
                                g_strv_length ((char **) argv));

  path = usages_ini_path (self);
  return write_key_file (key_file, path, PUBLIC_FILE_MODE, error);
}

gboolean
_certreq_store_record_assignment (CertreqStore  *store,
                                  CertreqUsage   usage,
                                  const char    *thumbprint,
                                  GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *current = NULL;
  g_autofree char *now = NULL;
  const char *group;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, FALSE);

  /* The caller holds the lock already; taking it again is cheap and keeps this safe */
  lock = lock_for_change (store, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_usages_ini (store);
  group = certreq_usage_to_id (usage);
  current = g_key_file_get_string (key_file, group, "current", NULL);
  now = now_iso8601 ();

  if (current != NULL && *current != '\0' && g_strcmp0 (current, thumbprint) != 0)
    g_key_file_set_string (key_file, group, "previous", current);
  if (thumbprint != NULL)
    {
      g_key_file_set_string (key_file, group, "current", thumbprint);
      g_key_file_set_string (key_file, group, "assigned", now);
    }
  else
    {
      g_key_file_remove_key (key_file, group, "current", NULL);
      g_key_file_set_string (key_file, group, "unassigned", now);
    }

  path = usages_ini_path (store);
  /* The switch this records is over */
  return write_key_file (key_file, path, PUBLIC_FILE_MODE, error) &&
         _certreq_store_clear_switch (store, usage, error);
}

/* The keys of usages.ini that record a usage's assignment */
static const char * const assignment_keys[] = { "current", "previous", "assigned", "unassigned" };

/* What usages.ini records about @usage's assignment, one string per key of
 * assignment_keys ("" for an absent key), for _certreq_store_restore_assignment() */
char **
_certreq_store_save_assignment (CertreqStore *store,
                                CertreqUsage  usage)
{
  g_autoptr(GKeyFile) key_file = load_usages_ini (store);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **record;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (assignment_keys); i++)
    {
      g_autofree char *value = g_key_file_get_string (key_file, certreq_usage_to_id (usage),
                                                      assignment_keys[i], NULL);

      g_strv_builder_add (builder, value != NULL ? value : "");
    }

  record = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return record;
}

/* Puts back exactly what _certreq_store_save_assignment() returned: a rolled-back
 * assignment leaves no trace in usages.ini, not even as the "previous" certificate */
gboolean
_certreq_store_restore_assignment (CertreqStore        *store,
                                   CertreqUsage         usage,
                                   const char * const  *record,
                                   GError             **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  const char *group = certreq_usage_to_id (usage);
  guint i;

  g_return_val_if_fail (record != NULL &&
                        g_strv_length ((char **) record) == G_N_ELEMENTS (assignment_keys),
                        FALSE);

  lock = lock_for_change (store, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_usages_ini (store);
  for (i = 0; i < G_N_ELEMENTS (assignment_keys); i++)
    {
      if (*record[i] != '\0')
        g_key_file_set_string (key_file, group, assignment_keys[i], record[i]);
      else
        g_key_file_remove_key (key_file, group, assignment_keys[i], NULL);
    }

  path = usages_ini_path (store);
  return write_key_file (key_file, path, PUBLIC_FILE_MODE, error) &&
         _certreq_store_clear_switch (store, usage, error);
}

/* journal/<usage>.switch: the archive set live/<usage> is about to be switched to */
static char *
switch_mark_path (CertreqStore *store,
                  CertreqUsage  usage)
{
  g_autofree char *name = g_strdup_printf ("%s.switch", certreq_usage_to_id (usage));

  return _certreq_store_build_path (store, "journal", name, NULL);
}

gboolean
_certreq_store_mark_switch (CertreqStore  *store,
                            CertreqUsage   usage,
                            const char    *set_dir,
                            GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, FALSE);
  g_return_val_if_fail (set_dir != NULL, FALSE);

  lock = lock_for_change (store, error);
  if (lock == NULL)
    return FALSE;

  dir = _certreq_store_build_path (store, "journal", NULL);
  path = switch_mark_path (store, usage);
  data = g_strconcat (set_dir, "\n", NULL);
  return _certreq_ensure_dir (dir, PRIVATE_DIR_MODE, error) &&
         _certreq_write_file_atomic (path, data, strlen (data), PRIVATE_FILE_MODE, error);
}

gboolean
_certreq_store_clear_switch (CertreqStore  *store,
                             CertreqUsage   usage,
                             GError       **error)
{
  g_autofree char *path = switch_mark_path (store, usage);
  g_autofree char *dir = NULL;

  if (g_unlink (path) < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      /* Translators: %1$s is a file, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, errno_code (saved_errno),
                   _("Could not remove %1$s: %2$s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  return _certreq_fsync_dir (dir, error);
}

/* Finishes the assignments a crash interrupted (the lock is held): where a mark
 * says live/<usage> was about to be switched, the link decides. Switched, the set's
 * certificate is recorded as the usage's current one (the switch is the commit
 * point); not switched, the mark goes and the usage keeps its record. */
static void
finish_switches (CertreqStore *self)
{
  guint usage;

  for (usage = 0; usage < CERTREQ_N_USAGES; usage++)
    {
      g_autofree char *path = switch_mark_path (self, usage);
      g_autofree char *switching = NULL;
      g_autofree char *live = NULL;
      g_autofree char *target = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (path, &switching, NULL, NULL))
        continue;
      g_strstrip (switching);

      live = certreq_store_get_live_dir (self, usage);
      target = g_canonicalize_filename (switching, NULL);
      if (live != NULL && *switching != '\0' && strcmp (live, target) == 0)
        {
          g_autofree char *cert_file = g_build_filename (live, "cert.pem", NULL);
          g_autoptr(CertreqCertificate) cert = certreq_certificate_load (cert_file, &error);

          if (cert != NULL &&
              _certreq_store_record_assignment (self, usage,
                                                certreq_certificate_get_thumbprint (cert),
                                                &error))
            continue;
          g_message ("%s", error->message);
          g_clear_error (&error);
        }

      /* Not switched (or not readable): the record stands as it is */
      if (!_certreq_store_clear_switch (self, usage, &error))
        g_message ("%s", error->message);
    }
}

/**
 * certreq_store_get_live_dir:
 * @self: a #CertreqStore
 * @usage: a #CertreqUsage
 *
 * Returns: (transfer full) (nullable): the absolute directory live/<usage>
 *   points to, or %NULL when the usage was never deployed
 */
char *
certreq_store_get_live_dir (CertreqStore *self,
                            CertreqUsage  usage)
{
  g_autofree char *link_path = NULL;
  g_autofree char *live = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  live = _certreq_store_build_path (self, "live", NULL);
  link_path = g_build_filename (live, certreq_usage_to_id (usage), NULL);
  target = g_file_read_link (link_path, NULL);
  if (target == NULL)
    return NULL;

  return g_canonicalize_filename (target, live);
}

/* ---- Operation logs ---- */

static char *
sanitize_operation (const char *operation)
{
  char *name = g_ascii_strdown (operation != NULL && *operation != '\0' ? operation : "operation",
                                -1);
  char *p;

  for (p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        *p = '-';
    }

  return name;
}

/**
 * certreq_store_create_log:
 * @self: a #CertreqStore
 * @operation: a short name for the operation, such as "request"
 * @error: return location for a #GError
 *
 * Starts log/<UTC timestamp>-<operation>.log (0600 in a 0700 directory). Every
 * line written with certreq_log_printf() is time-stamped and the file is
 * replaced atomically, so it is never half-written. Logs never hold secrets.
 *
 * Returns: (transfer full): the log
 */
CertreqLog *
certreq_store_create_log (CertreqStore  *self,
                          const char    *operation,
                          GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *op = NULL;
  g_autofree char *path = NULL;
  CertreqLog *log;
  guint n;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  lock = lock_for_change (self, error);
  if (lock == NULL)
    return NULL;

  dir = _certreq_store_build_path (self, "log", NULL);
  if (!_certreq_ensure_dir (dir, PRIVATE_DIR_MODE, error))
    return NULL;

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  op = sanitize_operation (operation);
  for (n = 0; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *name = NULL;

      g_free (path);
      name = g_strdup_printf ("%s.%06dZ-%s.log", stamp,
                              g_date_time_get_microsecond (now) + (int) n, op);
      path = g_build_filename (dir, name, NULL);
    }

  log = g_new0 (CertreqLog, 1);
  g_mutex_init (&log->mutex);
  log->path = g_steal_pointer (&path);

  /* A new file, 0600 from its creation; each line is appended with one write(), so a
   * reader sees whole lines, and no line costs a rewrite of the file with fsync */
  log->fd = open (log->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
                  PRIVATE_FILE_MODE);
  if (log->fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   /* Translators: %1$s is a file name, %2$s the system's reason */
                   _("Could not write %1$s: %2$s"), log->path, g_strerror (saved_errno));
      certreq_log_free (log);
      return NULL;
    }

  return log;
}

/**
 * certreq_log_printf:
 * @log: (nullable): a log; %NULL does nothing
 * @format: a printf() format for one line, in English (logs are not translated)
 * @...: the arguments
 *
 * Appends one time-stamped line. Never pass key material or passwords.
 */
void
certreq_log_printf (CertreqLog *log,
                    const char *format,
                    ...)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  gssize written;
  gsize length;
  va_list ap;

  if (log == NULL || log->fd < 0)
    return;

  va_start (ap, format);
  line = g_strdup_vprintf (format, ap);
  va_end (ap);

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  text = g_strdup_printf ("%s %s\n", stamp, line);
  length = strlen (text);
  g_mutex_lock (&log->mutex);
  do
    written = write (log->fd, text, length);
  while (written < 0 && errno == EINTR);
  if (written != (gssize) length && !log->failed)
    {
      log->failed = TRUE;
      g_warning ("Could not write the log %s: %s", log->path,
                 written < 0 ? g_strerror (errno) : "short write");
    }
  g_mutex_unlock (&log->mutex);
}

const char *
certreq_log_get_path (CertreqLog *log)
{
  g_return_val_if_fail (log != NULL, NULL);
  return log->path;
}

void
certreq_log_free (CertreqLog *log)
{
  if (log == NULL)
    return;

  g_mutex_clear (&log->mutex);
  if (log->fd >= 0)
    close (log->fd);
  g_free (log->path);
  g_free (log);
}

static gint
compare_strings_desc (gconstpointer a,
                      gconstpointer b)
{
  return -compare_strings (a, b);
}

/**
 * certreq_store_list_logs:
 * @self: a #CertreqStore
 *
 * Returns: (transfer full) (element-type filename): the paths of the logs,
 *   newest first
 */
GPtrArray *
certreq_store_list_logs (CertreqStore *self)
{
  g_autoptr(GPtrArray) names = NULL;
  GPtrArray *paths;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (self), NULL);

  names = list_dir (self, "log", ".log");
  g_ptr_array_sort (names, compare_strings_desc);
  paths = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < names->len; i++)
    g_ptr_array_add (paths, _certreq_store_build_path (self, "log", names->pdata[i], NULL));

  return paths;
}
