/* fuzz-header.c - libFuzzer target: any bytes through header_parse and classify. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/classify.h"
#include "kith/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_is_me(void *arg, const char *addr)
{
	(void)arg;
	return strcasecmp(addr, "ana@example.org") == 0;
}

/* Answer yes sometimes, so the reply-human path is explored too. */
static bool
fuzz_user_sent_to(void *arg, const char *message_id, const char *addr)
{
	(void)arg;
	return message_id[0] == 's' && addr[0] != '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct classify_env env = { .is_me = fuzz_is_me, .user_sent_to = fuzz_user_sent_to };
	struct kith_msg m;
	struct classification c;
	char *id;
	size_t i;

	header_parse((const char *)data, size, 1772236800, 1772323200, &m);
	classify(&m, &env, &c);
	/* Touch what the people model reads, so the sanitizers check it. */
	if (c.author && strlen(c.author->addr) == 0)
		abort();
	for (i = 0; i < c.ndead; i++)
		if (!strchr(c.dead[i]->addr, '@'))
			abort();
	if (m.subject && strchr(m.subject, '\x1b'))
		abort();
	classification_free(&c);
	msg_free(&m);
	id = header_synthetic_id((const char *)data, size);
	free(id);
	return 0;
}
