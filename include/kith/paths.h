/* paths.h - where kith keeps its files (XDG base directories). */
#ifndef KITH_PATHS_H
#define KITH_PATHS_H

#include <stdint.h>
#include <sys/types.h>

/* All returned strings are the caller's to free(). */

/* $XDG_CONFIG_HOME/kith/config, or ~/.config/kith/config. */
char *paths_config_file(void);

/* $XDG_DATA_HOME/kith/kith.db, or ~/.local/share/kith/kith.db. */
char *paths_default_database(void);

/* $XDG_RUNTIME_DIR/kith, or /tmp/kith-UID when XDG_RUNTIME_DIR is unset. */
char *paths_runtime_dir(void);

/*
 * Whether `dir` is safe to keep a pid file in: a directory (not a symlink)
 * owned by the user and closed to everyone else (0700).  0, or -1 with the
 * reason in errno (EPERM: another owner or open permissions; ENOTDIR).
 */
int paths_runtime_dir_check(const char *dir);

/*
 * The pid file of the kithd that writes `database` (NULL: the default
 * database): paths_runtime_dir()/kithd-HASH.pid, HASH a digest of the
 * path, so that kithd instances with different databases can run at once.
 */
char *paths_pidfile(const char *database);

/*
 * The pid of the kithd running on `database` according to its pid file, or
 * 0 when none runs (no file, a stale pid, a pid that is not kithd, or a
 * runtime directory that paths_runtime_dir_check refuses).
 */
pid_t paths_daemon_pid(const char *database);

/*
 * The daemon's progress, kept in the store's meta table so that `kith sync
 * --wait` and `kith status` can follow it:
 *   daemon.sync_seq     counter, incremented when a sync round finishes
 *   daemon.sync_result  "ok" or the first error of that round
 *   daemon.state        "syncing", "idle", "stopped"
 */
#define META_SYNC_SEQ		"daemon.sync_seq"
#define META_SYNC_RESULT	"daemon.sync_result"
#define META_DAEMON_STATE	"daemon.state"

#endif
