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

/* The daemon's pid file: paths_runtime_dir()/kithd.pid. */
char *paths_pidfile(void);

/*
 * The pid of a running kithd according to the pid file, or 0 when none runs
 * (no file, a stale pid, or a pid that is not kithd).
 */
pid_t paths_daemon_pid(void);

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
