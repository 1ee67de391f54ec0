/*
 * parse_cmd: `ofii-watch parse [--json|--ics] FILE...` — read saved mails
 * and print what ofii-watch understands, one JSON object per line (the
 * documented `parse --json` object: model/reading.h, plus "person").  No
 * mailbox needed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>

#include "calendar/calendar.h"
#include "daemon/commands.h"
#include "daemon/reader.h"
#include "lib/clock.h"
#include "lib/errstr.h"
#include "lib/log.h"
#include "lib/readall.h"

const char parse_usage[] =
"Usage: ofii-watch [-c FILE] [-v | -q] parse [--json | --ics] EML...\n"
"\n"
"Read saved mails (raw .eml files, as 'Save as' or 'View source' gives\n"
"them; '-' reads standard input) and say what ofii-watch understands in\n"
"each: is it an OFII convocation, a reschedule, a cancellation? When,\n"
"where, what to bring, which radiology centre to call?  No mailbox and no\n"
"configuration are needed; [account] authserv_id and [limits] are used\n"
"when a configuration exists.\n"
"\n"
"  --json   one JSON object per mail and per line (the default):\n"
"           file, message_id, from, sender_trust (verified | domain |\n"
"           untrusted), kind (convocation | reschedule | cancellation |\n"
"           acknowledgement | other), appointments [{type, start, end,\n"
"           tzid, place, postal_code, city, person}], xray_center,\n"
"           items_to_bring, previous_start, notes, person\n"
"  --ics    the calendar that would be written (iCalendar)\n"
"\n"
"Times are wall-clock times in the appointment's zone (tzid).  The top\n"
"person is the addressee; an appointment's person is whose slot it is.\n"
"notes lists structured_source_disagrees when a calendar invitation or\n"
"schema.org data in the mail disagrees with its text (it wins).  Only\n"
"OFII convokes: a mail in which OFII does not speak (its address, its\n"
"forwarded message, its letter head) is 'other', whatever it mentions.\n"
"A mail larger than max_message_size is read from its first\n"
"max_message_size bytes (its headers, text and the attachments before\n"
"the cut), and a warning says so.\n"
"Exit status: 0 every file was read, 1 some file could not be read (the\n"
"others are still printed), 2 bad usage.\n"
"\n"
"Example:  ofii-watch parse ~/Downloads/convocation.eml\n";

/* A whole file, or its first `max` bytes (*cutp); "-" is stdin. */
static int
read_file(const char *path, size_t max, char **bufp, size_t *lenp,
    int *cutp, char **errstr)
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return errstr_set(errstr, "%s", strerror(errno));
	rc = read_all(fd, max, bufp, lenp, cutp);
	if (rc == -1)
		errstr_set(errstr, "%s", strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

/*
 * --ics: the combined calendar the daemon would write
 * for this mail alone (no state: every event new, SEQUENCE 0; the clock
 * honours OFII_WATCH_NOW).  Mail from an untrusted sender gets no event,
 * as in the daemon.  0, or -1 when the events cannot be made.
 */
static int
print_ics(const char *file, const struct config *cfg,
    const struct mail_facts *msg, const struct convocation *c)
{
	struct event_list events = { NULL, 0 };
	struct mail_source src;
	char *text = NULL, *err = NULL;
	size_t i;
	int trusted = c->trust != TRUST_UNTRUSTED;

	for (i = 0; i < cfg->trusted_forwarders.n && !trusted; i++)
		if (strcasecmp(cfg->trusted_forwarders.v[i],
		    msg->from_addr) == 0)
			trusted = 1;
	if (!trusted) {
		if (c->kind == KIND_CONVOCATION || c->kind == KIND_RESCHEDULE ||
		    c->kind == KIND_CANCELLATION)
			log_warnx("%s: the sender is not trusted (%s): no "
			    "calendar event", file, msg->from_addr);
		return 0;
	}
	src.subject = msg->subject;
	src.date = msg->date;
	src.received = msg->date_utc;
	if (calendar_from_convocation(c, &src, cfg, NULL, clock_now(),
	    &events, &err) == -1 ||
	    (events.n > 0 && event_list_combine(&events, &text, &err) == -1)) {
		log_errx("%s: %s", file, err ? err : "out of memory");
		free(err);
		event_list_free(&events);
		return -1;
	}
	if (events.n == 0)
		log_info("%s: %s: no calendar event", file,
		    conv_kind_name(c->kind));
	else
		fputs(text, stdout);
	fflush(stdout);
	free(text);
	event_list_free(&events);
	return 0;
}

int
parse_main(const struct config *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ics", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, ics = 0, failed = 0, i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			ics = 0;
			break;
		case 'i':
			ics = 1;
			break;
		default:
			fputs(parse_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "parse: no file given\n");
		fputs(parse_usage, stderr);
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		const char *file = argv[i];
		struct mail_facts *msg = NULL;
		struct convocation *conv = NULL;
		struct json_object *o;
		char *raw = NULL, *err = NULL;
		size_t len;
		int cut;

		if (read_file(file, cfg->max_message_size, &raw, &len, &cut,
		    &err) == -1) {
			log_errx("%s: %s", file, err ? err : "out of memory");
			free(err);
			failed = 1;
			continue;
		}
		if (cut)
			log_warnx("%s: larger than max_message_size (%zu "
			    "bytes): only its first %zu bytes are read", file,
			    cfg->max_message_size, len);
		if (reader_read(raw, len, cut, cfg, file, &msg, &conv,
		    &err) != READER_OK) {
			log_errx("%s: %s", file, err ? err : "out of memory");
			free(err);
			free(raw);
			failed = 1;
			continue;
		}
		if (ics) {
			if (print_ics(file, cfg, msg, conv) == -1)
				failed = 1;
		} else {
			if ((o = json_object_new_object()) == NULL ||
			    json_object_object_add(o, "file",
			    json_object_new_string(file)) != 0 ||
			    reading_add_json(o, msg, conv, 0) == -1) {
				log_errx("%s: out of memory", file);
				failed = 1;
			} else
				puts(json_object_to_json_string_ext(o,
				    JSON_C_TO_STRING_PLAIN |
				    JSON_C_TO_STRING_NOSLASHESCAPE));
			fflush(stdout);
			json_object_put(o);
		}
		convocation_free(conv);
		mail_facts_free(msg);
		free(raw);
	}
	return failed ? EXIT_RUNTIME : EXIT_OK;
}
