/*
 * poll: see poll.h.  Owns the IMAP session and the folder list of one
 * account; borrows the configuration (main.c/loop.c own it) and the state
 * (the caller loads and frees it; this file saves it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "daemon/alerts.h"
#include "daemon/poll.h"
#include "daemon/reader.h"
#include "daemon/standing.h"
#include "lib/errstr.h"
#include "lib/keepalive.h"
#include "lib/log.h"
#include "sinks/sinks.h"

#define FIRST_SCAN_DAYS	120	/* without validated_on */
#define SEARCH_WINDOW	20000	/* UIDs per SEARCH: <= ~140 KB of reply */

/*
 * Server-side SEARCH criteria: broad on purpose (a missed convocation
 * costs far more than downloading a newsletter).  IMAP SEARCH matches
 * substrings, case-insensitively: "ofii" also catches the lookalike
 * domains we must warn about, "convoc" convocation/convoqué(e).
 */
static const char *const search_from[] = { "ofii", "0fii" };
static const char *const search_subject[] = {
	"convoc", "convoqu", "ofii", "visite médicale", "visite medicale",
	"medical visit", "medical examination", "visite d'accueil"
};
#define NFROM		(sizeof(search_from) / sizeof(search_from[0]))
#define NSUBJECT	(sizeof(search_subject) / sizeof(search_subject[0]))

struct poller {
	const struct config	*cfg;
	struct state		*st;
	struct imap_session	*imap;
	char			**folders;	/* watched, resolved once */
	size_t			 nfolders;
	int			 stopping;	/* asked to stop: SIGTERM */
	char			*save_err;	/* first failed state write of
						   this pass, or NULL */
};



struct poller *
poller_new(const struct config *cfg, struct state *st, char **errstr)
{
	struct poller *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		errstr_set(errstr, "out of memory");
		return NULL;
	}
	p->cfg = cfg;
	p->st = st;
	if ((p->imap = imap_open(cfg, errstr)) == NULL) {
		free(p);
		return NULL;
	}
	return p;
}

static void
free_folders(struct poller *p)
{
	size_t i;

	for (i = 0; i < p->nfolders; i++)
		free(p->folders[i]);
	free(p->folders);
	p->folders = NULL;
	p->nfolders = 0;
}

void
poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	imap_close(p->imap);
	free_folders(p);
	free(p->save_err);
	free(p);
}

const struct imap_session *
poller_session(const struct poller *p)
{
	return p->imap;
}

/* Between steps: feed the watchdog; 1 when the pass must stop. */
static int
keepalive(struct poller *p)
{
	if (keepalive_poll())
		p->stopping = 1;
	return p->stopping;
}

static int
add_folder(struct poller *p, const char *name)
{
	char **v = realloc(p->folders, (p->nfolders + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	p->folders = v;
	if ((p->folders[p->nfolders] = strdup(name)) == NULL)
		return -1;
	p->nfolders++;
	return 0;
}

/* The configured folders, or INBOX and the Junk folder of the server. */
static int
resolve_folders(struct poller *p, char **errstr)
{
	struct imap_folder_list list = { NULL, 0 };
	const struct imap_folder *junk;
	size_t i;

	if (p->nfolders > 0)
		return 0;
	if (p->cfg->folders.n > 0) {
		for (i = 0; i < p->cfg->folders.n; i++)
			if (add_folder(p, p->cfg->folders.v[i]) == -1)
				goto oom;
		return 0;
	}
	if (imap_list(p->imap, &list, errstr) == -1)
		return -1;
	if (add_folder(p, "INBOX") == -1)
		goto oom;
	if ((junk = imap_junk_folder(&list)) != NULL) {
		if (add_folder(p, junk->name) == -1)
			goto oom;
		log_info("watching INBOX and %s (%s)", junk->name,
		    junk->flags & IMAP_FOLDER_JUNK ? "the \\Junk folder" :
		    "by its name");
	} else
		log_warnx("no Junk folder found on the server: watching INBOX "
		    "only (set [account] folders to name it)");
	imap_folder_list_free(&list);
	return 0;
oom:
	imap_folder_list_free(&list);
	free_folders(p);
	errstr_set(errstr, "out of memory");
	return -1;
}

/* Plain ASCII lowercase copy with é/è/ê -> e, for the local header check. */
static void
fold_ascii(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 1 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0xc3 && s[1] != '\0' && ((unsigned char)s[1] & 0xf8) ==
		    0xa8) {
			out[o++] = 'e';		/* è é ê ë */
			s++;
		} else
			out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

/* One of the person's own addresses in [account] trusted_forwarders. */
static int
trusted_forwarder(const struct config *cfg, const char *from)
{
	size_t i;

	for (i = 0; i < cfg->trusted_forwarders.n; i++)
		if (strcasecmp(from, cfg->trusted_forwarders.v[i]) == 0)
			return 1;
	return 0;
}

/*
 * The local check on From and Subject, with the same words as the
 * server-side SEARCH (some servers answer SEARCH loosely): a mail must look
 * relevant before its body is downloaded.
 */
static int
looks_relevant(const struct config *cfg, const struct mail_facts *hdr)
{
	char subject[512], from[256], word[64];
	size_t i;

	fold_ascii(hdr->from_addr, from, sizeof(from));
	for (i = 0; i < NFROM; i++)
		if (strstr(from, search_from[i]) != NULL)
			return 1;
	if (trusted_forwarder(cfg, hdr->from_addr))
		return 1;
	fold_ascii(hdr->subject, subject, sizeof(subject));
	for (i = 0; i < NSUBJECT; i++) {
		fold_ascii(search_subject[i], word, sizeof(word));
		if (strstr(subject, word) != NULL)
			return 1;
	}
	return 0;
}

/* Message-ID, or a stable stand-in from the headers when there is none. */
static char *
message_key(const struct mail_facts *hdr, const char *headers)
{
	char sum[STATE_HASH_LEN + 1], *key;

	if (hdr != NULL && hdr->message_id[0] != '\0')
		return strdup(hdr->message_id);
	state_hash(headers, strlen(headers), sum);
	if (asprintf(&key, "<sha256-%s@ofii-watch>", sum) == -1)
		key = NULL;
	return key;
}

/*
 * One downloaded mail: events if trusted, an alert if it only looks so.
 * `cut`: raw is only its first max_message_size bytes.
 * -1 and *errstr: nothing could be done for it and it must be tried again
 * (the reader could not run, the state could not take its events).
 */
static int
handle_mail(struct poller *p, const char *label, const struct mail_facts *hdr,
    const char *raw, size_t len, int cut, time_t now, struct poll_result *r,
    char **errstr)
{
	const struct config *cfg = p->cfg;
	struct event_list events = { NULL, 0 };
	struct convocation *conv = NULL;
	struct mail_facts *msg = NULL;
	struct mail_source src;
	enum reader_result rc;
	struct alert a;
	char *err = NULL;
	size_t i;

	if ((rc = reader_read(raw, len, cut, cfg, label, &msg, &conv,
	    &err)) == READER_UNAVAILABLE) {
		errstr_set(errstr, "%s: %s", label, err ? err :
		    "out of memory");
		free(err);
		return -1;
	}
	if (rc == READER_MAIL_FAILED) {
		/*
		 * A hostile mail is skipped, not retried (the reader had its
		 * second chance); but it was a candidate, maybe OFII's: the
		 * person is told which one, as for any mail given up.
		 */
		log_warnx("%s: cannot read this mail: %s", label,
		    err ? err : "out of memory");
		alert_unread_make(&a, label, hdr, err ? err : "out of memory");
		alert_send(cfg, &a);
		free(err);
		return 0;
	}
	log_debug("%s: from %s (%s): %s, %zu appointment(s)", label,
	    msg->from_addr, sender_trust_name(conv->trust),
	    conv_kind_name(conv->kind), conv->nappts);
	if (conv->kind == KIND_OTHER && msg->unreadable_pdfs == 0 &&
	    msg->skipped_parts == 0)
		goto done;
	if (conv->trust == TRUST_UNTRUSTED &&
	    !trusted_forwarder(cfg, msg->from_addr)) {
		if (conv->kind != KIND_OTHER) {
			r->untrusted++;
			alert_untrusted_make(&a, msg, conv);
			alert_send(cfg, &a);
		}
		goto done;
	}
	if (conv->kind == KIND_ACKNOWLEDGEMENT)
		goto done;
	/*
	 * OFII wrote, but no appointment could be read: a convocation whose
	 * date is only in an attachment that could not be read (damaged, a
	 * scan, too large), or a letter worded as never before.  It is
	 * marked read like any other mail, so this is said once, loudly:
	 * silence here would be a missed convocation.
	 */
	if (conv->nappts == 0 && conv->kind != KIND_CANCELLATION) {
		alert_unreadable_make(&a, label, msg);
		alert_send(cfg, &a);
		if (conv->kind == KIND_OTHER)
			goto done;
	}
	src.subject = msg->subject;
	src.date = msg->date;
	src.received = msg->date_utc;
	if (calendar_from_convocation(conv, &src, cfg, p->st, now, &events,
	    &err) == -1) {
		/*
		 * The letter itself cannot be turned into events (what it
		 * says does not fit a calendar): reading it again would fail
		 * again and, retried first in every pass, hold back every
		 * later mail of the folder.  Say it loudly, once, and go on.
		 */
		log_alert(LOG_ERR, MSGID_CALENDAR_FAILURE, "calendar",
		    "%s: an OFII %s from %s could not be put in the calendar "
		    "(%s): read it yourself", label, conv_kind_name(conv->kind),
		    msg->from_addr, err ? err : "out of memory");
		free(err);
		event_list_free(&events);
		goto done;
	}
	if (calendar_commit(p->st, &events, &err) == -1) {
		errstr_set(errstr, "%s: could not record its events: %s",
		    label, err ? err : "out of memory");
		free(err);
		event_list_free(&events);
		convocation_free(conv);
		mail_facts_free(msg);
		return -1;	/* not marked processed: retried next pass */
	}
	for (i = 0; i < events.n; i++)
		r->events_changed += events.v[i].changed != 0;
	r->convocations++;
	if (conv->nappts > 0) {
		alert_found_make(&a, conv);
		alert_send(cfg, &a);
	}
	event_list_free(&events);
done:
	convocation_free(conv);
	mail_facts_free(msg);
	return 0;
}

/*
 * A state that cannot be written (read-only or full disk) does not stop
 * the pass: the events go on to the calendar from memory (a convocation
 * in Junk must not wait behind a phishing mail in INBOX), and the daemon
 * keeps what it learnt in memory.  The failure is remembered and makes the
 * pass fail at the end; a later pass that can write saves everything.
 * Nothing is duplicated meanwhile: UIDs are stable and sinks compare.
 */
static void
save(struct poller *p)
{
	char *err = NULL;

	if (state_save(p->st, &err) == 0)
		return;
	if (p->save_err == NULL) {
		log_errx("saving the state: %s (going on in memory)",
		    err ? err : "?");
		if (asprintf(&p->save_err, "saving the state: %s",
		    err ? err : "?") == -1)
			p->save_err = NULL;
	}
	free(err);
}

/*
 * The download of a message failed (the connection dropped in its body,
 * a reply libcurl or we cannot parse).  Once is the network's doing and
 * the pass is retried; but a message that fails in FETCH_GIVE_UP passes in
 * a row is the message's (e.g. a body line that libcurl takes for the end
 * of the reply): retried forever, it would hide every later mail of the
 * folder.  Then it is given up, with an alert naming it: 1.
 */
#define FETCH_GIVE_UP	3
static int
given_up(struct poller *p, const char *folder, uint32_t uid,
    const char *label, const char *why)
{
	struct alert a;
	int n = state_failure_count(p->st, folder, uid);

	if (n < FETCH_GIVE_UP)
		return 0;
	state_failure_clear(p->st, folder);
	alert_given_up_make(&a, label, n, why);
	alert_send(p->cfg, &a);
	return 1;
}

/*
 * The candidates of one search result, in ascending UID order.  `advance`:
 * move the folder's last UID past each message as it is recorded (an
 * incremental pass).  Not during a first scan or a rescan: those search
 * back to validated_on only, and a resumed pass searches from the last
 * UID without that bound, so a crash in the middle would make the next
 * pass read older mail the first scan excludes.  A rescan cut short is
 * simply done again, known mails recognized by Message-ID.
 */
static int
process_uids(struct poller *p, const char *folder, uint32_t uidvalidity,
    int advance, const struct imap_uids *uids, time_t now,
    struct poll_result *r, char **errstr)
{
	struct imap_msginfos infos = { NULL, 0 };
	struct reader_answer *answers = NULL;
	struct reader_mail *hdrs = NULL;
	enum reader_result rc;
	size_t i, lsize = strlen(folder) + 16;
	char *labels = NULL;
	int ret = -1;

	if (uids->n == 0)
		return 0;
	if (imap_fetch_headers(p->imap, uids->v, uids->n, &infos,
	    errstr) == -1)
		return -1;
	/*
	 * The headers are read by the reader too (they are mail), all of
	 * this result in one run.  Headers it cannot read are no reason to
	 * skip a message the server found: the whole mail is read next, and
	 * judged.
	 */
	if ((hdrs = calloc(infos.n + 1, sizeof(*hdrs))) == NULL ||
	    (answers = calloc(infos.n + 1, sizeof(*answers))) == NULL ||
	    (labels = calloc(infos.n + 1, lsize)) == NULL) {
		errstr_set(errstr, "out of memory");
		goto fail;
	}
	for (i = 0; i < infos.n; i++) {
		hdrs[i].raw = infos.v[i].headers;
		hdrs[i].len = infos.v[i].headers_len;
		snprintf(labels + i * lsize, lsize, "%s/%u", folder,
		    infos.v[i].uid);
		hdrs[i].label = labels + i * lsize;
	}
	if ((rc = reader_read_batch(hdrs, infos.n, p->cfg, answers,
	    errstr)) == READER_UNAVAILABLE)
		goto fail;
	if (rc == READER_MAIL_FAILED) {
		log_warnx("%s: headers: %s; reading the mails whole",
		    folder, *errstr ? *errstr : "?");
		free(*errstr);
		*errstr = NULL;
	}
	for (i = 0; i < infos.n; i++) {
		const struct imap_msginfo *in = &infos.v[i];
		const struct mail_facts *hdr = answers[i].facts;
		char label[300], *key = NULL, *raw = NULL;
		size_t len;
		int cut;

		/* Each message is saved as it is done: stopping here loses
		   nothing and the next pass resumes after it. */
		if (keepalive(p))
			break;
		snprintf(label, sizeof(label), "%s/%u", folder, in->uid);
		if (answers[i].err != NULL)
			log_debug("%s: headers: %s", label, answers[i].err);
		if ((key = message_key(hdr, in->headers)) == NULL) {
			errstr_set(errstr, "out of memory");
			goto fail;
		}
		if (state_message_seen(p->st, key) ||
		    (hdr != NULL && !looks_relevant(p->cfg, hdr))) {
			log_debug("%s: %s", label, state_message_seen(p->st,
			    key) ? "already processed" : "not relevant");
			free(key);
			continue;
		}
		if (imap_fetch_body(p->imap, in->uid, &raw, &len, &cut,
		    errstr) == -1) {
			/* Asked to stop mid-download: not the mail's fault,
			   and not counted against it. */
			if (keepalive(p)) {
				free(*errstr);
				*errstr = NULL;
				free(key);
				break;
			}
			/*
			 * Whatever failed (the network, a reply we cannot
			 * parse, a body larger than asked for or than
			 * announced), the mail is tried again in the next
			 * passes and given up after FETCH_GIVE_UP, with an
			 * alert naming it: never dropped in silence.
			 */
			if (!given_up(p, folder, in->uid, label, *errstr)) {
				free(key);
				goto fail;
			}
			log_warnx("%s: %s: passed over", label, *errstr);
			free(*errstr);
			*errstr = NULL;
		} else {
			state_failure_clear(p->st, folder);
			r->candidates++;
			/* Judged on what was fetched: headers, text and the
			   attachments before the cut. */
			if (cut)
				log_warnx("%s: larger than max_message_size "
				    "(%zu bytes): only its first %zu bytes "
				    "are read", label,
				    p->cfg->max_message_size, len);
			if (handle_mail(p, label, hdr, raw, len, cut, now, r,
			    errstr) == -1) {
				free(raw);
				free(key);
				if (keepalive(p)) {	/* the reader stopped */
					free(*errstr);
					*errstr = NULL;
					break;
				}
				goto fail;
			}
			free(raw);
		}
		/* The message, its events and the folder position: one
		   atomic write. */
		if (state_message_add(p->st, key) == -1 || (advance &&
		    state_folder_set(p->st, folder, uidvalidity,
		    in->uid) == -1)) {
			free(key);
			errstr_set(errstr, "out of memory");
			goto fail;
		}
		free(key);
		save(p);
	}
	ret = 0;
fail:
	if (answers != NULL)
		reader_answers_free(answers, infos.n);
	free(answers);
	free(hdrs);
	free(labels);
	imap_msginfos_free(&infos);
	return ret;
}

/* Midnight (local) before validated_on, or FIRST_SCAN_DAYS ago. */
static time_t
first_scan_since(const struct config *cfg, time_t now)
{
	if (cfg->validated_on.year != 0)
		return alerts_local_time(&cfg->validated_on, 0, -1, 0);
	return now - (time_t)FIRST_SCAN_DAYS * 86400;
}

static int
poll_folder(struct poller *p, const char *folder, time_t now,
    struct poll_result *r, char **errstr)
{
	const char *from[NFROM + 64], *subject[NSUBJECT];
	struct imap_criteria crit;
	struct imap_mailbox mb;
	uint32_t uidvalidity = 0, last = 0, highest;
	size_t i, nfrom = 0;
	int known, advance;

	known = state_folder_get(p->st, folder, &uidvalidity, &last) == 0;
	/*
	 * The idle case first, with STATUS when the server allows it: it
	 * opens nothing (an EXAMINE of 100,000 messages costs the server
	 * milliseconds, STATUS a fraction of one) and its reply is shorter.
	 */
	if (known) {
		int rc = imap_status(p->imap, folder, &mb, errstr);

		if (rc == -1)
			return -1;
		if (rc == 1 && uidvalidity == mb.uidvalidity &&
		    mb.uidnext - 1 <= last) {
			r->folders++;
			r->unchanged++;
			return 0;
		}
	}
	if (imap_examine(p->imap, folder, &mb, errstr) == -1)
		return -1;
	r->folders++;
	if (known && uidvalidity == mb.uidvalidity && mb.uidnext != 0 &&
	    mb.uidnext - 1 <= last) {
		r->unchanged++;
		return 0;
	}
	memset(&crit, 0, sizeof(crit));
	advance = known && uidvalidity == mb.uidvalidity;
	if (!advance) {
		if (known)
			log_info("%s: UIDVALIDITY changed (%u -> %u): "
			    "rescanning, known mails are recognized by "
			    "Message-ID", folder, uidvalidity, mb.uidvalidity);
		crit.uid_min = 1;
		crit.since = first_scan_since(p->cfg, now);
		last = 0;
		r->full_scans++;
	} else
		crit.uid_min = last + 1;
	for (i = 0; i < NFROM; i++)
		from[nfrom++] = search_from[i];
	for (i = 0; i < p->cfg->trusted_forwarders.n && nfrom <
	    sizeof(from) / sizeof(from[0]); i++)
		from[nfrom++] = p->cfg->trusted_forwarders.v[i];
	for (i = 0; i < NSUBJECT; i++)
		subject[i] = search_subject[i];
	crit.from = from;
	crit.nfrom = nfrom;
	crit.subject = subject;
	crit.nsubject = NSUBJECT;
	highest = last;
	/*
	 * In windows of SEARCH_WINDOW UIDs when UIDNEXT is known, so that
	 * however much a search matches (a broad trusted forwarder, a
	 * server ignoring the criteria), each reply stays far below what
	 * libcurl accepts in one response; the last window is open-ended
	 * for mail that arrived since the EXAMINE.
	 */
	for (;;) {
		struct imap_uids uids = { NULL, 0, 0 };
		int more;

		crit.uid_max = 0;
		if (mb.uidnext != 0 && mb.uidnext > crit.uid_min &&
		    mb.uidnext - crit.uid_min > SEARCH_WINDOW)
			crit.uid_max = crit.uid_min + SEARCH_WINDOW - 1;
		if (imap_uid_search(p->imap, &crit, &uids, errstr) == -1)
			return -1;
		if (uids.n > 0 && uids.v[uids.n - 1] > highest)
			highest = uids.v[uids.n - 1];
		if (process_uids(p, folder, mb.uidvalidity, advance, &uids, now,
		    r, errstr) == -1) {
			imap_uids_free(&uids);
			return -1;
		}
		if (p->stopping) {	/* not all looked at: no advance */
			imap_uids_free(&uids);
			save(p);
			return 0;
		}
		more = 1;
		if (uids.truncated && uids.n > 0)
			crit.uid_min = uids.v[uids.n - 1] + 1;
		else if (crit.uid_max != 0)
			crit.uid_min = crit.uid_max + 1;
		else
			more = 0;
		imap_uids_free(&uids);
		if (!more)
			break;
	}
	/* Everything below UIDNEXT has been looked at. */
	if (mb.uidnext != 0 && mb.uidnext - 1 > highest)
		highest = mb.uidnext - 1;
	if (state_folder_set(p->st, folder, mb.uidvalidity, highest) == -1) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	save(p);
	return 0;
}

/* Timeline events (renewal, follow-up) and the scheduled alerts. */
static void
timeline_and_alerts(struct poller *p, time_t now, struct poll_result *r)
{
	struct event_list events = { NULL, 0 };
	struct alert_memory mem;
	struct alert due[ALERT_SCHEDULED_COUNT];
	int found = standing_found(p->st), k;
	char *err = NULL;
	size_t i, n;

	if (calendar_timeline(p->cfg, p->st, found, now, &events, &err) == -1 ||
	    calendar_commit(p->st, &events, &err) == -1) {
		log_warnx("calendar timeline: %s", err ? err : "out of memory");
		free(err);
	} else
		for (i = 0; i < events.n; i++)
			r->events_changed += events.v[i].changed != 0;
	event_list_free(&events);

	for (k = 0; k < ALERT_SCHEDULED_COUNT; k++)
		mem.last[k] = state_alert_last(p->st,
		    alert_kind_name((enum alert_kind)k));
	n = alerts_due(p->cfg, now, found, &mem, due);
	for (i = 0; i < n; i++) {
		alert_send(p->cfg, &due[i]);
		if (state_alert_set(p->st, alert_kind_name(due[i].kind),
		    now) == -1)
			log_warnx("alerts: out of memory");
	}
}

int
poller_run(struct poller *p, time_t now, struct poll_result *r,
    char **errstr)
{
	char *err = NULL, *mailbox_err = NULL, *folder_err = NULL;
	size_t i, nfailed = 0;
	int ok = 1;

	memset(r, 0, sizeof(*r));
	free(p->save_err);
	p->save_err = NULL;
	if (resolve_folders(p, &mailbox_err) == -1)
		ok = 0;
	for (i = 0; ok && i < p->nfolders && !keepalive(p); i++) {
		char *ferr = NULL;

		if (poll_folder(p, p->folders[i], now, r, &ferr) == 0)
			continue;
		if (keepalive(p)) {	/* a command stopped mid-way */
			free(ferr);
			break;
		}
		/*
		 * One folder's trouble (a configured folder that does not
		 * exist, a NO from the server) must not keep the others
		 * unread; a connection, login or TLS failure ends the pass.
		 */
		if (imap_error_kind(p->imap) == IMAP_ERR_PROTOCOL ||
		    imap_error_kind(p->imap) == IMAP_ERR_TOOBIG) {
			/* Logged at every pass, but no backoff: the other
			   folders keep their normal rhythm. */
			log_warnx("folder %s: %s; the other folders are still "
			    "watched", p->folders[i], ferr ? ferr : "failed");
			nfailed++;
			free(folder_err);
			if (asprintf(&folder_err, "every watched folder failed "
			    "(the last, %s: %s)", p->folders[i], ferr ? ferr :
			    "failed") == -1)
				folder_err = NULL;
			free(ferr);
			continue;
		}
		mailbox_err = ferr;
		ok = 0;
	}
	/* Not one folder read: the pass failed, for `poll`'s exit status
	   and for cron, even though each folder's trouble was its own. */
	if (ok && !p->stopping && p->nfolders > 0 && nfailed == p->nfolders) {
		ok = 0;
		mailbox_err = folder_err != NULL ? folder_err :
		    strdup("every watched folder failed");
		folder_err = NULL;
	}
	free(folder_err);
	if (p->stopping) {
		/* SIGTERM: what was done is saved; the rest waits. */
		r->interrupted = 1;
		save(p);
		free(mailbox_err);
		free(p->save_err);
		p->save_err = NULL;
		return 0;
	}
	/* Nothing left open on the server: the next pass can use STATUS. */
	if (ok) {
		char *uerr = NULL;

		if (imap_unselect(p->imap, &uerr) == -1)
			log_debug("imap: no UNSELECT: %s", uerr ? uerr :
			    "the server does not have it");
		free(uerr);
	}
	/* IMAP_OK with a failure: a local one (the state could not be
	   written, out of memory), not the mailbox's. */
	if (!ok)
		r->mailbox_error = imap_error_kind(p->imap);
	/*
	 * After a search over a whole folder (a first scan, a rescan),
	 * Dovecot keeps that work in its transaction log and every later
	 * STATUS or EXAMINE replays it: 100-130 ms on 100,000 messages
	 * instead of 0.5 ms, for as long as the session lives (measured).
	 * A STATUS of each folder in the scanning session has Dovecot write
	 * its index when we log out; the idle polls then start clean on a
	 * new connection.
	 */
	if (r->full_scans > 0 && ok)
		for (i = 0; i < p->nfolders; i++) {
			struct imap_mailbox mb;

			if (imap_status(p->imap, p->folders[i], &mb, NULL) != 1)
				break;
		}
	{
		uint64_t in = 0, out = 0;

		if (imap_wire_bytes(p->imap, &in, &out) == 0)
			r->wire_bytes = in + out;
	}
	if (r->full_scans > 0) {
		log_debug("closing the connection after a full scan");
		imap_disconnect(p->imap);
	}
	/* Whatever the mailbox did, the calendar and alerts go on. */
	timeline_and_alerts(p, now, r);
	keepalive(p);
	if (sinks_sync(p->cfg, p->st, &err) == -1) {
		log_warnx("calendar: %s (kept, retried at the next pass)",
		    err ? err : "?");
		free(err);
		err = NULL;
		r->sink_failed = 1;
	}
	state_poll_set(p->st, now, ok, mailbox_err);
	save(p);
	/* The mailbox was read but the state not written: a local failure
	   (r->mailbox_error stays IMAP_OK). */
	if (ok && p->save_err != NULL) {
		ok = 0;
		mailbox_err = p->save_err;
		p->save_err = NULL;
	}
	if (!ok) {
		if (errstr != NULL)
			*errstr = mailbox_err;
		else
			free(mailbox_err);
		return -1;
	}
	free(mailbox_err);
	return 0;
}
