/* log.h - diagnostics on stderr, with journal priority prefixes. */
#ifndef KITH_LOG_H
#define KITH_LOG_H

#include <stdarg.h>
#include <stdbool.h>

#define KITH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define KITH_NORETURN __attribute__((noreturn))

/*
 * Set the program name used as the message prefix and the verbosity
 * (0: info and above, 1: debug too).  When stderr is connected to the
 * journal (JOURNAL_STREAM names it) every line starts with "<N>", the
 * syslog priority, instead of the program name.
 */
void log_init(const char *progname, int verbose);
void log_set_verbose(int verbose);
int log_verbose(void);

/* log_warn and fatal append ": strerror(errno)"; the x variants do not. */
void log_warn(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_error(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_info(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_notice(const char *fmt, ...) KITH_PRINTF(1, 2);
void log_debug(const char *fmt, ...) KITH_PRINTF(1, 2);
void fatal(const char *fmt, ...) KITH_PRINTF(1, 2) KITH_NORETURN;
void fatalx(const char *fmt, ...) KITH_PRINTF(1, 2) KITH_NORETURN;

#endif
