/*
 * sinks: see sinks.h.  Owned by the calendar engineer.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sinks/caldav.h"
#include "calendar/calendar.h"
#include "lib/log.h"
#include "sinks/sinks.h"
#include "lib/errstr.h"



/* 1 when `path` holds exactly `data` (then there is nothing to write). */
static int
same_content(const char *path, const char *data)
{
	size_t len = strlen(data), off = 0;
	struct stat sb;
	char buf[8192];
	ssize_t n;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return 0;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (size_t)sb.st_size == len) {
		same = 1;
		while (same && (n = read(fd, buf, sizeof(buf))) > 0) {
			if ((size_t)n > len - off ||
			    memcmp(buf, data + off, (size_t)n) != 0)
				same = 0;
			off += (size_t)n;
		}
		if (off != len)
			same = 0;
	}
	close(fd);
	return same;
}

static int
write_if_changed(const char *path, const char *data, char **errstr)
{
	if (same_content(path, data))
		return 0;
	return atomic_write_file(path, data, strlen(data), errstr);
}

/* The directory exists and only we can read it: personal data. */
static int
private_dir(const char *dir, char **errstr)
{
	if (mkdir_private(dir) == -1 || chmod(dir, 0700) == -1) {
		errstr_set(errstr, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
sink_vdir_sync(const char *dir, struct state *st, char **errstr)
{
	struct state_event *ev;
	char *path;
	size_t i;
	int checked = 0;

	if (state_sink_target(st, SINK_VDIR, dir) == -1) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (i = 0; i < st->nevents; i++) {
		ev = &st->events[i];
		if (!state_event_pending(ev, SINK_VDIR))
			continue;
		if (!checked && private_dir(dir, errstr) == -1)
			return -1;
		checked = 1;
		if (asprintf(&path, "%s/%s.ics", dir, ev->uid) == -1) {
			errstr_set(errstr, "out of memory");
			return -1;
		}
		if (write_if_changed(path, ev->ics, errstr) == -1) {
			free(path);
			return -1;
		}
		log_debug("calendar vdir: wrote %s", path);
		free(path);
		state_event_delivered(ev, SINK_VDIR);
	}
	return 0;
}

int
sink_file_sync(const char *path, struct state *st, char **errstr)
{
	const char **v;
	char *text;
	size_t i, n = 0;
	int pending = 0, r;
	struct stat sb;

	if (state_sink_target(st, SINK_FILE, path) == -1) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (i = 0; i < st->nevents; i++)
		if (state_event_pending(&st->events[i], SINK_FILE))
			pending = 1;
	if (!pending && stat(path, &sb) == 0)
		return 0;
	if ((v = calloc(st->nevents + 1, sizeof(*v))) == NULL) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (i = 0; i < st->nevents; i++)
		if (st->events[i].ics != NULL)
			v[n++] = st->events[i].ics;
	if (n == 0) {
		free(v);
		return 0;
	}
	r = calendar_combine(v, n, &text, errstr);
	free(v);
	if (r == -1)
		return -1;
	r = write_if_changed(path, text, errstr);
	free(text);
	if (r == -1)
		return -1;
	for (i = 0; i < st->nevents; i++)
		if (st->events[i].ics != NULL)
			state_event_delivered(&st->events[i], SINK_FILE);
	log_debug("calendar file: wrote %s", path);
	return 0;
}

/* Keep the first error for the caller, log the others. */
static void
note_failure(const char *sink, char *err, char **first)
{
	log_alert(LOG_ERR, MSGID_CALENDAR_FAILURE, "calendar",
	    "calendar %s: %s (the change stays queued and is retried)", sink,
	    err ? err : "out of memory");
	if (*first == NULL && err != NULL) {
		*first = err;
		return;
	}
	free(err);
}

static int
save(struct state *st, char **first)
{
	char *err = NULL;

	if (st->path == NULL || state_save(st, &err) == 0)
		return 0;
	note_failure("state", err, first);
	return -1;
}


/*
 * Whether a sink has anything to do: a new target, or an event it has not
 * accepted.  An idle pass then touches neither the sink nor the state file.
 */
static int
sink_has_work(const struct state *st, enum sink_id sink, const char *target)
{
	size_t i;

	if (st->sink_target[sink] == NULL ||
	    strcmp(st->sink_target[sink], target) != 0)
		return 1;
	for (i = 0; i < st->nevents; i++)
		if (state_event_pending(&st->events[i], sink))
			return 1;
	return 0;
}

int
sinks_sync(const struct config *cfg, struct state *st, char **errstr)
{
	char *first = NULL, *err;
	int failed = 0;

	if (cfg->vdir != NULL && sink_has_work(st, SINK_VDIR, cfg->vdir)) {
		err = NULL;
		if (sink_vdir_sync(cfg->vdir, st, &err) == -1) {
			note_failure("vdir", err, &first);
			failed = 1;
		}
		if (save(st, &first) == -1)
			failed = 1;
	}
	if (cfg->file != NULL && sink_has_work(st, SINK_FILE, cfg->file)) {
		err = NULL;
		if (sink_file_sync(cfg->file, st, &err) == -1) {
			note_failure("file", err, &first);
			failed = 1;
		}
		if (save(st, &first) == -1)
			failed = 1;
	}
	if (cfg->caldav_url != NULL &&
	    sink_has_work(st, SINK_CALDAV, cfg->caldav_url)) {
		err = NULL;
		if (caldav_sync(cfg, st, &err) == -1) {
			note_failure("CalDAV", err, &first);
			failed = 1;
		}
		if (save(st, &first) == -1)
			failed = 1;
	}
	if (failed) {
		if (errstr != NULL)
			*errstr = first;
		else
			free(first);
		return -1;
	}
	return 0;
}
