/*
 * file: the single-file sink (see sinks.h): every event in one calendar
 * (METHOD:PUBLISH), rewritten whole when one of them changed.
 */
#include <sys/stat.h>

#include <stdlib.h>

#include "calendar/calendar.h"
#include "lib/errstr.h"
#include "lib/log.h"
#include "sinks/sinks.h"
#include "store/atomic.h"

int
sink_file_sync(const char *path, struct state *st, char **errstr)
{
	const char **v;
	char *text;
	size_t i, n = 0;
	int pending = 0, r;
	struct stat sb;

	if (state_sink_target(st, SINK_FILE, path) == -1)
		return errstr_set(errstr, "out of memory");
	for (i = 0; i < st->nevents; i++)
		if (state_event_pending(&st->events[i], SINK_FILE))
			pending = 1;
	if (!pending && stat(path, &sb) == 0)
		return 0;
	if ((v = calloc(st->nevents + 1, sizeof(*v))) == NULL)
		return errstr_set(errstr, "out of memory");
	for (i = 0; i < st->nevents; i++)
		if (st->events[i].event.ics != NULL)
			v[n++] = st->events[i].event.ics;
	if (n == 0) {
		free(v);
		return 0;
	}
	r = calendar_combine(v, n, &text, errstr);
	free(v);
	if (r == -1)
		return -1;
	r = atomic_update_file(path, text, errstr);
	free(text);
	if (r == -1)
		return -1;
	for (i = 0; i < st->nevents; i++)
		if (st->events[i].event.ics != NULL)
			state_event_delivered(&st->events[i], SINK_FILE);
	log_debug("calendar file: wrote %s", path);
	return 0;
}
