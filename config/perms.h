/*
 * perms: who else could change a file we take commands or secrets from.
 *
 * A configuration that holds a *_command runs it as the user; one that
 * names a password source hands that password to the server of its url.
 * Anyone who can write the file, or replace it (by writing a folder
 * above it), could do either.  Like ssh, such a file is refused: it and
 * every folder above it must belong to the user (or root) and be
 * writable by nobody else; a folder others may write is fine only when
 * it is sticky (/tmp): there they can neither replace nor rename a file
 * of ours.
 */
#ifndef OFII_PERMS_H
#define OFII_PERMS_H

/*
 * Check `path` (its symbolic links resolved; `fd`, when >= 0, is the
 * file already opened, checked instead of a second lookup) and each
 * folder above it.  0, or -1 and *errstr: what is wrong and the chmod or
 * chown that fixes it, with no "FILE:" prefix (the caller's).
 */
int	perms_check(const char *path, int fd, char **errstr);

#endif
