/*
 * ofii-watch-reader: read one raw mail on standard input and write what
 * ofii-watch understands of it on standard output, as one line of JSON
 * (daemon/reading.h).  Run by ofii-watch (daemon/reader.c), once per
 * candidate mail; not meant to be run by hand (`ofii-watch parse` is).
 *
 * Why a program of its own: mail is hostile input, and the libraries that
 * read it (libetpan, libxml2, poppler with glib and cairo) are most of the
 * daemon's code and memory.  Here they live in a short-lived process that
 * holds no password, no connection and no state, and the daemon that runs
 * for months never loads them.  PDFs are read in a further child under
 * CPU, memory and time limits (parsers/pdf.c).
 *
 * Exit status: 0 and one JSON line; 1 and {"error": "..."}; 2 bad usage.
 * Warnings about the mail (an unreadable PDF) go to standard error, which
 * is the daemon's: journald or the terminal.
 *
 * A mail larger than max_message_size is read from its first bytes (what
 * follows is left unread): its headers, its text and the attachments
 * before the cut.  --cut says that standard input holds only those first
 * bytes (the daemon fetched no more).
 *
 * --batch: several mails (the headers of a search result), each framed as
 * "LENGTH LABEL\n" and LENGTH bytes; one line per mail in order, a reading
 * or {"error": ...}; exit 0 when the input was well framed.  One process
 * for a hundred header blocks instead of a hundred (an exec and its
 * libraries cost ~15 ms; a header block ~0.1 ms).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config/config.h"
#include "lib/errstr.h"
#include "lib/log.h"
#include "lib/readall.h"
#include "model/reading.h"
#include "reader/understand.h"

static const char usage_text[] =
"Usage: ofii-watch-reader [--batch] [--cut] [--label TEXT] [--log-level N]\n"
"           [--authserv-id ID]\n"
"           [--max-message-size N] [--max-header-line N] [--max-mime-depth N]\n"
"           [--max-mime-parts N] [--max-attachment-size N]\n"
"           [--max-pdf-pages N] [--pdf-timeout SECONDS] [--pdf-memory N]\n"
"\n"
"Read one raw mail on standard input and write what ofii-watch understands\n"
"of it as one line of JSON.  ofii-watch runs this program itself; to look\n"
"at a mail, use 'ofii-watch parse FILE'.  The limits are those of the\n"
"[limits] section of ofii-watch's configuration (sizes in bytes).\n"
"--batch reads several mails, each framed as \"LENGTH LABEL\\n\" then LENGTH\n"
"bytes, and writes one line for each.  --cut: standard input holds only the\n"
"first bytes of a larger mail.  A mail larger than max-message-size is read\n"
"from its first max-message-size bytes.\n"
"Exit status: 0 read, 1 not readable ({\"error\": ...}), 2 bad usage.\n";

/* A size or count option: digits only, within [min, max]. */
static int
number(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out < min || *out > max)
		return -1;
	return 0;
}

/* {"error": msg} on a line; 1. */
static int
fail(const char *msg)
{
	struct json_object *o = json_object_new_object();

	if (o != NULL && json_object_object_add(o, "error",
	    json_object_new_string(msg)) == 0)
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 1;
}

/* All of stdin, at most `max` bytes (*cutp: there was more, or EFBIG
   when cutp is NULL): 0 and *bufp, or -1 and *errstr. */
static int
read_stdin(size_t max, char **bufp, size_t *lenp, int *cutp, char **errstr)
{
	if (read_all(STDIN_FILENO, max, bufp, lenp, cutp) == 0)
		return 0;
	return errstr_set(errstr, "%s", errno == EFBIG ?
	    "larger than max_message_size" : errno == ENOMEM ?
	    "out of memory" : "cannot read standard input");
}

/* The reading of one mail on a line of stdout: 0, or 1 after an
   {"error"} line (the mail cannot be read), or -1 when stdout is gone. */
static int
read_one(const char *raw, size_t len, int cut, const struct config *cfg,
    const char *label)
{
	struct message *msg = NULL;
	struct convocation *conv = NULL;
	struct mail_facts facts;
	struct json_object *o;
	char *err = NULL;
	size_t i;
	int rc = 0;

	if (understand_mail(raw, len, cut, cfg, label, &msg, &conv,
	    &err) == -1) {
		rc = fail(err ? err : "out of memory");
		free(err);
		return fflush(stdout) == EOF ? -1 : rc;
	}
	facts.message_id = msg->message_id;
	facts.from_addr = msg->from_addr;
	facts.subject = msg->subject;
	facts.date = msg->date;
	facts.date_utc = msg->date_utc;
	facts.unreadable_pdfs = 0;
	facts.skipped_parts = msg->skipped_parts > 1000000 ? 1000000 :
	    (int)msg->skipped_parts;
	for (i = 0; i < msg->nparts; i++)
		facts.unreadable_pdfs += msg->parts[i].kind == PART_PDF &&
		    msg->parts[i].text == NULL;
	if ((o = json_object_new_object()) == NULL ||
	    reading_add_json(o, &facts, conv, 1) == -1)
		rc = fail("out of memory");
	else if (puts(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) == EOF)
		rc = -1;
	if (fflush(stdout) == EOF)
		rc = -1;	/* the daemon went away */
	json_object_put(o);
	convocation_free(conv);
	message_free(msg);
	return rc;
}

/* --batch: "LENGTH LABEL\n" + LENGTH bytes, until EOF.  0, or 1 when the
   framing is broken or stdout is gone (the rest is not read). */
static int
read_batch(char *in, size_t len, const struct config *cfg)
{
	size_t off = 0;

	while (off < len) {
		char *nl = memchr(in + off, '\n', len - off > 300 ?
		    300 : len - off), *end;
		const char *label;
		unsigned long long n;

		if (nl == NULL)
			return fail("--batch: no frame header");
		*nl = '\0';
		n = strtoull(in + off, &end, 10);
		if (end == in + off || (*end != ' ' && *end != '\0') ||
		    n > len - (size_t)(nl + 1 - in))
			return fail("--batch: bad frame header");
		label = *end == ' ' ? end + 1 : "mail";
		off = (size_t)(nl + 1 - in);
		/* understand_mail() wants the text NUL-terminated: the next
		   frame's first byte is kept aside meanwhile. */
		{
			char saved = in[off + n];

			in[off + n] = '\0';
			if (read_one(in + off, (size_t)n, 0, cfg,
			    label) == -1)
				return 1;
			in[off + n] = saved;
		}
		off += (size_t)n;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	enum { O_LABEL = 1, O_LEVEL, O_AUTHSERV, O_MSG, O_HDR, O_DEPTH,
	    O_PARTS, O_ATT, O_PAGES, O_PDFT, O_PDFM, O_BATCH, O_CUT };
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, O_BATCH },
		{ "cut", no_argument, NULL, O_CUT },
		{ "label", required_argument, NULL, O_LABEL },
		{ "log-level", required_argument, NULL, O_LEVEL },
		{ "authserv-id", required_argument, NULL, O_AUTHSERV },
		{ "max-message-size", required_argument, NULL, O_MSG },
		{ "max-header-line", required_argument, NULL, O_HDR },
		{ "max-mime-depth", required_argument, NULL, O_DEPTH },
		{ "max-mime-parts", required_argument, NULL, O_PARTS },
		{ "max-attachment-size", required_argument, NULL, O_ATT },
		{ "max-pdf-pages", required_argument, NULL, O_PAGES },
		{ "pdf-timeout", required_argument, NULL, O_PDFT },
		{ "pdf-memory", required_argument, NULL, O_PDFM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config cfg;
	const char *label = "mail";
	unsigned long long v;
	char *raw, *err = NULL;
	size_t len, max;
	int ch, level = LOG_INFO, batch = 0, cut = 0, stdin_cut = 0, rc;

	config_init(&cfg);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int bad = 0;

		switch (ch) {
		case O_LABEL:
			label = optarg;
			break;
		case O_BATCH:
			batch = 1;
			break;
		case O_CUT:
			cut = 1;
			break;
		case O_LEVEL:
			bad = number(optarg, LOG_EMERG, LOG_DEBUG, &v);
			level = (int)v;
			break;
		case O_AUTHSERV:
			free(cfg.authserv_id);
			if ((cfg.authserv_id = strdup(optarg)) == NULL)
				return fail("out of memory");
			break;
		case O_MSG:
			bad = number(optarg, 1, SIZE_MAX / 2, &v);
			cfg.max_message_size = (size_t)v;
			break;
		case O_HDR:
			bad = number(optarg, 1, SIZE_MAX / 2, &v);
			cfg.max_header_line = (size_t)v;
			break;
		case O_DEPTH:
			bad = number(optarg, 1, 100000, &v);
			cfg.max_mime_depth = (int)v;
			break;
		case O_PARTS:
			bad = number(optarg, 1, 1000000, &v);
			cfg.max_mime_parts = (int)v;
			break;
		case O_ATT:
			bad = number(optarg, 1, SIZE_MAX / 2, &v);
			cfg.max_attachment_size = (size_t)v;
			break;
		case O_PAGES:
			bad = number(optarg, 1, 100000, &v);
			cfg.max_pdf_pages = (int)v;
			break;
		case O_PDFT:
			bad = number(optarg, 1, 86400, &v);
			cfg.pdf_timeout = (long)v;
			break;
		case O_PDFM:
			bad = number(optarg, 1, SIZE_MAX / 2, &v);
			cfg.pdf_memory = (size_t)v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			config_clear(&cfg);
			return 0;
		default:
			bad = 1;
		}
		if (bad) {
			if (ch != '?')
				fprintf(stderr, "ofii-watch-reader: bad value "
				    "'%s'\n", optarg);
			fputs(usage_text, stderr);
			config_clear(&cfg);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		config_clear(&cfg);
		return 2;
	}
	log_init("ofii-watch", level);

	/* A batch holds header blocks: a few KiB each. */
	max = batch ? 64u * 1024 * 1024 : cfg.max_message_size;
	if (read_stdin(max, &raw, &len, batch ? NULL : &stdin_cut,
	    &err) == -1) {
		config_clear(&cfg);
		rc = fail(err ? err : "out of memory");
		free(err);
		return rc;
	}
	if (batch)
		rc = read_batch(raw, len, &cfg);
	else
		rc = read_one(raw, len, cut || stdin_cut, &cfg, label) == 0 ?
		    0 : 1;
	free(raw);
	config_clear(&cfg);
	return rc;
}
