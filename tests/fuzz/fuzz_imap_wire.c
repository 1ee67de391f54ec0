/*
 * libFuzzer target: a server's byte stream through the IMAP reassembly
 * and parser (imap_stream_feed -> imap_parse_response), the path every
 * byte a mail server sends takes, and the first a hostile server reaches.
 *
 * The first byte picks what the reply answers (the command kind, headers
 * or one body for a FETCH, a SEARCH lower bound) and the size of the
 * chunks the rest is fed in: the stream must give the same responses
 * whatever the chunking.  The rest is the stream.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap/wire.h"
#include "lib/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t want[] = { 1, 2, 7, 9 };
	struct imap_stream st;
	struct imap_reply r;
	size_t i, step;
	unsigned sel;

	if (size == 0)
		return 0;
	/* Undecodable folder names are logged: not what is fuzzed here. */
	log_setlevel(LOG_ERR);
	sel = data[0];
	data++;
	size--;
	imap_reply_init(&r, (int)(sel % 6));
	r.uid_min = (sel / 12) % 2 ? 5 : 1;
	if (r.cmd == IMAP_CMD_FETCH && (sel / 6) % 2) {
		r.want_body = 1;
		r.body_uid = 7;
	} else if (r.cmd == IMAP_CMD_FETCH &&
	    (r.want_uids = malloc(sizeof(want))) != NULL) {
		memcpy(r.want_uids, want, sizeof(want));
		r.nwant_uids = sizeof(want) / sizeof(want[0]);
	}
	step = 1 + (sel / 24) * 61;
	imap_stream_init(&st, 64 * 1024, imap_reply_cb, &r);
	for (i = 0; i < size; i += step)
		if (imap_stream_feed(&st, (const char *)data + i,
		    size - i < step ? size - i : step) == -1)
			break;
	imap_stream_finish(&st);
	imap_stream_clear(&st);
	imap_reply_clear(&r);
	return 0;
}
