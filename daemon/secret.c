/* secret.c - run password_command and hand back its first line, wiped after use. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kithd.h"

extern char **environ;

#define SECRET_OUT_MAX	(64 * 1024)	/* an OAuth token fits; more is a mistake */
#define SECRET_ERR_MAX	4096
#define SECRET_TICK_MS	20		/* how often the child is checked for exit */

/* Read what is there into sb, up to max bytes; returns false at end of file. */
static bool
drain(int fd, struct strbuf *sb, size_t max)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (sb->len < max)
		sb_add(sb, buf, (size_t)n < max - sb->len ? (size_t)n : max - sb->len);
	explicit_bzero(buf, sizeof(buf));
	return true;
}

/* After the command exited: take what its pipe holds, without waiting for writers it left behind. */
static void
drain_left(int fd, struct strbuf *sb, size_t max)
{
	int flags = fcntl(fd, F_GETFL);
	size_t before;

	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return;
	do
		before = sb->len;
	while (drain(fd, sb, max) && (sb->len > before || errno == EINTR) && sb->len < max);
}

/*
 * The command runs with /bin/sh -c, as users expect of "pass show mail/x",
 * in its own process group (so a timeout kills its children too), with the
 * daemon's blocked signals and ignored SIGPIPE restored to defaults.
 */
int
secret_get(const char *command, char **out, struct strbuf *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	struct strbuf so = { 0 }, se = { 0 };
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, status = 0, rc = -1;
	bool out_open = true, err_open = true, timed_out = false;
	int64_t deadline;
	pid_t pid = -1;
	char *argv[] = { "sh", "-c", (char *)command, NULL };
	size_t len;

	*out = NULL;
	/* Grown once, so no copy of the secret is left behind by a realloc. */
	sb_grow(&so, SECRET_OUT_MAX + 1);
	if (pipe2(outp, O_CLOEXEC) == -1 || pipe2(errp, O_CLOEXEC) == -1) {
		sb_addf(err, "cannot run password_command: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	/* Not every descriptor is close-on-exec (libetpan's sockets and pipes): none but 0-2 go along. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
				 POSIX_SPAWN_SETPGROUP);
	errno = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (errno != 0) {
		sb_addf(err, "cannot run password_command: %s", strerror(errno));
		pid = -1;
		goto out;
	}
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;

	/*
	 * The command is done when it exits, not when its output ends: a
	 * process it started in the background may keep the pipe open for ever.
	 * The pipes are read meanwhile, so that a long output cannot block it.
	 */
	deadline = kith_mono_ms() + SECRET_TIMEOUT * 1000;
	for (;;) {
		struct pollfd pfd[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
		int64_t left = deadline - kith_mono_ms();
		pid_t r;

		while ((r = waitpid(pid, &status, WNOHANG)) == -1 && errno == EINTR)
			;
		if (r == pid)
			break;
		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (!out_open)
			pfd[0].fd = -1;
		if (!err_open)
			pfd[1].fd = -1;
		/* A short tick: nothing tells poll() that the child exited. */
		if (poll(pfd, 2, left < SECRET_TICK_MS ? (int)left : SECRET_TICK_MS) < 0 && errno != EINTR) {
			sb_addf(err, "password_command: %s", strerror(errno));
			goto out;
		}
		if (out_open && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			out_open = drain(outp[0], &so, SECRET_OUT_MAX);
		if (err_open && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			err_open = drain(errp[0], &se, SECRET_ERR_MAX);
	}
	if (timed_out) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
		sb_addf(err, "password_command did not finish within %d s", SECRET_TIMEOUT);
		goto out;
	}
	pid = -1;
	if (out_open)
		drain_left(outp[0], &so, SECRET_OUT_MAX);
	if (err_open)
		drain_left(errp[0], &se, SECRET_ERR_MAX);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		const char *e = se.buf ? se.buf : "";

		if (WIFEXITED(status))
			sb_addf(err, "password_command failed with exit status %d", WEXITSTATUS(status));
		else
			sb_addf(err, "password_command killed by signal %d", WTERMSIG(status));
		if (*e)
			sb_addf(err, ": %.*s", (int)strcspn(e, "\r\n"), e);
		goto out;
	}
	len = so.buf ? strcspn(so.buf, "\r\n") : 0;
	if (len == 0) {
		sb_adds(err, "password_command printed nothing");
		goto out;
	}
	*out = xstrndup(so.buf, len);
	rc = 0;
out:
	if (pid > 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (so.buf)
		explicit_bzero(so.buf, so.cap);
	sb_free(&so);
	sb_free(&se);
	return rc;
}

void
secret_free(char *secret)
{
	if (!secret)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}
