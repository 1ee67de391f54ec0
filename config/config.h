/*
 * config: the INI-style configuration file (see config/ofii-watch.conf.example
 * for every key).  Parsing never stops at the first problem: every error is
 * collected as "FILE:LINE: message" so the person can fix them all at once.
 */
#ifndef OFII_CONFIG_H
#define OFII_CONFIG_H

#include <stddef.h>
#include <time.h>

/* A calendar date from the config, year 0 = not set. */
struct config_date {
	int	year, month, day;
};

struct strlist {
	char	**v;
	size_t	  n;
};

/* Where a secret comes from; at most one member is set. */
struct secret_source {
	char	*command;	/* run through /bin/sh, first line of stdout */
	char	*file;		/* first line of the file */
	char	*credential;	/* $CREDENTIALS_DIRECTORY/NAME (LoadCredential=) */
	char	*value;		/* inline in the config (file must be 0600) */
};

struct config {
	char	*path;			/* the file read, or NULL: defaults only */
	int	 file_found;

	/* [account] */
	char	*url;			/* imaps://host[:port] or imap:// */
	char	*user;
	struct secret_source password;
	char	*oauth2_token_command;	/* XOAUTH2 instead of a password */
	struct strlist folders;		/* empty: INBOX + \Junk */
	long	 poll_interval;		/* seconds */
	long	 timeout;		/* network operation, seconds */
	char	*ca_file;
	struct strlist trusted_forwarders;
	char	*authserv_id;
	int	 insecure;
	int	 account_line;		/* line of [account], for errors */

	/* [visa] */
	struct config_date arrival;
	struct config_date validated_on;
	struct config_date valid_until;

	/* [calendar] */
	char	*vdir;
	char	*file;
	char	*caldav_url;
	char	*caldav_user;
	struct secret_source caldav_password;
	long	*alarms;		/* seconds before the start */
	size_t	 nalarms;
	long	 follow_up_after;	/* "write to OFII" event, seconds */

	/* [alerts] */
	long	 alert_after;		/* seconds after validated_on */
	long	 alert_every;
	char	*alert_command;
	enum { NOTIFY_LOG, NOTIFY_DESKTOP } notify;

	/* [limits] */
	size_t	 max_message_size;
	size_t	 max_header_line;
	int	 max_mime_depth;
	int	 max_mime_parts;
	size_t	 max_attachment_size;
	int	 max_pdf_pages;
	long	 pdf_timeout;		/* seconds of CPU time for the PDFs
					   of one mail, all together */
	size_t	 pdf_memory;
};

/*
 * The reader of one mail gets 60 s plus twice pdf_timeout (daemon/
 * reader.h): with this bound, at most 4 minutes, well within the service's
 * WatchdogSec=5min even before the watchdog is fed meanwhile.
 */
#define CONFIG_MAX_PDF_TIMEOUT	90

/* Problems found while loading: "FILE:LINE: message" each. */
struct config_errors {
	char	**msg;
	size_t	  n;
};

/*
 * Default path: $XDG_CONFIG_HOME/ofii-watch/config, ~/.config when unset.
 * malloc'd; NULL when neither XDG_CONFIG_HOME nor HOME is set.
 */
char	*config_default_path(void);

/*
 * Load `path` into *cfg (defaults first).  `required`: the file must exist
 * (an explicit -c).  Returns 0, or -1 with every problem in *errs.
 * A missing default file is not an error: cfg->file_found says so.
 */
int	config_load(const char *path, int required, struct config *cfg,
	    struct config_errors *errs);

/* The keys a mailbox command needs ([account] url, user, one secret). */
int	config_check_account(const struct config *, struct config_errors *);

void	config_init(struct config *);	/* defaults */
void	config_clear(struct config *);
void	config_errors_clear(struct config_errors *);

/* Parsers for values, shared with the command line. 0 / -1. */
int	config_parse_duration(const char *, long *seconds);
int	config_parse_date(const char *, struct config_date *);
int	config_parse_size(const char *, size_t *bytes);
/* "~" and "~/..." expanded with $HOME; malloc'd, NULL on failure. */
char	*config_expand_path(const char *);

/* The i-th known key (for documentation checks); NULL past the end. */
const char *config_key_at(size_t i, const char **section);

/* Seconds since the epoch of midnight UTC of a date, for day arithmetic. */
time_t	config_date_epoch(const struct config_date *);

#endif
