/* fuzz-imap.c - libFuzzer target: any bytes as a server's side of a kithd conversation. */

/*
 * imap.c is compiled into this target, so that its byte guard, its
 * handlers and libetpan's parser all see the input, exactly as kithd runs
 * them: greeting, LIST, EXAMINE, UID SEARCH, UID FETCH of the UIDs found,
 * STATUS.  The input is the server's whole side; kithd's commands go to a
 * socket nobody reads.
 */
#include "../daemon/imap.c"

#include <signal.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count_message(void *ctx, uint32_t uid, int64_t internaldate, const char *header, size_t len)
{
	size_t *n = ctx;

	/* Touch every byte handed over, so that ASan checks the bounds. */
	if (len > 0 && header[len - 1] == '\0' && header[0] == '\0')
		(*n)++;
	(void)uid;
	(void)internaldate;
	*n += 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kith_account acct = { .name = "fuzz", .host = "fuzz.example", .port = 993 };
	struct imap im;
	struct imap_folder *folders = NULL;
	struct imap_mailbox mb;
	uint32_t *uids = NULL;
	size_t nfolders = 0, nuids = 0, seen = 0, off = 0;
	mailstream *stream;
	ssize_t w;
	int sv[2], r;

	signal(SIGPIPE, SIG_IGN);
	/* The whole answer is written before kithd reads: keep it within the socket buffer. */
	if (size > 150000 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return 0;
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &(int){ 1 << 20 }, sizeof(int));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &(int){ 1 << 20 }, sizeof(int));
	while (off < size && (w = write(sv[1], data + off, size - off)) > 0)
		off += (size_t)w;
	shutdown(sv[1], SHUT_WR);

	memset(&im, 0, sizeof(im));
	im.acct = &acct;
	im.s = mailimap_new(0, NULL);
	mailimap_set_timeout(im.s, 1);
	mailimap_set_logger(im.s, stream_logger, &im);
	guard_limits(&im, IMAP_LINE_MAX, IMAP_SMALL_LITERAL_MAX);
	stream = plain_stream(sv[0]);
	if (!stream) {
		close(sv[0]);
		goto out;
	}
	mailstream_low_set_timeout(mailstream_get_low(stream), 1);
	r = read_greeting(&im, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		goto out;
	/* As if logged in: login is not what is fuzzed here. */
	im.s->imap_state = MAILIMAP_STATE_AUTHENTICATED;
	mailimap_set_progress_callback(im.s, progress, NULL, &im);
	im.has_condstore = size % 2;
	if (imap_list(&im, &folders, &nfolders) == IMAP_ERROR)
		goto out;
	if (imap_examine(&im, nfolders ? folders[0].name : "INBOX", &mb) == IMAP_ERROR)
		goto out;
	if (imap_search_range(&im, 1, 0, &uids, &nuids) == IMAP_ERROR)
		goto out;
	if (nuids > 0 && imap_fetch_headers(&im, uids, nuids > 500 ? 500 : nuids, count_message, &seen) ==
	    IMAP_ERROR)
		goto out;
	imap_status(&im, "Sent", &mb);
out:
	imap_folders_free(folders, nfolders);
	free(uids);
	imap_close(&im, false);
	close(sv[1]);
	return 0;
}
