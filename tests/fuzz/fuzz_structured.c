/*
 * libFuzzer target: structured sources (parsers/structured.h) on arbitrary
 * bytes, then their merge with a letter.  The first byte picks what the
 * rest is: even, a calendar part (libical); odd, an HTML part (JSON-LD
 * and microdata); bit 1, a trusted sender (the merge) or not (the third
 * party rule).  A fixed letter with an appointment goes along, so that
 * events meet a text appointment to pair with or drop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/convocation.h"
#include "parsers/message.h"
#include "parsers/structured.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char letter[] =
    "Monsieur,\n\nVous \xC3\xAAtes convoqu\xC3\xA9 \xC3\xA0 la visite "
    "m\xC3\xA9" "dicale de l'OFII le jeudi 9 octobre 2025 \xC3\xA0 9h30,\n"
    "OFII - Service m\xC3\xA9" "dical, 14 avenue Thiers, 77000 Melun.\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message_header from;
	struct message_part parts[2];
	struct message m;
	struct structured s;
	struct convocation *c = NULL;
	char *buf;
	unsigned sel;

	if (size == 0)
		return 0;
	sel = data[0];
	/* parts are NUL-terminated UTF-8 (message.c converts them) */
	if ((buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	memset(&m, 0, sizeof(m));
	memset(parts, 0, sizeof(parts));
	from.name = (char *)"From";
	from.value = (char *)((sel & 2) ? "a@ofii.fr" : "a@example.org");
	m.headers = &from;
	m.nheaders = 1;
	m.from = m.from_addr = from.value;
	m.subject = m.message_id = m.date = (char *)"";
	m.date_utc = 1758615151;
	parts[0].kind = PART_TEXT;
	parts[0].content_type = (char *)"text/plain";
	parts[0].data = parts[0].text = (char *)letter;
	parts[0].len = sizeof(letter) - 1;
	parts[1].kind = (sel & 1) ? PART_HTML : PART_CALENDAR;
	parts[1].content_type = (char *)((sel & 1) ? "text/html" :
	    "text/calendar");
	parts[1].data = buf;
	parts[1].len = strlen(buf);
	m.parts = parts;
	m.nparts = 2;
	if (structured_read(&m, "Europe/Paris", &s) == 0)
		structured_free(&s);
	if (convocation_extract(&m, NULL, &c, NULL) == 0)
		convocation_free(c);
	free(buf);
	return 0;
}
