/*
 * atomic: files that are either entirely the old version or entirely the
 * new one, even across a crash or a power cut, and the lock that keeps a
 * second ofii-watch from writing them at the same time.  Shared by the
 * state file and the vdir and single-file calendar sinks.
 */
#ifndef OFII_STORE_ATOMIC_H
#define OFII_STORE_ATOMIC_H

#include <stddef.h>

/* mkdir -p; what it creates is mode 0700.  0, or -1 and errno. */
int	mkdir_private(const char *dir);

/*
 * Write `data` to `path` atomically and durably: path.new (0600), fsync,
 * rename over path, fsync the directory; missing directories are created
 * 0700.  0, or -1 and *errstr (path.new removed).
 */
int	atomic_write_file(const char *path, const char *data, size_t len,
	    char **errstr);

/*
 * The same, unless `path` already holds exactly `data` (NUL-terminated):
 * then nothing is written, and the file keeps its inode and time.
 */
int	atomic_update_file(const char *path, const char *data, char **errstr);

/*
 * An exclusive flock() on `path` (created 0600, its directory 0700), held
 * on *fdp until it is closed or the process dies.  0, or -1 and *errstr;
 * errno is EWOULDBLOCK when another process holds it.
 */
int	lock_file(const char *path, int *fdp, char **errstr);

#endif
