/*
 * commands: one function per ofii-watch command, called by main.c with the
 * loaded configuration and the command's own arguments (argv[0] is the
 * command name).  Each returns the process exit status:
 */
#ifndef OFII_COMMANDS_H
#define OFII_COMMANDS_H

#include "config/config.h"

#define EXIT_OK		0	/* done */
#define EXIT_RUNTIME	1	/* something failed while doing it */
#define EXIT_USAGE	2	/* bad command line or configuration */

int	parse_main(const struct config *, int argc, char **argv);
int	status_main(const struct config *, int argc, char **argv);
int	run_main(const struct config *, int argc, char **argv);
int	poll_main(const struct config *, int argc, char **argv);
int	check_main(const struct config *, int argc, char **argv);

/* Usage texts (printed by main.c for --help). */
extern const char parse_usage[];
extern const char status_usage[];
extern const char check_usage[];

/*
 * "  LABEL DATE" on stdout, the label padded to `width` columns, or
 * `unset` in place of the date when it is not set (status and check).
 */
void	print_config_date(int width, const char *label,
	    const struct config_date *, const char *unset);

#endif
