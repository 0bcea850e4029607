/* paths.c - where kith keeps its files (XDG base directories). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

char *
paths_pidfile(void)
{
	char *dir = paths_runtime_dir(), *p;

	p = xasprintf("%s/kithd.pid", dir);
	free(dir);
	return p;
}

pid_t
paths_daemon_pid(void)
{
	char *path = paths_pidfile(), comm[64] = "", procpath[64];
	FILE *f;
	long pid = 0;

	f = fopen(path, "r");
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
