/*
 * fields: the fields a mail's top-level header gives, decoded once for
 * every reader of struct message: From (display name and address),
 * Subject (RFC 2047), Message-ID and Date (as written, and as an instant).
 * libetpan parses the structured ones; what it cannot parse is kept as
 * written, never lost.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "lib/civil.h"
#include "parsers/fields.h"
#include "parsers/text.h"

/* A Message-ID longer than this is cut. */
#define MAX_MSGID_BYTES		998

/* The Date field as an instant, or (time_t)-1 when it is no date; the
   day it names in its own zone goes to msg->date_year/month/day. */
static time_t
date_to_utc(const char *v, struct message *msg)
{
	struct mailimf_date_time *dt = NULL;
	size_t			 idx = 0;
	int64_t			 t, y;
	int			 zone, off;

	if (v == NULL || mailimf_date_time_parse(v, strlen(v), &idx, &dt) !=
	    MAILIMF_NO_ERROR)
		return (time_t)-1;
	y = dt->dt_year;
	if (y < 50)		/* RFC 5322 4.3: two-digit years */
		y += 2000;
	else if (y < 1000)
		y += 1900;
	zone = dt->dt_zone < 0 ? -dt->dt_zone : dt->dt_zone;
	t = -1;
	if (y <= 9999 && civil_valid((int)y, dt->dt_month, dt->dt_day) &&
	    dt->dt_hour >= 0 && dt->dt_hour <= 23 && dt->dt_min >= 0 &&
	    dt->dt_min <= 59 && dt->dt_sec >= 0 && dt->dt_sec <= 60 &&
	    zone / 100 <= 23 && zone % 100 <= 59) {
		off = (zone / 100) * 3600 + (zone % 100) * 60;
		msg->date_year = (int)y;
		msg->date_month = dt->dt_month;
		msg->date_day = dt->dt_day;
		t = (int64_t)civil_days((int)y, dt->dt_month, dt->dt_day) *
		    86400 + dt->dt_hour * 3600 + dt->dt_min * 60 + dt->dt_sec -
		    (dt->dt_zone < 0 ? -off : off);
	}
	mailimf_date_time_free(dt);
	return (time_t)t;
}

/*
 * libetpan's addr-spec parser is lenient: "a@ofii.fr <evil@x.com" (no '>')
 * comes back as one address.  Accept local@domain with a domain of
 * letters, digits, dots and hyphens (or UTF-8), a local part without
 * spaces or angle brackets.
 */
static int
plausible_address(const char *a)
{
	const char	*at, *p;

	if (a == NULL || (at = strrchr(a, '@')) == NULL || at == a ||
	    at[1] == '\0')
		return 0;
	for (p = a; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7F || *p == '<' ||
		    *p == '>' || *p == ',' || *p == ';')
			return 0;
	for (p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    (unsigned char)*p >= 0x80))
			return 0;
	return 1;
}

/*
 * A field libetpan reads in part only: markup in a display name ("OFII
 * <b>Metz</b> <convocation@0fii.fr>") ends its parse at "<b>".  The
 * address a mail client shows is then the <addr-spec> the field ends
 * with: kept, lowercase, so that the sender is named (a lookalike domain
 * is what the phishing warning must say).  It cannot make the mail
 * trusted by itself: trust.c reads the field with libetpan too.
 */
static char *
last_angle_addr(const char *v, size_t vlen)
{
	const char	*end = v + vlen, *lt;
	char		*a;
	size_t		 i;

	while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (end == v || end[-1] != '>' ||
	    (lt = memrchr(v, '<', (size_t)(end - 1 - v))) == NULL)
		return NULL;
	if ((a = strndup(lt + 1, (size_t)(end - 1 - (lt + 1)))) == NULL)
		return NULL;
	if (!plausible_address(a)) {
		free(a);
		return NULL;
	}
	for (i = 0; a[i] != '\0'; i++)
		a[i] = text_ascii_lower((unsigned char)a[i]);
	return a;
}

/* From: display name (decoded) or address, and the lowercase addr-spec
   when the whole field is one well-formed mailbox list (or, when it is
   not, the <addr-spec> it ends with). */
static int
parse_from(struct message *msg, const char *v)
{
	struct mailimf_mailbox_list	*mbl = NULL;
	struct mailimf_mailbox		*mb;
	size_t				 idx = 0, vlen = strlen(v), i;
	char				*addr;

	if (mailimf_mailbox_list_parse(v, vlen, &idx, &mbl) !=
	    MAILIMF_NO_ERROR || mbl == NULL ||
	    clist_begin(mbl->mb_list) == NULL) {
		if (mbl != NULL)
			mailimf_mailbox_list_free(mbl);
		msg->from = text_decode_header(v, vlen);
		return msg->from == NULL ? -1 : 0;
	}
	mb = clist_content(clist_begin(mbl->mb_list));
	/* A trailing comment is fine; anything else means libetpan read
	   only part of the field ("a@ofii.fr <evil@example.com>"), and what
	   a mail client shows may differ: no address then (the sender is
	   untrusted) and the whole field as the display. */
	mailimf_cfws_parse(v, vlen, &idx);
	while (idx < vlen && v[idx] == ' ')
		idx++;
	addr = mb->mb_addr_spec;
	if (idx < vlen || !plausible_address(addr)) {
		mailimf_mailbox_list_free(mbl);
		msg->from_addr = last_angle_addr(v, vlen);
		msg->from = text_decode_header(v, vlen);
		return msg->from == NULL ? -1 : 0;
	}
	if ((msg->from_addr = strdup(addr)) == NULL) {
		mailimf_mailbox_list_free(mbl);
		return -1;
	}
	for (i = 0; msg->from_addr[i] != '\0'; i++)
		msg->from_addr[i] = text_ascii_lower((unsigned char)addr[i]);
	if (mb->mb_display_name != NULL)
		msg->from = text_decode_header(mb->mb_display_name,
		    strlen(mb->mb_display_name));
	if (msg->from != NULL && msg->from[0] == '\0') {
		free(msg->from);
		msg->from = NULL;
	}
	if (msg->from == NULL)
		msg->from = text_decode_header(addr, strlen(addr));
	mailimf_mailbox_list_free(mbl);
	return msg->from == NULL ? -1 : 0;
}

static char *
message_id_copy(const char *v)
{
	const char	*lt, *gt;
	size_t		 n;

	if (v == NULL)
		return strdup("");
	if ((lt = strchr(v, '<')) != NULL && (gt = strchr(lt, '>')) != NULL)
		n = gt - lt + 1;
	else {
		lt = v;
		n = strlen(v);
	}
	if (n > MAX_MSGID_BYTES)
		n = MAX_MSGID_BYTES;
	return strndup(lt, n);
}

int
message_derive_fields(struct message *msg)
{
	const char	*v;

	if ((v = message_header(msg, "From")) != NULL &&
	    parse_from(msg, v) == -1)
		return -1;
	if (msg->from == NULL && (msg->from = strdup("")) == NULL)
		return -1;
	if (msg->from_addr == NULL && (msg->from_addr = strdup("")) == NULL)
		return -1;
	v = message_header(msg, "Subject");
	msg->subject = text_decode_header(v ? v : "", v ? strlen(v) : 0);
	msg->message_id = message_id_copy(message_header(msg, "Message-ID"));
	v = message_header(msg, "Date");
	msg->date = strdup(v ? v : "");
	msg->date_utc = date_to_utc(v, msg);
	if (msg->subject == NULL || msg->message_id == NULL ||
	    msg->date == NULL)
		return -1;
	return 0;
}

