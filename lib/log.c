/* log.c - diagnostics on stderr, with journal priority prefixes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kith/log.h"
#include "kith/util.h"

static const char *log_progname = "kith";
static int log_verbosity;
static bool log_journal;

/*
 * systemd sets JOURNAL_STREAM to "dev:inode" of the stream it connected;
 * only when stderr is that very stream do the "<N>" prefixes make sense.
 */
static bool
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) == -1)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *progname, int verbose)
{
	const char *slash = strrchr(progname, '/');

	log_progname = slash ? slash + 1 : progname;
	log_verbosity = verbose;
	log_journal = stderr_is_journal();
}

void
log_set_verbose(int verbose)
{
	log_verbosity = verbose;
}

int
log_verbose(void)
{
	return log_verbosity;
}

static void
vlog(int pri, const char *fmt, va_list ap, int errnum)
{
	char msg[4096], *safe;

	if (pri == LOG_DEBUG && log_verbosity < 1)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/*
	 * One message, one line (the journal splits on newlines), and nothing
	 * that steers a terminal: messages quote folder names, server answers
	 * and headers, all chosen by others.
	 */
	safe = text_safe(msg);
	if (log_journal)
		fprintf(stderr, "<%d>", pri);
	else
		fprintf(stderr, "%s: ", log_progname);
	if (errnum)
		fprintf(stderr, "%s: %s\n", safe, strerror(errnum));
	else
		fprintf(stderr, "%s\n", safe);
	fflush(stderr);
	free(safe);
}

#define LOGFN(name, pri, witherr)                                    \
	void name(const char *fmt, ...)                              \
	{                                                            \
		int saved = errno;                                   \
		va_list ap;                                          \
		va_start(ap, fmt);                                   \
		vlog(pri, fmt, ap, (witherr) ? saved : 0);           \
		va_end(ap);                                          \
		errno = saved;                                       \
	}

LOGFN(log_warn, LOG_WARNING, 1)
LOGFN(log_warnx, LOG_WARNING, 0)
LOGFN(log_error, LOG_ERR, 0)
LOGFN(log_info, LOG_INFO, 0)
LOGFN(log_notice, LOG_NOTICE, 0)
LOGFN(log_debug, LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
