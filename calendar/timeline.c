/*
 * timeline: the [visa] timeline as all-day events (see calendar.h): the
 * renewal window opens, the renewal deadline, and the "no news from OFII"
 * follow-up.  The dates are model/timeline's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar.h"
#include "calendar/ical.h"
#include "calendar/texts.h"
#include "lib/buf.h"
#include "lib/civil.h"
#include "lib/errstr.h"
#include "model/timeline.h"

/* All-day events: alarms relative to 00:00 of the day. */
static const long morning[] = { -9 * 3600 };
static const long deadline[] = { 7 * 86400 - 9 * 3600, -9 * 3600 };

/* One all-day event; takes `description` (NULL: out of memory). */
static int
timeline_event(enum event_type type, struct civil_date day,
    const char *account, char *description, const long *alarms,
    size_t nalarms, int cancel, const struct state *st, time_t now,
    struct event_list *out, char **errstr)
{
	struct draft d;
	int r;

	memset(&d, 0, sizeof(d));
	d.type = type;
	d.description = description;
	draft_identify(&d, account, NULL, 0);
	d.start = (time_t)civil_days(day.year, day.month, day.day) * 86400;
	d.end = d.start + 86400;
	d.cancelled = cancel;
	d.alarms = alarms;
	d.nalarms = nalarms;
	if (d.description == NULL ||
	    (d.summary = strdup(text_type_summary(type))) == NULL) {
		draft_clear(&d);
		return errstr_set(errstr, "out of memory");
	}
	r = draft_emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
}

static char *
renewal_opens_text(const struct config_date *until)
{
	struct buf b = { 0 };

	buf_printf(&b, "Vous pouvez demander le renouvellement de votre droit "
	    "au séjour sur le site de l'ANEF "
	    "(administration-etrangers-en-france.interieur.gouv.fr), entre 4 "
	    "et 2 mois avant la fin de votre visa (%04d-%02d-%02d).\nYou can "
	    "apply for the renewal of your residence right on the ANEF "
	    "website, between 4 and 2 months before your visa ends "
	    "(%04d-%02d-%02d).\nGardez le certificat de la visite médicale "
	    "OFII / keep the OFII medical certificate.\n", until->year,
	    until->month, until->day, until->year, until->month, until->day);
	return buf_finish(&b, NULL);
}

static char *
renewal_deadline_text(const struct config_date *until)
{
	struct buf b = { 0 };

	buf_printf(&b, "Dernier jour conseillé pour demander le renouvellement "
	    "sur le site de l'ANEF : votre visa finit le %04d-%02d-%02d.\nLast "
	    "recommended day to apply for the renewal on the ANEF website: "
	    "your visa ends on %04d-%02d-%02d.\n", until->year, until->month,
	    until->day, until->year, until->month, until->day);
	return buf_finish(&b, NULL);
}

static char *
follow_up_text(const struct config_date *validated)
{
	struct buf b = { 0 };

	buf_printf(&b, "Votre visa a été validé le %04d-%02d-%02d et l'OFII ne "
	    "vous a pas encore convoqué(e). Regardez aussi dans les courriers "
	    "indésirables, puis écrivez à la direction territoriale de l'OFII "
	    "de votre département (adresse sur ofii.fr) avec votre numéro de "
	    "visa.\nYour visa was validated on %04d-%02d-%02d and OFII has not "
	    "summoned you yet. Check your Junk folder too, then write to the "
	    "OFII office of your département (address on ofii.fr) with your "
	    "visa number.\n", validated->year, validated->month,
	    validated->day, validated->year, validated->month, validated->day);
	return buf_finish(&b, NULL);
}

int
calendar_timeline(const struct config *cfg, const struct state *st,
    int convocation_found, time_t now, struct event_list *out,
    char **errstr)
{
	const char *account = cfg->user ? cfg->user : "";
	struct draft who;

	if (cfg->valid_until.year != 0 && (timeline_event(EVENT_RENEWAL_OPEN,
	    timeline_renewal_opens(&cfg->valid_until), account,
	    renewal_opens_text(&cfg->valid_until), morning, 1, 0, st, now, out,
	    errstr) == -1 || timeline_event(EVENT_RENEWAL_DEADLINE,
	    timeline_renewal_deadline(&cfg->valid_until), account,
	    renewal_deadline_text(&cfg->valid_until), deadline, 2, 0, st, now,
	    out, errstr) == -1))
		return -1;
	if (cfg->validated_on.year == 0)
		return 0;
	memset(&who, 0, sizeof(who));
	who.type = EVENT_FOLLOW_UP;
	draft_identify(&who, account, NULL, 0);
	/* Found before the follow-up was ever written: none at all. */
	if (convocation_found && (st == NULL ||
	    state_event_find(st, who.uid) == NULL))
		return 0;
	return timeline_event(EVENT_FOLLOW_UP,
	    timeline_after_validation(&cfg->validated_on, cfg->follow_up_after),
	    account, follow_up_text(&cfg->validated_on), morning, 1,
	    convocation_found, st, now, out, errstr);
}
