/*
 * status_cmd: `ofii-watch status [--json]` — where the person stands, from
 * the configuration and the state file only (no network, nothing written).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon/alerts.h"
#include "daemon/commands.h"
#include "daemon/standing.h"
#include "lib/clock.h"
#include "lib/log.h"

const char status_usage[] =
"Usage: ofii-watch [-c FILE] status [--json]\n"
"\n"
"Say where you stand without touching the network: visa validated on,\n"
"days waited, the last poll and its result, the convocation (when, where,\n"
"what to bring) or when the next alert is due, the chest X-ray reminder,\n"
"the renewal window, and calendar deliveries still pending.\n"
"\n"
"  --json   the same as one JSON object\n";

enum time_format { DATE, DATE_TIME, ISO };

static void
format_time(char *buf, size_t len, time_t t, enum time_format f)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (f == DATE)
		strftime(buf, len, "%Y-%m-%d", &tm);
	else if (f == DATE_TIME)
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M", &tm);
}

void
print_config_date(int width, const char *label, const struct config_date *d,
    const char *unset)
{
	if (d->year)
		printf("  %-*s %04d-%02d-%02d\n", width, label, d->year,
		    d->month, d->day);
	else
		printf("  %-*s %s\n", width, label, unset);
}

static void
print_text(const struct config *cfg, const struct standing *s)
{
	char buf[64];
	size_t i;
	int sink, any = 0;

	format_time(buf, sizeof(buf), s->now, DATE_TIME);
	printf("ofii-watch status, %s\n\nVisa\n", buf);
	print_config_date(16, "arrived", &cfg->arrival, "(not set in [visa])");
	print_config_date(16, "validated on", &cfg->validated_on,
	    "(not set in [visa])");
	print_config_date(16, "valid until", &cfg->valid_until,
	    "(not set in [visa])");
	if (s->days_waited >= 0 && !s->found)
		printf("  %-16s %ld days since validation (OFII usually "
		    "writes within 2 to 8 weeks)\n", "waiting", s->days_waited);

	printf("\nMailbox\n");
	if (s->last_poll == 0)
		printf("  never polled yet (is the service running? "
		    "systemctl --user status ofii-watch)\n");
	else {
		format_time(buf, sizeof(buf), s->last_poll, DATE_TIME);
		printf("  last poll %s: %s%s\n", buf, s->last_poll_ok ? "ok" :
		    "FAILED: ", s->last_poll_ok ? "" : s->last_poll_error);
	}

	printf("\nConvocation\n");
	for (i = 0; i < s->nappts; i++) {
		const struct standing_appt *a = &s->appts[i];

		if (a->type == EVENT_XRAY_BOOKING)
			continue;
		any = 1;
		printf("  %s%s %s (%s)\n    %s\n", a->cancelled ? "CANCELLED: " :
		    "", a->summary, a->start_local, a->tzid, a->location);
	}
	if (!any)
		printf("  none found yet\n");
	if (s->xray_booking >= 0) {
		const struct standing_appt *a = &s->appts[s->xray_booking];

		printf("  chest X-ray: %s (reminder %s)\n", a->summary,
		    a->start_local);
	}
	for (i = 0; i < s->ndue; i++)
		printf("\n  !! %s.\n     %s\n", s->due[i].summary,
		    s->due[i].body);
	if (s->next_alert != 0) {
		format_time(buf, sizeof(buf), s->next_alert, DATE_TIME);
		printf("  next alert: %s\n", buf);
	}

	if (s->renewal_opens != 0) {
		printf("\nRenewal of the residence right\n");
		format_time(buf, sizeof(buf), s->renewal_opens, DATE);
		printf("  %-16s %s (4 months before the visa expires)\n",
		    "window opens", buf);
		format_time(buf, sizeof(buf), s->renewal_deadline, DATE);
		printf("  %-16s %s (2 months before)\n", "apply before", buf);
	}

	printf("\nCalendar\n");
	if (cfg->vdir)
		printf("  vdir: %s\n", cfg->vdir);
	if (cfg->file)
		printf("  file: %s\n", cfg->file);
	if (cfg->caldav_url)
		printf("  CalDAV: %s\n", cfg->caldav_url);
	for (sink = 0; sink < SINK_COUNT; sink++)
		if (s->pending[sink] > 0)
			printf("  %zu event(s) waiting to be delivered to %s\n",
			    s->pending[sink], sink_name(sink));
}

static struct json_object *
jtime(time_t t, enum time_format fmt)
{
	char buf[64];

	if (t == 0)
		return NULL;
	format_time(buf, sizeof(buf), t, fmt);
	return json_object_new_string(buf);
}

static struct json_object *
jdate(const struct config_date *d)
{
	char buf[16];

	if (d->year == 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d->year, d->month, d->day);
	return json_object_new_string(buf);
}

static void
print_json(const struct config *cfg, const struct standing *s)
{
	struct json_object *o = json_object_new_object(), *v, *a, *p;
	size_t i;
	int sink;

	json_object_object_add(o, "now", jtime(s->now, ISO));
	v = json_object_new_object();
	json_object_object_add(v, "arrival", jdate(&cfg->arrival));
	json_object_object_add(v, "validated_on", jdate(&cfg->validated_on));
	json_object_object_add(v, "valid_until", jdate(&cfg->valid_until));
	json_object_object_add(o, "visa", v);
	json_object_object_add(o, "days_waited", s->days_waited >= 0 ?
	    json_object_new_int64(s->days_waited) : NULL);
	v = json_object_new_object();
	json_object_object_add(v, "at", jtime(s->last_poll, ISO));
	json_object_object_add(v, "ok", s->last_poll ?
	    json_object_new_boolean(s->last_poll_ok) : NULL);
	json_object_object_add(v, "error", s->last_poll_error[0] ?
	    json_object_new_string(s->last_poll_error) : NULL);
	json_object_object_add(o, "last_poll", v);
	json_object_object_add(o, "convocation_found",
	    json_object_new_boolean(s->found));
	a = json_object_new_array();
	for (i = 0; i < s->nappts; i++) {
		const struct standing_appt *ap = &s->appts[i];

		v = json_object_new_object();
		json_object_object_add(v, "type",
		    json_object_new_string(event_type_name(ap->type)));
		json_object_object_add(v, "start",
		    json_object_new_string(ap->start_local));
		json_object_object_add(v, "tzid", json_object_new_string(ap->tzid));
		json_object_object_add(v, "summary",
		    json_object_new_string(ap->summary));
		json_object_object_add(v, "location",
		    json_object_new_string(ap->location));
		json_object_object_add(v, "cancelled",
		    json_object_new_boolean(ap->cancelled));
		json_object_array_add(a, v);
	}
	json_object_object_add(o, "events", a);
	json_object_object_add(o, "next_alert", jtime(s->next_alert,
	    ISO));
	v = json_object_new_object();
	json_object_object_add(v, "window_opens", jtime(s->renewal_opens,
	    DATE));
	json_object_object_add(v, "deadline", jtime(s->renewal_deadline,
	    DATE));
	json_object_object_add(o, "renewal", v);
	p = json_object_new_object();
	for (sink = 0; sink < SINK_COUNT; sink++)
		json_object_object_add(p, sink_name(sink),
		    json_object_new_int64((int64_t)s->pending[sink]));
	json_object_object_add(o, "pending", p);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int
status_main(const struct config *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct standing s;
	struct state *st = NULL;
	char *err = NULL;
	int ch, json = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (ch != 'j') {
			fputs(status_usage, stderr);
			return EXIT_USAGE;
		}
		json = 1;
	}
	if (optind < argc) {
		fprintf(stderr, "status: unexpected argument '%s'\n",
		    argv[optind]);
		return EXIT_USAGE;
	}
	/* Read-only: a missing state file just means "never polled". */
	if (state_load(NULL, &st, &err) == -1) {
		log_errx("state: %s", err ? err : "cannot read it");
		free(err);
		return EXIT_RUNTIME;
	}
	standing_compute(cfg, st, clock_now(), &s);
	if (json)
		print_json(cfg, &s);
	else
		print_text(cfg, &s);
	state_free(st);
	return EXIT_OK;
}
