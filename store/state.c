/*
 * state: see state.h.  The file is JSON (json-c); in memory it is plain C
 * arrays, converted on load and save.  The calendar uses the events and
 * sinks parts, the poll (daemon/poll.c) the folder, message, poll and
 * alert parts.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <nettle/sha2.h>

#include "lib/errstr.h"
#include "lib/log.h"
#include "store/atomic.h"
#include "store/migrate.h"
#include "store/state.h"

#define STATE_VERSION	1
#define STATE_MAX_SIZE	(64 * 1024 * 1024)

static const char *const sink_names[SINK_COUNT] = { "vdir", "file", "caldav" };

const char *
sink_name(enum sink_id s)
{
	return sink_names[s];
}



int
state_default_path(char **pathp, char **errstr)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int r;

	*pathp = NULL;
	if (xdg != NULL && xdg[0] == '/')
		r = asprintf(pathp, "%s/ofii-watch/state.json", xdg);
	else if (home != NULL && home[0] == '/')
		r = asprintf(pathp, "%s/.local/state/ofii-watch/state.json",
		    home);
	else {
		errstr_set(errstr, "neither XDG_STATE_HOME nor HOME is set: "
		    "nowhere to keep the state");
		return -1;
	}
	if (r == -1) {
		*pathp = NULL;
		errstr_set(errstr, "out of memory");
		return -1;
	}
	return 0;
}

struct state *
state_new(const char *path)
{
	struct state *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	if (path != NULL && (st->path = strdup(path)) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

static void
state_event_clear(struct state_event *ev)
{
	event_clear(&ev->event);
	free(ev->etag);
}

void
state_free(struct state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nfolders; i++)
		free(st->folders[i].name);
	free(st->folders);
	for (i = 0; i < st->nmessage_ids; i++)
		free(st->message_ids[i]);
	free(st->message_ids);
	free(st->last_poll_error);
	for (i = 0; i < st->nalerts; i++)
		free(st->alerts[i].kind);
	free(st->alerts);
	for (i = 0; i < st->nevents; i++)
		state_event_clear(&st->events[i]);
	free(st->events);
	for (i = 0; i < st->nfailures; i++)
		free(st->failures[i].folder);
	free(st->failures);
	for (i = 0; i < SINK_COUNT; i++)
		free(st->sink_target[i]);
	free(st->path);
	free(st);
}

/* ---------------------------------------------------------------- folders */

int
state_folder_get(const struct state *st, const char *folder,
    uint32_t *uidvalidity, uint32_t *last_uid)
{
	size_t i;

	for (i = 0; i < st->nfolders; i++)
		if (strcmp(st->folders[i].name, folder) == 0) {
			*uidvalidity = st->folders[i].uidvalidity;
			*last_uid = st->folders[i].last_uid;
			return 0;
		}
	return -1;
}

int
state_folder_set(struct state *st, const char *folder, uint32_t uidvalidity,
    uint32_t last_uid)
{
	struct state_folder *nf;
	size_t i;

	for (i = 0; i < st->nfolders; i++)
		if (strcmp(st->folders[i].name, folder) == 0)
			break;
	if (i == st->nfolders) {
		nf = reallocarray(st->folders, st->nfolders + 1, sizeof(*nf));
		if (nf == NULL)
			return -1;
		st->folders = nf;
		if ((nf[i].name = strdup(folder)) == NULL)
			return -1;
		st->nfolders++;
	}
	st->folders[i].uidvalidity = uidvalidity;
	st->folders[i].last_uid = last_uid;
	return 0;
}

/* ---------------------------------------------------------------- hashes */

void
state_hash(const void *data, size_t len, char out[STATE_HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(md), md);
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[STATE_HASH_LEN] = '\0';
}

/* ---------------------------------------------------------------- failures */

int
state_failure_count(struct state *st, const char *folder, uint32_t uid)
{
	struct state_failure *nf;
	size_t i;

	for (i = 0; i < st->nfailures; i++)
		if (strcmp(st->failures[i].folder, folder) == 0)
			break;
	if (i == st->nfailures) {
		nf = reallocarray(st->failures, st->nfailures + 1, sizeof(*nf));
		if (nf == NULL)
			return -1;
		st->failures = nf;
		if ((nf[i].folder = strdup(folder)) == NULL)
			return -1;
		nf[i].uid = 0;
		nf[i].passes = 0;
		st->nfailures++;
	}
	if (st->failures[i].uid != uid) {
		st->failures[i].uid = uid;
		st->failures[i].passes = 0;
	}
	return ++st->failures[i].passes;
}

void
state_failure_clear(struct state *st, const char *folder)
{
	size_t i;

	for (i = 0; i < st->nfailures; i++)
		if (strcmp(st->failures[i].folder, folder) == 0) {
			free(st->failures[i].folder);
			st->failures[i] = st->failures[--st->nfailures];
			return;
		}
}

/* ---------------------------------------------------------------- messages */

int
state_message_seen(const struct state *st, const char *message_id)
{
	size_t i;

	for (i = 0; i < st->nmessage_ids; i++)
		if (strcmp(st->message_ids[i], message_id) == 0)
			return 1;
	return 0;
}

int
state_message_add(struct state *st, const char *message_id)
{
	char **nv, *copy;

	if (state_message_seen(st, message_id))
		return 0;
	if ((copy = strdup(message_id)) == NULL)
		return -1;
	if (st->nmessage_ids == STATE_MAX_MESSAGE_IDS) {
		free(st->message_ids[0]);
		memmove(st->message_ids, st->message_ids + 1,
		    (st->nmessage_ids - 1) * sizeof(char *));
		st->nmessage_ids--;
	}
	nv = reallocarray(st->message_ids, st->nmessage_ids + 1, sizeof(*nv));
	if (nv == NULL) {
		free(copy);
		return -1;
	}
	st->message_ids = nv;
	nv[st->nmessage_ids++] = copy;
	return 0;
}

int
state_poll_set(struct state *st, time_t when, int ok, const char *error)
{
	char *copy = NULL;

	if (error != NULL && (copy = strdup(error)) == NULL)
		return -1;
	free(st->last_poll_error);
	st->last_poll_error = copy;
	st->last_poll = when;
	st->last_poll_ok = ok;
	return 0;
}

/* ---------------------------------------------------------------- alerts */

time_t
state_alert_last(const struct state *st, const char *kind)
{
	size_t i;

	for (i = 0; i < st->nalerts; i++)
		if (strcmp(st->alerts[i].kind, kind) == 0)
			return st->alerts[i].last;
	return 0;
}

int
state_alert_set(struct state *st, const char *kind, time_t when)
{
	struct state_alert *na;
	size_t i;

	for (i = 0; i < st->nalerts; i++)
		if (strcmp(st->alerts[i].kind, kind) == 0) {
			st->alerts[i].last = when;
			return 0;
		}
	if ((na = reallocarray(st->alerts, st->nalerts + 1,
	    sizeof(*na))) == NULL)
		return -1;
	st->alerts = na;
	if ((na[i].kind = strdup(kind)) == NULL)
		return -1;
	na[i].last = when;
	st->nalerts++;
	return 0;
}

/* ---------------------------------------------------------------- events */

struct state_event *
state_event_find(const struct state *st, const char *uid)
{
	size_t i;

	for (i = 0; i < st->nevents; i++)
		if (strcmp(st->events[i].event.uid, uid) == 0)
			return &st->events[i];
	return NULL;
}

struct state_event *
state_event_get(struct state *st, const char *uid)
{
	struct state_event *ev, *nv;

	if ((ev = state_event_find(st, uid)) != NULL)
		return ev;
	if ((nv = reallocarray(st->events, st->nevents + 1,
	    sizeof(*nv))) == NULL)
		return NULL;
	st->events = nv;
	ev = &nv[st->nevents];
	memset(ev, 0, sizeof(*ev));
	if ((ev->event.uid = strdup(uid)) == NULL)
		return NULL;
	st->nevents++;
	return ev;
}

int
state_event_pending(const struct state_event *ev, enum sink_id s)
{
	return ev->event.ics != NULL &&
	    strcmp(ev->delivered[s], ev->event.hash) != 0;
}

void
state_event_delivered(struct state_event *ev, enum sink_id s)
{
	memcpy(ev->delivered[s], ev->event.hash, sizeof(ev->delivered[s]));
}

int
state_sink_target(struct state *st, enum sink_id s, const char *target)
{
	char *copy;
	size_t i;

	if (st->sink_target[s] != NULL && target != NULL &&
	    strcmp(st->sink_target[s], target) == 0)
		return 0;
	if (target == NULL)
		copy = NULL;
	else if ((copy = strdup(target)) == NULL)
		return -1;
	if (st->sink_target[s] != NULL)
		log_info("calendar %s: now %s (was %s): every event will be "
		    "written there", sink_names[s], target ? target : "off",
		    st->sink_target[s]);
	free(st->sink_target[s]);
	st->sink_target[s] = copy;
	for (i = 0; i < st->nevents; i++) {
		st->events[i].delivered[s][0] = '\0';
		if (s == SINK_CALDAV) {
			free(st->events[i].etag);
			st->events[i].etag = NULL;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- JSON in */

/*
 * A file that is JSON is read record by record (a folder, a failure, an
 * alert, an event, ...), each member checked for its type and range.  A
 * record that does not fit is not used: it is set aside, with a warning,
 * in a file next to the state (see set_aside_records), and the others
 * are kept.  A member that is absent or null takes its default (files of
 * older versions lack some).
 */
struct loading {
	struct json_object	*rejected;	/* section -> {name: record} */
	size_t			 nrejected;
	char			 first[160];	/* "section/name", for the log */
};

static int
reject(struct loading *ld, const char *section, const char *name,
    struct json_object *v)
{
	struct json_object *sec;

	if (ld->rejected == NULL &&
	    (ld->rejected = json_object_new_object()) == NULL)
		return -1;
	if (!json_object_object_get_ex(ld->rejected, section, &sec)) {
		if ((sec = json_object_new_object()) == NULL)
			return -1;
		json_object_object_add(ld->rejected, section, sec);
	}
	json_object_object_add(sec, name, json_object_get(v));
	if (ld->nrejected++ == 0)
		snprintf(ld->first, sizeof(ld->first), "%s/%s", section, name);
	return 0;
}

/* An integer member within [min, max]: 0 and *out (0 when absent), or -1. */
static int
want_int(struct json_object *o, const char *key, int64_t min, int64_t max,
    int64_t *out)
{
	struct json_object *v;
	int64_t n;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return min <= 0 && max >= 0 ? 0 : -1;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	if (n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* A string member of at most maxlen bytes: 0 and *out (NULL when absent
   or null), or -1. */
static int
want_str(struct json_object *o, const char *key, size_t maxlen,
    const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    (size_t)json_object_get_string_len(v) > maxlen ||
	    strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return -1;		/* NUL inside: not a C string */
	*out = json_object_get_string(v);
	return 0;
}

/* A hash member: absent, "" or STATE_HASH_LEN lowercase hex digits. */
static int
want_hash(struct json_object *o, const char *key,
    char dst[STATE_HASH_LEN + 1])
{
	const char *s;
	size_t i;

	dst[0] = '\0';
	if (want_str(o, key, STATE_HASH_LEN, &s) == -1)
		return -1;
	if (s == NULL || s[0] == '\0')
		return 0;
	if (strlen(s) != STATE_HASH_LEN)
		return -1;
	for (i = 0; i < STATE_HASH_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	memcpy(dst, s, STATE_HASH_LEN + 1);
	return 0;
}

static int
dup_opt(char **dst, const char *s)
{
	*dst = NULL;
	if (s != NULL && (*dst = strdup(s)) == NULL)
		return -1;
	return 0;
}

#define TEXT_MAX	(1024 * 1024)	/* one event's text member */
#define NAME_MAX_LEN	1000		/* folder and alert names, errors */
#define TIME_MAX	253402300799LL	/* 9999-12-31T23:59:59Z */

/* One event record's members, all checked before anything is kept. */
struct event_in {
	const char	*type, *group, *ics, *tzid, *office, *summary,
			*location, *description, *etag;
	int64_t		 sequence, cancelled, start, end, previous_start,
			 mail_time, all_day;
	char		 hash[STATE_HASH_LEN + 1];
	char		 delivered[SINK_COUNT][STATE_HASH_LEN + 1];
	int		 has_end;
};

static int
event_check(struct json_object *v, struct event_in *in)
{
	struct json_object *d;
	int s;

	memset(in, 0, sizeof(*in));
	if (!json_object_is_type(v, json_type_object))
		return -1;
	in->has_end = json_object_object_get_ex(v, "end", NULL);
	if (want_str(v, "type", 64, &in->type) == -1 ||
	    want_str(v, "group", 256, &in->group) == -1 ||
	    want_str(v, "ics", TEXT_MAX, &in->ics) == -1 ||
	    want_str(v, "tzid", 256, &in->tzid) == -1 ||
	    want_str(v, "office", TEXT_MAX, &in->office) == -1 ||
	    want_str(v, "summary", TEXT_MAX, &in->summary) == -1 ||
	    want_str(v, "location", TEXT_MAX, &in->location) == -1 ||
	    want_str(v, "description", TEXT_MAX, &in->description) == -1 ||
	    want_str(v, "etag", STATE_ETAG_MAX, &in->etag) == -1 ||
	    want_int(v, "sequence", 0, INT32_MAX, &in->sequence) == -1 ||
	    want_int(v, "cancelled", 0, 1, &in->cancelled) == -1 ||
	    want_int(v, "all_day", 0, 1, &in->all_day) == -1 ||
	    want_int(v, "start", 0, TIME_MAX, &in->start) == -1 ||
	    want_int(v, "end", 0, TIME_MAX, &in->end) == -1 ||
	    want_int(v, "previous_start", 0, TIME_MAX,
	    &in->previous_start) == -1 ||
	    want_int(v, "mail_time", 0, TIME_MAX, &in->mail_time) == -1 ||
	    want_hash(v, "hash", in->hash) == -1)
		return -1;
	if (json_object_object_get_ex(v, "delivered", &d) && d != NULL) {
		if (!json_object_is_type(d, json_type_object))
			return -1;
		for (s = 0; s < SINK_COUNT; s++)
			if (want_hash(d, sink_names[s], in->delivered[s]) == -1)
				return -1;
	}
	return 0;
}

/*
 * One event's fields.  A record without "end" was written by an older
 * ofii-watch, whose state kept the iCalendar text instead of the fields:
 * they are filled from that text, here and only here (store/migrate.h),
 * and the next save writes them.  A text that cannot be read leaves them
 * empty, as the event could not be updated before either.
 */
static int
event_from_json(struct state_event *ev, const struct event_in *in)
{
	struct event *e = &ev->event;
	char *err = NULL;
	int s;

	e->type = event_type_from_name(in->type);
	e->sequence = (int)in->sequence;
	e->cancelled = (int)in->cancelled;
	e->start = (time_t)in->start;
	e->previous_start = (time_t)in->previous_start;
	e->mail_time = (time_t)in->mail_time;
	memcpy(e->hash, in->hash, sizeof(e->hash));
	for (s = 0; s < SINK_COUNT; s++)
		memcpy(ev->delivered[s], in->delivered[s],
		    sizeof(ev->delivered[s]));
	if (dup_opt(&e->group, in->group) == -1 ||
	    dup_opt(&e->ics, in->ics) == -1 ||
	    dup_opt(&ev->etag, in->etag) == -1)
		return -1;
	if (!in->has_end) {
		if (e->ics != NULL && migrate_event_fields(e, &err) == -1) {
			log_warnx("%s", err ? err : "out of memory");
			free(err);
		}
		return 0;
	}
	e->end = (time_t)in->end;
	e->all_day = (int)in->all_day;
	if (dup_opt(&e->tzid, in->tzid) == -1 ||
	    dup_opt(&e->office, in->office) == -1 ||
	    dup_opt(&e->summary, in->summary) == -1 ||
	    dup_opt(&e->location, in->location) == -1 ||
	    dup_opt(&e->description, in->description) == -1)
		return -1;
	return 0;
}

/* The section `key` of root when it is an object; a section of another
   type is rejected whole.  NULL when there is none to read. */
static struct json_object *
section(struct loading *ld, struct json_object *root, const char *key,
    enum json_type type, int *oom)
{
	struct json_object *o;

	if (!json_object_object_get_ex(root, key, &o) || o == NULL)
		return NULL;
	if (json_object_is_type(o, type))
		return o;
	if (reject(ld, key, "(all)", o) == -1)
		*oom = 1;
	return NULL;
}

/* Name-keyed records; -1 only on ENOMEM.  name_ok: a key that can be
   used, or NULL for any of at most NAME_MAX_LEN bytes. */
static int
read_folders(struct state *st, struct loading *ld, struct json_object *o)
{
	struct json_object_iterator it = json_object_iter_begin(o),
	    end = json_object_iter_end(o);
	int64_t uidvalidity, last;

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);

		if (name[0] == '\0' || strlen(name) > NAME_MAX_LEN ||
		    !json_object_is_type(v, json_type_object) ||
		    want_int(v, "uidvalidity", 0, UINT32_MAX,
		    &uidvalidity) == -1 ||
		    want_int(v, "last_uid", 0, UINT32_MAX, &last) == -1) {
			if (reject(ld, "folders", name, v) == -1)
				return -1;
			continue;
		}
		if (state_folder_set(st, name, (uint32_t)uidvalidity,
		    (uint32_t)last) == -1)
			return -1;
	}
	return 0;
}

static int
read_failures(struct state *st, struct loading *ld, struct json_object *o)
{
	struct json_object_iterator it = json_object_iter_begin(o),
	    end = json_object_iter_end(o);
	int64_t uid, passes, k;

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);

		if (name[0] == '\0' || strlen(name) > NAME_MAX_LEN ||
		    !json_object_is_type(v, json_type_object) ||
		    want_int(v, "uid", 0, UINT32_MAX, &uid) == -1 ||
		    want_int(v, "passes", 0, 100, &passes) == -1) {
			if (reject(ld, "failures", name, v) == -1)
				return -1;
			continue;
		}
		for (k = 0; k < passes; k++)
			if (state_failure_count(st, name, (uint32_t)uid) == -1)
				return -1;
	}
	return 0;
}

static int
read_alerts(struct state *st, struct loading *ld, struct json_object *o)
{
	struct json_object_iterator it = json_object_iter_begin(o),
	    end = json_object_iter_end(o);

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);
		int64_t t;

		if (name[0] == '\0' || strlen(name) > 64 ||
		    !json_object_is_type(v, json_type_int) ||
		    (t = json_object_get_int64(v)) < 0 || t > TIME_MAX) {
			if (reject(ld, "alerts", name, v) == -1)
				return -1;
			continue;
		}
		if (state_alert_set(st, name, (time_t)t) == -1)
			return -1;
	}
	return 0;
}

static int
read_events(struct state *st, struct loading *ld, struct json_object *o)
{
	struct json_object_iterator it = json_object_iter_begin(o),
	    end = json_object_iter_end(o);
	struct event_in in;

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *uid = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);
		struct state_event *ev;

		/* The UID becomes a file name and a URL: checked first. */
		if (!event_uid_valid(uid) || state_event_find(st, uid) != NULL ||
		    event_check(v, &in) == -1) {
			if (reject(ld, "events", uid, v) == -1)
				return -1;
			continue;
		}
		if ((ev = state_event_get(st, uid)) == NULL ||
		    event_from_json(ev, &in) == -1)
			return -1;
	}
	return 0;
}

/*
 * Fill st from the parsed document: -1 when it is not a state file at all
 * (*oom clear) or on ENOMEM (*oom set); bad records go to ld.
 */
static int
from_json(struct state *st, struct loading *ld, struct json_object *root,
    int *oom)
{
	struct json_object *o, *v;
	const char *err;
	int64_t t, ok, version;
	size_t i, n;
	int s;

	*oom = 0;
	if (!json_object_is_type(root, json_type_object) ||
	    want_int(root, "version", 0, INT32_MAX, &version) == -1 ||
	    version != STATE_VERSION)
		return -1;
	if ((o = section(ld, root, "folders", json_type_object, oom)) != NULL &&
	    read_folders(st, ld, o) == -1)
		goto oom;
	if ((o = section(ld, root, "failures", json_type_object,
	    oom)) != NULL && read_failures(st, ld, o) == -1)
		goto oom;
	if ((o = section(ld, root, "message_ids", json_type_array,
	    oom)) != NULL) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			char idx[32];

			v = json_object_array_get_idx(o, i);
			if (json_object_is_type(v, json_type_string) &&
			    json_object_get_string_len(v) > 0 &&
			    json_object_get_string_len(v) <= NAME_MAX_LEN + 24 &&
			    strlen(json_object_get_string(v)) ==
			    (size_t)json_object_get_string_len(v)) {
				if (state_message_add(st,
				    json_object_get_string(v)) == -1)
					goto oom;
				continue;
			}
			snprintf(idx, sizeof(idx), "%zu", i);
			if (reject(ld, "message_ids", idx, v) == -1)
				goto oom;
		}
	}
	if ((o = section(ld, root, "last_poll", json_type_object,
	    oom)) != NULL) {
		if (want_int(o, "time", 0, TIME_MAX, &t) == -1 ||
		    want_int(o, "ok", 0, 1, &ok) == -1 ||
		    want_str(o, "error", NAME_MAX_LEN * 4, &err) == -1) {
			if (reject(ld, "last_poll", "(all)", o) == -1)
				goto oom;
		} else if (state_poll_set(st, (time_t)t, (int)ok, err) == -1)
			goto oom;
	}
	if ((o = section(ld, root, "alerts", json_type_object, oom)) != NULL &&
	    read_alerts(st, ld, o) == -1)
		goto oom;
	if ((o = section(ld, root, "sink_targets", json_type_object,
	    oom)) != NULL)
		for (s = 0; s < SINK_COUNT; s++) {
			if (want_str(o, sink_names[s], 4096, &err) == -1) {
				json_object_object_get_ex(o, sink_names[s], &v);
				if (reject(ld, "sink_targets", sink_names[s],
				    v) == -1)
					goto oom;
				continue;	/* unknown: delivered again */
			}
			if (dup_opt(&st->sink_target[s], err) == -1)
				goto oom;
		}
	if ((o = section(ld, root, "events", json_type_object, oom)) != NULL &&
	    read_events(st, ld, o) == -1)
		goto oom;
	if (*oom)
		return -1;
	return 0;
oom:
	*oom = 1;
	return -1;
}

/*
 * The records that did not fit, as one JSON object next to the state
 * (state.json.rejected-<time>-<pid>, 0600), for a post-mortem or to put
 * back by hand: nothing the file held is lost.
 */
static void
set_aside_records(const char *path, struct loading *ld)
{
	const char *text;
	char *aside = NULL;
	size_t len;
	int fd = -1;

	text = json_object_to_json_string_ext(ld->rejected,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL || asprintf(&aside, "%s.rejected-%lld-%ld", path,
	    (long long)time(NULL), (long)getpid()) == -1) {
		aside = NULL;
		goto out;
	}
	len = strlen(text);
	if ((fd = open(aside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) == -1) {
		log_warn("%s: %zu record(s) of the wrong type or value (%s%s) "
		    "are not used; cannot keep them in %s", path, ld->nrejected,
		    ld->first, ld->nrejected > 1 ? ", ..." : "", aside);
		goto out;
	}
	log_warnx("%s: %zu record(s) of the wrong type or value (%s%s) are "
	    "not used: set aside in %s, the rest of the state is kept", path,
	    ld->nrejected, ld->first, ld->nrejected > 1 ? ", ..." : "", aside);
out:
	if (fd != -1)
		close(fd);
	if (aside == NULL)
		log_warnx("%s: %zu record(s) of the wrong type or value (%s) "
		    "are not used", path, ld->nrejected, ld->first);
	free(aside);
}

/* Move a corrupt file aside so that nothing is lost for a post-mortem. */
static void
set_aside(const char *path, const char *why)
{
	char *aside;

	/* The pid too: two rebuilds within a second must not overwrite the
	   first copy kept for a post-mortem. */
	if (asprintf(&aside, "%s.corrupt-%lld-%ld", path,
	    (long long)time(NULL), (long)getpid()) == -1) {
		log_warnx("%s: %s; starting from an empty state", path, why);
		return;
	}
	if (rename(path, aside) == -1)
		log_warn("%s: %s; cannot rename it to %s", path, why, aside);
	else
		log_warnx("%s: %s; moved to %s, starting from an empty state "
		    "(mail already seen will be read again, without "
		    "duplicates)", path, why, aside);
	free(aside);
}

int
state_load(const char *path, struct state **stp, char **errstr)
{
	struct json_tokener *tok;
	struct json_object *root;
	struct loading ld;
	struct state *st;
	struct stat sb;
	char *buf = NULL, *defpath = NULL;
	ssize_t n;
	size_t len = 0;
	int fd, r = 0, oom = 0;

	*stp = NULL;
	if (path == NULL) {
		if (state_default_path(&defpath, errstr) == -1)
			return -1;
		path = defpath;
	}
	if ((st = state_new(path)) == NULL) {
		free(defpath);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	free(defpath);
	path = st->path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT) {
			*stp = st;
			return 0;
		}
		errstr_set(errstr, "%s: cannot open: %s", path, strerror(errno));
		state_free(st);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		errstr_set(errstr, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		state_free(st);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > STATE_MAX_SIZE ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		errstr_set(errstr, "%s: cannot read: %s", path,
		    !S_ISREG(sb.st_mode) ? "not a regular file" :
		    sb.st_size > STATE_MAX_SIZE ? "too large" :
		    "out of memory");
		close(fd);
		state_free(st);
		return -1;
	}
	while (len < (size_t)sb.st_size) {
		n = read(fd, buf + len, (size_t)sb.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			/*
			 * An I/O error is not a corrupt file: setting it aside
			 * and starting empty would forget a good state.
			 */
			errstr_set(errstr, "%s: cannot read: %s", path,
			    strerror(errno));
			free(buf);
			close(fd);
			state_free(st);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	/* Trailing blanks (an editor's final newline) are not corruption. */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
	    buf[len - 1] == '\t' || buf[len - 1] == '\r'))
		buf[--len] = '\0';

	tok = json_tokener_new();
	root = tok ? json_tokener_parse_ex(tok, buf, (int)len) : NULL;
	memset(&ld, 0, sizeof(ld));
	if (root != NULL && json_tokener_get_error(tok) == json_tokener_success
	    && tok->char_offset == (int)len &&
	    (r = from_json(st, &ld, root, &oom)) == 0) {
		if (ld.nrejected > 0)
			set_aside_records(st->path, &ld);
		json_object_put(ld.rejected);
		json_object_put(root);
		json_tokener_free(tok);
		free(buf);
		*stp = st;
		return 0;
	}
	json_object_put(ld.rejected);
	json_object_put(root);
	json_tokener_free(tok);
	free(buf);
	if (r == -1 && oom) {
		/* Not the file's fault: do not set a good state aside. */
		state_free(st);
		errstr_set(errstr, "%s: out of memory", path);
		return -1;
	}
	/* Start again from nothing (from_json may have filled some). */
	{
		struct state *empty = state_new(path);

		state_free(st);
		if ((st = empty) == NULL) {
			errstr_set(errstr, "out of memory");
			return -1;
		}
	}
	set_aside(st->path, "not a valid state file");
	*stp = st;
	return 0;
}

/* ---------------------------------------------------------------- JSON out */

static struct json_object *
jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void
event_to_json(const struct event *e, struct json_object *v)
{
	json_object_object_add(v, "type",
	    jstr_or_null(event_type_name(e->type)));
	json_object_object_add(v, "group", jstr_or_null(e->group));
	json_object_object_add(v, "sequence", json_object_new_int(e->sequence));
	json_object_object_add(v, "cancelled",
	    json_object_new_int(e->cancelled));
	json_object_object_add(v, "start", json_object_new_int64(e->start));
	json_object_object_add(v, "end", json_object_new_int64(e->end));
	json_object_object_add(v, "all_day", json_object_new_int(e->all_day));
	json_object_object_add(v, "previous_start",
	    json_object_new_int64(e->previous_start));
	json_object_object_add(v, "mail_time",
	    json_object_new_int64(e->mail_time));
	json_object_object_add(v, "tzid", jstr_or_null(e->tzid));
	json_object_object_add(v, "office", jstr_or_null(e->office));
	json_object_object_add(v, "summary", jstr_or_null(e->summary));
	json_object_object_add(v, "location", jstr_or_null(e->location));
	json_object_object_add(v, "description",
	    jstr_or_null(e->description));
	json_object_object_add(v, "hash", json_object_new_string(e->hash));
	json_object_object_add(v, "ics", jstr_or_null(e->ics));
}

static struct json_object *
to_json(const struct state *st)
{
	struct json_object *root = json_object_new_object(), *o, *v, *d;
	size_t i;
	int s;

	json_object_object_add(root, "version",
	    json_object_new_int(STATE_VERSION));
	o = json_object_new_object();
	for (i = 0; i < st->nfolders; i++) {
		v = json_object_new_object();
		json_object_object_add(v, "uidvalidity",
		    json_object_new_int64(st->folders[i].uidvalidity));
		json_object_object_add(v, "last_uid",
		    json_object_new_int64(st->folders[i].last_uid));
		json_object_object_add(o, st->folders[i].name, v);
	}
	json_object_object_add(root, "folders", o);
	if (st->nfailures > 0) {
		o = json_object_new_object();
		for (i = 0; i < st->nfailures; i++) {
			v = json_object_new_object();
			json_object_object_add(v, "uid",
			    json_object_new_int64(st->failures[i].uid));
			json_object_object_add(v, "passes",
			    json_object_new_int(st->failures[i].passes));
			json_object_object_add(o, st->failures[i].folder, v);
		}
		json_object_object_add(root, "failures", o);
	}
	o = json_object_new_array();
	for (i = 0; i < st->nmessage_ids; i++)
		json_object_array_add(o,
		    json_object_new_string(st->message_ids[i]));
	json_object_object_add(root, "message_ids", o);
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_int64(st->last_poll));
	json_object_object_add(o, "ok", json_object_new_int(st->last_poll_ok));
	json_object_object_add(o, "error", jstr_or_null(st->last_poll_error));
	json_object_object_add(root, "last_poll", o);
	o = json_object_new_object();
	for (i = 0; i < st->nalerts; i++)
		json_object_object_add(o, st->alerts[i].kind,
		    json_object_new_int64(st->alerts[i].last));
	json_object_object_add(root, "alerts", o);
	o = json_object_new_object();
	for (s = 0; s < SINK_COUNT; s++)
		json_object_object_add(o, sink_names[s],
		    jstr_or_null(st->sink_target[s]));
	json_object_object_add(root, "sink_targets", o);
	o = json_object_new_object();
	for (i = 0; i < st->nevents; i++) {
		const struct state_event *ev = &st->events[i];

		v = json_object_new_object();
		event_to_json(&ev->event, v);
		json_object_object_add(v, "etag", jstr_or_null(ev->etag));
		d = json_object_new_object();
		for (s = 0; s < SINK_COUNT; s++)
			json_object_object_add(d, sink_names[s],
			    json_object_new_string(ev->delivered[s]));
		json_object_object_add(v, "delivered", d);
		json_object_object_add(o, ev->event.uid, v);
	}
	json_object_object_add(root, "events", o);
	return root;
}

int
state_lock(const char *path, int *fdp, char **errstr)
{
	char *defpath = NULL, *lock;
	int r;

	*fdp = -1;
	if (path == NULL) {
		if (state_default_path(&defpath, errstr) == -1)
			return -1;
		path = defpath;
	}
	if (asprintf(&lock, "%s.lock", path) == -1) {
		free(defpath);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	if ((r = lock_file(lock, fdp, errstr)) == -1 && errno == EWOULDBLOCK) {
		if (errstr != NULL)
			free(*errstr);
		errstr_set(errstr, "%s is in use by another ofii-watch (the "
		    "service?); to poll now, send it SIGUSR1 (systemctl --user "
		    "kill -s USR1 ofii-watch)", path);
	}
	free(lock);
	free(defpath);
	return r;
}

int
state_save(const struct state *st, char **errstr)
{
	struct json_object *root;
	const char *text;
	int r;

	if (st->path == NULL) {
		errstr_set(errstr, "state has no file");
		return -1;
	}
	root = to_json(st);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		json_object_put(root);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	r = atomic_write_file(st->path, text, strlen(text), errstr);
	json_object_put(root);
	return r;
}
