/*
 * config: see config.h.  The file format:
 *
 *	# comment            ; comment
 *	[section]
 *	key = value          # inline comment (a '#' or ';' after a blank)
 *	key = "quoted value" # \" and \\ inside quotes; keeps ' #' literal
 *
 * Keys are described once, in the table `keys` below: section, name, type
 * and where the value goes.  Adding a key means adding a row (and a line in
 * config/ofii-watch.conf.example, which test_config parses).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/perms.h"
#include "lib/civil.h"
#include "lib/errstr.h"

#define MAX_LINE	(64 * 1024)

enum key_type {
	T_STRING,	/* char * */
	T_PATH,		/* char *, "~" expanded */
	T_BOOL,		/* int */
	T_DURATION,	/* long seconds */
	T_DATE,		/* struct config_date */
	T_LIST,		/* struct strlist */
	T_ADDRLIST,	/* struct strlist of lowercase mail addresses */
	T_ALARMS,	/* long *alarms + nalarms */
	T_SIZE,		/* size_t bytes */
	T_COUNT,	/* int, 1..1000000 */
	T_NOTIFY,	/* log | desktop */
	T_URL,		/* char *, imaps:// or imap:// */
	T_HTTPURL,	/* char *, https:// or http:// */
	T_SECRET_CMD,	/* struct secret_source member */
	T_SECRET_FILE,
	T_SECRET_CRED,
	T_SECRET_VALUE
};

struct key {
	const char	*section;
	const char	*name;
	enum key_type	 type;
	size_t		 offset;	/* into struct config */
};

#define K(sec, name, type, member) \
	{ sec, name, type, offsetof(struct config, member) }
#define S(sec, name, type, src, member) \
	{ sec, name, type, offsetof(struct config, src) + \
	    offsetof(struct secret_source, member) }

static const struct key keys[] = {
	K("account", "url", T_URL, url),
	K("account", "user", T_STRING, user),
	S("account", "password_command", T_SECRET_CMD, password, command),
	S("account", "password_file", T_SECRET_FILE, password, file),
	S("account", "password_credential", T_SECRET_CRED, password, credential),
	S("account", "password", T_SECRET_VALUE, password, value),
	K("account", "oauth2_token_command", T_STRING, oauth2_token_command),
	K("account", "folders", T_LIST, folders),
	K("account", "poll_interval", T_DURATION, poll_interval),
	K("account", "timeout", T_DURATION, timeout),
	K("account", "ca_file", T_PATH, ca_file),
	K("account", "trusted_forwarders", T_ADDRLIST, trusted_forwarders),
	K("account", "authserv_id", T_STRING, authserv_id),
	K("account", "insecure", T_BOOL, insecure),

	K("visa", "arrival", T_DATE, arrival),
	K("visa", "validated_on", T_DATE, validated_on),
	K("visa", "valid_until", T_DATE, valid_until),

	K("calendar", "vdir", T_PATH, vdir),
	K("calendar", "file", T_PATH, file),
	K("calendar", "caldav_url", T_HTTPURL, caldav_url),
	K("calendar", "caldav_user", T_STRING, caldav_user),
	S("calendar", "caldav_password_command", T_SECRET_CMD, caldav_password,
	    command),
	S("calendar", "caldav_password_file", T_SECRET_FILE, caldav_password,
	    file),
	S("calendar", "caldav_password_credential", T_SECRET_CRED,
	    caldav_password, credential),
	S("calendar", "caldav_password", T_SECRET_VALUE, caldav_password, value),
	K("calendar", "alarms", T_ALARMS, alarms),
	K("calendar", "follow_up_after", T_DURATION, follow_up_after),

	K("alerts", "alert_after", T_DURATION, alert_after),
	K("alerts", "alert_every", T_DURATION, alert_every),
	K("alerts", "alert_command", T_STRING, alert_command),
	K("alerts", "notify", T_NOTIFY, notify),

	K("limits", "max_message_size", T_SIZE, max_message_size),
	K("limits", "max_header_line", T_SIZE, max_header_line),
	K("limits", "max_mime_depth", T_COUNT, max_mime_depth),
	K("limits", "max_mime_parts", T_COUNT, max_mime_parts),
	K("limits", "max_attachment_size", T_SIZE, max_attachment_size),
	K("limits", "max_pdf_pages", T_COUNT, max_pdf_pages),
	K("limits", "pdf_timeout", T_DURATION, pdf_timeout),
	K("limits", "pdf_memory", T_SIZE, pdf_memory),
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const sections[] = {
	"account", "visa", "calendar", "alerts", "limits"
};
#define NSECTIONS	(sizeof(sections) / sizeof(sections[0]))

/* The section a line is in: an index in sections[], or one of these. */
enum {
	SECTION_NONE = -1,	/* before the first section header */
	SECTION_SKIPPED = -2	/* a bad or unknown header: its keys are
				   skipped silently (already reported) */
};

/* State of one config_load() call. */
struct loader {
	const char		*path;
	struct config		*cfg;
	struct config_errors	*errs;
	int			 key_line[NKEYS];	/* 0: not set */
	int			 section_line[NSECTIONS];
	int			 last_line;
};

static void
errors_add(struct config_errors *errs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
errors_add(struct config_errors *errs, const char *fmt, ...)
{
	char **v, *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;		/* out of memory: the count still fails the load */
	v = realloc(errs->msg, (errs->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(msg);
		return;
	}
	errs->msg = v;
	errs->msg[errs->n++] = msg;
}

/* Format "FILE:LINE: message" into the error list. */
static void
lerr(struct loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
lerr(struct loader *ld, int line, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (line > 0)
		errors_add(ld->errs, "%s:%d: %s", ld->path, line,
		    msg ? msg : "out of memory");
	else
		errors_add(ld->errs, "%s: %s", ld->path,
		    msg ? msg : "out of memory");
	free(msg);
}

void
config_errors_clear(struct config_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	errs->msg = NULL;
	errs->n = 0;
}

/* ---------------------------------------------------------------- values */

int
config_parse_duration(const char *s, long *seconds)
{
	long total = 0;
	int any = 0;

	while (*s != '\0') {
		long n = 0, mult;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s)) {
			if (n > (LONG_MAX - 9) / 10)
				return -1;
			n = n * 10 + (*s++ - '0');
		}
		switch (*s++) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default:
			return -1;	/* a unit is required: 10 of what? */
		}
		if (n > (LONG_MAX - total) / mult)
			return -1;
		total += n * mult;
		any = 1;
	}
	if (!any)
		return -1;
	*seconds = total;
	return 0;
}

int
config_parse_date(const char *s, struct config_date *d)
{
	int y, m, dd, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3
	    || n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (n = 0; n < 10; n++)
		if (n != 4 && n != 7 && !isdigit((unsigned char)s[n]))
			return -1;
	if (y < 1970 || y > 2200 || m < 1 || m > 12 || dd < 1 ||
	    dd > civil_month_days(y, m))
		return -1;
	d->year = y;
	d->month = m;
	d->day = dd;
	return 0;
}

int
config_parse_size(const char *s, size_t *bytes)
{
	unsigned long long n = 0, mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		if (n > (ULLONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (unsigned)(*s++ - '0');
	}
	while (*s == ' ')
		s++;
	switch (toupper((unsigned char)*s)) {
	case '\0': break;
	case 'K': mult = 1024ULL; s++; break;
	case 'M': mult = 1024ULL * 1024; s++; break;
	case 'G': mult = 1024ULL * 1024 * 1024; s++; break;
	default: return -1;
	}
	if (mult > 1 && (strcmp(s, "iB") == 0 || strcmp(s, "B") == 0))
		s += strlen(s);
	if (*s != '\0' || (n > 0 && mult > ULLONG_MAX / n) ||
	    n * mult > SIZE_MAX)
		return -1;
	*bytes = (size_t)(n * mult);
	return 0;
}

char *
config_expand_path(const char *p)
{
	const char *home;
	char *out;

	if (p[0] != '~')
		return strdup(p);
	if (p[1] != '\0' && p[1] != '/')
		return NULL;	/* ~user is not supported */
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		return NULL;
	if (asprintf(&out, "%s%s", home, p + 1) == -1)
		return NULL;
	return out;
}

time_t
config_date_epoch(const struct config_date *d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->month - 1;
	tm.tm_mday = d->day;
	return timegm(&tm);
}

static int
parse_bool(const char *s, int *b)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") ||
	    !strcasecmp(s, "on") || !strcmp(s, "1"))
		*b = 1;
	else if (!strcasecmp(s, "no") || !strcasecmp(s, "false") ||
	    !strcasecmp(s, "off") || !strcmp(s, "0"))
		*b = 0;
	else
		return -1;
	return 0;
}

static void
strlist_clear(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Split "a, b ,c" into trimmed items.  -1 on an empty item. */
static int
split_list(const char *s, struct strlist *out)
{
	const char *p = s;

	strlist_clear(out);
	for (;;) {
		const char *comma = strchr(p, ','), *end;
		char **v;

		end = comma ? comma : p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		if (end == p)
			return -1;
		v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		out->v = v;
		if ((out->v[out->n] = strndup(p, (size_t)(end - p))) == NULL)
			return -1;
		out->n++;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/* Plain sanity for an addr-spec: local@domain.tld, no blanks. */
static int
looks_like_address(const char *a)
{
	const char *at = strchr(a, '@');

	if (at == NULL || at == a || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || at[1] == '.' || a[strlen(a) - 1] == '.')
		return 0;
	for (; *a != '\0'; a++)
		if (isspace((unsigned char)*a) || *a == '<' || *a == '>')
			return 0;
	return 1;
}

static int
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[64], prev, tmp;

	if (lb >= sizeof(row) / sizeof(row[0]))
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The closest known key of any section, for "did you mean". */
static const struct key *
closest_key(const char *name)
{
	const struct key *best = NULL;
	int bestd = 3;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		int d = edit_distance(name, keys[i].name);

		if (d < bestd) {
			bestd = d;
			best = &keys[i];
		}
	}
	return best;
}

/* -------------------------------------------------------------- defaults */

void
config_init(struct config *cfg)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	memset(cfg, 0, sizeof(*cfg));
	cfg->poll_interval = 10 * 60;
	cfg->timeout = 60;
	cfg->alert_after = 45 * 86400;
	cfg->alert_every = 7 * 86400;
	cfg->follow_up_after = 45 * 86400;
	cfg->notify = NOTIFY_LOG;
	if ((cfg->alarms = calloc(2, sizeof(long))) != NULL) {
		cfg->alarms[0] = 86400;		/* the day before: checklist */
		cfg->alarms[1] = 2 * 3600;	/* time to leave */
		cfg->nalarms = 2;
	}
	if (data != NULL && *data == '/') {
		if (asprintf(&cfg->vdir, "%s/ofii-watch/calendar", data) == -1)
			cfg->vdir = NULL;
	} else if (home != NULL && *home != '\0') {
		if (asprintf(&cfg->vdir, "%s/.local/share/ofii-watch/calendar",
		    home) == -1)
			cfg->vdir = NULL;
	}
	cfg->max_message_size = 25 * 1024 * 1024;
	cfg->max_header_line = 64 * 1024;
	cfg->max_mime_depth = 64;
	cfg->max_mime_parts = 256;
	cfg->max_attachment_size = 20 * 1024 * 1024;
	cfg->max_pdf_pages = 20;
	cfg->pdf_timeout = 1;
	cfg->pdf_memory = 256 * 1024 * 1024;
}

static void
secret_source_clear(struct secret_source *s)
{
	free(s->command);
	free(s->file);
	free(s->credential);
	if (s->value != NULL) {
		explicit_bzero(s->value, strlen(s->value));
		free(s->value);
	}
	memset(s, 0, sizeof(*s));
}

void
config_clear(struct config *cfg)
{
	free(cfg->path);
	free(cfg->url);
	free(cfg->user);
	secret_source_clear(&cfg->password);
	free(cfg->oauth2_token_command);
	strlist_clear(&cfg->folders);
	free(cfg->ca_file);
	strlist_clear(&cfg->trusted_forwarders);
	free(cfg->authserv_id);
	free(cfg->vdir);
	free(cfg->file);
	free(cfg->caldav_url);
	free(cfg->caldav_user);
	secret_source_clear(&cfg->caldav_password);
	free(cfg->alarms);
	free(cfg->alert_command);
	memset(cfg, 0, sizeof(*cfg));
}

char *
config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p;

	/* The XDG spec: a relative XDG_CONFIG_HOME is invalid, ignore it. */
	if (xdg != NULL && *xdg == '/') {
		if (asprintf(&p, "%s/ofii-watch/config", xdg) == -1)
			return NULL;
	} else if (home != NULL && *home != '\0') {
		if (asprintf(&p, "%s/.config/ofii-watch/config", home) == -1)
			return NULL;
	} else
		return NULL;
	return p;
}

/* ------------------------------------------------------------------ lines */

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * The value part of "key = value": an inline comment starts at '#' or ';'
 * after a blank, outside quotes (so shell commands keep their quoting).  A
 * value that is one double-quoted string is unquoted.  Rewrites in place:
 * 0 and *vp moved to the start of the value, or -1 and *errstr.
 */
static int
parse_value(char **vp, char **errstr)
{
	char quote = 0, *p, *w, *v;

	v = trim(*vp);
	for (p = v; *p != '\0'; p++) {
		if (quote) {
			if (*p == '\\' && p[1] != '\0' && quote == '"')
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if ((*p == '#' || *p == ';') && p > v &&
		    isspace((unsigned char)p[-1])) {
			*p = '\0';
			break;
		}
	}
	if (quote)
		return errstr_set(errstr, "unterminated quote");
	v = trim(v);
	if (v[0] != '"') {
		*vp = v;
		return 0;
	}
	/* "..." as a whole: unescape \" and \\, nothing allowed after. */
	for (p = v + 1, w = v; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*w++ = *p;
	}
	if (*p != '"' || p[1] != '\0')
		return errstr_set(errstr, "text after the closing quote "
		    "(quote the whole value)");
	*w = '\0';
	*vp = v;
	return 0;
}

static const struct key *
find_key(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

const char *
config_key_at(size_t i, const char **section)
{
	if (i >= NKEYS)
		return NULL;
	if (section != NULL)
		*section = keys[i].section;
	return keys[i].name;
}

static int
section_index(const char *name)
{
	size_t i;

	for (i = 0; i < NSECTIONS; i++)
		if (strcmp(sections[i], name) == 0)
			return (int)i;
	return -1;
}

/* Store `val` for key k; any problem is reported against `line`. */
static void
set_value(struct loader *ld, const struct key *k, const char *val, int line)
{
	void *dst = (char *)ld->cfg + k->offset;
	char **sp = dst;

	if (*val == '\0' && k->type != T_STRING && k->type != T_SECRET_VALUE) {
		lerr(ld, line, "'%s' has an empty value", k->name);
		return;
	}
	switch (k->type) {
	case T_STRING:
	case T_SECRET_CMD:
	case T_SECRET_VALUE:
		free(*sp);
		*sp = strdup(val);
		break;
	case T_URL:
		if (strncasecmp(val, "imaps://", 8) != 0 &&
		    strncasecmp(val, "imap://", 7) != 0) {
			lerr(ld, line, "url must start with imaps:// (TLS) or "
			    "imap:// (STARTTLS, required): '%s'", val);
			return;
		}
		free(*sp);
		*sp = strdup(val);
		break;
	case T_HTTPURL:
		if (strncasecmp(val, "https://", 8) != 0 &&
		    strncasecmp(val, "http://", 7) != 0) {
			lerr(ld, line, "%s must start with https:// or "
			    "http://: '%s'", k->name, val);
			return;
		}
		free(*sp);
		*sp = strdup(val);
		break;
	case T_SECRET_CRED:
		if (strchr(val, '/') != NULL || strcmp(val, ".") == 0 ||
		    strcmp(val, "..") == 0) {
			lerr(ld, line, "%s is a credential name as in "
			    "LoadCredential=NAME:..., not a path: '%s'",
			    k->name, val);
			return;
		}
		free(*sp);
		*sp = strdup(val);
		break;
	case T_PATH:
	case T_SECRET_FILE: {
		char *p = config_expand_path(val);

		if (p == NULL) {
			lerr(ld, line, "cannot expand path '%s' (only ~ and "
			    "~/ are expanded, with $HOME)", val);
			return;
		}
		free(*sp);
		*sp = p;
		break;
	}
	case T_BOOL:
		if (parse_bool(val, dst) == -1)
			lerr(ld, line, "'%s' must be yes or no, not '%s'",
			    k->name, val);
		break;
	case T_DURATION:
		if (config_parse_duration(val, dst) == -1)
			lerr(ld, line, "'%s' must be a duration such as 90s, "
			    "15m, 2h, 45d or 6w, not '%s'", k->name, val);
		else if (*(long *)dst == 0 && k->offset !=
		    offsetof(struct config, follow_up_after))
			lerr(ld, line, "'%s' cannot be zero", k->name);
		else if (k->offset == offsetof(struct config, pdf_timeout) &&
		    *(long *)dst > CONFIG_MAX_PDF_TIMEOUT)
			lerr(ld, line, "'pdf_timeout' can be %ds at most, not "
			    "'%s': the reader of one mail must end well within "
			    "the service's watchdog", CONFIG_MAX_PDF_TIMEOUT,
			    val);
		break;
	case T_DATE:
		if (config_parse_date(val, dst) == -1)
			lerr(ld, line, "'%s' must be a date YYYY-MM-DD, not "
			    "'%s'", k->name, val);
		break;
	case T_SIZE:
		if (config_parse_size(val, dst) == -1 || *(size_t *)dst == 0)
			lerr(ld, line, "'%s' must be a size such as 512K, "
			    "25M or 1G, not '%s'", k->name, val);
		break;
	case T_COUNT: {
		char *end;
		long n;

		errno = 0;
		n = strtol(val, &end, 10);
		if (errno != 0 || *end != '\0' || n < 1 || n > 1000000)
			lerr(ld, line, "'%s' must be a number from 1 to "
			    "1000000, not '%s'", k->name, val);
		else
			*(int *)dst = (int)n;
		break;
	}
	case T_NOTIFY:
		if (strcmp(val, "log") == 0)
			ld->cfg->notify = NOTIFY_LOG;
		else if (strcmp(val, "desktop") == 0)
			ld->cfg->notify = NOTIFY_DESKTOP;
		else
			lerr(ld, line, "notify must be log or desktop, not "
			    "'%s'", val);
		break;
	case T_LIST:
	case T_ADDRLIST: {
		struct strlist *l = dst;
		size_t i;

		if (split_list(val, l) == -1) {
			lerr(ld, line, "'%s': empty item in the list '%s'",
			    k->name, val);
			strlist_clear(l);
			return;
		}
		if (k->type == T_LIST)
			break;
		for (i = 0; i < l->n; i++) {
			char *c;

			for (c = l->v[i]; *c != '\0'; c++)
				*c = (char)tolower((unsigned char)*c);
			if (!looks_like_address(l->v[i]))
				lerr(ld, line, "'%s': '%s' is not a mail "
				    "address", k->name, l->v[i]);
		}
		break;
	}
	case T_ALARMS: {
		struct strlist l = { NULL, 0 };
		long *a;
		size_t i;

		if (strcmp(val, "none") == 0) {
			ld->cfg->nalarms = 0;
			break;
		}
		if (split_list(val, &l) == -1) {
			lerr(ld, line, "alarms: empty item in '%s'", val);
			strlist_clear(&l);
			return;
		}
		if ((a = calloc(l.n, sizeof(*a))) == NULL) {
			strlist_clear(&l);
			return;
		}
		for (i = 0; i < l.n; i++) {
			const char *item = l.v[i];

			if (strcmp(item, "0") == 0)
				a[i] = 0;
			else if (config_parse_duration(item, &a[i]) == -1) {
				lerr(ld, line, "alarms: '%s' is not a "
				    "duration before the event (15m, 2h, 1d, "
				    "or 0 for the start)", item);
				free(a);
				strlist_clear(&l);
				return;
			}
		}
		free(ld->cfg->alarms);
		ld->cfg->alarms = a;
		ld->cfg->nalarms = l.n;
		strlist_clear(&l);
		break;
	}
	}
}

static void
parse_line(struct loader *ld, char *line, int lineno, int *section)
{
	char *s = trim(line), *eq, *name, *val;
	const struct key *k;
	char *err = NULL;
	size_t ki;

	if (*s == '\0' || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		char *close = strchr(s, ']');
		char *rest;

		if (close == NULL) {
			lerr(ld, lineno, "missing ']' in section header");
			*section = SECTION_SKIPPED;
			return;
		}
		*close = '\0';
		rest = trim(close + 1);
		if (*rest != '\0' && *rest != '#' && *rest != ';')
			lerr(ld, lineno, "text after the section header");
		name = trim(s + 1);
		*section = section_index(name);
		if (*section < 0) {
			lerr(ld, lineno, "unknown section [%s] (known: "
			    "[account], [visa], [calendar], [alerts], "
			    "[limits])", name);
			*section = SECTION_SKIPPED;
		} else if (ld->section_line[*section] == 0)
			ld->section_line[*section] = lineno;
		return;
	}
	if ((eq = strchr(s, '=')) == NULL) {
		lerr(ld, lineno, "expected 'key = value' or '[section]'");
		return;
	}
	*eq = '\0';
	name = trim(s);
	val = eq + 1;
	if (*section == SECTION_SKIPPED)
		return;
	if (*section == SECTION_NONE) {
		lerr(ld, lineno, "'%s' is outside of any section (put it "
		    "under [account], [visa], ...)", name);
		return;
	}
	if ((k = find_key(sections[*section], name)) == NULL) {
		const struct key *near = closest_key(name);

		if (near != NULL && strcmp(near->name, name) == 0)
			lerr(ld, lineno, "'%s' belongs in [%s], not in [%s]",
			    name, near->section, sections[*section]);
		else if (near != NULL)
			lerr(ld, lineno, "unknown key '%s' in [%s] (did you "
			    "mean '%s' in [%s]?)", name, sections[*section],
			    near->name, near->section);
		else
			lerr(ld, lineno, "unknown key '%s' in [%s]", name,
			    sections[*section]);
		return;
	}
	ki = (size_t)(k - keys);
	if (ld->key_line[ki] != 0) {
		lerr(ld, lineno, "'%s' is set twice (first on line %d)", name,
		    ld->key_line[ki]);
		return;
	}
	ld->key_line[ki] = lineno;
	if (parse_value(&val, &err) == -1) {
		lerr(ld, lineno, "%s: %s", name, err ? err : "out of memory");
		free(err);
		return;
	}
	set_value(ld, k, val, lineno);
}

static int
key_line(const struct loader *ld, const char *section, const char *name)
{
	const struct key *k = find_key(section, name);

	return k ? ld->key_line[k - keys] : 0;
}

/* At most one source per secret. */
static void
check_secret(struct loader *ld, const char *section, const char *prefix,
    const struct secret_source *src)
{
	static const char *const kinds[] = { "_command", "_file",
	    "_credential", "" };
	const char *first = NULL;
	char name[64];
	size_t i;

	for (i = 0; i < 4; i++) {
		const char *set[] = { src->command, src->file, src->credential,
		    src->value };

		if (set[i] == NULL)
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, kinds[i]);
		if (first == NULL)
			first = kinds[i];
		else
			lerr(ld, key_line(ld, section, name), "'%s' conflicts "
			    "with '%s%s': give the password one way only",
			    name, prefix, first);
	}
}

/*
 * Like msmtp and ssh: a file with a password in clear must be the user's
 * own and unreadable by others, or the password is no longer a secret.
 */
static void
check_private(struct loader *ld, int fd)
{
	struct stat st;
	int line = key_line(ld, "account", "password");

	if (line == 0)
		line = key_line(ld, "calendar", "caldav_password");
	if (line == 0)
		return;
	if (fstat(fd, &st) == -1) {
		lerr(ld, line, "cannot check the file's permissions: %s",
		    strerror(errno));
		return;
	}
	if (st.st_uid != geteuid())
		lerr(ld, line, "this file holds a password but belongs to "
		    "another user (uid %u): refusing it; copy it to a file "
		    "of your own with mode 0600", (unsigned)st.st_uid);
	else if ((st.st_mode & 077) != 0)
		lerr(ld, line, "this file holds a password but is readable by "
		    "others (mode %04o): refusing it; run 'chmod 600 %s', or "
		    "use password_command/password_file instead",
		    (unsigned)(st.st_mode & 07777), ld->path);
}

/*
 * A file that holds a command or names a password source must be safe
 * from others (config/perms.h): anyone who could write it could run
 * commands as the user, or send the password to a server of theirs.
 * Reported on the line of the first such key.  A password_file is checked
 * here too (when it exists: a missing one is reported when it is read,
 * where it is checked again).
 */
static void
check_trusted(struct loader *ld, int fd)
{
	const struct secret_source *files[] = { &ld->cfg->password,
	    &ld->cfg->caldav_password };
	const char *file_keys[] = { "password_file", "caldav_password_file" };
	const char *first = NULL;
	char *err = NULL;
	size_t i, len;
	int line = 0;

	for (i = 0; i < NKEYS; i++) {
		len = strlen(keys[i].name);
		if (ld->key_line[i] == 0 || !(keys[i].type == T_SECRET_CMD ||
		    keys[i].type == T_SECRET_FILE ||
		    keys[i].type == T_SECRET_CRED ||
		    keys[i].type == T_SECRET_VALUE || (len > 8 &&
		    strcmp(keys[i].name + len - 8, "_command") == 0)))
			continue;
		if (line == 0 || ld->key_line[i] < line) {
			line = ld->key_line[i];
			first = keys[i].name;
		}
	}
	if (first == NULL)
		return;
	if (perms_check(ld->path, fd, &err) == -1)
		lerr(ld, line, "this file holds %s: %s", first,
		    err ? err : "out of memory");
	free(err);
	for (i = 0; i < 2; i++) {
		err = NULL;
		if (files[i]->file == NULL || access(files[i]->file, F_OK) != 0)
			continue;
		if (perms_check(files[i]->file, -1, &err) == -1)
			lerr(ld, key_line(ld, i == 0 ? "account" : "calendar",
			    file_keys[i]), "%s: %s", file_keys[i],
			    err ? err : "out of memory");
		free(err);
	}
}

static void
check_dates(struct loader *ld)
{
	const struct config *c = ld->cfg;

	if (c->arrival.year && c->validated_on.year &&
	    config_date_epoch(&c->validated_on) <
	    config_date_epoch(&c->arrival))
		lerr(ld, key_line(ld, "visa", "validated_on"), "validated_on "
		    "%04d-%02d-%02d is before arrival %04d-%02d-%02d",
		    c->validated_on.year, c->validated_on.month,
		    c->validated_on.day, c->arrival.year, c->arrival.month,
		    c->arrival.day);
	if (c->valid_until.year && c->arrival.year &&
	    config_date_epoch(&c->valid_until) <=
	    config_date_epoch(&c->arrival))
		lerr(ld, key_line(ld, "visa", "valid_until"), "valid_until "
		    "must come after arrival");
}

int
config_load(const char *path, int required, struct config *cfg,
    struct config_errors *errs)
{
	struct loader ld;
	char *line = NULL, iobuf[BUFSIZ];
	size_t cap = 0, before = errs->n;
	ssize_t n;
	int lineno = 0, section = SECTION_NONE;
	FILE *f;

	config_init(cfg);
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.cfg = cfg;
	ld.errs = errs;
	if ((cfg->path = strdup(path)) == NULL) {
		errors_add(errs, "%s: out of memory", path);
		return -1;
	}
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		lerr(&ld, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* The file may hold a password: stdio's buffer is ours, and the
	   line's is allocated once (getline would move a longer line to a
	   new buffer, freeing the old one unwiped); both are wiped. */
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	if ((line = malloc(cap = 4096)) == NULL)
		cap = 0;
	cfg->file_found = 1;
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if ((size_t)n > MAX_LINE) {
			lerr(&ld, lineno, "line longer than %d bytes",
			    MAX_LINE);
			continue;
		}
		if (memchr(line, '\0', (size_t)n) != NULL) {
			lerr(&ld, lineno, "NUL byte: this is not a text file");
			break;
		}
		parse_line(&ld, line, lineno, &section);
	}
	if (ferror(f))
		lerr(&ld, 0, "read error: %s", strerror(errno));
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	ld.last_line = lineno;
	cfg->account_line = ld.section_line[0] ? ld.section_line[0] :
	    (lineno ? lineno : 1);
	check_secret(&ld, "account", "password", &cfg->password);
	check_secret(&ld, "calendar", "caldav_password", &cfg->caldav_password);
	if (cfg->oauth2_token_command != NULL && (cfg->password.command ||
	    cfg->password.file || cfg->password.credential ||
	    cfg->password.value))
		lerr(&ld, key_line(&ld, "account", "oauth2_token_command"),
		    "oauth2_token_command and a password are exclusive: "
		    "keep one");
	check_private(&ld, fileno(f));
	check_trusted(&ld, fileno(f));
	check_dates(&ld);
	fclose(f);
	explicit_bzero(iobuf, sizeof(iobuf));
	return errs->n == before ? 0 : -1;
}

int
config_check_account(const struct config *cfg, struct config_errors *errs)
{
	const char *path = cfg->path ? cfg->path : "(no config)";
	size_t before = errs->n;
	const struct secret_source *pw = &cfg->password;

	if (!cfg->file_found) {
		errors_add(errs, "%s: no such file: the mailbox settings are "
		    "needed (copy config/ofii-watch.conf.example there, or "
		    "give -c FILE)", path);
		return -1;
	}
	if (cfg->url == NULL)
		errors_add(errs, "%s:%d: [account] needs 'url' (for example "
		    "imaps://imap.example.org)", path, cfg->account_line);
	if (cfg->user == NULL)
		errors_add(errs, "%s:%d: [account] needs 'user' (your login)",
		    path, cfg->account_line);
	if (pw->command == NULL && pw->file == NULL && pw->credential == NULL &&
	    pw->value == NULL && cfg->oauth2_token_command == NULL)
		errors_add(errs, "%s:%d: [account] needs a password source: "
		    "password_command, password_file, password_credential, "
		    "password or oauth2_token_command", path,
		    cfg->account_line);
	return errs->n == before ? 0 : -1;
}
