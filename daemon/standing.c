/*
 * standing: see standing.h.  The appointments are the events the calendar
 * recorded in the state, so `status` says exactly what the person's
 * calendar says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "daemon/alerts.h"
#include "daemon/standing.h"
#include "lib/civil.h"
#include "model/timeline.h"

int
standing_found(const struct state *st)
{
	size_t i;

	if (st == NULL)
		return 0;
	for (i = 0; i < st->nevents; i++)
		if (event_type_is_appointment(st->events[i].event.type) &&
		    !st->events[i].event.cancelled)
			return 1;
	return 0;
}

static void
copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* When (as DTSTART says it), what and where. */
static void
read_event(const struct event *ev, struct standing_appt *a)
{
	struct walltime w;
	const char *zone;

	a->type = ev->type;
	a->start = ev->start;
	a->cancelled = ev->cancelled;
	copy_str(a->summary, sizeof(a->summary), ev->summary);
	copy_str(a->location, sizeof(a->location), ev->location);
	if (ev->summary == NULL)
		return;		/* an older record that could not be read */
	calendar_written_start(ev, &w, &zone);
	copy_str(a->tzid, sizeof(a->tzid), zone);
	if (ev->all_day)
		snprintf(a->start_local, sizeof(a->start_local),
		    "%04d-%02d-%02d", w.year, w.month, w.day);
	else
		snprintf(a->start_local, sizeof(a->start_local),
		    "%04d-%02d-%02d %02d:%02d", w.year, w.month, w.day, w.hour,
		    w.minute);
}

static int
by_start(const void *a, const void *b)
{
	const struct standing_appt *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

void
standing_compute(const struct config *cfg, const struct state *st,
    time_t now, struct standing *s)
{
	struct alert_memory mem;
	size_t i;
	int k;

	memset(s, 0, sizeof(*s));
	s->now = now;
	s->days_waited = -1;
	s->xray_booking = -1;
	if (cfg->validated_on.year != 0)
		s->days_waited = (long)((now - alerts_local_time(
		    &cfg->validated_on, 0, 0, 0)) / 86400);
	if (cfg->valid_until.year != 0) {
		s->renewal_opens = civil_local_time(
		    timeline_renewal_opens(&cfg->valid_until), 12);
		s->renewal_deadline = civil_local_time(
		    timeline_renewal_deadline(&cfg->valid_until), 12);
	}
	memset(&mem, 0, sizeof(mem));
	if (st != NULL) {
		s->last_poll = st->last_poll;
		s->last_poll_ok = st->last_poll_ok;
		copy_str(s->last_poll_error, sizeof(s->last_poll_error),
		    st->last_poll_error);
		for (k = 0; k < ALERT_SCHEDULED_COUNT; k++)
			mem.last[k] = state_alert_last(st,
			    alert_kind_name((enum alert_kind)k));
		for (i = 0; i < st->nevents; i++) {
			const struct state_event *ev = &st->events[i];
			int sink;

			for (sink = 0; sink < SINK_COUNT; sink++) {
				int used = sink == SINK_VDIR ? cfg->vdir != NULL
				    : sink == SINK_FILE ? cfg->file != NULL :
				    cfg->caldav_url != NULL;

				if (used && state_event_pending(ev, sink))
					s->pending[sink]++;
			}
			if ((!event_type_is_appointment(ev->event.type) &&
			    ev->event.type != EVENT_XRAY_BOOKING) ||
			    s->nappts == STANDING_MAX_APPTS)
				continue;
			read_event(&ev->event, &s->appts[s->nappts++]);
		}
	}
	qsort(s->appts, s->nappts, sizeof(s->appts[0]), by_start);
	for (i = 0; i < s->nappts; i++)
		if (s->appts[i].type == EVENT_XRAY_BOOKING &&
		    !s->appts[i].cancelled)
			s->xray_booking = (int)i;
	s->found = standing_found(st);
	s->ndue = alerts_due(cfg, now, s->found, &mem, s->due);
	/* The next one after those due now are sent. */
	for (i = 0; i < s->ndue; i++)
		mem.last[s->due[i].kind] = now;
	s->next_alert = alerts_next(cfg, now, s->found, &mem);
}

void
standing_oneline(const struct standing *s, char *buf, size_t len)
{
	char poll[64] = "never polled yet", when[32];
	struct tm tm;
	size_t i;

	if (s->last_poll != 0) {
		localtime_r(&s->last_poll, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		snprintf(poll, sizeof(poll), "last poll %s %s", when,
		    s->last_poll_ok ? "ok" : "failed");
	}
	for (i = 0; i < s->nappts; i++) {
		const struct standing_appt *a = &s->appts[i];

		if (a->cancelled || a->type == EVENT_XRAY_BOOKING)
			continue;
		snprintf(buf, len, "Convocation found: %s on %s; %s",
		    event_type_name(a->type), a->start_local, poll);
		return;
	}
	if (s->days_waited >= 0)
		snprintf(buf, len, "Waiting for OFII, day %ld since validation; "
		    "%s", s->days_waited, poll);
	else
		snprintf(buf, len, "Watching for OFII mail; %s", poll);
}
