/*
 * test_config: the configuration file, its value syntax and its errors.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "testutil.h"

#include "config/config.h"

/* Write `text` to a fresh temporary file of mode `mode`; returns its path. */
static char *
write_config(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/ofii-test-config.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

struct loaded {
	struct config		cfg;
	struct config_errors	errs;
	char			*path;
	int			 rc;
};

static void
load_text(struct loaded *l, const char *text, mode_t mode)
{
	memset(l, 0, sizeof(*l));
	l->path = write_config(text, mode);
	l->rc = config_load(l->path, 1, &l->cfg, &l->errs);
}

static void
unload(struct loaded *l)
{
	unlink(l->path);
	free(l->path);
	config_clear(&l->cfg);
	config_errors_clear(&l->errs);
}

/* The number of errors, printing them all when it is wrong. */
static void
assert_nerrors(const struct loaded *l, size_t n)
{
	size_t i;

	if (l->errs.n == n)
		return;
	for (i = 0; i < l->errs.n; i++)
		print_error("  %s\n", l->errs.msg[i]);
	fail_msg("%zu errors, expected %zu", l->errs.n, n);
}

/* errs->msg[i] must be exactly "<path>:<line>: <text>". */
static void
assert_error(const struct loaded *l, size_t i, int line, const char *text)
{
	char *want;

	assert_true(i < l->errs.n);
	assert_true(asprintf(&want, "%s:%d: %s", l->path, line, text) > 0);
	assert_string_equal(l->errs.msg[i], want);
	free(want);
}

static void
test_example_parses(void **state)
{
	struct config cfg;
	struct config_errors errs = { NULL, 0 };

	(void)state;
	setenv("HOME", "/home/test", 1);
	config_load("config/ofii-watch.conf.example", 1, &cfg, &errs);
	if (errs.n > 0)
		fail_msg("%s", errs.msg[0]);
	assert_int_equal(cfg.file_found, 1);
	assert_string_equal(cfg.url, "imaps://imap.example.org");
	assert_string_equal(cfg.user, "me@example.org");
	assert_string_equal(cfg.password.command, "pass show mail/me@example.org");
	assert_null(cfg.password.value);
	assert_int_equal(cfg.poll_interval, 600);
	assert_int_equal(cfg.insecure, 0);
	assert_int_equal(cfg.arrival.year, 2022);
	assert_int_equal(cfg.validated_on.month, 3);
	assert_int_equal(cfg.valid_until.day, 25);
	assert_int_equal(cfg.nalarms, 2);
	assert_int_equal(cfg.alarms[0], 86400);
	assert_int_equal(cfg.alarms[1], 7200);
	assert_int_equal(cfg.alert_after, 45 * 86400);
	assert_int_equal(cfg.alert_every, 7 * 86400);
	assert_int_equal(cfg.notify, NOTIFY_LOG);
	assert_int_equal(config_check_account(&cfg, &errs), 0);
	config_clear(&cfg);
}

/* Every key the parser knows is documented in the example file. */
static void
test_example_documents_every_key(void **state)
{
	char *example = testutil_read("config/ofii-watch.conf.example", NULL);
	const char *name, *section;
	size_t i;

	(void)state;
	for (i = 0; (name = config_key_at(i, &section)) != NULL; i++) {
		char set[128], commented[128], header[64];

		snprintf(set, sizeof(set), "\n%s = ", name);
		snprintf(commented, sizeof(commented), "\n;%s = ", name);
		snprintf(header, sizeof(header), "[%s]", section);
		if (strstr(example, set) == NULL &&
		    strstr(example, commented) == NULL)
			fail_msg("key '%s' is not in the example", name);
		/* ... and under its own section */
		assert_true(strstr(example, header) <
		    (strstr(example, set) ? strstr(example, set) :
		    strstr(example, commented)));
	}
	assert_true(i >= 35);
	free(example);
}

static void
test_three_mistakes_three_errors(void **state)
{
	struct loaded l;

	(void)state;
	load_text(&l,
	    "# three mistakes\n"
	    "[account]\n"
	    "url = imaps://imap.example.org\n"
	    "user = me\n"
	    "pasword_command = pass show mail\n"	/* line 5: typo */
	    "poll_interval = 10\n"			/* line 6: no unit */
	    "[visa]\n"
	    "arrival = 2022-02-30\n",			/* line 8: no such day */
	    0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 3);
	assert_error(&l, 0, 5, "unknown key 'pasword_command' in [account] "
	    "(did you mean 'password_command' in [account]?)");
	assert_error(&l, 1, 6, "'poll_interval' must be a duration such as "
	    "90s, 15m, 2h, 45d or 6w, not '10'");
	assert_error(&l, 2, 8, "'arrival' must be a date YYYY-MM-DD, not "
	    "'2022-02-30'");
	unload(&l);
}

static void
test_structure_errors(void **state)
{
	struct loaded l;

	(void)state;
	load_text(&l,
	    "user = early\n"			/* 1 */
	    "[acount]\n"			/* 2 */
	    "url = ignored, section unknown\n"	/* 3 */
	    "[account]\n"			/* 4 */
	    "url = imaps://a.example\n"		/* 5 */
	    "url = imaps://b.example\n"		/* 6 */
	    "just words\n"			/* 7 */
	    "arrival = 2022-01-01\n"		/* 8 */
	    "[visa\n"				/* 9 */
	    "password_command = a\n"		/* 10: skipped */
	    "[calendar]\n"			/* 11 */
	    "alarms = 1d,,2h\n"			/* 12 */
	    "file = \"unterminated\n",		/* 13 */
	    0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 8);
	assert_error(&l, 0, 1, "'user' is outside of any section (put it "
	    "under [account], [visa], ...)");
	assert_error(&l, 1, 2, "unknown section [acount] (known: [account], "
	    "[visa], [calendar], [alerts], [limits])");
	assert_error(&l, 2, 6, "'url' is set twice (first on line 5)");
	assert_error(&l, 3, 7, "expected 'key = value' or '[section]'");
	assert_error(&l, 4, 8, "'arrival' belongs in [visa], not in [account]");
	assert_error(&l, 5, 9, "missing ']' in section header");
	assert_error(&l, 6, 12, "alarms: empty item in '1d,,2h'");
	assert_error(&l, 7, 13, "file: unterminated quote");
	unload(&l);
}

static void
test_values(void **state)
{
	struct loaded l;

	(void)state;
	setenv("HOME", "/home/amina", 1);
	load_text(&l,
	    "[account]  # comment after a section\n"
	    "url = imap://127.0.0.1:1143   ; port given\n"
	    "user = \"amina # not a comment\"\n"
	    "password_command = pass show \"mail #1\" | head -1  # real one\n"
	    "folders = INBOX , Junk,Archives/OFII\n"
	    "trusted_forwarders = Amina@Example.ORG, other@example.net\n"
	    "ca_file = ~/certs/ca.pem\n"
	    "insecure = YES\n"
	    "poll_interval = 1h30m\n"
	    "timeout=90s\n"
	    "[calendar]\n"
	    "vdir = ~\n"
	    "alarms = 2d, 0, 30m\n"
	    "[alerts]\n"
	    "alert_command = notify-send \"$OFII_ALERT_SUMMARY\"\n"
	    "alert_after = 6w\n"
	    "notify = desktop\n"
	    "[limits]\n"
	    "max_message_size = 10MiB\n"
	    "max_header_line = 512K\n"
	    "max_mime_depth = 32\n"
	    "pdf_memory = 1G\n",
	    0644);
	assert_nerrors(&l, 0);
	assert_string_equal(l.cfg.url, "imap://127.0.0.1:1143");
	assert_string_equal(l.cfg.user, "amina # not a comment");
	assert_string_equal(l.cfg.password.command,
	    "pass show \"mail #1\" | head -1");
	assert_int_equal(l.cfg.folders.n, 3);
	assert_string_equal(l.cfg.folders.v[0], "INBOX");
	assert_string_equal(l.cfg.folders.v[2], "Archives/OFII");
	assert_string_equal(l.cfg.trusted_forwarders.v[0], "amina@example.org");
	assert_string_equal(l.cfg.ca_file, "/home/amina/certs/ca.pem");
	assert_string_equal(l.cfg.vdir, "/home/amina");
	assert_int_equal(l.cfg.insecure, 1);
	assert_int_equal(l.cfg.poll_interval, 5400);
	assert_int_equal(l.cfg.timeout, 90);
	assert_int_equal(l.cfg.nalarms, 3);
	assert_int_equal(l.cfg.alarms[0], 2 * 86400);
	assert_int_equal(l.cfg.alarms[1], 0);
	assert_int_equal(l.cfg.alarms[2], 1800);
	assert_string_equal(l.cfg.alert_command,
	    "notify-send \"$OFII_ALERT_SUMMARY\"");
	assert_int_equal(l.cfg.alert_after, 42 * 86400);
	assert_int_equal(l.cfg.notify, NOTIFY_DESKTOP);
	assert_int_equal(l.cfg.max_message_size, 10 * 1024 * 1024);
	assert_int_equal(l.cfg.max_header_line, 512 * 1024);
	assert_int_equal(l.cfg.max_mime_depth, 32);
	assert_int_equal(l.cfg.pdf_memory, 1024UL * 1024 * 1024);
	/* untouched defaults */
	assert_int_equal(l.cfg.alert_every, 7 * 86400);
	assert_int_equal(l.cfg.max_mime_parts, 256);
	unload(&l);
}

static void
test_bad_values(void **state)
{
	struct loaded l;

	(void)state;
	load_text(&l,
	    "[account]\n"
	    "url = https://imap.example.org\n"		/* 2 */
	    "insecure = maybe\n"			/* 3 */
	    "trusted_forwarders = me@example.org, bob\n" /* 4 */
	    "password_credential = ../etc/shadow\n"	/* 5 */
	    "[alerts]\n"
	    "notify = email\n"				/* 7 */
	    "alert_every = 0d\n"			/* 8 */
	    "[limits]\n"
	    "max_mime_depth = -3\n"			/* 10 */
	    "max_pdf_pages = 2x\n"			/* 11 */
	    "pdf_memory = 12Q\n"			/* 12 */
	    "[calendar]\n"
	    "caldav_url = ftp://x\n"			/* 14 */
	    "alarms = 1d, soon\n",			/* 15 */
	    0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 11);
	assert_error(&l, 0, 2, "url must start with imaps:// (TLS) or imap:// "
	    "(STARTTLS, required): 'https://imap.example.org'");
	assert_error(&l, 1, 3, "'insecure' must be yes or no, not 'maybe'");
	assert_error(&l, 2, 4, "'trusted_forwarders': 'bob' is not a mail "
	    "address");
	assert_error(&l, 3, 5, "password_credential is a credential name as "
	    "in LoadCredential=NAME:..., not a path: '../etc/shadow'");
	assert_error(&l, 4, 7, "notify must be log or desktop, not 'email'");
	assert_error(&l, 5, 8, "'alert_every' cannot be zero");
	assert_error(&l, 6, 10, "'max_mime_depth' must be a number from 1 to "
	    "1000000, not '-3'");
	assert_error(&l, 7, 11, "'max_pdf_pages' must be a number from 1 to "
	    "1000000, not '2x'");
	assert_error(&l, 8, 12, "'pdf_memory' must be a size such as 512K, "
	    "25M or 1G, not '12Q'");
	assert_error(&l, 9, 14, "caldav_url must start with https:// or "
	    "http://: 'ftp://x'");
	assert_error(&l, 10, 15, "alarms: 'soon' is not a duration before the "
	    "event (15m, 2h, 1d, or 0 for the start)");
	unload(&l);
}

/* The reader of one mail must end within the service's watchdog. */
static void
test_pdf_timeout_bounded(void **state)
{
	struct loaded l;

	(void)state;
	load_text(&l, "[limits]\npdf_timeout = 90s\n", 0600);
	assert_nerrors(&l, 0);
	assert_int_equal(l.cfg.pdf_timeout, 90);
	unload(&l);
	load_text(&l, "[limits]\npdf_timeout = 10m\n", 0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 1);
	assert_error(&l, 0, 2, "'pdf_timeout' can be 90s at most, not '10m': "
	    "the reader of one mail must end well within the service's "
	    "watchdog");
	unload(&l);
}

static void
test_durations(void **state)
{
	long s;

	(void)state;
	assert_int_equal(config_parse_duration("45d", &s), 0);
	assert_int_equal(s, 45 * 86400);
	assert_int_equal(config_parse_duration("6w", &s), 0);
	assert_int_equal(s, 42 * 86400);
	assert_int_equal(config_parse_duration("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(config_parse_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(config_parse_duration("1d 12h", &s), 0);
	assert_int_equal(s, 36 * 3600);
	assert_int_equal(config_parse_duration("10", &s), -1);
	assert_int_equal(config_parse_duration("", &s), -1);
	assert_int_equal(config_parse_duration("-5m", &s), -1);
	assert_int_equal(config_parse_duration("5x", &s), -1);
	assert_int_equal(config_parse_duration("m", &s), -1);
	assert_int_equal(config_parse_duration("99999999999999999999w", &s), -1);
	assert_int_equal(config_parse_duration("9223372036854775807w", &s), -1);
}

static void
test_dates_and_sizes(void **state)
{
	struct config_date d;
	size_t z;

	(void)state;
	assert_int_equal(config_parse_date("2024-02-29", &d), 0);
	assert_int_equal(d.year * 10000 + d.month * 100 + d.day, 20240229);
	assert_int_equal(config_parse_date("2023-02-29", &d), -1);
	assert_int_equal(config_parse_date("2023-04-31", &d), -1);
	assert_int_equal(config_parse_date("2023-1-01", &d), -1);
	assert_int_equal(config_parse_date("2023-01-01x", &d), -1);
	assert_int_equal(config_parse_date("01/03/2022", &d), -1);
	assert_int_equal(config_parse_date("2023-+1-01", &d), -1);
	assert_int_equal(config_date_epoch(&(struct config_date){ 2022, 3, 1 }),
	    1646092800);
	assert_int_equal(config_parse_size("25M", &z), 0);
	assert_int_equal(z, 25 * 1024 * 1024);
	assert_int_equal(config_parse_size("64 KiB", &z), 0);
	assert_int_equal(z, 64 * 1024);
	assert_int_equal(config_parse_size("4096", &z), 0);
	assert_int_equal(z, 4096);
	assert_int_equal(config_parse_size("1T", &z), -1);
	assert_int_equal(config_parse_size("M", &z), -1);
	assert_int_equal(config_parse_size("99999999999999999999G", &z), -1);
}

static void
test_inline_password_needs_private_file(void **state)
{
	static const char text[] =
	    "[account]\n"
	    "url = imaps://imap.example.org\n"
	    "user = me\n"
	    "password = hunter2-do-not-print\n";
	struct loaded l;
	char *want;

	(void)state;
	load_text(&l, text, 0640);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 1);
	assert_true(asprintf(&want, "this file holds a password but is "
	    "readable by others (mode 0640): refusing it; run 'chmod 600 %s', "
	    "or use password_command/password_file instead", l.path) > 0);
	assert_error(&l, 0, 4, want);
	free(want);
	assert_null(strstr(l.errs.msg[0], "hunter2"));
	unload(&l);

	load_text(&l, text, 0600);
	assert_nerrors(&l, 0);
	assert_string_equal(l.cfg.password.value, "hunter2-do-not-print");
	unload(&l);

	/* A password-free config may be world-readable. */
	load_text(&l, "[account]\npassword_command = pass x\n", 0644);
	assert_int_equal(l.rc, 0);
	unload(&l);
}

/*
 * A config that runs commands or names a password source must be safe
 * from others: not writable by them, not theirs, nor its folder.
 */
static void
test_commands_need_a_safe_file(void **state)
{
	static const char cmd[] =
	    "[account]\n"
	    "url = imaps://imap.example.org\n"
	    "user = me\n"
	    "password_command = pass show mail\n";
	char dir[] = "/tmp/ofii-test-dir.XXXXXX", *path, *want, *text;
	struct config_errors errs = { NULL, 0 };
	struct config cfg;
	struct loaded l;
	FILE *f;

	(void)state;
	load_text(&l, cmd, 0666);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 1);
	assert_true(asprintf(&want, "this file holds password_command: %s is "
	    "writable by group and others (mode 0666): refusing it; run "
	    "'chmod go-w %s'", l.path, l.path) > 0);
	assert_error(&l, 0, 4, want);
	free(want);
	unload(&l);

	/* Group-writable, and the first such key is alert_command. */
	load_text(&l, "[alerts]\nalert_command = notify-send hi\n"
	    "[account]\npassword_command = pass x\n", 0620);
	assert_nerrors(&l, 1);
	assert_true(asprintf(&want, "this file holds alert_command: %s is "
	    "writable by its group (mode 0620): refusing it; run 'chmod go-w "
	    "%s'", l.path, l.path) > 0);
	assert_error(&l, 0, 2, want);
	free(want);
	unload(&l);

	/* Nothing to run and no password: anyone may have written it. */
	load_text(&l, "[visa]\nvalidated_on = 2024-03-01\n", 0666);
	assert_nerrors(&l, 0);
	unload(&l);

	/* Another user's (root only can make one here). */
	if (geteuid() == 0) {
		load_text(&l, cmd, 0644);
		config_clear(&l.cfg);
		config_errors_clear(&l.errs);
		assert_int_equal(chown(l.path, 65534, 65534), 0);
		assert_int_equal(config_load(l.path, 1, &l.cfg, &l.errs), -1);
		assert_nerrors(&l, 1);
		assert_true(asprintf(&want, "this file holds password_command: "
		    "%s belongs to another user (uid 65534): refusing it; run "
		    "'sudo chown root %s' (or make a copy of your own)",
		    l.path, l.path) > 0);
		assert_error(&l, 0, 4, want);
		free(want);
		unload(&l);
	}

	/* Its folder writable by others (not sticky, unlike /tmp). */
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/config", dir) > 0);
	assert_non_null(f = fopen(path, "w"));
	fputs(cmd, f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(config_load(path, 1, &cfg, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_true(asprintf(&want, "%s:4: this file holds password_command: "
	    "the folder %s is writable by group and others (mode 0777): "
	    "refusing it; run 'chmod go-w %s'", path, dir, dir) > 0);
	assert_string_equal(errs.msg[0], want);
	free(want);
	config_clear(&cfg);
	config_errors_clear(&errs);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(config_load(path, 1, &cfg, &errs), 0);
	config_clear(&cfg);

	/* A password_file others may write: its own line. */
	assert_true(asprintf(&text, "%s/pw", dir) > 0);
	assert_non_null(f = fopen(text, "w"));
	fputs("secret\n", f);
	fclose(f);
	assert_int_equal(chmod(text, 0602), 0);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "[account]\nurl = imaps://x\nuser = me\npassword_file = "
	    "%s\n", text);
	fclose(f);
	assert_int_equal(config_load(path, 1, &cfg, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_true(asprintf(&want, "%s:4: password_file: %s is writable by "
	    "others (mode 0602): refusing it; run 'chmod go-w %s'", path,
	    text, text) > 0);
	assert_string_equal(errs.msg[0], want);
	free(want);
	config_clear(&cfg);
	config_errors_clear(&errs);
	unlink(text);
	free(text);
	unlink(path);
	free(path);
	rmdir(dir);
}

static void
test_secret_sources_exclusive(void **state)
{
	struct loaded l;

	(void)state;
	load_text(&l,
	    "[account]\n"
	    "password_command = pass show mail\n"
	    "password_file = ~/pw\n"
	    "oauth2_token_command = oama access me\n",
	    0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 2);
	assert_error(&l, 0, 3, "'password_file' conflicts with "
	    "'password_command': give the password one way only");
	assert_error(&l, 1, 4, "oauth2_token_command and a password are "
	    "exclusive: keep one");
	unload(&l);
}

static void
test_required_account_keys(void **state)
{
	struct loaded l;
	struct config_errors errs = { NULL, 0 };
	char *want;

	(void)state;
	load_text(&l, "# nothing yet\n[visa]\narrival = 2023-09-01\n"
	    "[account]\ninsecure = no\n", 0600);
	assert_nerrors(&l, 0);
	assert_int_equal(config_check_account(&l.cfg, &errs), -1);
	assert_int_equal(errs.n, 3);
	assert_true(asprintf(&want, "%s:4: [account] needs 'url' (for example "
	    "imaps://imap.example.org)", l.path) > 0);
	assert_string_equal(errs.msg[0], want);
	free(want);
	assert_non_null(strstr(errs.msg[2], ":4: [account] needs a password "
	    "source"));
	config_errors_clear(&errs);
	unload(&l);
}

static void
test_missing_file(void **state)
{
	struct config cfg;
	struct config_errors errs = { NULL, 0 };

	(void)state;
	/* The default file may be absent: defaults apply. */
	assert_int_equal(config_load("/nonexistent/ofii/config", 0, &cfg,
	    &errs), 0);
	assert_int_equal(cfg.file_found, 0);
	assert_int_equal(cfg.poll_interval, 600);
	assert_int_equal(config_check_account(&cfg, &errs), -1);
	assert_int_equal(errs.n, 1);
	config_errors_clear(&errs);
	config_clear(&cfg);
	/* An explicit -c file must exist. */
	assert_int_equal(config_load("/nonexistent/ofii/config", 1, &cfg,
	    &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.msg[0], "/nonexistent/ofii/config: cannot "
	    "open: No such file or directory");
	config_errors_clear(&errs);
	config_clear(&cfg);
}

static void
test_default_paths(void **state)
{
	struct config cfg;
	char *p;

	(void)state;
	setenv("HOME", "/home/li", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	p = config_default_path();
	assert_string_equal(p, "/home/li/.config/ofii-watch/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	p = config_default_path();
	assert_string_equal(p, "/home/li/.config/ofii-watch/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "/xdg/conf", 1);
	p = config_default_path();
	assert_string_equal(p, "/xdg/conf/ofii-watch/config");
	free(p);
	config_init(&cfg);
	assert_string_equal(cfg.vdir, "/home/li/.local/share/ofii-watch/calendar");
	config_clear(&cfg);
	setenv("XDG_DATA_HOME", "/xdg/data", 1);
	config_init(&cfg);
	assert_string_equal(cfg.vdir, "/xdg/data/ofii-watch/calendar");
	config_clear(&cfg);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	p = config_expand_path("~other/x");
	assert_null(p);
}

static void
test_hostile_file(void **state)
{
	struct loaded l;
	char *big;

	(void)state;
	/* A 100 KB line, then a NUL byte: reported, not crashed on. */
	big = malloc(100 * 1024 + 64);
	assert_non_null(big);
	strcpy(big, "[account]\nuser = ");
	memset(big + strlen(big), 'x', 100 * 1024);
	strcpy(big + 17 + 100 * 1024, "\nurl = imaps://h\n");
	load_text(&l, big, 0600);
	assert_int_equal(l.rc, -1);
	assert_nerrors(&l, 1);
	assert_error(&l, 0, 2, "line longer than 65536 bytes");
	assert_string_equal(l.cfg.url, "imaps://h");
	unload(&l);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_parses),
		cmocka_unit_test(test_example_documents_every_key),
		cmocka_unit_test(test_three_mistakes_three_errors),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_pdf_timeout_bounded),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_dates_and_sizes),
		cmocka_unit_test(test_inline_password_needs_private_file),
		cmocka_unit_test(test_commands_need_a_safe_file),
		cmocka_unit_test(test_secret_sources_exclusive),
		cmocka_unit_test(test_required_account_keys),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_default_paths),
		cmocka_unit_test(test_hostile_file),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
