/*
 * convocation_types: the parts of struct convocation that both programs
 * use, the reader that fills it (convocation.c) and the daemon that gets
 * it back as JSON (daemon/reading.c): the names of its values and
 * convocation_free().  Kept apart so that the daemon links none of the
 * parsing libraries.
 */
#include <stdlib.h>
#include <string.h>

#include "model/convocation.h"

const char *
conv_kind_name(enum conv_kind k)
{
	switch (k) {
	case KIND_CONVOCATION:
		return "convocation";
	case KIND_RESCHEDULE:
		return "reschedule";
	case KIND_CANCELLATION:
		return "cancellation";
	case KIND_ACKNOWLEDGEMENT:
		return "acknowledgement";
	case KIND_OTHER:
	default:
		return "other";
	}
}

const char *
appt_type_name(enum appt_type t)
{
	switch (t) {
	case APPT_CIR:
		return "cir";
	case APPT_XRAY:
		return "xray";
	case APPT_MEDICAL:
	default:
		return "medical";
	}
}

const char *
item_name(enum item i)
{
	static const char *const names[ITEM_COUNT] = {
		"passport", "convocation", "chest_xray", "vaccination_records",
		"hospital_reports", "glasses", "maternity_record", "photo",
		"proof_of_address", "tax_stamp"
	};

	if ((int)i < 0 || i >= ITEM_COUNT)
		return "";
	return names[i];
}

const char *
note_name(enum note n)
{
	static const char *const names[NOTE_COUNT] = {
		"structured_source_disagrees"
	};

	if ((int)n < 0 || n >= NOTE_COUNT)
		return "";
	return names[n];
}

const char *
sender_trust_name(enum sender_trust t)
{
	switch (t) {
	case TRUST_VERIFIED:
		return "verified";
	case TRUST_DOMAIN:
		return "domain";
	case TRUST_UNTRUSTED:
		break;
	}
	return "untrusted";
}

void
appointment_clear(struct appointment *a)
{
	free(a->place);
	free(a->city);
	free(a->phone);
	free(a->person);
	memset(a, 0, sizeof(*a));
}

void
convocation_free(struct convocation *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nappts; i++)
		appointment_clear(&c->appts[i]);
	if (c->xray != NULL) {
		free(c->xray->name);
		free(c->xray->address);
		free(c->xray->city);
		free(c->xray->phone);
		free(c->xray);
	}
	free(c->person);
	free(c);
}
