/*
 * ofii-watch: watch a mailbox for the OFII convocation.  main.c owns the
 * command line: global options, the command table, --help texts, loading
 * the configuration, and the exit status convention of commands.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/secret.h"
#include "daemon/commands.h"
#include "lib/clock.h"
#include "lib/log.h"

static const char usage_text[] =
"Usage: ofii-watch [-c FILE] [-v | -q] COMMAND [ARGS...]\n"
"       ofii-watch --help | --version\n"
"\n"
"Watch your mailbox (Junk included) for the OFII convocation to the medical\n"
"visit, put the appointment in your calendar with what to bring and a\n"
"reminder to book the chest X-ray, and warn you when OFII is late.\n"
"\n"
"Commands:\n"
"  run       watch the mailbox in the foreground (the systemd service)\n"
"  poll      look through the mailbox once, then exit\n"
"  parse     read saved mails (.eml files): what ofii-watch understands\n"
"  status    where you stand: dates, convocation, next alert\n"
"  check     validate the configuration, log in, list the folders\n"
"  help      help on a command: ofii-watch help parse\n"
"\n"
"Options:\n"
"  -c, --config FILE  configuration file\n"
"                     (default: $XDG_CONFIG_HOME/ofii-watch/config,\n"
"                     that is ~/.config/ofii-watch/config)\n"
"  -v, --verbose      log more (debug details)\n"
"  -q, --quiet        log only warnings and errors\n"
"  -h, --help         this text; 'ofii-watch COMMAND --help' for a command\n"
"  -V, --version      print the version\n"
"\n"
"Exit status: 0 success, 1 failure while working, 2 bad usage or\n"
"configuration (each problem reported as FILE:LINE: message).\n"
"\n"
"Environment:\n"
"  OFII_WATCH_NOW=YYYY-MM-DDTHH:MM   pretend it is that local time\n"
"  XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_DATA_HOME   where files live\n"
"  CREDENTIALS_DIRECTORY   set by systemd's LoadCredential= (password)\n"
"  OFII_WATCH_READER=PATH  the mail reader program (default: found next to\n"
"                     ofii-watch, or in ../libexec/ofii-watch beside it)\n"
"\n"
"The example configuration documents every option:\n"
"  /usr/local/share/doc/ofii-watch/ofii-watch.conf.example\n";

static const char run_usage[] =
"Usage: ofii-watch [-c FILE] [-v | -q] run\n"
"\n"
"Watch the mailbox in the foreground until stopped: poll every\n"
"poll_interval the folders of [account] (INBOX and the Junk folder by\n"
"default), write calendar events for the convocations found, and log\n"
"alerts when no convocation has come in time.  This is what the systemd\n"
"user service runs; it never exits on a network error (it retries with\n"
"backoff).\n"
"\n"
"Signals: SIGTERM/SIGINT stop after the current step; SIGHUP reloads the\n"
"configuration; SIGUSR1 polls now.\n";

static const char poll_usage[] =
"Usage: ofii-watch [-c FILE] [-v | -q] poll\n"
"\n"
"Look through the mailbox once (new mail since the last pass, or back to\n"
"[visa] validated_on on the first run), write calendar events for what\n"
"was found, then exit: 0 when the pass succeeded, 1 otherwise.  The\n"
"mailbox is never modified (read-only, no \\Seen flag).\n";

struct command {
	const char	*name;
	const char	*usage;
	int		 needs_account;	/* [account] must be complete */
	int		(*fn)(const struct config *, int, char **);
	const char	*missing;	/* not built yet: what will bring it */
};

static const struct command commands[] = {
	{ "run", run_usage, 1, run_main, NULL },
	{ "poll", poll_usage, 1, poll_main, NULL },
	{ "parse", parse_usage, 0, parse_main, NULL },
	{ "status", status_usage, 0, status_main, NULL },
	{ "check", check_usage, 1, check_main, NULL },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(void)
{
	fputs("Usage: ofii-watch [-c FILE] [-v | -q] "
	    "{run|poll|parse|status|check} [ARGS...]\n"
	    "Try 'ofii-watch --help'.\n", stderr);
	exit(EXIT_USAGE);
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
print_errors(struct config_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		fprintf(stderr, "%s\n", errs->msg[i]);
	config_errors_clear(errs);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct config_errors errs = { NULL, 0 };
	struct config cfg;
	const struct command *cmd;
	const char *config_path = NULL;
	char *default_path = NULL, *err = NULL;
	int ch, level = LOG_INFO, i, rc;

	/* '+': stop at the command, whose options are its own. */
	while ((ch = getopt_long(argc, argv, "+c:vqhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'v':
			level = LOG_DEBUG;
			break;
		case 'q':
			level = LOG_WARNING;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("ofii-watch %s\n", VERSION);
			return EXIT_OK;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "help") == 0) {
		if (argc < 2) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if ((cmd = find_command(argv[1])) == NULL) {
			fprintf(stderr, "ofii-watch: no command '%s'\n",
			    argv[1]);
			usage();
		}
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	if ((cmd = find_command(argv[0])) == NULL) {
		fprintf(stderr, "ofii-watch: unknown command '%s'\n", argv[0]);
		usage();
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
	}

	log_init("ofii-watch", level);
	/* Before the config (it may hold a password) is read. */
	if (secret_protect_process(&err) == -1) {
		fprintf(stderr, "ofii-watch: %s\n", err ? err : "out of memory");
		free(err);
		return EXIT_RUNTIME;
	}
	if (clock_init(&err) == -1) {
		fprintf(stderr, "ofii-watch: %s\n", err ? err : "bad clock");
		free(err);
		return EXIT_USAGE;
	}
	if (config_path == NULL) {
		if ((default_path = config_default_path()) == NULL) {
			fprintf(stderr, "ofii-watch: neither HOME nor "
			    "XDG_CONFIG_HOME is set: give -c FILE\n");
			return EXIT_USAGE;
		}
		config_path = default_path;
	}
	if (config_load(config_path, default_path == NULL, &cfg, &errs) == -1) {
		print_errors(&errs);
		fprintf(stderr, "ofii-watch: %s has errors; nothing was done\n",
		    config_path);
		config_clear(&cfg);
		free(default_path);
		return EXIT_USAGE;
	}
	free(default_path);
	if (cmd->needs_account && config_check_account(&cfg, &errs) == -1) {
		print_errors(&errs);
		config_clear(&cfg);
		return EXIT_USAGE;
	}
	if (cfg.file_found)
		log_debug("configuration: %s", cfg.path);
	else
		log_debug("configuration: %s does not exist, using defaults",
		    cfg.path);

	if (cmd->fn == NULL) {
		fprintf(stderr, "ofii-watch: '%s' is not available in this "
		    "version yet (it comes with %s); 'parse' and 'check' "
		    "work\n", cmd->name, cmd->missing);
		rc = EXIT_RUNTIME;
	} else
		rc = cmd->fn(&cfg, argc, argv);
	config_clear(&cfg);
	return rc;
}
