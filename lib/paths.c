/* paths.c - where kith keeps its files (XDG base directories). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kith/paths.h"
#include "kith/util.h"

/* $VAR when it is set to an absolute path, else $HOME/fallback. */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home;

	if (v && v[0] == '/')
		return xstrdup(v);
	home = getenv("HOME");
	if (!home || !*home)
		home = "/";
	return xasprintf("%s/%s", home, fallback);
}

char *
paths_config_file(void)
{
	char *dir = xdg_dir("XDG_CONFIG_HOME", ".config"), *p;

	p = xasprintf("%s/kith/config", dir);
	free(dir);
	return p;
}

char *
paths_default_database(void)
{
	char *dir = xdg_dir("XDG_DATA_HOME", ".local/share"), *p;

	p = xasprintf("%s/kith/kith.db", dir);
	free(dir);
	return p;
}

char *
paths_runtime_dir(void)
{
	const char *v = getenv("XDG_RUNTIME_DIR");

	if (v && v[0] == '/')
		return xasprintf("%s/kith", v);
	return xasprintf("/tmp/kith-%ld", (long)getuid());
}

int
paths_runtime_dir_check(const char *dir)
{
	struct stat sb;

	if (lstat(dir, &sb) == -1)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	/* Another user could swap the pid file for a symlink, or hold its lock. */
	if (sb.st_uid != getuid() || (sb.st_mode & 077) != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/*
 * One database, one name, however the path is spelt: the directory is
 * resolved (the file itself may not exist yet), the file name kept.
 */
static char *
canonical_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *p;

	dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return xstrdup(path);
	p = xasprintf("%s/%s", strcmp(real, "/") == 0 ? "" : real, slash ? slash + 1 : path);
	free(real);
	return p;
}

char *
paths_pidfile(const char *database)
{
	char *dir = paths_runtime_dir(), *def = database ? NULL : paths_default_database(), *canon, *p;
	const unsigned char *c;
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a: a name, not a secret */

	canon = canonical_path(database ? database : def);
	free(def);
	for (c = (const unsigned char *)canon; *c; c++)
		h = (h ^ *c) * 0x100000001b3ULL;
	p = xasprintf("%s/kithd-%016llx.pid", dir, (unsigned long long)h);
	free(canon);
	free(dir);
	return p;
}

pid_t
paths_daemon_pid(const char *database)
{
	char *dir = paths_runtime_dir(), *path = paths_pidfile(database), comm[64] = "", procpath[64];
	FILE *f = NULL;
	long pid = 0;
	int fd;

	if (paths_runtime_dir_check(dir) == 0 &&
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1 && !(f = fdopen(fd, "r")))
		close(fd);
	free(dir);
	free(path);
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
		pid = 0;
	fclose(f);
	if (pid == 0 || (kill((pid_t)pid, 0) == -1 && errno == ESRCH))
		return 0;
	/* A stale file may name a pid that now belongs to something else. */
	snprintf(procpath, sizeof(procpath), "/proc/%ld/comm", pid);
	f = fopen(procpath, "r");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, "kithd") != 0)
			return 0;
	}
	return (pid_t)pid;
}
