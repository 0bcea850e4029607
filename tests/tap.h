/* tap.h - a tiny Test Anything Protocol producer for the C unit tests. */
#ifndef KITH_TAP_H
#define KITH_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed;

static void tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void
tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), unused));

static int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                  \
	do {                                                                    \
		long long g_ = (long long)(got), w_ = (long long)(want);        \
		if (!ok(g_ == w_, __VA_ARGS__))                                 \
			printf("#   got %lld, want %lld\n", g_, w_);            \
	} while (0)

#define is_str(got, want, ...)                                                  \
	do {                                                                    \
		const char *g_ = (got), *w_ = (want);                           \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;        \
		if (!ok(same_, __VA_ARGS__))                                    \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                             \
	} while (0)

#define is_dbl(got, want, eps, ...)                                             \
	do {                                                                    \
		double g_ = (got), w_ = (want);                                 \
		if (!ok(g_ - w_ <= (eps) && w_ - g_ <= (eps), __VA_ARGS__))     \
			printf("#   got %.6f, want %.6f\n", g_, w_);            \
	} while (0)

static void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Print the plan and return the exit status for main(). */
static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
