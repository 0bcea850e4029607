/* health.c - warn when the answer comes from mail that is not current (nothing synced, a failed or old sync). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kith.h"
#include "kith/status.h"

bool
cli_mail_stale(struct cli *c)
{
	char *why = NULL;
	int h = sync_health(c->st, c->cfg, c->now, &why);

	if (h <= SYNC_CURRENT) {
		free(why);
		return false;
	}
	/* stderr in every mode: stdout stays parseable, the exit status tells scripts. */
	fflush(stdout);
	fprintf(stderr, "kith: warning: %s; what follows may be incomplete (see 'kith status')\n", why);
	free(why);
	return true;
}
