/*
 * libFuzzer target: one raw mail through MIME parsing and recognition
 * (message_parse -> convocation_extract), the path every mail of a mailbox
 * takes.  PDF parts are not rendered here: poppler runs confined in a child
 * process in the daemon, and fuzzing poppler itself is poppler's business.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parsers/convocation.h"
#include "parsers/message.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct convocation_config cc = { "mx.example.org" };
	struct convocation *conv = NULL;
	struct message *msg = NULL;

	if (message_parse((const char *)data, size, NULL, &msg, NULL) == -1)
		return 0;
	if (convocation_extract(msg, &cc, &conv, NULL) == 0)
		convocation_free(conv);
	message_free(msg);
	return 0;
}
