/*
 * test_secret: password sources, and that no secret leaks into errors.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "config/secret.h"

#define SECRET	"s3cr3t-Pa55 w0rd"

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
assert_no_zombie(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

static void
test_command_first_line(void **state)
{
	struct secret_source src = { 0 };
	char *pw = NULL, *err = NULL;

	(void)state;
	src.command = (char *)"printf '" SECRET "\\r\\nsecond line\\n'";
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), 0);
	assert_string_equal(pw, SECRET);
	secret_free(pw);
	assert_null(err);
	assert_no_zombie();
}

static void
test_command_failure_hides_output(void **state)
{
	struct secret_source src = { 0 };
	char *pw = NULL, *err = NULL;

	(void)state;
	src.command = (char *)"echo '" SECRET "'; exit 3";
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_null(pw);
	assert_string_equal(err, "password_command: the command failed (exit "
	    "status 3)");
	free(err);

	src.command = (char *)"/nonexistent/pass-helper show mail 2>/dev/null";
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_string_equal(err, "password_command: the command failed (exit "
	    "status 127: command not found?)");
	free(err);

	src.command = (char *)"echo '" SECRET "'; kill -TERM $$";
	assert_int_equal(secret_fetch(&src, "caldav_password", 5, &pw, &err),
	    -1);
	assert_string_equal(err, "caldav_password_command: the command was "
	    "killed by signal 15");
	free(err);

	src.command = (char *)"true";
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_string_equal(err, "password_command: the command printed "
	    "nothing on its first line");
	free(err);
	assert_no_zombie();
}

static void
test_command_timeout(void **state)
{
	struct secret_source src = { 0 };
	struct timespec t0;
	char *pw = NULL, *err = NULL;

	(void)state;
	/* A pipeline: the whole process group is killed, not just sh. */
	src.command = (char *)"sleep 30 | cat";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(secret_fetch(&src, "password", 1, &pw, &err), -1);
	assert_true(elapsed_ms(&t0) < 3000);
	assert_string_equal(err, "password_command: the command did not finish "
	    "within 1 s and was killed");
	free(err);
	assert_no_zombie();
}

/* A helper daemon that keeps our pipe open must not make us wait. */
static void
test_command_background_holder(void **state)
{
	struct secret_source src = { 0 };
	struct timespec t0;
	char *pw = NULL, *err = NULL;

	(void)state;
	src.command = (char *)"(sleep 3 &) ; echo " SECRET;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(secret_fetch(&src, "password", 10, &pw, &err), 0);
	assert_true(elapsed_ms(&t0) < 2000);
	assert_string_equal(pw, SECRET);
	secret_free(pw);
	/* Huge output: only the bounded first line is kept. */
	src.command = (char *)"yes | head -c 100000";
	assert_int_equal(secret_fetch(&src, "password", 10, &pw, &err), 0);
	assert_string_equal(pw, "y");
	secret_free(pw);
}

static char *
write_file(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/ofii-test-secret.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void
test_file(void **state)
{
	struct secret_source src = { 0 };
	char *pw = NULL, *err = NULL, *want;

	(void)state;
	src.file = write_file(SECRET "\nignored\n", 0600);
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), 0);
	assert_string_equal(pw, SECRET);
	secret_free(pw);
	assert_int_equal(chmod(src.file, 0644), 0);
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_true(asprintf(&want, "password_file: %s is readable by others "
	    "(mode 0644): refusing it; run 'chmod 600 %s'", src.file,
	    src.file) > 0);
	assert_string_equal(err, want);
	assert_null(strstr(err, "s3cr3t"));
	free(want);
	free(err);
	unlink(src.file);
	free(src.file);

	/* In a folder others may write (they could swap it): refused. */
	{
		char dir[] = "/tmp/ofii-test-secret-dir.XXXXXX";
		FILE *f;

		assert_non_null(mkdtemp(dir));
		assert_true(asprintf(&src.file, "%s/pw", dir) > 0);
		assert_non_null(f = fopen(src.file, "w"));
		fputs(SECRET "\n", f);
		fclose(f);
		assert_int_equal(chmod(src.file, 0600), 0);
		assert_int_equal(chmod(dir, 0757), 0);
		assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err),
		    -1);
		assert_true(asprintf(&want, "password_file: the folder %s is "
		    "writable by others (mode 0757): refusing it; run 'chmod "
		    "go-w %s'", dir, dir) > 0);
		assert_string_equal(err, want);
		free(want);
		free(err);
		assert_int_equal(chmod(dir, 0700), 0);
		assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err),
		    0);
		secret_free(pw);
		unlink(src.file);
		free(src.file);
		rmdir(dir);
	}

	src.file = write_file("", 0600);
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_non_null(strstr(err, "is empty"));
	free(err);
	unlink(src.file);
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_non_null(strstr(err, "No such file or directory"));
	free(err);
	free(src.file);
}

static void
test_credential(void **state)
{
	struct secret_source src = { 0 };
	char dir[] = "/tmp/ofii-test-cred.XXXXXX", path[128];
	char *pw = NULL, *err = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/imap.pass", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(SECRET, f);	/* no newline: systemd credentials often lack it */
	fclose(f);
	chmod(path, 0400);
	src.credential = (char *)"imap.pass";
	unsetenv("CREDENTIALS_DIRECTORY");
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_string_equal(err, "password_credential = imap.pass, but "
	    "$CREDENTIALS_DIRECTORY is not set: run under systemd with "
	    "LoadCredential=imap.pass:/path/to/file");
	free(err);
	setenv("CREDENTIALS_DIRECTORY", dir, 1);
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), 0);
	assert_string_equal(pw, SECRET);
	secret_free(pw);
	unsetenv("CREDENTIALS_DIRECTORY");
	unlink(path);
	rmdir(dir);
}

static void
test_inline_and_none(void **state)
{
	struct secret_source src = { 0 };
	char *pw = NULL, *err = NULL;

	(void)state;
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), -1);
	assert_string_equal(err, "no password configured");
	free(err);
	src.value = (char *)SECRET;
	assert_int_equal(secret_fetch(&src, "password", 5, &pw, &err), 0);
	assert_string_equal(pw, SECRET);
	secret_free(pw);
}

/* The process holding secrets leaves no core and cannot be ptraced. */
static void
test_protect_process(void **state)
{
	struct rlimit rl;
	char *err = NULL;

	(void)state;
	assert_int_equal(secret_protect_process(&err), 0);
	assert_null(err);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_first_line),
		cmocka_unit_test(test_command_failure_hides_output),
		cmocka_unit_test(test_command_timeout),
		cmocka_unit_test(test_command_background_holder),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_credential),
		cmocka_unit_test(test_inline_and_none),
		cmocka_unit_test(test_protect_process),
	};

	return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
