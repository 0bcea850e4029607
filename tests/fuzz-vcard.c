/* fuzz-vcard.c - libFuzzer target: any bytes as a contact file for `kith import`. */

/*
 * cmd-export.c is compiled into this target so that its vCard reader is
 * called as `kith import` calls it.  Beyond the sanitizers, what it keeps
 * must be clean: no control character and no bidi override in a name, an
 * address, a note or a circle.
 */
#include "../cli/cmd-export.c"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; s && *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			abort();
		/* U+0080-U+009F (C2 80-9F), U+202A-U+202E (E2 80 AA-AE), U+2066-U+2069 (E2 81 A6-A9). */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			abort();
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			abort();
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct card *cards = NULL;
	size_t n = 0, i, j;
	const char *e;
	char path[64];
	int fd;

	fd = memfd_create("vcard", MFD_CLOEXEC);
	if (fd == -1)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (parse_vcards(path, &cards, &n) == 0) {
		for (i = 0; i < n; i++) {
			check_clean(cards[i].fn);
			check_clean(cards[i].note);
			for (j = 0; j < cards[i].ncategories; j++)
				check_clean(cards[i].categories[j]);
			for (j = 0, e = cards[i].emails.buf; j < cards[i].nemails; j++, e += strlen(e) + 1)
				check_clean(e);
			card_free(&cards[i]);
		}
		free(cards);
	}
	close(fd);
	return 0;
}
