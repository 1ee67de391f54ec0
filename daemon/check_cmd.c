/*
 * check_cmd: `ofii-watch check` — the configuration as understood, each
 * secret fetched from its source (never printed), the reader program run
 * once, then a login and the folder list, saying which will be watched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/secret.h"
#include "daemon/commands.h"
#include "daemon/reader.h"
#include "imap/session.h"
#include "lib/errstr.h"
#include "lib/log.h"

const char check_usage[] =
"Usage: ofii-watch [-c FILE] [-v] check\n"
"\n"
"Validate the configuration file and report every problem as\n"
"FILE:LINE: message; fetch the password from its source (without\n"
"printing it); then log in to the mailbox and list its folders with\n"
"their special-use flags, saying which ones will be watched.  Also runs\n"
"the mail reader program (ofii-watch-reader) once.\n"
"\n"
"Exit status: 0 all good, 1 the password or the login failed,\n"
"2 the configuration has errors.\n";

static const char *
yesno(int b)
{
	return b ? "yes" : "no";
}

/* Fetch a secret to prove its source works; never print it. */
static int
try_secret(const struct config *cfg, const struct secret_source *src,
    const char *what)
{
	char *secret = NULL, *err = NULL;

	if (secret_fetch(src, what, (int)cfg->timeout, &secret, &err) == -1) {
		log_errx("%s", err ? err : "out of memory");
		free(err);
		return -1;
	}
	log_debug("%s: obtained from its source", what);
	secret_free(secret);
	return 0;
}

static void
print_flags(unsigned f)
{
	static const struct { unsigned flag; const char *name; } names[] = {
		{ IMAP_FOLDER_JUNK, "\\Junk" }, { IMAP_FOLDER_TRASH, "\\Trash" },
		{ IMAP_FOLDER_SENT, "\\Sent" }, { IMAP_FOLDER_DRAFTS,
		"\\Drafts" }, { IMAP_FOLDER_ARCHIVE, "\\Archive" },
		{ IMAP_FOLDER_ALL, "\\All" }, { IMAP_FOLDER_NOSELECT,
		"\\Noselect" }, { IMAP_FOLDER_JUNK_NAME, "(junk by name)" }
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].flag)
			printf(" %s", names[i].name);
}

/*
 * Log in, list the folders with their special-use flags and say which
 * will be watched (on stdout).  0, or -1 and *errstr.
 */
static int
check_mailbox(const struct config *cfg, char **errstr)
{
	struct imap_folder_list list = { NULL, 0 };
	struct imap_session *s;
	const struct imap_folder *junk;
	size_t i, j;
	int missing = 0;

	if ((s = imap_open(cfg, errstr)) == NULL)
		return -1;
	if (imap_capabilities(s, NULL, errstr) == -1 ||
	    imap_list(s, &list, errstr) == -1) {
		imap_close(s);
		return -1;
	}
	printf("Logged in to %s as %s.\n", cfg->url, cfg->user);
	printf("Server: %s, %s.\n", imap_has_capability(s, "SPECIAL-USE") ?
	    "SPECIAL-USE" : "no SPECIAL-USE (Junk found by name)",
	    imap_has_capability(s, "CONDSTORE") ? "CONDSTORE" : "no CONDSTORE");
	junk = imap_junk_folder(&list);
	printf("Folders:\n");
	for (i = 0; i < list.n; i++) {
		const struct imap_folder *f = &list.v[i];
		int watched = 0;

		if (cfg->folders.n > 0) {
			for (j = 0; j < cfg->folders.n; j++)
				watched |= strcmp(cfg->folders.v[j],
				    f->name) == 0;
		} else
			watched = (f->flags & IMAP_FOLDER_INBOX) || f == junk;
		printf("  %-30s", f->name);
		print_flags(f->flags);
		printf("%s\n", watched ? "  <- watched" : "");
	}
	for (j = 0; j < cfg->folders.n; j++) {
		for (i = 0; i < list.n; i++)
			if (strcmp(cfg->folders.v[j], list.v[i].name) == 0)
				break;
		if (i == list.n) {
			log_errx("folder '%s' (from [account] folders) does "
			    "not exist on the server", cfg->folders.v[j]);
			missing = 1;
		}
	}
	if (cfg->folders.n == 0 && junk == NULL)
		log_warnx("no Junk folder found: only INBOX will be watched; "
		    "name the spam folder in [account] folders");
	imap_folder_list_free(&list);
	imap_close(s);
	if (missing) {
		errstr_set(errstr, "some configured folders do not exist");
		return -1;
	}
	return 0;
}

int
check_main(const struct config *cfg, int argc, char **argv)
{
	char *err = NULL;
	int failed = 0;
	size_t i;

	if (argc > 1) {
		fprintf(stderr, "check: unexpected argument '%s'\n", argv[1]);
		fputs(check_usage, stderr);
		return EXIT_USAGE;
	}
	printf("Configuration %s: no errors.\n", cfg->path);
	printf("[account]\n  %-14s %s\n  %-14s %s\n", "url", cfg->url,
	    "user", cfg->user);
	printf("  %-14s ", "folders");
	if (cfg->folders.n == 0)
		printf("INBOX and the Junk folder (found on the server)\n");
	for (i = 0; i < cfg->folders.n; i++)
		printf("%s%s", cfg->folders.v[i],
		    i + 1 < cfg->folders.n ? ", " : "\n");
	printf("  %-14s %lds\n  %-14s %s\n", "poll_interval",
	    cfg->poll_interval, "insecure", yesno(cfg->insecure));
	printf("[visa]\n");
	print_config_date(14, "arrival", &cfg->arrival, "(not set)");
	print_config_date(14, "validated_on", &cfg->validated_on,
	    "(not set)");
	print_config_date(14, "valid_until", &cfg->valid_until, "(not set)");
	printf("[calendar]\n  %-14s %s\n  %-14s %s\n  %-14s %s\n", "vdir",
	    cfg->vdir ? cfg->vdir : "(none)", "file",
	    cfg->file ? cfg->file : "(none)", "caldav_url",
	    cfg->caldav_url ? cfg->caldav_url : "(none)");
	fflush(stdout);

	if (cfg->oauth2_token_command != NULL) {
		char *token = NULL;

		if (secret_run_command(cfg->oauth2_token_command,
		    "oauth2_token_command", (int)cfg->timeout, &token,
		    &err) == -1) {
			log_errx("%s", err ? err : "out of memory");
			failed = 1;
		}
		free(err);
		err = NULL;
		secret_free(token);
	} else if (try_secret(cfg, &cfg->password, "password") == -1)
		failed = 1;
	if (cfg->caldav_url != NULL && (cfg->caldav_password.command ||
	    cfg->caldav_password.file || cfg->caldav_password.credential ||
	    cfg->caldav_password.value) &&
	    try_secret(cfg, &cfg->caldav_password, "caldav_password") == -1)
		failed = 1;
	{
		const char *reader;

		if (reader_check(cfg, &reader, &err) == -1) {
			log_errx("mail reader: %s", err ? err : "out of memory");
			free(err);
			err = NULL;
			failed = 1;
		} else
			printf("Mail reader: %s works.\n", reader);
	}
	if (failed)
		return EXIT_RUNTIME;
	printf("Password source: works.\n");
	fflush(stdout);
	if (check_mailbox(cfg, &err) == -1) {
		log_errx("%s", err ? err : "mailbox check failed");
		free(err);
		return EXIT_RUNTIME;
	}
	printf("Mailbox: works.\n");
	return EXIT_OK;
}
